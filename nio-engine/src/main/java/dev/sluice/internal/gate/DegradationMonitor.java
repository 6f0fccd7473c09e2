package dev.sluice.internal.gate;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

import dev.sluice.gate.DurabilityPolicy;
import dev.sluice.internal.log.EngineLog;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Publishes the degraded state at once (a counter, 1 while degraded) but holds log lines back: nothing until the
 * state has lasted 1 s (so flapping makes no noise), then one line, a reminder every 5 s while it lasts, and one
 * line on recovery if degradation was announced. Loop thread only; strings are built only when a line is logged.
 */
public final class DegradationMonitor
{
    static final long HOLD_NS = TimeUnit.SECONDS.toNanos(1);
    static final long REMINDER_NS = TimeUnit.SECONDS.toNanos(5);
    private static final Logger LOG = EngineLog.GATE;

    private final AtomicCounter flag;
    private boolean degraded;
    private boolean announced;
    private long sinceNs;
    private long nextReminderNs;

    /** @param flag counter set to 1 while degraded, 0 otherwise. */
    public DegradationMonitor(final AtomicCounter flag)
    {
        this.flag = flag;
    }

    /**
     * Records the outcome of an evaluation.
     *
     * @param isDegraded whether the policy could not be met by the view.
     * @param nowNs      the loop's time.
     * @param policy     the policy in force (named in log lines).
     */
    public void update(final boolean isDegraded, final long nowNs, final DurabilityPolicy policy)
    {
        if (isDegraded)
        {
            if (!degraded)
            {
                degraded = true;
                sinceNs = nowNs;
                flag.setRelease(1);
            }
            else if (!announced && nowNs - sinceNs >= HOLD_NS)
            {
                announced = true;
                nextReminderNs = nowNs + REMINDER_NS;
                LOG.log(Level.WARNING, "durability degraded: " + policy + " cannot be met by the connected nodes");
            }
            else if (announced && nowNs - nextReminderNs >= 0)
            {
                nextReminderNs = nowNs + REMINDER_NS;
                LOG.log(Level.WARNING, "durability still degraded after " +
                    TimeUnit.NANOSECONDS.toSeconds(nowNs - sinceNs) + " s: " + policy);
            }
        }
        else if (degraded)
        {
            degraded = false;
            flag.setRelease(0);
            if (announced)
            {
                announced = false;
                LOG.log(Level.INFO, "durability recovered after " +
                    TimeUnit.NANOSECONDS.toMillis(nowNs - sinceNs) + " ms: " + policy);
            }
        }
    }

    /** @return whether the last update was degraded. */
    public boolean isDegraded()
    {
        return degraded;
    }
}
