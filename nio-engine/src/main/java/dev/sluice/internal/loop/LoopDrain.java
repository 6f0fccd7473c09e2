package dev.sluice.internal.loop;

import dev.sluice.connection.CloseReason;
import dev.sluice.internal.connection.ConnectionContext;
import dev.sluice.internal.connection.ConnectionTable;
import dev.sluice.internal.connection.LoopConnection;
import dev.sluice.internal.gate.ResponseGate;
import dev.sluice.internal.push.LoopGroups;
import dev.sluice.internal.push.PushLoop;
import dev.sluice.stats.LoopCounters;

/**
 * A shutdown with a deadline, on one loop: the loop keeps running its stages while it stops taking work and hands out
 * what it holds, in three steps, then lets the loop stop.
 * <ol>
 * <li>Stop taking work: the listeners close and no connection reads any more.</li>
 * <li>Deliver pushes and gated responses: until no connection has pushed frames waiting and the gate holds nothing
 * (producers that keep pushing keep this step going until the deadline).</li>
 * <li>Deliver send buffers: every connection closes after its unsent bytes are written, with
 * {@code ENGINE_SHUTDOWN}, as a {@code Connection.close()} does (the no-progress rule still applies).</li>
 * </ol>
 * When the deadline passes first, what is still held is counted ({@code shutdownBytesDropped},
 * {@code shutdownResponsesDropped}, and queued pushes as {@code pushesDiscarded} when their connections close) and
 * the loop stops: its shutdown closes whatever is left.
 * <p>
 * <b>Threading:</b> {@link #request} from any thread; the rest on the loop thread.
 */
final class LoopDrain
{
    private final ConnectionTable table;
    private final ConnectionContext context;
    private final CommandStage commands;
    private final PushLoop push;
    private final LoopGroups groups;
    private final ResponseGate gate;
    private final LoopCounters counters;
    private final ConnectionLifecycle lifecycle;
    private volatile boolean requested;
    private volatile long deadlineNs;
    private int step;
    private boolean done;

    LoopDrain(final ConnectionTable table, final ConnectionContext context, final CommandStage commands,
        final PushLoop push, final LoopGroups groups, final ResponseGate gate, final LoopCounters counters,
        final ConnectionLifecycle lifecycle)
    {
        this.table = table;
        this.context = context;
        this.commands = commands;
        this.push = push;
        this.groups = groups;
        this.gate = gate;
        this.counters = counters;
        this.lifecycle = lifecycle;
    }

    /**
     * Asks the loop to drain (any thread; the caller wakes the loop).
     *
     * @param deadline when to stop draining, on the engine's clock.
     */
    void request(final long deadline)
    {
        deadlineNs = deadline;
        requested = true;
    }

    /** @return true once a drain was asked for. */
    boolean isRequested()
    {
        return requested;
    }

    /**
     * The last step of an iteration while a drain runs.
     *
     * @param nowNs the loop's time.
     * @return the work done: steps taken and connections set closing (the connections it closes are flushed in the
     *     next iteration, which must not park first).
     */
    int doWork(final long nowNs)
    {
        if (!requested || done)
        {
            return 0;
        }
        int work = 0;
        if (step == 0)
        {
            commands.closeListeners();
            context.stopReads();
            forEachActive(false);
            step = 1;
            work++;
        }
        // Low frames held while their connection sheds are on no ready list: hasQueued sees them.
        if (step == 1 && !push.hasReady() && !push.hasQueued() && !groups.hasReady() &&
            (gate == null || gate.isIdle()))
        {
            step = 2;
            work++;
        }
        if (step == 2)
        {
            work += forEachActive(true); // every iteration: a connection handed over meanwhile closes too
            // a response published just before publishing closed may still arrive: it is delivered or counted
            if (table.activeCount() == 0 && (gate == null || gate.isIdle()))
            {
                done = true;
                return work;
            }
        }
        if (nowNs - deadlineNs >= 0)
        {
            giveUp();
        }
        return work;
    }

    /** @return true once the loop may stop: everything was delivered, or the drain gave up. */
    boolean isFinished()
    {
        return done;
    }

    /**
     * The drain ends before everything was delivered (its deadline passed, or the loop is shutting down anyway):
     * counts what is still held, once. Does nothing if no drain was asked for or it completed.
     */
    void giveUp()
    {
        if (!requested || done)
        {
            return;
        }
        done = true;
        long unsent = 0;
        for (int i = 0; i < table.activeCount(); i++)
        {
            unsent += table.active(i).unsentBytes();
        }
        counters.shutdownBytesDropped.getAndAddRelease(unsent);
        if (gate != null)
        {
            counters.shutdownResponsesDropped.getAndAddRelease(gate.discardHeld());
        }
    }

    /**
     * Stops every connection's reads, or closes every one after its unsent bytes.
     *
     * @return connections that were open and are now closing or closed.
     */
    private int forEachActive(final boolean close)
    {
        int closed = 0;
        for (int i = table.activeCount() - 1; i >= 0; i--)
        {
            if (i >= table.activeCount())
            {
                continue; // an onClose closed others too: the table shrank by more than this one
            }
            final LoopConnection c = table.active(i);
            if (close && c.isOpen())
            {
                lifecycle.closeAfterFlush(c, CloseReason.ENGINE_SHUTDOWN); // may close it within the call
                closed++;
            }
            else if (close)
            {
                lifecycle.closeAfterFlush(c, CloseReason.ENGINE_SHUTDOWN); // still connecting: closed now
            }
            else
            {
                c.updateInterest();
            }
        }
        return closed;
    }
}
