package dev.sluice.internal.log;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ResourceBundle;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A logging backend that fails drops its line and never throws into the loop that logged it. */
class RateLimitedLogTest
{
    /** A backend whose formatter cannot initialise, as the JDK's cannot when the process is out of descriptors. */
    private static final class BrokenLogger implements Logger
    {
        int calls;

        @Override
        public String getName()
        {
            return "broken";
        }

        @Override
        public boolean isLoggable(final Level level)
        {
            return true;
        }

        @Override
        public void log(final Level level, final ResourceBundle bundle, final String msg, final Throwable thrown)
        {
            calls++;
            throw new NoClassDefFoundError("Could not initialize class sun.util.calendar.ZoneInfoFile");
        }

        @Override
        public void log(final Level level, final ResourceBundle bundle, final String format, final Object... params)
        {
            calls++;
            throw new IllegalStateException("the backend failed");
        }
    }

    @Test
    void aFailingBackendDropsTheLineAndCountsIt()
    {
        final RateLimitedLog log = new RateLimitedLog(0);
        final BrokenLogger logger = new BrokenLogger();
        assertTrue(log.tryAcquire(0));
        log.log(logger, Level.WARNING, "accept failed");
        assertTrue(log.tryAcquire(1));
        log.log(logger, Level.ERROR, "a callback threw", new IllegalStateException("boom"));
        assertEquals(2, logger.calls, "both lines reached the backend");
        assertEquals(2, log.failures(), "and both failures were counted, none thrown");
    }
}
