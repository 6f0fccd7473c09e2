package dev.sluice.internal.connection;

import dev.sluice.stats.LoopCounters;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The idle keep-alive: a connection that has been sent nothing for the keep-alive interval, and has nothing pending,
 * gets the configured keep-alive frame through its normal send path. Checked at the timer cadence, never per frame.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
public final class IdleKeepAlive
{
    private final long intervalNs;
    private final UnsafeBuffer frame;
    private final LoopCounters counters;

    /**
     * @param intervalNs how long a connection may be sent nothing (0: off).
     * @param payload    the keep-alive frame's payload.
     * @param counters   the loop's counters.
     */
    public IdleKeepAlive(final long intervalNs, final byte[] payload, final LoopCounters counters)
    {
        this.intervalNs = intervalNs;
        this.frame = new UnsafeBuffer(payload);
        this.counters = counters;
    }

    /**
     * @param c an open connection.
     * @return when it is due a keep-alive if nothing is appended for it until then, or {@link ConnectionTimers#NONE}.
     */
    public long deadline(final LoopConnection c)
    {
        return intervalNs > 0 ? c.lastAppendNs() + intervalNs : ConnectionTimers.NONE;
    }

    /**
     * @param c     an open connection.
     * @param nowNs the loop's time.
     * @return true if a keep-alive was sent.
     */
    public boolean sendIfQuiet(final LoopConnection c, final long nowNs)
    {
        if (intervalNs > 0 && c.isOpen() && c.send.pending() == 0 && nowNs - c.lastAppendNs() >= intervalNs &&
            c.send(frame, 0, frame.capacity()))
        {
            counters.keepAlivesSent.incrementRelease();
            c.countHeartbeat();
            return true;
        }
        return false;
    }
}
