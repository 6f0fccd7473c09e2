package dev.sluice.internal.log;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's one rate-limited logger, for lines a peer or a producer could trigger over and over (malformed frames,
 * slow consumers, refused connections, dropped pushes): at most one line per interval for the whole engine, on the
 * engine's clock, and the next line says how many were suppressed meanwhile. For rare events only: callers ask
 * {@link #tryAcquire(long)} first and build their message only when it answers true.
 * <p>
 * <b>Threading:</b> any thread; the interval is claimed with a CAS, so two threads never both log in one interval.
 */
public final class RateLimitedLog
{
    private static final long NEVER = Long.MIN_VALUE;

    private final long intervalNs;
    private final AtomicLong nextAllowedNs = new AtomicLong(NEVER);
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /** @param intervalNs least time between two lines. */
    public RateLimitedLog(final long intervalNs)
    {
        this.intervalNs = intervalNs;
    }

    /**
     * @param nowNs the engine clock's time.
     * @return true if a line may be logged now; if so, call {@link #log} with it.
     */
    public boolean tryAcquire(final long nowNs)
    {
        final long next = nextAllowedNs.get();
        if ((next == NEVER || nowNs - next >= 0) && nextAllowedNs.compareAndSet(next, nowNs + intervalNs))
        {
            return true;
        }
        suppressed.incrementAndGet();
        return false;
    }

    /**
     * Logs a line acquired with {@link #tryAcquire(long)}.
     *
     * @param logger  where it goes (the topic's logger: {@code dev.sluice.engine}, {@code dev.sluice.push}, ...).
     * @param level   its level.
     * @param message the line.
     */
    public void log(final Logger logger, final Level level, final String message)
    {
        try
        {
            logger.log(level, withSuppressed(message));
        }
        catch (final RuntimeException | LinkageError ex)
        {
            failed();
        }
    }

    /**
     * Logs a line acquired with {@link #tryAcquire(long)}, with the exception's stack trace.
     *
     * @param logger  where it goes.
     * @param level   its level.
     * @param message the line.
     * @param error   the exception.
     */
    public void log(final Logger logger, final Level level, final String message, final Throwable error)
    {
        try
        {
            logger.log(level, withSuppressed(message), error);
        }
        catch (final RuntimeException | LinkageError ex)
        {
            failed();
        }
    }

    /** @return lines the logging backend failed to write (they were dropped; the engine went on). */
    public long failures()
    {
        return failures.get();
    }

    /**
     * A backend that fails must not take a loop down with it: out of file descriptors, the JDK's formatter cannot even
     * open its time-zone database, and its class fails to initialise. The line is dropped and counted.
     */
    private void failed()
    {
        failures.incrementAndGet();
    }

    private String withSuppressed(final String message)
    {
        final long count = suppressed.getAndSet(0);
        return count > 0 ? message + " (" + count + " similar lines suppressed)" : message;
    }
}
