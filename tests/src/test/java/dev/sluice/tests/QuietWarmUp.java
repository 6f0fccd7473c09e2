package dev.sluice.tests;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Warm-up for allocation tests: runs traffic windows for at least a minimum time and until three windows in a row
 * pass with the JIT compiler idle and the watched threads allocating nothing.
 * <p>
 * Why wait for the JIT: when HotSpot first queues a C2 compilation of a method, the requesting thread resolves every
 * string constant of that method's class (CompileBroker), which creates {@code String}s on that thread: a few dozen
 * bytes, once per class, possibly seconds after start for methods only a rare path calls. That is not per-frame
 * garbage, so it belongs to the warm-up.
 * <p>
 * Such a first compilation can still come after the warm-up (a method inlined everywhere may be compiled on its own
 * much later), so a test measures up to {@link #MEASURED_WINDOWS} consecutive windows of at least a million frames
 * and passes on the first that allocates exactly 0 bytes; the failure message lists every window. Allocation that
 * happens per frame, or even once per million frames, shows in every window and fails the test.
 */
final class QuietWarmUp
{
    /** Consecutive measured windows a test may use to find one without allocation. */
    static final int MEASURED_WINDOWS = 3;

    /** One window of traffic. */
    interface Window
    {
        void run() throws Exception;
    }

    private QuietWarmUp()
    {
    }

    static void run(final com.sun.management.ThreadMXBean threads, final long[] threadIds, final long minimumNanos,
        final Window window) throws Exception
    {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        final long minimumEnd = System.nanoTime() + minimumNanos;
        int quietInARow = 0;
        for (int i = 0; i < 200 && (quietInARow < 3 || System.nanoTime() < minimumEnd); i++)
        {
            final long allocatedBefore = allocated(threads, threadIds);
            final long jitBefore = jit.getTotalCompilationTime();
            window.run();
            final boolean quiet = jit.getTotalCompilationTime() == jitBefore &&
                allocated(threads, threadIds) == allocatedBefore;
            quietInARow = quiet ? quietInARow + 1 : 0;
        }
        if (quietInARow < 3)
        {
            throw new AssertionError("no three quiet windows in 200: the threads keep allocating or compiling");
        }
    }

    static long allocated(final com.sun.management.ThreadMXBean threads, final long[] threadIds)
    {
        long sum = 0;
        for (final long id : threadIds)
        {
            sum += threads.getThreadAllocatedBytes(id);
        }
        return sum;
    }

    /**
     * What {@link #measureWhileRunning} saw.
     *
     * @param clean  true if one window allocated exactly 0 bytes on every watched thread.
     * @param report one line per window measured.
     */
    record Windows(boolean clean, String report)
    {
    }

    /**
     * With traffic running in the background, measures up to {@link #MEASURED_WINDOWS} consecutive windows of at least
     * a million of what {@code progress} counts, and what each group of watched threads allocated in each; stops at the
     * first window in which none allocated anything.
     *
     * @param threads  the JVM's thread bean.
     * @param groups   the watched threads, in groups reported together (e.g. the loop; the producers).
     * @param names    a name per group.
     * @param progress the traffic count (e.g. a loop counter).
     * @param unit     what it counts, for the report.
     * @return whether a clean window was found, and every window's figures.
     * @throws InterruptedException if interrupted while waiting for traffic.
     */
    static Windows measureWhileRunning(final com.sun.management.ThreadMXBean threads, final long[][] groups,
        final String[] names, final LongSupplier progress, final String unit) throws InterruptedException
    {
        final StringBuilder report = new StringBuilder();
        final long[] before = new long[groups.length];
        for (int window = 0; window < MEASURED_WINDOWS; window++)
        {
            final long start = progress.getAsLong();
            for (int g = 0; g < groups.length; g++)
            {
                before[g] = allocated(threads, groups[g]);
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (progress.getAsLong() - start < 1_000_000)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new AssertionError("fewer than a million " + unit + " in a minute:" + report);
                }
                Thread.sleep(10);
            }
            boolean clean = true;
            report.append(String.format("%n  %,d %s:", progress.getAsLong() - start, unit));
            for (int g = 0; g < groups.length; g++)
            {
                final long bytes = allocated(threads, groups[g]) - before[g];
                report.append(String.format(" %s %d bytes", names[g], bytes));
                clean &= bytes == 0;
            }
            if (clean)
            {
                return new Windows(true, report.toString());
            }
        }
        return new Windows(false, report.toString());
    }
}
