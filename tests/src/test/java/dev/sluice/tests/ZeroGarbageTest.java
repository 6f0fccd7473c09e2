package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.CompilationMXBean;
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
 * The loop idles as configured by default (blocking select), and parks inside the measured window.
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
                final long loopThreadId = engine.loopThread(0).getId();
                warmUp(clients, payload, threads, loopThreadId);
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

    /**
     * Warm-up: runs windows of ~100,000 frames, each with idle parks (the loop times out in {@code select}), until
     * three windows in a row pass with the JIT compiler idle and the loop thread allocating nothing.
     * <p>
     * Why wait for the JIT: when HotSpot first queues a C2 compilation of a method, the requesting thread resolves
     * every string constant of that method's class (CompileBroker), which creates {@code String}s on that thread:
     * a few dozen bytes, once per class, possibly long after start for methods only the idle path calls. That is
     * not per-frame garbage, so it belongs to the warm-up, and the measured window must then show exactly 0.
     */
    private static void warmUp(
        final List<FrameClient> clients, final byte[] payload, final com.sun.management.ThreadMXBean threads,
        final long loopThreadId) throws Exception
    {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        final long minimumEnd = System.nanoTime() + 4_000_000_000L; // and at least 4 s of traffic
        int quietInARow = 0;
        for (int window = 0; window < 200 && (quietInARow < 3 || System.nanoTime() < minimumEnd); window++)
        {
            final long allocatedBefore = threads.getThreadAllocatedBytes(loopThreadId);
            final long jitBefore = jit.getTotalCompilationTime();
            rounds(clients, payload, 12);
            Thread.sleep(20); // the loop parks in select(timeout) and times out
            rounds(clients, payload, 12);
            final boolean quiet = jit.getTotalCompilationTime() == jitBefore &&
                threads.getThreadAllocatedBytes(loopThreadId) == allocatedBefore;
            quietInARow = quiet ? quietInARow + 1 : 0;
        }
        if (quietInARow < 3)
        {
            throw new AssertionError("no three quiet windows in 200: the loop keeps allocating or compiling");
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
