package dev.sluice.demo;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;

import dev.sluice.connection.CloseReason;
import dev.sluice.engine.Engine;
import dev.sluice.push.Priority;
import dev.sluice.push.PushResult;
import dev.sluice.stats.LoopCounters;
import org.HdrHistogram.Histogram;

/**
 * The report at the end of a demonstration run: the measured window (rates, round-trip percentiles, allocation
 * per frame on each loop thread and on the push producer's thread), then whole-run totals (pushes accepted, sent
 * and received per priority, pushes not accepted, drops, client checks), then a verdict, which is also the exit
 * code: 0 when every check passed, 1 otherwise.
 * <p>
 * <b>Threading:</b> the demonstration's main thread, after the clients, the producer and the engine stopped.
 */
final class DemoReport
{
    private static final PushResult[] REFUSALS = {
        PushResult.QUEUE_FULL, PushResult.RATE_LIMITED, PushResult.SHED, PushResult.CLOSED, PushResult.DROPPED,
        PushResult.FRAME_TOO_LARGE};
    private static final String[] REFUSAL_NAMES =
        {"queue full", "rate limited", "shed", "closed", "dropped", "too large"};

    private final PrintStream out;
    private final DemoRun run;
    private final StringBuilder problems = new StringBuilder();
    private long receivedHigh;
    private long receivedLow;
    private int lost;
    private int bad;
    private Throwable failure;

    private DemoReport(final PrintStream out, final DemoRun run)
    {
        this.out = out;
        this.run = run;
        for (final LoadClient client : run.clients)
        {
            receivedHigh += client.pushesHigh();
            receivedLow += client.pushesLow();
            lost += client.lost();
            bad += client.badFrames();
            failure = failure != null ? failure : client.failure();
        }
    }

    /**
     * Prints the report.
     *
     * @param out where to.
     * @param run the finished run.
     * @return the exit code: 0 if every check passed, else 1.
     */
    static int print(final PrintStream out, final DemoRun run)
    {
        return new DemoReport(out, run).print();
    }

    private int print()
    {
        final Histogram rtt = run.measured;
        out.printf(Locale.ROOT, "--- report: %.1f s measured after a %.1f s warm-up ---%n", run.measuredNs / 1e9,
            run.warmupNs / 1e9);
        line("echoes", String.format(Locale.ROOT, "%,d round trips, %,.0f/s", run.echoed, perSecond(run.echoed)));
        line("pushes received", run.pusher == null ? "off (--push-rate 0)" :
            String.format(Locale.ROOT, "%,.0f/s (high and low)", perSecond(run.pushesReceived)));
        line("RTT us", String.format(Locale.ROOT, "p50 %s  p90 %s  p99 %s  p99.9 %s  max %s",
            DemoRun.micros(rtt.getValueAtPercentile(50)), DemoRun.micros(rtt.getValueAtPercentile(90)),
            DemoRun.micros(rtt.getValueAtPercentile(99)), DemoRun.micros(rtt.getValueAtPercentile(99.9)),
            DemoRun.micros(rtt.getMaxValue())));
        loops();
        if (run.pusher != null)
        {
            line("pusher allocation", String.format(Locale.ROOT, "%s; %,d bytes / %,d pushes sent by the loops",
                ratio(run.pusherAllocated, run.pushesSent, "push"), run.pusherAllocated, run.pushesSent));
            line("pusher CPU", String.format(Locale.ROOT, "%.1f%% of one core", 100.0 * run.pusherCpuNs /
                Math.max(1, run.measuredNs)));
        }
        out.println("--- whole run ---");
        pushes();
        final Engine engine = run.engine;
        long slow = 0;
        long malformed = 0;
        for (int i = 0; i < engine.loopCount(); i++)
        {
            slow += engine.counters(i).closes(CloseReason.SLOW_CONSUMER).get();
            malformed += engine.counters(i).closes(CloseReason.MALFORMED_FRAME).get();
        }
        line("slow-consumer drops", String.format(Locale.ROOT, "%,d", slow));
        line("malformed closes", String.format(Locale.ROOT, "%,d", malformed));
        final boolean autoBox = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .anyMatch(arg -> arg.startsWith("-XX:AutoBoxCacheMax="));
        line("-XX:AutoBoxCacheMax", autoBox ? "given" : "NOT given: the JDK's epoll selector boxes file descriptors " +
            "> 127, so the loop threads allocate; run with -XX:AutoBoxCacheMax=65536");
        clients();
        line("result", problems.length() == 0 ? "ok" : "FAILED:" + problems);
        return problems.length() == 0 ? 0 : 1;
    }

    private void loops()
    {
        final Engine engine = run.engine;
        long allocated = 0;
        long frames = 0;
        final StringBuilder lines = new StringBuilder();
        for (int i = 0; i < engine.loopCount(); i++)
        {
            allocated += run.allocated[i];
            frames += run.framesIn[i] + run.framesOut[i];
            lines.append(String.format(Locale.ROOT, "%n%-20s %s; %,d bytes allocated / %,d frames in + %,d out",
                "loop " + i, engine.isPinned(i) ? "pinned to CPU " + engine.counters(i).pinnedCpu.get() : "not pinned",
                run.allocated[i], run.framesIn[i], run.framesOut[i]));
        }
        line("loop allocation", ratio(allocated, frames, "frame") + " (frames in + out, all loops)" + lines);
    }

    private void pushes()
    {
        final PushProducer pusher = run.pusher;
        if (pusher == null)
        {
            line("pushes", "off (--push-rate 0)");
            return;
        }
        long sentHigh = 0;
        long sentLow = 0;
        for (int i = 0; i < run.engine.loopCount(); i++)
        {
            final LoopCounters counters = run.engine.counters(i);
            sentHigh += counters.pushesSentHigh.get();
            sentLow += counters.pushesSentLow.get();
        }
        final long acceptedHigh = pusher.count(Priority.HIGH, PushResult.ACCEPTED);
        final long acceptedLow = pusher.count(Priority.LOW, PushResult.ACCEPTED);
        line("pushes high", String.format(Locale.ROOT, "%,d accepted, %,d sent by the loops, %,d received",
            acceptedHigh, sentHigh, receivedHigh));
        line("pushes low", String.format(Locale.ROOT, "%,d accepted, %,d sent by the loops, %,d received",
            acceptedLow, sentLow, receivedLow));
        final StringBuilder refused = new StringBuilder();
        for (int i = 0; i < REFUSALS.length; i++)
        {
            refused.append(String.format(Locale.ROOT, "%,d %s, ",
                pusher.count(Priority.HIGH, REFUSALS[i]) + pusher.count(Priority.LOW, REFUSALS[i]), REFUSAL_NAMES[i]));
        }
        line("pushes not accepted", refused.append(String.format(Locale.ROOT, "%,d skipped (producer behind)",
            pusher.skipped())).toString());
        if (receivedHigh == 0)
        {
            problem("no high-priority push received");
        }
        if (receivedLow == 0)
        {
            problem("no low-priority push received");
        }
        final long missing = acceptedHigh - receivedHigh + acceptedLow - receivedLow;
        if (lost == 0 && missing != 0)
        {
            problem(String.format(Locale.ROOT, "%,d accepted pushes never arrived", missing));
        }
    }

    private void clients()
    {
        line("clients", String.format(Locale.ROOT, "%,d connections lost, %,d bad frames", lost, bad));
        if (run.echoed == 0)
        {
            problem("no echoes in the measured window");
        }
        if (bad != 0)
        {
            problem(bad + " bad frames");
        }
        if (failure != null)
        {
            problem("a client failed: " + failure);
        }
    }

    private String ratio(final long bytes, final long count, final String unit)
    {
        if (!run.threadBean.isThreadAllocatedMemoryEnabled())
        {
            return "n/a (thread allocation accounting is off)";
        }
        return count == 0 ? "n/a (no " + unit + "s)" :
            String.format(Locale.ROOT, "%.3f bytes/%s", (double)bytes / count, unit);
    }

    private double perSecond(final long count)
    {
        return run.measuredNs == 0 ? 0 : count * 1e9 / run.measuredNs;
    }

    private void problem(final String what)
    {
        problems.append(problems.length() == 0 ? " " : "; ").append(what);
    }

    private void line(final String name, final String value)
    {
        out.printf(Locale.ROOT, "%-20s %s%n", name, value);
    }
}
