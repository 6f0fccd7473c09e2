package dev.sluice.internal.connection;

import org.agrona.concurrent.NanoClock;

/**
 * The time of the loop iteration in progress, read once per iteration (and again after a blocking select) from the
 * engine's clock, so every stage and every connection rule of that iteration sees the same instant without a clock
 * call per frame.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
public final class LoopTime
{
    private final NanoClock clock;
    private long nowNs;

    /** @param clock the engine's clock. */
    public LoopTime(final NanoClock clock)
    {
        this.clock = clock;
        this.nowNs = clock.nanoTime();
    }

    /** @return the time the current iteration started (or its blocking select returned), in nanoseconds. */
    public long nowNs()
    {
        return nowNs;
    }

    /**
     * Reads the clock.
     *
     * @return the new time.
     */
    public long advance()
    {
        nowNs = clock.nanoTime();
        return nowNs;
    }
}
