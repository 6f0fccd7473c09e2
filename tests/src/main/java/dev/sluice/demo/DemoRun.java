package dev.sluice.demo;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.sluice.engine.Engine;
import dev.sluice.stats.LoopCounters;
import org.HdrHistogram.Histogram;

/**
 * The timed part of a demonstration run: a progress line every second, then the measured window (from the end of
 * the warm-up to the end of the run) with the numbers {@link DemoReport} prints. Window figures are the difference
 * of two snapshots; whole-run figures are read by the report itself.
 * <p>
 * <b>Threading:</b> the demonstration's main thread only.
 */
final class DemoRun
{
    static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);

    final Engine engine;
    final LoadClient[] clients;
    /** The push producer, or null when pushes are off. */
    final PushProducer pusher;
    final Histogram measured = new Histogram(LoadClient.HIGHEST_NS, 3);
    final com.sun.management.ThreadMXBean threadBean =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    /** Per loop, in the window: bytes its thread allocated, frames in, frames out (echoes and pushes). */
    final long[] allocated;
    final long[] framesIn;
    final long[] framesOut;
    /** In the window: bytes the push producer's thread allocated, its CPU time, pushes the loops sent. */
    long pusherAllocated;
    long pusherCpuNs;
    long pushesSent;
    long echoed;
    long pushesReceived;
    long warmupNs;
    long measuredNs;
    private final PrintStream out;
    private final Histogram[] intervals;

    DemoRun(final PrintStream out, final Engine engine, final LoadClient[] clients, final PushProducer pusher)
    {
        this.out = out;
        this.engine = engine;
        this.clients = clients;
        this.pusher = pusher;
        this.intervals = new Histogram[clients.length];
        this.allocated = new long[engine.loopCount()];
        this.framesIn = new long[engine.loopCount()];
        this.framesOut = new long[engine.loopCount()];
    }

    /**
     * Runs the clock: prints a line a second, and measures from the end of the warm-up to the end of the run.
     *
     * @param warmup how long the warm-up lasts, in ns.
     * @param run    how long the whole run lasts, in ns.
     */
    void drive(final long warmup, final long run)
    {
        warmupNs = warmup;
        final long start = System.nanoTime();
        long measureStart = 0;
        long nextTick = start + SECOND_NS;
        long lastTick = start;
        long lastEchoed = 0;
        long lastPushes = 0;
        boolean measuring = false;
        while (true)
        {
            final long now = System.nanoTime();
            if (now - nextTick >= 0)
            {
                final long echoes = totalEchoed();
                final long pushes = totalPushes();
                drainHistograms();
                final double seconds = (now - lastTick) / 1e9;
                out.printf(Locale.ROOT, "%4d s  %,10.0f echoes/s  %,9.0f pushes/s  %5d open  p99 %s us%s%n",
                    Math.round((now - start) / 1e9), (echoes - lastEchoed) / seconds, (pushes - lastPushes) / seconds,
                    openNow(), micros(measured.getValueAtPercentile(99)), measuring ? "" : " (warm-up)");
                lastEchoed = echoes;
                lastPushes = pushes;
                lastTick = now;
                nextTick += SECOND_NS;
            }
            if (!measuring && now - start >= warmup)
            {
                drainHistograms();
                measured.reset();
                snapshot(-1);
                measureStart = now;
                measuring = true;
            }
            if (now - start >= run)
            {
                drainHistograms();
                snapshot(1);
                measuredNs = now - measureStart;
                return;
            }
            final long wake = Math.min(nextTick, start + (measuring ? run : warmup));
            LockSupport.parkNanos(Math.max(wake - System.nanoTime(), 1));
        }
    }

    /**
     * Waits until the clients have received {@code expected} pushes, or the timeout passed.
     *
     * @param expected  pushes accepted over the whole run.
     * @param timeoutNs longest wait.
     */
    void awaitPushes(final long expected, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (totalPushes() < expected && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** @return echoes over all clients, whole run. */
    long totalEchoed()
    {
        long sum = 0;
        for (final LoadClient client : clients)
        {
            sum += client.echoed();
        }
        return sum;
    }

    /** @return pushes of both priorities received by all clients, whole run. */
    long totalPushes()
    {
        long sum = 0;
        for (final LoadClient client : clients)
        {
            sum += client.pushesHigh() + client.pushesLow();
        }
        return sum;
    }

    static String micros(final long nanos)
    {
        return String.format(Locale.ROOT, "%.1f", nanos / 1000.0);
    }

    /** Takes the start (sign -1) or end (sign 1) of the measured window. */
    private void snapshot(final int sign)
    {
        echoed += sign * totalEchoed();
        pushesReceived += sign * totalPushes();
        for (int i = 0; i < engine.loopCount(); i++)
        {
            final LoopCounters counters = engine.counters(i);
            allocated[i] += sign * allocatedBy(engine.loopThread(i));
            framesIn[i] += sign * counters.framesIn.get();
            framesOut[i] += sign * counters.framesOut.get();
            pushesSent += sign * (counters.pushesSentHigh.get() + counters.pushesSentLow.get());
        }
        final Thread pushing = pusher == null ? null : pusher.thread();
        pusherAllocated += sign * allocatedBy(pushing);
        pusherCpuNs += sign * (pushing == null ? 0 : Math.max(0, threadBean.getThreadCpuTime(pushing.getId())));
    }

    private long allocatedBy(final Thread thread)
    {
        return thread == null ? 0 : threadBean.getThreadAllocatedBytes(thread.getId());
    }

    private void drainHistograms()
    {
        for (int i = 0; i < clients.length; i++)
        {
            intervals[i] = clients[i].intervalHistogram(intervals[i]);
            measured.add(intervals[i]);
        }
    }

    private long openNow()
    {
        long sum = 0;
        for (int i = 0; i < engine.loopCount(); i++)
        {
            sum += engine.counters(i).connectionsOpen.get();
        }
        return sum;
    }
}
