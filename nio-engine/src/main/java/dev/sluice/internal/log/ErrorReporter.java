package dev.sluice.internal.log;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The one path of every exception the engine catches on a loop thread and does not expect (a handler callback that
 * threw, a failed select, a listener that cannot be registered, a socket that cannot be configured, a terminator
 * that failed to encode): counted in the loop's {@code errors} counter and handed to the configured
 * {@link ErrorHandler}. Peers resetting or closing connections are not errors: they are close reasons with counters of
 * their own.
 * <p>
 * <b>Threading:</b> the loop thread that owns it. A handler that throws is not allowed to take the loop down: what
 * it throws is logged and dropped.
 */
public final class ErrorReporter
{
    private final ErrorHandler handler;
    private final AtomicCounter errors;

    /**
     * @param handler the configured error handler.
     * @param errors  the loop's errors counter.
     */
    public ErrorReporter(final ErrorHandler handler, final AtomicCounter errors)
    {
        this.handler = handler;
        this.errors = errors;
    }

    /** @param error an exception the engine caught and did not expect. */
    public void report(final Throwable error)
    {
        errors.incrementRelease();
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
