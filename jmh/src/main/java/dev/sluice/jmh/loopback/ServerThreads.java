package dev.sluice.jmh.loopback;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The threads that do a server's I/O (Sluice loops, Netty event loops, blocking per-connection threads), so the
 * harness can read how many bytes they allocated and how much CPU they used with
 * {@link com.sun.management.ThreadMXBean}.
 */
final class ServerThreads
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    /** Adds a thread; from any thread. */
    void add(final Thread thread)
    {
        threads.add(thread);
    }

    /** @return bytes allocated so far by every thread added (ended threads count as 0). */
    long allocatedBytes()
    {
        long sum = 0;
        for (final Thread thread : threads)
        {
            sum += Math.max(0, THREADS.getThreadAllocatedBytes(thread.getId()));
        }
        return sum;
    }

    /** @return CPU time used so far by every thread added (user and system), in nanoseconds. */
    long cpuNanos()
    {
        long sum = 0;
        for (final Thread thread : threads)
        {
            sum += Math.max(0, THREADS.getThreadCpuTime(thread.getId()));
        }
        return sum;
    }

    /** @return how many threads were added. */
    int count()
    {
        return threads.size();
    }

    /** @return CPU time the whole JVM has used so far (all threads, user and system), in nanoseconds. */
    static long processCpuNanos()
    {
        return ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    /** @return bytes allocated so far by the calling thread. */
    static long currentThreadAllocatedBytes()
    {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
