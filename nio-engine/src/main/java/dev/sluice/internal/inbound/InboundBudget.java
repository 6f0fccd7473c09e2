package dev.sluice.internal.inbound;

import java.util.concurrent.atomic.AtomicLongArray;

import dev.sluice.config.EngineConfig;
import dev.sluice.internal.connection.LoopConnection;

/**
 * The inbound memory budgets of one loop: bytes per message, bytes buffered per connection (received and not yet
 * taken by the application), bytes buffered across the engine ("in flight"). Unset budgets (0) change nothing.
 * <ul>
 * <li>Reads are sized so no budget is passed: at most the receive buffer's free space, what is left of the
 * connection's budget, and what is left of the engine's.</li>
 * <li>Hard caps: a message larger than its budget, or a connection holding its whole budget without a complete
 * message, is rejected: closed with {@code BUDGET_EXCEEDED}, its memory freed at once.</li>
 * <li>Soft limit: at three quarters of the smallest active cap the connection stops reading until the next timer
 * tick, then reads again. Three quarters leaves a quarter of the budget to finish the message being assembled, and
 * the pause is bounded, so a connection is paced, never stopped: a message that fits its budget always completes.
 * The engine-wide budget is only ever enforced this way (a connection is not rejected for what others hold), and
 * only against new messages: a connection in the middle of a frame may read what that frame can still need, so the
 * engine total can pass the budget by at most one frame per such connection, and nothing stalls.</li>
 * </ul>
 * Loops size their reads from a snapshot of the others' totals, so concurrent loops may together pass the engine
 * budget by a read each. Each loop publishes its buffered total in one slot of a shared array (a release store per
 * read); a read sums the slots (plain volatile reads: no shared line is written by two loops).
 * <p>
 * <b>Threading:</b> the loop thread; {@link #inFlight} slots are read by every loop.
 */
final class InboundBudget
{
    private final int loop;
    private final long perMessage;
    private final long perConnection;
    private final long inFlightBudget;
    private final AtomicLongArray inFlight;
    private final long connectionSoftLimit;
    private final long inFlightSoftLimit;
    private final int largestFrame;
    private final int[] accounted;
    private long buffered;

    InboundBudget(final int loop, final int capacity, final EngineConfig config, final AtomicLongArray inFlight)
    {
        this.accounted = new int[capacity];
        this.loop = loop;
        this.perMessage = config.bytesPerMessage();
        this.perConnection = config.bytesPerConnection();
        this.inFlightBudget = config.bytesInFlight();
        this.inFlight = inFlight;
        this.connectionSoftLimit = perConnection - perConnection / 4;
        this.inFlightSoftLimit = inFlightBudget - inFlightBudget / 4;
        this.largestFrame = config.codec().headerLength() + config.codec().maxFrameLength();
    }

    boolean active()
    {
        return perMessage > 0 || perConnection > 0 || inFlightBudget > 0;
    }

    /** @return bytes the connection may read now; 0 if a budget is full. */
    int readLimit(final LoopConnection c, final int freeSpace)
    {
        long limit = freeSpace;
        if (perConnection > 0)
        {
            limit = Math.min(limit, perConnection - c.bufferedBytes());
        }
        if (inFlightBudget > 0)
        {
            final int held = c.receiveBuffer().buffered();
            // A connection in the middle of a frame may always read what that frame can still need, so a message
            // that fits its budgets completes however full the engine is; new messages wait for room.
            final long room = held > 0 ? Math.max(inFlightBudget - total(), largestFrame - held) :
                inFlightBudget - total();
            limit = Math.min(limit, room);
        }
        return (int)Math.max(0, limit);
    }

    /** @return true if the connection holds its whole budget without a complete message: it must be rejected. */
    boolean connectionFull(final LoopConnection c)
    {
        return perConnection > 0 && c.bufferedBytes() >= perConnection;
    }

    boolean messageTooLarge(final int length)
    {
        return perMessage > 0 && length > perMessage;
    }

    /** @return true if the connection should stop reading until the next tick (the soft limit). */
    boolean overSoftLimit(final LoopConnection c)
    {
        return (perConnection > 0 && c.bufferedBytes() >= connectionSoftLimit) ||
            (inFlightBudget > 0 && c.receiveBuffer().buffered() == 0 && total() >= inFlightSoftLimit);
    }

    /** Brings the loop's total up to date with what the connection holds now. */
    void account(final LoopConnection c)
    {
        final int now = c.bufferedBytes();
        change(now - accounted[c.slot()]);
        accounted[c.slot()] = now;
    }

    /** A connection closed: what it held is no longer buffered. */
    void release(final LoopConnection c)
    {
        change(-accounted[c.slot()]);
        accounted[c.slot()] = 0;
    }

    private void change(final long delta)
    {
        if (delta != 0)
        {
            buffered += delta;
            inFlight.lazySet(loop, buffered);
        }
    }

    private long total()
    {
        long sum = 0;
        for (int i = 0; i < inFlight.length(); i++)
        {
            sum += inFlight.get(i);
        }
        return sum;
    }
}
