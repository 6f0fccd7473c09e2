package dev.sluice.internal.push;

import dev.sluice.buffers.DirectChunkPool;
import dev.sluice.internal.log.RateLimitedLog;
import dev.sluice.push.Priority;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushPolicy;
import dev.sluice.push.PushResult;
import dev.sluice.stats.LoopCounters;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
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
 * iteration; what is left waits for the next one.
 * <p>
 * <b>Threading:</b> {@link #tryPush} runs on producer threads (it is {@link PushOffers}'s); everything else on the
 * loop thread.
 */
public final class PushLoop implements ControlledMessageHandler
{
    /** Where the loop puts a pushed frame: the connection's send path. */
    public interface Sink
    {
        /**
         * Appends one frame to a connection's send buffer.
         *
         * @param connectionSlot the connection's slot.
         * @param buffer         where the payload is.
         * @param offset         its offset.
         * @param length         its length.
         * @return false if the connection is closed or was just closed (e.g. as a slow consumer).
         */
        boolean append(int connectionSlot, DirectBuffer buffer, int offset, int length);
    }

    private final PushConfig config;
    private final NanoClock clock;
    private final Sink sink;
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
    /** What {@link #onMessage} delivers to: set before each read of a queue (loop thread). */
    private PushTarget reading;
    private int readingTypeId;
    private boolean readingHigh;
    private boolean discarding;
    /** Frames handled by the reads since it was last cleared: a record may be a batch of several. */
    private int framesRead;
    /** A read stops after the record that brings {@link #framesRead} to this. */
    private int frameLimit = Integer.MAX_VALUE;

    /**
     * Creates the push path of a loop, with every connection slot's queues.
     *
     * @param config      push settings.
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
        final PushConfig config, final int connections, final int maxPayload, final NanoClock clock,
        final Runnable waker, final Sink sink, final LoopCounters counters, final ConcurrentSessionRegistry sessions,
        final RateLimitedLog log)
    {
        this.config = config;
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
        discard(target); // frames offered after the previous occupant closed; one still being written is told apart
        target.fairness.reset(); // later by its type id
        if (target.bucket != null)
        {
            target.bucket.reset();
        }
        final TargetPushHandle handle = new TargetPushHandle(this, target, connectionId);
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
        if (target != reading)
        {
            discard(target);
        }
        final TargetPushHandle handle = target.handle;
        if (handle != null)
        {
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
                work += discard(target);
                continue;
            }
            int budget = config.batchPerConnection();
            while (budget > 0 && target.connectionId == id)
            {
                final boolean lowWaits = !target.shedding && !PushTarget.isEmpty(target.low);
                final int low = lowWaits && target.fairness.lowDue(nowNs) ? deliver(target, false, id, 1) : 0;
                if (low > 0)
                {
                    target.fairness.onLow();
                    budget -= low;
                    work += low;
                    continue;
                }
                // High frames in one read, up to the count the fairness counter allows while a low frame waits.
                final int run = lowWaits ? target.fairness.highsBeforeLowDue(budget) : budget;
                final int sent = deliver(target, true, id, run);
                if (sent == 0)
                {
                    break;
                }
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
            final int sent = deliver(target, false, id, config.batchPerConnection()); // stops if shedding begins
            if (sent > 0)
            {
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
                discard(target); // dropped while its frames were being delivered
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

    /**
     * Delivers up to {@code limit} frames from a queue in one read, through {@link #onMessage}: the queue's head
     * moves once per read, not per frame. A read ends at the end of the queue's memory (a padding record there is
     * passed over), hence a second read when the first fell short and frames remain.
     *
     * @param limit frames to read at most, counting each frame of a batch; a batch is read whole, so the last one
     *              read may take the count past the limit.
     * @return frames read (sent or discarded); 0 if the queue held no committed frame, or a low read stopped because
     *     the connection began to shed.
     */
    private int deliver(final PushTarget target, final boolean high, final long id, final int limit)
    {
        final ManyToOneRingBuffer queue = high ? target.high : target.low;
        reading = target;
        readingTypeId = PushOffers.typeId(id);
        readingHigh = high;
        framesRead = 0;
        frameLimit = limit;
        try
        {
            queue.controlledRead(this, limit);
            if (framesRead < limit && !PushTarget.isEmpty(queue) && (high || !target.shedding))
            {
                queue.controlledRead(this, limit - framesRead);
            }
            return framesRead;
        }
        finally
        {
            reading = null;
            frameLimit = Integer.MAX_VALUE;
        }
    }

    /**
     * One frame read from a queue (loop thread): sent through the connection's send path, or discarded if the
     * connection closed or the frame was pushed to the slot's previous occupant. A low frame of a connection that
     * began to shed during this read stays in the queue.
     */
    @Override
    public Action onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (!discarding && !readingHigh && reading.shedding)
        {
            return Action.ABORT;
        }
        final boolean current = !discarding && (msgTypeId & ~PushOffers.BATCH) == readingTypeId;
        if ((msgTypeId & PushOffers.BATCH) == 0)
        {
            frame(current, buffer, index, length);
            return framesRead < frameLimit ? Action.CONTINUE : Action.BREAK;
        }
        // A batch: [length + 1][payload] after one another, up to the first zero (the unused rest of the record).
        final int end = index + length;
        int at = index;
        while (end - at >= Integer.BYTES)
        {
            final int size = buffer.getInt(at) - 1;
            if (size < 0 || size > end - at - Integer.BYTES)
            {
                break;
            }
            frame(current, buffer, at + Integer.BYTES, size);
            at += Integer.BYTES + size;
        }
        return framesRead < frameLimit ? Action.CONTINUE : Action.BREAK;
    }

    private void frame(final boolean current, final DirectBuffer buffer, final int index, final int length)
    {
        framesRead++;
        if (current && sink.append(reading.slot, buffer, index, length))
        {
            (readingHigh ? counters.pushesSentHigh : counters.pushesSentLow).incrementRelease();
        }
        else
        {
            counters.pushesDiscarded.incrementRelease();
        }
    }

    private void listForLater(final PushTarget target)
    {
        if (target.connectionId == 0)
        {
            discard(target);
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

    /** Reads and counts as discarded every committed frame of both queues. */
    private int discard(final PushTarget target)
    {
        reading = target;
        discarding = true;
        framesRead = 0;
        try
        {
            readAll(target.high);
            readAll(target.low);
            return framesRead;
        }
        finally
        {
            discarding = false;
            reading = null;
        }
    }

    /** Reads until a read makes no progress: the queue is empty, or the next frame is still being written. */
    private void readAll(final ManyToOneRingBuffer queue)
    {
        long head;
        do
        {
            head = queue.consumerPosition();
            queue.controlledRead(this, Integer.MAX_VALUE);
        }
        while (queue.consumerPosition() != head);
    }

    private void schedule(final PushTarget target)
    {
        if (target.casScheduled())
        {
            ready.offer(target); // cannot fail: a target is on the ready list at most once
        }
    }

    /** Producer side of a push, without counting: see {@link #settle}. */
    PushResult tryPush(
        final PushTarget target, final long connectionId, final DirectBuffer src, final int offset, final int length,
        final Priority priority)
    {
        return offers.tryPush(target, connectionId, src, offset, length, priority);
    }

    PushResult settle(final PushResult result, final PushPolicy policy)
    {
        return outcomes.settle(result, policy);
    }

    PushConfig config()
    {
        return config;
    }

    PushOffers offers()
    {
        return offers;
    }

    NanoClock clock()
    {
        return clock;
    }

    /** @return true if a connection with pushed frames is on the ready list (the loop must not block). */
    public boolean hasReady()
    {
        return !ready.isEmpty();
    }

}
