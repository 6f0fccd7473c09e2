package dev.sluice.internal.loop;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

import dev.sluice.internal.log.EngineLog;

/**
 * The rare log lines of the loop driver and the event loop, kept out of those classes on purpose.
 * <p>
 * When HotSpot first queues a C2 compilation of a method, the requesting thread resolves every string constant of
 * that method's class, creating {@code String}s on the loop thread. A class whose hot methods are only reached from
 * the idle path (such as {@link LoopRunner}) may be compiled long after start, so a message literal there would
 * show up as a few dozen bytes allocated in steady state. Message text lives here instead.
 */
final class LoopLog
{
    private static final Logger LOG = EngineLog.LOG;

    private LoopLog()
    {
    }

    static void loopFailed(final int loop, final Throwable cause)
    {
        LOG.log(Level.ERROR, "loop " + loop + " failed; shutting it down", cause);
    }

    static void selectorCloseFailed(final int loop, final Throwable cause)
    {
        LOG.log(Level.WARNING, "loop " + loop + ": selector close failed", cause);
    }
}
