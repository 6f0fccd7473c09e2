package dev.sluice.internal.push;

/**
 * The inline fairness counter of one connection: after {@code maxHighBeforeLow} consecutive high frames, or once
 * high frames have been going out for {@code timeSliceNs}, one waiting low frame goes next and the count restarts.
 * With both off, priority is strict. Example, limit 3 with six high and two low waiting: H H H L H H H L.
 * <p>
 * <b>Threading:</b> the connection's loop thread only; plain fields.
 */
public final class PushFairness
{
    private final int maxHighBeforeLow;
    private final long timeSliceNs;
    private int highRun;
    private long runStartNs;

    /**
     * Creates the counter.
     *
     * @param maxHighBeforeLow consecutive high frames before a low one may go; 0 turns the counter off.
     * @param timeSliceNs      time high may run before a low one may go; 0 turns the slice off.
     */
    public PushFairness(final int maxHighBeforeLow, final long timeSliceNs)
    {
        this.maxHighBeforeLow = maxHighBeforeLow;
        this.timeSliceNs = timeSliceNs;
    }

    /**
     * Whether a waiting low frame is due before the next high one.
     *
     * @param nowNs the loop's current time.
     * @return true if low gets the next turn.
     */
    public boolean lowDue(final long nowNs)
    {
        return highRun > 0 &&
            ((maxHighBeforeLow > 0 && highRun >= maxHighBeforeLow) ||
            (timeSliceNs > 0 && nowNs - runStartNs >= timeSliceNs));
    }

    /**
     * Records a high frame sent.
     *
     * @param nowNs the loop's current time.
     */
    public void onHigh(final long nowNs)
    {
        if (highRun == 0)
        {
            runStartNs = nowNs;
        }
        highRun++;
    }

    /** Records a low frame sent: the run of high frames is over. */
    public void onLow()
    {
        highRun = 0;
    }

    /** Forgets the state, for a connection slot that serves a new peer. */
    public void reset()
    {
        highRun = 0;
    }
}
