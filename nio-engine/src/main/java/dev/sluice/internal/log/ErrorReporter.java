package dev.sluice.internal.log;

import java.lang.System.Logger.Level;

import dev.sluice.config.EngineConfig;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The one path of every exception the engine catches on a loop thread and does not expect (a handler callback that
 * threw, a failed select, a listener that cannot be registered, a socket that cannot be configured, a terminator
 * that failed to encode): counted in the loop's {@code errors} counter and handed to the configured
 * {@link ErrorHandler}. Peers resetting or closing connections are not errors: they are close reasons with counters of
 * their own. The default handler ({@link EngineConfig#LOGGING_ERROR_HANDLER}) is served here, through the engine's
 * rate-limited log, so that a peer able to make a callback throw cannot flood the log; a handler of the
 * application's own gets every error.
 * <p>
 * <b>Threading:</b> the loop thread that owns it. A handler that throws is not allowed to take the loop down: what
 * it throws is logged and dropped.
 */
public final class ErrorReporter
{
    private final ErrorHandler handler;
    private final AtomicCounter errors;
    private final RateLimitedLog log;
    private final NanoClock clock;

    /**
     * @param handler the configured error handler.
     * @param errors  the loop's errors counter.
     * @param log     the engine's rate-limited log (for the default handler).
     * @param clock   the engine's clock.
     */
    public ErrorReporter(final ErrorHandler handler, final AtomicCounter errors, final RateLimitedLog log,
        final NanoClock clock)
    {
        this.handler = handler;
        this.errors = errors;
        this.log = log;
        this.clock = clock;
    }

    /**
     * A loop thread is ending because of {@code error}, which the loop has already logged with its stack trace: it
     * is counted and handed to an error handler of the application's own; the default one is not asked to log it a
     * second time (where its rate limit might even drop it).
     *
     * @param error what ended the loop thread.
     */
    public void reportFatal(final Throwable error)
    {
        if (handler == EngineConfig.LOGGING_ERROR_HANDLER)
        {
            errors.incrementRelease();
            return;
        }
        report(error);
    }

    /** @param error an exception the engine caught and did not expect. */
    public void report(final Throwable error)
    {
        errors.incrementRelease();
        if (handler == EngineConfig.LOGGING_ERROR_HANDLER)
        {
            if (log.tryAcquire(clock.nanoTime()))
            {
                log.log(EngineLog.LOG, Level.ERROR, "unexpected error on an engine thread", error);
            }
            return;
        }
        try
        {
            handler.onError(error);
        }
        catch (final RuntimeException ex)
        {
            EngineLog.LOG.log(System.Logger.Level.ERROR, "the error handler threw; dropping its exception", ex);
        }
    }
}
