package dev.sluice.internal.connection;

import dev.sluice.connection.CloseReason;

/**
 * The slow-consumer rule, both halves, for every connection of a loop:
 * <ul>
 * <li><b>Cap:</b> an append that would make more than {@code sendCap} bytes wait for a peer is refused and the peer
 * is closed with {@link CloseReason#SLOW_CONSUMER} at once; nothing waits for it and no memory grows for it.</li>
 * <li><b>No progress:</b> after a partial write a connection is backed up ({@code OP_WRITE} interest, producers see
 * it through {@code PushHandle.isBackedUp()}); if its socket then accepts no byte at all for
 * {@code noProgressTimeout}, it is dropped as a slow consumer too, even below the cap. Any byte written restarts the
 * clock; draining ends the backed-up state.</li>
 * </ul>
 * Before the cap, shedding: once the unsent bytes pass {@code shedBytes} (a share of the cap, by default half),
 * low-priority pushes to the connection are refused ({@code PushResult.SHED}) while high-priority ones still go,
 * until the bytes fall back to the share or below.
 * <p>
 * This class is the only writer of a connection's backed-up and shedding flags and its last-progress time.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
public final class SlowConsumerRule
{
    private static final int CAP = 1;
    private static final int NO_PROGRESS = 2;

    private final int sendCap;
    private final int shedBytes;
    private final long noProgressTimeoutNs;
    private final LoopTime time;
    private final ConnectionTimers timers;
    private ConnectionCloser closer;

    /**
     * @param sendCap             most bytes that may wait for one peer.
     * @param shedBytes           unsent bytes past which low-priority pushes are shed (the cap: never).
     * @param noProgressTimeoutNs how long a backed-up peer may accept nothing before it is dropped.
     * @param time                the loop's time.
     * @param timers              the loop's connection timers (armed when a connection backs up).
     */
    public SlowConsumerRule(final int sendCap, final int shedBytes, final long noProgressTimeoutNs,
        final LoopTime time, final ConnectionTimers timers)
    {
        this.sendCap = sendCap;
        this.shedBytes = shedBytes;
        this.noProgressTimeoutNs = noProgressTimeoutNs;
        this.time = time;
        this.timers = timers;
    }

    /**
     * @param c a connection this rule dropped (or not).
     * @return which half fired and its figures, or null; allocates, for the close path's log line only.
     */
    String report(final LoopConnection c)
    {
        if (c.slowConsumerRule == CAP)
        {
            return "the send cap (" + sendCap + " bytes) would have been passed, " + c.slowConsumerFigure1 +
                " bytes pending and " + c.slowConsumerFigure2 + " more to append";
        }
        if (c.slowConsumerRule == NO_PROGRESS)
        {
            return "no progress, its socket took no byte for " + c.slowConsumerFigure1 / 1_000_000 +
                " ms (noProgressTimeout " + noProgressTimeoutNs / 1_000_000 + " ms) with " + c.slowConsumerFigure2 +
                " bytes pending";
        }
        return null;
    }

    void bind(final ConnectionCloser connectionCloser)
    {
        closer = connectionCloser;
    }

    /** @return the send cap in bytes: the size of every connection's send buffer. */
    public int sendCap()
    {
        return sendCap;
    }

    /**
     * The cap: room for {@code bytes} more in the connection's send buffer, or the connection is dropped.
     *
     * @return where to write them, or -1 if the connection was just closed as a slow consumer.
     */
    int reserve(final LoopConnection c, final int bytes)
    {
        if (c.send.pending() + bytes > sendCap)
        {
            c.slowConsumerRule = CAP;
            c.slowConsumerFigure1 = c.send.pending();
            c.slowConsumerFigure2 = bytes;
            closer.close(c, CloseReason.SLOW_CONSUMER);
            return -1;
        }
        return c.send.reserve(bytes);
    }

    /** A frame was appended: past the shed share, low-priority pushes are refused from now on. */
    void appended(final LoopConnection c)
    {
        if (c.send.pending() > shedBytes && !c.isShedding())
        {
            c.shedding(true);
        }
    }

    /** A flush found nothing pending: the connection is not behind. */
    void drained(final LoopConnection c)
    {
        c.shedding(false);
        if (c.isBackedUp())
        {
            c.backedUp(false);
            c.writabilityChanged();
        }
    }

    /**
     * A write took {@code bytes}; {@code drained} says whether nothing is pending any more. A partial write makes the
     * connection backed up and starts its no-progress clock.
     */
    void written(final LoopConnection c, final int bytes, final boolean drained)
    {
        if (bytes > 0)
        {
            c.lastSendProgressNs = time.nowNs();
            if (c.isShedding() && c.send.pending() <= shedBytes)
            {
                c.shedding(false);
            }
        }
        if (drained)
        {
            if (c.isBackedUp())
            {
                c.backedUp(false);
                c.writabilityChanged();
            }
        }
        else if (!c.isBackedUp())
        {
            c.lastSendProgressNs = time.nowNs();
            c.backedUp(true);
            timers.armNoLaterThan(c.slot(), deadline(c)); // the one deadline that can come earlier than the timer
            c.writabilityChanged(); // last: the application may close the connection here
        }
    }

    /**
     * @param c an open connection.
     * @return when it is dropped if its socket takes nothing until then, or {@link ConnectionTimers#NONE}.
     */
    public long deadline(final LoopConnection c)
    {
        return c.isBackedUp() ? c.lastSendProgressNs + noProgressTimeoutNs : ConnectionTimers.NONE;
    }

    /**
     * The no-progress half, from the timer stage: drops the connection if it is backed up and its socket has taken
     * nothing for the timeout.
     *
     * @param c     an open connection.
     * @param nowNs the loop's time.
     * @return true if the connection was dropped.
     */
    public boolean dropIfStalled(final LoopConnection c, final long nowNs)
    {
        if (c.isBackedUp() && nowNs - c.lastSendProgressNs >= noProgressTimeoutNs)
        {
            c.slowConsumerRule = NO_PROGRESS;
            c.slowConsumerFigure1 = nowNs - c.lastSendProgressNs;
            c.slowConsumerFigure2 = c.send.pending();
            closer.close(c, CloseReason.SLOW_CONSUMER);
            return true;
        }
        return false;
    }
}
