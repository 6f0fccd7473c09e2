package dev.sluice.tests;

import java.io.IOException;
import java.net.InetSocketAddress;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;
import dev.sluice.stats.LoopCounters;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.EchoHandler;

/**
 * Started by {@link DescriptorExhaustionTest} in a JVM under a low {@code ulimit -n}: an echo server that prints its
 * port, then its accept counters every 50 ms, until its standard input closes.
 */
final class DescriptorExhaustionMain
{
    private DescriptorExhaustionMain()
    {
    }

    /** @param args none. */
    public static void main(final String[] args) throws Exception
    {
        try (Engine engine = Engine.start(EngineConfig.builder().maxConnections(200).receiveBufferSize(4096)
            .build()))
        {
            final InetSocketAddress address = engine.listen(new InetSocketAddress("127.0.0.1", 0),
                new EchoHandler(new CloseLog()));
            System.out.println("port " + address.getPort());
            final Thread watcher = new Thread(() ->
            {
                try
                {
                    while (System.in.read() >= 0)
                    {
                        // the parent closes our input to stop us
                    }
                }
                catch (final IOException ignored)
                {
                    // stop as well
                }
            });
            watcher.setDaemon(true);
            watcher.start();
            final LoopCounters counters = engine.counters(0);
            while (watcher.isAlive())
            {
                System.out.println("accepted " + counters.accepted.get() + " open " + counters.connectionsOpen.get() +
                    " paused " + counters.acceptPauses.get());
                Thread.sleep(50);
            }
        }
    }
}
