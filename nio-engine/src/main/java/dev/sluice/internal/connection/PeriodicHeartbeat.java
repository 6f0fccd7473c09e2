package dev.sluice.internal.connection;

import dev.sluice.stats.LoopCounters;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The periodic heartbeat: every connection gets the configured frame every interval from its opening, whatever else
 * is sent to it. The timer stage appends it straight into the connection's send buffer (ahead of every queued push,
 * as a high-priority frame, and whatever the peer's pace), when its connection timer comes due: at the timer cadence,
 * never per frame. The next one is due an interval after the one just due, not after the tick that sent it, so a
 * late tick does not make the heartbeats drift.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
public final class PeriodicHeartbeat
{
    private final long intervalNs;
    private final UnsafeBuffer frame;
    private final LoopCounters counters;

    /**
     * @param intervalNs how often (0: off).
     * @param payload    the heartbeat frame's payload.
     * @param counters   the loop's counters.
     */
    public PeriodicHeartbeat(final long intervalNs, final byte[] payload, final LoopCounters counters)
    {
        this.intervalNs = intervalNs;
        this.frame = new UnsafeBuffer(payload);
        this.counters = counters;
    }

    /**
     * @param c an open connection.
     * @return when its next heartbeat is due, or {@link ConnectionTimers#NONE}.
     */
    public long deadline(final LoopConnection c)
    {
        return intervalNs > 0 ? c.heartbeatBaseNs + intervalNs : ConnectionTimers.NONE;
    }

    /**
     * Sends the heartbeat if it is due, and works out the next one.
     *
     * @param c     an open connection.
     * @param nowNs the loop's time.
     * @return true if a heartbeat was sent.
     */
    public boolean sendIfDue(final LoopConnection c, final long nowNs)
    {
        if (intervalNs == 0 || nowNs - (c.heartbeatBaseNs + intervalNs) < 0)
        {
            return false;
        }
        c.heartbeatBaseNs += intervalNs;
        if (nowNs - (c.heartbeatBaseNs + intervalNs) >= 0)
        {
            c.heartbeatBaseNs = nowNs; // more than an interval late (a stalled loop): one heartbeat, not a burst
        }
        if (c.send(frame, 0, frame.capacity()))
        {
            counters.periodicHeartbeatsSent.incrementRelease();
            c.countHeartbeat();
            return true;
        }
        return false;
    }
}
