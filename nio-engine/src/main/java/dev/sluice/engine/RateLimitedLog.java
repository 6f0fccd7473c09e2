package dev.sluice.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * A log line a peer could trigger over and over (malformed frames, slow consumers): at most one line per interval,
 * and the next line says how many were suppressed. For rare events only; it builds strings when it logs.
 * Owned by one loop thread.
 */
final class RateLimitedLog
{
    private final Logger logger;
    private final Level level;
    private final long intervalNs;
    private long nextAllowedNs = Long.MIN_VALUE;
    private long suppressed;

    RateLimitedLog(final Logger logger, final Level level, final long intervalNs)
    {
        this.logger = logger;
        this.level = level;
        this.intervalNs = intervalNs;
    }

    /** @return true if a line may be logged now; if so, call {@link #log} with it. */
    boolean tryAcquire(final long nowNs)
    {
        if (nowNs - nextAllowedNs >= 0 || nextAllowedNs == Long.MIN_VALUE)
        {
            nextAllowedNs = nowNs + intervalNs;
            return true;
        }
        suppressed++;
        return false;
    }

    void log(final String message)
    {
        if (suppressed > 0)
        {
            logger.log(level, message + " (" + suppressed + " similar lines suppressed)");
            suppressed = 0;
        }
        else
        {
            logger.log(level, message);
        }
    }
}
