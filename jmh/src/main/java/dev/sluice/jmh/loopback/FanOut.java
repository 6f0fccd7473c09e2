package dev.sluice.jmh.loopback;

import java.util.concurrent.locks.LockSupport;

/**
 * The push fan-out benchmark: one application thread pushes 64-byte frames round-robin to many connections (or to a
 * group of them) for as long as they take them; one reader thread receives; the figure is whole frames delivered per
 * second, counted at the reader (for a group, one per member: deliveries).
 */
final class FanOut
{
    private FanOut()
    {
    }

    /**
     * @param server      the server under test.
     * @param connections client connections.
     * @param clientCpu   CPU of the pushing thread (this one) and of the reader, or {@link Cpus#ANY}.
     * @param warmupNs    warm-up length.
     * @param measureNs   measured window length.
     * @param result      where the figures go.
     * @throws Exception if the reader fails or a connection is closed.
     */
    static void run(final FanOutServer server, final int connections, final int clientCpu, final long warmupNs,
        final long measureNs, final Result result) throws Exception
    {
        Cpus.pinCurrentThread(clientCpu);
        final FanOutReader reader = new FanOutReader(clientCpu);
        reader.connect(server.address(), connections);
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.connected() < connections)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("only " + server.connected() + " connections arrived");
            }
            LockSupport.parkNanos(1_000_000);
        }
        server.allConnected();
        reader.start();
        final long closed;
        try
        {
            push(server, warmupNs);
            final long framesBefore = reader.frames();
            final long allocatedBefore = server.threads().allocatedBytes();
            final long appBefore = ServerThreads.currentThreadAllocatedBytes();
            final long cpuBefore = ServerThreads.processCpuNanos();
            final long serverCpuBefore = server.threads().cpuNanos();
            final long start = System.nanoTime();
            final long handed = push(server, measureNs);
            final long cpu = ServerThreads.processCpuNanos() - cpuBefore;
            final long serverCpu = server.threads().cpuNanos() - serverCpuBefore;
            final long frames = reader.frames() - framesBefore;
            final long elapsed = System.nanoTime() - start;
            final long allocated = server.threads().allocatedBytes() - allocatedBefore;
            final long app = ServerThreads.currentThreadAllocatedBytes() - appBefore;
            result.put("ops", frames);
            result.put("opsPerSec", frames * 1e9 / elapsed);
            result.put("handedPerSec", handed * 1e9 / elapsed);
            result.put("cpuNsPerOp", (double)cpu / Math.max(1, frames));
            result.put("serverCpuNsPerOp", (double)serverCpu / Math.max(1, frames));
            result.put("serverBytesPerOp", (double)allocated / Math.max(1, frames));
            result.put("appBytesPerOp", (double)app / Math.max(1, frames));
            closed = server.closedConnections();
        }
        finally
        {
            reader.stop();
        }
        if (reader.failure() != null || closed > 0)
        {
            throw new IllegalStateException("reader failure " + reader.failure() + ", " + closed +
                " connections closed by the server");
        }
    }

    /** Pushes rounds for {@code durationNs}; yields the CPU after a round in which nothing could be handed over. */
    private static long push(final FanOutServer server, final long durationNs)
    {
        final long end = System.nanoTime() + durationNs;
        long handed = 0;
        while (System.nanoTime() - end < 0)
        {
            final int n = server.pushRound();
            if (n == 0)
            {
                Thread.yield();
            }
            handed += n;
        }
        return handed;
    }
}
