package dev.sluice.jmh.loopback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.EngineConfigBuilder;
import dev.sluice.config.IdleMode;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.push.PushConfig;

/**
 * A Sluice engine as a server under test: one event loop, the default length-prefixed codec, listening on loopback
 * with the handler given. With {@link #ECHO} it is the echo server of the ping-pong and request/response cases:
 * each frame is copied back into the send buffer and flushed once per loop iteration.
 */
final class SluiceServer implements EchoServer
{
    /** Sends every frame back as it came. */
    static final ConnectionHandler ECHO = (connection, buffer, offset, length) ->
        connection.send(buffer, offset, length);

    private final Engine engine;
    private final InetSocketAddress address;
    private final ServerThreads threads = new ServerThreads();

    /**
     * @param idle           idle mode of the loop.
     * @param cpu            the CPU to pin the loop to with the engine's own pinning, or {@link Cpus#ANY}.
     * @param maxConnections connection slots to preallocate.
     * @param handler        the application.
     */
    SluiceServer(final IdleMode idle, final int cpu, final int maxConnections, final ConnectionHandler handler)
    {
        this(idle, cpu, maxConnections, EngineConfig.DEFAULT_SEND_CAP, PushConfig.builder().build(), handler);
    }

    /**
     * @param idle           idle mode of the loop.
     * @param cpu            the CPU to pin the loop to with the engine's own pinning, or {@link Cpus#ANY}.
     * @param maxConnections connection slots to preallocate.
     * @param sendCap        bytes that may wait for one connection.
     * @param push           push settings.
     * @param handler        the application.
     */
    SluiceServer(final IdleMode idle, final int cpu, final int maxConnections, final int sendCap,
        final PushConfig push, final ConnectionHandler handler)
    {
        final EngineConfigBuilder config =
            EngineConfig.builder().idleMode(idle).maxConnections(maxConnections).sendCap(sendCap).push(push);
        if (cpu != Cpus.ANY)
        {
            config.pinToCores(cpu).requirePinning(true);
        }
        try
        {
            engine = Engine.start(config.build());
            address = engine.listen(new InetSocketAddress("127.0.0.1", 0), handler);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        threads.add(engine.loopThread(0));
    }

    /** @return the engine. */
    Engine engine()
    {
        return engine;
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
        return "sluice, 1 loop, idle " + engine.config().idleMode() + ", " +
            (engine.isPinned(0) ? "pinned to CPU " + engine.counters(0).pinnedCpu.get() : "not pinned");
    }

    @Override
    public void close()
    {
        engine.close();
    }
}
