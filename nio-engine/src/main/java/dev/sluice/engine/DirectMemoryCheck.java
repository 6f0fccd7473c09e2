package dev.sluice.engine;

import java.util.Locale;

import dev.sluice.config.EngineConfig;

/**
 * Turns the JDK's "Cannot reserve ... bytes of direct buffer memory" at start into one sentence saying what the engine
 * needs and which flag raises the limit: every connection slot's buffers and push queues are allocated when the engine
 * starts, so a limit too small shows there, never later.
 */
final class DirectMemoryCheck
{
    /** Positions and sequence fields around each push queue, and the per-connection figures. */
    private static final long PER_CONNECTION_OVERHEAD = 2 * 768 + 128;

    private DirectMemoryCheck()
    {
    }

    /**
     * @param config the engine's configuration.
     * @return the direct memory its connection slots take, in bytes (not counting push groups and the gate).
     */
    static long slotsBytes(final EngineConfig config)
    {
        final long perConnection = (long)config.receiveBufferSize() + config.sendCap() +
            config.push().highQueueBytes() + config.push().lowQueueBytes() + PER_CONNECTION_OVERHEAD;
        return perConnection * config.maxConnections();
    }

    /**
     * @param error what the JDK threw while the engine allocated.
     * @return true if it is the direct memory limit.
     */
    static boolean isDirectMemoryLimit(final OutOfMemoryError error)
    {
        return error.getMessage() != null && error.getMessage().contains("direct buffer memory");
    }

    /**
     * @param config the engine's configuration.
     * @param error  the JDK's error.
     * @return the error to throw instead.
     */
    static IllegalStateException tooSmall(final EngineConfig config, final OutOfMemoryError error)
    {
        return new IllegalStateException(String.format(Locale.ROOT,
            "not enough direct memory to start: %,d connection slots take about %,d MiB (receive buffer, send cap " +
            "and push queues each); raise -XX:MaxDirectMemorySize (the JDK's default is the heap's -Xmx) or lower " +
            "maxConnections or the buffer sizes; see docs/users-guide.md, 'Memory' (%s)", config.maxConnections(),
            slotsBytes(config) >> 20, error.getMessage()), error);
    }
}
