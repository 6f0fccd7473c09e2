package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.EchoHandler;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

/**
 * The loop thread allocates nothing per frame: reads, decode, dispatch, inline replies, flushes, timers, idle parks.
 * The loop idles as configured by default (blocking select), and parks inside the measured window.
 * Runs with more than 128 connections so file descriptors pass the JDK's Integer cache (the epoll selector boxes
 * the descriptor of each ready key); the build sets {@code -XX:AutoBoxCacheMax=65536} as users must. See
 * {@link QuietWarmUp} for the warm-up and the measured windows.
 */
class ZeroGarbageTest
{
    private static final int CONNECTIONS = 256;
    private static final int FRAMES_PER_ROUND = 16;
    private static final int PAYLOAD = 64;

    /** Echoes; says "not now" to one frame in 50,000 (taking it on redelivery), so read pauses happen too. */
    static final class SometimesBusyEcho implements ConnectionHandler
    {
        private long frames;
        private boolean retrying;

        @Override
        public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
        {
            if (!retrying && ++frames % 50_000 == 0)
            {
                retrying = true;
                c.notNow();
                return;
            }
            retrying = false;
            c.send(buffer, offset, length);
        }
    }

    @Test
    void loopThreadAllocatesZeroBytesWhileEchoingAMillionFrames() throws Exception
    {
        measure(EngineConfig.builder().maxConnections(CONNECTIONS + 16).build(), new EchoHandler(new CloseLog()),
            false);
    }

    @Test
    void loopThreadAllocatesZeroBytesWithBudgetsAndNotNowPauses() throws Exception
    {
        final SometimesBusyEcho handler = new SometimesBusyEcho();
        measure(EngineConfig.builder().maxConnections(CONNECTIONS + 16).memoryBudgets(1024, 8192, 1 << 20).build(),
            handler, true);
    }

    private static void measure(final EngineConfig config, final ConnectionHandler handler, final boolean pauses)
        throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(new InetSocketAddress("127.0.0.1", 0), handler);
            final List<FrameClient> clients = new ArrayList<>();
            try
            {
                for (int c = 0; c < CONNECTIONS; c++)
                {
                    clients.add(FrameClient.connect(address));
                }
                final byte[] payload = new byte[PAYLOAD];
                final long loopThreadId = engine.loopThread(0).getId();
                // At least 4 s of traffic with idle parks (the loop times out in select), then quiet windows.
                QuietWarmUp.run(threads, new long[] {loopThreadId}, 4_000_000_000L, () ->
                {
                    rounds(clients, payload, 12);
                    Thread.sleep(20);
                    rounds(clients, payload, 12);
                });
                final StringBuilder windows = new StringBuilder();
                boolean clean = false;
                for (int window = 0; window < QuietWarmUp.MEASURED_WINDOWS && !clean; window++)
                {
                    final long framesBefore = engine.counters(0).framesIn.get();
                    final long before = threads.getThreadAllocatedBytes(loopThreadId);
                    final int rounds = 1_000_000 / (CONNECTIONS * FRAMES_PER_ROUND) + 1;
                    for (int i = 0; i < 4; i++)
                    {
                        rounds(clients, payload, rounds / 4 + 1);
                        Thread.sleep(30); // idle parks inside the measured window too
                    }
                    final long allocated = threads.getThreadAllocatedBytes(loopThreadId) - before;
                    final long frames = engine.counters(0).framesIn.get() - framesBefore;
                    assertTrue(frames >= 1_000_000, "echoed " + frames + " frames");
                    windows.append(String.format("%n  %,d frames echoed: %d bytes", frames, allocated));
                    clean = allocated == 0;
                }
                assertTrue(clean, "no window of a million frames without allocation on the loop thread:" + windows);
                assertTrue(!pauses || engine.counters(0).readPauses.get() > 20, "read pauses happened");
            }
            finally
            {
                for (final FrameClient client : clients)
                {
                    client.close();
                }
            }
        }
    }

    private static void rounds(final List<FrameClient> clients, final byte[] payload, final int rounds)
        throws Exception
    {
        for (int r = 0; r < rounds; r++)
        {
            for (final FrameClient client : clients)
            {
                for (int i = 0; i < FRAMES_PER_ROUND; i++)
                {
                    payload[0] = (byte)i;
                    client.write(payload);
                }
                client.flush();
            }
            for (final FrameClient client : clients)
            {
                for (int i = 0; i < FRAMES_PER_ROUND; i++)
                {
                    final byte[] echoed = client.read();
                    if (echoed.length != PAYLOAD || echoed[0] != (byte)i)
                    {
                        throw new AssertionError("frame " + i + " came back wrong");
                    }
                }
            }
        }
    }
}
