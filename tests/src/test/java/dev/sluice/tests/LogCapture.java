package dev.sluice.tests;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what the engine logs on one of its loggers (the JDK's {@code System.Logger} goes to java.util.logging when
 * no other backend is installed, as in these tests), for tests that check what an operator would read.
 */
final class LogCapture extends Handler implements AutoCloseable
{
    private final Logger logger;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    /** @param name the logger, e.g. {@code dev.sluice.engine}. */
    LogCapture(final String name)
    {
        logger = Logger.getLogger(name);
        logger.addHandler(this);
    }

    @Override
    public void publish(final LogRecord entry)
    {
        messages.add(entry.getMessage());
    }

    @Override
    public void flush()
    {
    }

    @Override
    public void close()
    {
        logger.removeHandler(this);
    }

    /** @return the first message containing {@code text}, or null. */
    String find(final String text)
    {
        for (final String message : messages)
        {
            if (message.contains(text))
            {
                return message;
            }
        }
        return null;
    }

    @Override
    public String toString()
    {
        return messages.toString();
    }
}
