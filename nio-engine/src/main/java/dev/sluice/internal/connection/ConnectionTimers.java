package dev.sluice.internal.connection;

import java.util.Arrays;

/**
 * A hashed timer wheel with one timer per connection slot: when the connection's rules (no progress, idle timeout,
 * periodic heartbeat, idle keep-alive) must next be looked at. A tick costs the timers that come due, plus one look at
 * each timer whose deadline lies more than a turn of the wheel ahead, once per turn; never the connection count.
 * <p>
 * Rules re-arm lazily: a read or an append only moves a field forward (the last receive or append time), and when the
 * timer fires early the connection is looked at, found not yet due, and armed again for its real deadline. Only an
 * event that brings a deadline <em>earlier</em> (a connection becoming backed up) arms the timer at once, and only if
 * it is earlier than the one set. Timers live in arrays indexed by slot, linked into per-tick lists: arming, moving
 * and cancelling allocate nothing and cost O(1).
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
public final class ConnectionTimers
{
    /** What the timer stage does with a connection whose timer came due. */
    @FunctionalInterface
    public interface Handler
    {
        /**
         * @param slot  the connection's slot.
         * @param nowNs the loop's time.
         * @return when to look at the connection next, or {@link #NONE}.
         */
        long onDue(int slot, long nowNs);
    }

    /** No timer: nothing to look at. */
    public static final long NONE = Long.MAX_VALUE;

    private static final int UNLINKED = -1;
    /** Re-armed while its spoke is being run, for a whole turn later: linked once the spoke is done. */
    private static final int DEFERRED = -2;

    private final long tickNs;
    private final long originNs;
    private final int mask;
    private final int[] heads;
    private final int[] next;
    private final int[] prev;
    private final int[] spokeOf;
    private final long[] deadlineNs;
    private final int[] deferred;
    private long cursorTick;
    private long examined;

    /**
     * @param slots   connection slots of the loop.
     * @param spokes  ticks in one turn of the wheel (a power of two).
     * @param tickNs  the length of a tick: the timer stage's interval.
     * @param startNs the loop's time now.
     */
    public ConnectionTimers(final int slots, final int spokes, final long tickNs, final long startNs)
    {
        if (Integer.bitCount(spokes) != 1 || tickNs <= 0)
        {
            throw new IllegalArgumentException("spokes must be a power of two and the tick positive");
        }
        this.tickNs = tickNs;
        this.originNs = startNs;
        this.mask = spokes - 1;
        this.heads = new int[spokes];
        this.next = new int[slots];
        this.prev = new int[slots];
        this.spokeOf = new int[slots];
        this.deadlineNs = new long[slots];
        this.deferred = new int[slots];
        Arrays.fill(heads, UNLINKED);
        Arrays.fill(spokeOf, UNLINKED);
        Arrays.fill(deadlineNs, NONE);
        this.cursorTick = tick(startNs);
    }

    /**
     * Arms a slot's timer for {@code atNs}, unless it is armed for an earlier time already.
     *
     * @param slot the connection's slot.
     * @param atNs when to look at it.
     */
    public void armNoLaterThan(final int slot, final long atNs)
    {
        if (spokeOf[slot] == UNLINKED || atNs - deadlineNs[slot] < 0)
        {
            arm(slot, atNs);
        }
    }

    /**
     * Arms a slot's timer for {@code atNs}, replacing any it had; {@link #NONE} cancels it.
     *
     * @param slot the connection's slot.
     * @param atNs when to look at it.
     */
    public void arm(final int slot, final long atNs)
    {
        cancel(slot);
        if (atNs == NONE)
        {
            return;
        }
        deadlineNs[slot] = atNs;
        link(slot, spokeFor(atNs));
    }

    /** @param slot a connection's slot whose timer is cancelled (the connection closed). */
    public void cancel(final int slot)
    {
        final int spoke = spokeOf[slot];
        if (spoke < 0)
        {
            spokeOf[slot] = UNLINKED; // a deferred timer is simply forgotten
            deadlineNs[slot] = NONE;
            return;
        }
        final int before = prev[slot];
        final int after = next[slot];
        if (before == UNLINKED)
        {
            heads[spoke] = after;
        }
        else
        {
            next[before] = after;
        }
        if (after != UNLINKED)
        {
            prev[after] = before;
        }
        spokeOf[slot] = UNLINKED;
        deadlineNs[slot] = NONE;
    }

    /**
     * @param slot a connection's slot.
     * @return when its timer is due, or {@link #NONE}.
     */
    public long deadline(final int slot)
    {
        return deadlineNs[slot];
    }

    /**
     * Runs the ticks since the last poll, up to and including the current one: each timer due by {@code nowNs} goes
     * to the handler, which says when to look next. A timer due later within the current tick moves to the next
     * tick's spoke: timers fire at the first poll at or after their deadline's tick has ended, at most one tick late.
     * After a pause longer than a turn, every spoke is run once. The handler may arm or cancel any timer, including
     * by closing connections.
     *
     * @param nowNs   the loop's time.
     * @param handler what to do with a due connection.
     * @return timers that came due.
     */
    public int poll(final long nowNs, final Handler handler)
    {
        final long nowTick = tick(nowNs);
        if (nowTick - cursorTick < 0)
        {
            return 0;
        }
        long first = Math.max(cursorTick, nowTick - mask); // after a pause longer than a turn: each spoke once
        cursorTick = nowTick + 1; // timers armed from here on for now or earlier go to the next tick's spoke
        int due = 0;
        for (; first <= nowTick; first++)
        {
            due += runSpoke((int)(first & mask), nowNs, handler);
        }
        return due;
    }

    private int runSpoke(final int spoke, final long nowNs, final Handler handler)
    {
        int due = 0;
        int deferredCount = 0;
        int slot;
        while ((slot = heads[spoke]) != UNLINKED)
        {
            examined++;
            final long at = deadlineNs[slot];
            cancel(slot);
            final long nextNs;
            if (at - nowNs <= 0)
            {
                due++;
                nextNs = handler.onDue(slot, nowNs);
            }
            else
            {
                nextNs = at; // later in the current tick (next tick's spoke), or a turn or more ahead
            }
            if (nextNs != NONE && spokeOf[slot] >= 0 && nextNs - deadlineNs[slot] < 0)
            {
                cancel(slot); // the handler armed it (an application timer) later than the rules' next deadline
            }
            if (nextNs != NONE && spokeOf[slot] == UNLINKED)
            {
                if (spokeFor(nextNs) == spoke)
                {
                    deadlineNs[slot] = nextNs; // linking it now would run it again in this loop
                    spokeOf[slot] = DEFERRED;
                    deferred[deferredCount++] = slot;
                }
                else
                {
                    arm(slot, nextNs);
                }
            }
        }
        for (int i = 0; i < deferredCount; i++)
        {
            final int d = deferred[i];
            if (spokeOf[d] == DEFERRED) // not cancelled or re-armed by a handler meanwhile
            {
                link(d, spoke);
            }
        }
        return due;
    }

    /** @return timers looked at by polls so far, due or not: what ticks have cost (for tests and diagnostics). */
    long examined()
    {
        return examined;
    }

    private void link(final int slot, final int spoke)
    {
        final int head = heads[spoke];
        next[slot] = head;
        prev[slot] = UNLINKED;
        if (head != UNLINKED)
        {
            prev[head] = slot;
        }
        heads[spoke] = slot;
        spokeOf[slot] = spoke;
    }

    private int spokeFor(final long atNs)
    {
        return (int)(Math.max(tick(atNs), cursorTick) & mask);
    }

    private long tick(final long timeNs)
    {
        return Math.floorDiv(timeNs - originNs, tickNs);
    }
}
