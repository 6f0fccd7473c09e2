package dev.sluice.jmh.loopback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.EngineConfigBuilder;
import dev.sluice.config.IdleMode;
import dev.sluice.engine.Engine;

/** Sluice as the echo server: one event loop, the default length-prefixed codec, replies flushed once per iteration. */
final class SluiceEchoServer implements EchoServer
{
    private final Engine engine;
    private final InetSocketAddress address;
    private final ServerThreads threads = new ServerThreads();
    private final String description;

    /**
     * @param idle idle mode of the loop.
     * @param cpu  the CPU to pin the loop to with the engine's own pinning, or {@link Cpus#ANY}.
     * @param maxConnections connection slots to preallocate.
     */
    SluiceEchoServer(final IdleMode idle, final int cpu, final int maxConnections)
    {
        final EngineConfigBuilder config = EngineConfig.builder().idleMode(idle).maxConnections(maxConnections);
        if (cpu != Cpus.ANY)
        {
            config.pinToCores(cpu).requirePinning(true);
        }
        try
        {
            engine = Engine.start(config.build());
            address = engine.listen(new InetSocketAddress("127.0.0.1", 0),
                (connection, buffer, offset, length) -> connection.send(buffer, offset, length));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        threads.add(engine.loopThread(0));
        description = "sluice, 1 loop, idle " + idle + ", " +
            (engine.isPinned(0) ? "pinned to CPU " + engine.counters(0).pinnedCpu.get() : "not pinned");
    }

    @Override
    public InetSocketAddress address()
    {
        return address;
    }

    @Override
    public ServerThreads threads()
    {
        return threads;
    }

    @Override
    public String describe()
    {
        return description;
    }

    @Override
    public void close()
    {
        engine.close();
    }
}
