package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.EchoHandler;
import dev.sluice.testkit.FrameClient;
import org.junit.jupiter.api.Test;

/**
 * The loop thread allocates nothing per frame: reads, decode, dispatch, inline replies, flushes, timers, idle parks.
 * Runs with more than 128 connections so file descriptors pass the JDK's Integer cache (the epoll selector boxes
 * the descriptor of each ready key); the build sets {@code -XX:AutoBoxCacheMax=65536} as users must.
 */
class ZeroGarbageTest
{
    private static final int CONNECTIONS = 256;
    private static final int FRAMES_PER_ROUND = 16;
    private static final int PAYLOAD = 64;

    @Test
    void loopThreadAllocatesZeroBytesWhileEchoingAMillionFrames() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        try (Engine engine = Engine.start(EngineConfig.builder().maxConnections(CONNECTIONS + 16).build()))
        {
            final InetSocketAddress address = engine.listen(
                new InetSocketAddress("127.0.0.1", 0), new EchoHandler(new CloseLog()));
            final List<FrameClient> clients = new ArrayList<>();
            try
            {
                for (int c = 0; c < CONNECTIONS; c++)
                {
                    clients.add(FrameClient.connect(address));
                }
                final byte[] payload = new byte[PAYLOAD];
                rounds(clients, payload, 100);  // warm-up: JIT, buffer growth inside the JDK's selector
                final long loopThreadId = engine.loopThread(0).getId();
                final long framesBefore = engine.counters(0).framesIn.get();
                final long before = threads.getThreadAllocatedBytes(loopThreadId);

                final int rounds = 1_000_000 / (CONNECTIONS * FRAMES_PER_ROUND) + 1;
                rounds(clients, payload, rounds);

                final long allocated = threads.getThreadAllocatedBytes(loopThreadId) - before;
                final long frames = engine.counters(0).framesIn.get() - framesBefore;
                assertTrue(frames >= 1_000_000, "echoed " + frames + " frames");
                assertEquals(0, allocated, "bytes allocated by the loop thread while echoing " + frames + " frames");
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
