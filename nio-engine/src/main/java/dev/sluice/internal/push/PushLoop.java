package dev.sluice.internal.push;

import dev.sluice.buffers.DirectChunkPool;
import dev.sluice.codec.FrameCodec;
import dev.sluice.internal.log.RateLimitedLog;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushHandle;
import dev.sluice.stats.LoopCounters;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.MpscArrayQueue;

/**
 * The push path of one event loop: one {@link PushTarget} per connection slot, each with a high and a low queue of
 * its own that producers write frames into in place, and the ready list of targets with frames waiting.
 * <p>
 * Producers ({@link PushHandle}, {@link PushOffers}) claim, write and commit a frame in the connection's queue for its
 * priority, and put the target on the ready list only if it is not there yet (a CAS on its {@code scheduled} flag),
 * waking the loop only then. The loop drains in two stages of its iteration: {@link #drainHigh} early (high frames,
 * with the fairness counter letting a waiting low frame through), {@link #drainLow} after reads (low frames of
 * connections whose high queue is empty). A connection sends at most {@code batchPerConnection} pushed frames per
 * iteration, and at most one queue's worth of bytes of each priority (records with their headers); what is left waits
 * for the next one. The byte bound is what lets the configuration check promise that a producer skipping backed-up
 * connections never gets one dropped by the send cap: whatever producers do meanwhile, the iteration in which a
 * connection's writes turn partial adds at most one high queue of frames, and its queue then holds at most one more.
 * <p>
 * <b>Threading:</b> {@link PushOffers} and {@link PushOutcomes} run on producer threads; everything else on the
 * loop thread.
 */
public final class PushLoop
{
    private final PushConfig config;
    private final FrameCodec codec;
    private final NanoClock clock;
    private final PushSink sink;
    private final LoopCounters counters;
    private final ConcurrentSessionRegistry sessions;
    /** The queues' memory: never freed by the loop, since a producer may still be writing into it at shutdown. */
    private final DirectChunkPool highMemory;
    private final DirectChunkPool lowMemory;
    private final PushTarget[] targets;
    private final MpscArrayQueue<PushTarget> ready;
    private final PushTarget[] lowList;
    private final PushTarget[] againList;
    private final PushOffers offers;
    private final PushOutcomes outcomes;
    private int lowCount;
    private int againCount;
    private final QueueReader reader;
    private final StatsTable stats;

    /**
     * Creates the push path of a loop, with every connection slot's queues.
     *
     * @param config      push settings.
     * @param codec       the engine's codec (batches are written in wire format by producers).
     * @param connections connection slots of the loop.
     * @param maxPayload  largest payload the codec and send cap allow.
     * @param clock       the engine's clock.
     * @param waker       wakes the loop if it is parked (called by producers, at most once per ready-list entry).
     * @param sink        the loop's send path.
     * @param counters    the loop's counters.
     * @param sessions    the engine's session registry.
     * @param log         the engine's rate-limited log (warn-and-drop pushes).
     */
    public PushLoop(
        final PushConfig config, final FrameCodec codec, final int connections, final int maxPayload,
        final NanoClock clock,
        final Runnable waker, final PushSink sink, final LoopCounters counters,
        final ConcurrentSessionRegistry sessions, final RateLimitedLog log)
    {
        this.config = config;
        this.codec = codec;
        this.clock = clock;
        this.sink = sink;
        this.counters = counters;
        this.sessions = sessions;
        this.highMemory =
            new DirectChunkPool(config.highQueueBytes() + RingBufferDescriptor.TRAILER_LENGTH, connections);
        this.lowMemory = new DirectChunkPool(config.lowQueueBytes() + RingBufferDescriptor.TRAILER_LENGTH, connections);
        this.targets = new PushTarget[connections];
        for (int i = 0; i < connections; i++)
        {
            final TokenBucket bucket = config.ratePerSecond() > 0 ?
                new TokenBucket(config.ratePerSecond(), config.burst(), clock) : null;
            targets[i] = new PushTarget(i, config, bucket, highMemory.buffer(highMemory.acquire()),
                lowMemory.buffer(lowMemory.acquire()));
        }
        this.ready = new MpscArrayQueue<>(Math.max(2, connections));
        this.lowList = new PushTarget[connections];
        this.againList = new PushTarget[connections];
        this.offers = new PushOffers(ready, waker, Math.min(config.maxPushPayload(), maxPayload));
        this.outcomes = new PushOutcomes(counters, log, clock);
        this.stats = new StatsTable(connections, clock);
        this.reader = new QueueReader(sink, counters, stats);
    }

    /**
     * A connection opened on a slot (loop thread).
     *
     * @param slot         the connection slot.
     * @param connectionId the new connection's id.
     * @return the connection's push handle.
     */
    public TargetPushHandle open(final int slot, final long connectionId)
    {
        final PushTarget target = targets[slot];
        // Frames offered after the previous occupant closed (one still being written is told apart by its type id).
        reader.clearForNewOccupant(target);
        if (target.lastView != null)
        {
            target.lastView.freeze(); // the previous occupant's figures stay as they are now, discards included
        }
        target.fairness.reset();
        if (target.bucket != null)
        {
            target.bucket.reset();
        }
        stats.open(slot, connectionId);
        final TargetPushHandle handle =
            new TargetPushHandle(this, target, connectionId, stats.view(slot, connectionId));
        target.lastTypeId = handle.typeId();
        target.lastView = handle.statsView();
        target.handle = handle;
        target.backedUp = false;
        target.shedding = false;
        target.connectionId = connectionId;
        return handle;
    }

    /**
     * A connection on a slot closed (loop thread): its queued frames are discarded and its session entry is removed.
     * If the close happens while the loop is delivering this very connection's frames (its send path dropped it as a
     * slow consumer), the discard waits until that read is over: a queue is read by one reader at a time.
     *
     * @param slot the connection slot.
     */
    public void close(final int slot)
    {
        final PushTarget target = targets[slot];
        target.connectionId = 0; // first: from here on pushes and registrations see the handle closed
        target.backedUp = false;
        target.shedding = false;
        if (!reader.isReading(target))
        {
            reader.discard(target);
        }
        else
        {
            reader.endRun(); // closed from its own read: what it appended is counted before onClose looks
        }
        stats.closed(slot); // also at the end of a close that delivered first: its figures moved meanwhile
        final TargetPushHandle handle = target.handle;
        if (handle != null)
        {
            handle.statsView().markClosed();
            target.handle = null;
            sessions.removeClosed(handle);
        }
    }

    /**
     * The connection on a slot became backed up (a write was partial) or drained again (loop thread, on the change
     * only): producers read it through {@link PushHandle#isBackedUp()}.
     *
     * @param slot the connection slot.
     * @param on   true when backed up.
     */
    public void backedUp(final int slot, final boolean on)
    {
        targets[slot].backedUp = on;
    }

    /**
     * The connection on a slot passed the shed share of its send cap, or fell back below it (loop thread, on the
     * change only). Meanwhile producers' low-priority pushes are refused with {@code SHED}, and low frames already
     * queued stay in the connection's own low queue: low-priority traffic alone can never take a connection to its
     * cap, and what it holds is the connection's own queue, nobody else's.
     *
     * @param slot the connection slot.
     * @param on   true while its unsent bytes are above the share.
     */
    public void shedding(final int slot, final boolean on)
    {
        final PushTarget target = targets[slot];
        target.shedding = on;
        if (!on && target.connectionId != 0 && !PushTarget.isEmpty(target.low))
        {
            schedule(target); // low frames held while shedding may go again
        }
    }

    /**
     * Stage "high-priority pushes": drains every ready connection's high queue (letting a waiting low frame through
     * when the fairness counter says so), up to the batch limit.
     *
     * @param nowNs the loop's current time.
     * @return frames handled.
     */
    public int drainHigh(final long nowNs)
    {
        int work = 0;
        // Each target at most once per pass: producers that keep pushing re-schedule for the next iteration.
        for (int n = ready.size(); n > 0; n--)
        {
            final PushTarget target = ready.poll();
            if (target == null)
            {
                break;
            }
            target.svUnscheduled(); // before reading the queues: a later claim re-schedules the target
            final long id = target.connectionId;
            if (id == 0)
            {
                work += reader.discard(target);
                continue;
            }
            int budget = config.batchPerConnection();
            int highBytesLeft = config.highQueueBytes(); // per iteration: see the class comment
            target.lowBytesLeft = config.lowQueueBytes();
            while (budget > 0 && target.connectionId == id)
            {
                final boolean lowWaits = !target.shedding && !PushTarget.isEmpty(target.low);
                final int low = lowWaits && target.fairness.lowDue(nowNs) ?
                    reader.deliver(target, false, id, 1, target.lowBytesLeft) : 0;
                if (low > 0)
                {
                    target.lowBytesLeft -= reader.bytesRead();
                    target.fairness.onLow();
                    budget -= low;
                    work += low;
                    continue;
                }
                // High frames in one read, up to the count the fairness counter allows while a low frame waits.
                final int run = lowWaits ? target.fairness.highsBeforeLowDue(budget) : budget;
                final int sent = reader.deliver(target, true, id, run, highBytesLeft);
                if (sent == 0)
                {
                    break;
                }
                highBytesLeft -= reader.bytesRead();
                target.fairness.onHighs(sent, nowNs);
                budget -= sent;
                work += sent;
            }
            listForLater(target);
        }
        return work;
    }

    /**
     * Stage "low-priority pushes": drains the low queues of connections whose high queue is empty, up to the batch
     * limit, then puts connections with frames still waiting back on the ready list for the next iteration.
     *
     * @return frames handled, plus one per connection left for the next iteration.
     */
    public int drainLow()
    {
        int work = 0;
        for (int i = 0; i < lowCount; i++)
        {
            final PushTarget target = lowList[i];
            lowList[i] = null;
            target.onLowList = false;
            final long id = target.connectionId;
            if (id == 0 || !PushTarget.isEmpty(target.high) || target.shedding)
            {
                // closed: discard; strict priority: low waits while high has frames; shedding: low waits until the
                // peer's unsent bytes fall back below the share (shedding(slot, false) schedules it again)
                listForLater(target);
                continue;
            }
            // stops if shedding begins
            final int sent = reader.deliver(target, false, id, config.batchPerConnection(), target.lowBytesLeft);
            if (sent > 0)
            {
                target.lowBytesLeft -= reader.bytesRead();
                target.fairness.onLow();
                work += sent;
            }
            if (!PushTarget.isEmpty(target.low) && !target.onAgainList && !target.shedding &&
                target.connectionId == id)
            {
                target.onAgainList = true;
                againList[againCount++] = target;
            }
            else if (target.connectionId != id)
            {
                reader.discard(target); // dropped while its frames were being delivered
            }
        }
        lowCount = 0;
        for (int i = 0; i < againCount; i++)
        {
            final PushTarget target = againList[i];
            againList[i] = null;
            target.onAgainList = false;
            schedule(target);
            work++;
        }
        againCount = 0;
        return work;
    }

    private void listForLater(final PushTarget target)
    {
        if (target.connectionId == 0)
        {
            reader.discard(target);
        }
        else if (!PushTarget.isEmpty(target.high))
        {
            if (!target.onAgainList)
            {
                target.onAgainList = true;
                againList[againCount++] = target;
            }
        }
        else if (!PushTarget.isEmpty(target.low) && !target.onLowList && !target.shedding)
        {
            target.onLowList = true;
            lowList[lowCount++] = target;
        }
    }

    private void schedule(final PushTarget target)
    {
        if (target.casScheduled())
        {
            ready.offer(target); // cannot fail: a target is on the ready list at most once
        }
    }

    /** @return how a push's result is settled and counted (producer threads). */
    PushOutcomes outcomes()
    {
        return outcomes;
    }

    /** @return every connection slot's figures ({@code ConnectionStats}). */
    public StatsTable stats()
    {
        return stats;
    }

    PushConfig config()
    {
        return config;
    }

    FrameCodec codec()
    {
        return codec;
    }

    PushOffers offers()
    {
        return offers;
    }

    NanoClock clock()
    {
        return clock;
    }

    /**
     * A shutdown's drain: whether any open connection still has pushed frames queued, also those on no ready list
     * (low frames held while it sheds). A scan of every slot: not for the hot path.
     *
     * @return true if frames wait in an open connection's queues.
     */
    public boolean hasQueued()
    {
        for (final PushTarget target : targets)
        {
            if (target.connectionId != 0 && (!PushTarget.isEmpty(target.high) || !PushTarget.isEmpty(target.low)))
            {
                return true;
            }
        }
        return false;
    }

    /** @return true if a connection with pushed frames is on the ready list (the loop must not block). */
    public boolean hasReady()
    {
        return !ready.isEmpty();
    }

}
