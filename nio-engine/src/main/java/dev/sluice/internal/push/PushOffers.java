package dev.sluice.internal.push;

import java.lang.invoke.VarHandle;

import dev.sluice.buffers.FrameSlotPool;
import dev.sluice.push.Priority;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jctools.queues.MpscArrayQueue;

/**
 * The producer side of one loop's push path: what a {@link PushHandle} does on the pushing thread. The loop side,
 * which drains what is offered here, is {@link PushLoop}.
 * <p>
 * <b>Threading:</b> any number of producer threads at once; the fields are final and shared with the loop, which
 * polls the queues and the ready list and releases the slots.
 */
final class PushOffers
{
    private final FrameSlotPool pool;
    private final UnsafeBuffer poolBuffer;
    private final PushFrame[] frames;
    private final MpscArrayQueue<PushTarget> ready;
    private final Runnable waker;
    private final int maxPayload;

    PushOffers(final FrameSlotPool pool, final PushFrame[] frames, final MpscArrayQueue<PushTarget> ready,
        final Runnable waker, final int maxPayload)
    {
        this.pool = pool;
        this.poolBuffer = pool.buffer();
        this.frames = frames;
        this.ready = ready;
        this.waker = waker;
        this.maxPayload = maxPayload;
    }

    /**
     * Copies a frame into a slot and offers it to the target's queue for that priority; schedules the target and
     * wakes the loop when it was not scheduled yet. Nothing is counted here (see {@code PushOutcomes}).
     *
     * @return the raw result, before any policy.
     */
    PushResult tryPush(
        final PushTarget target, final long connectionId, final DirectBuffer src, final int offset, final int length,
        final Priority priority)
    {
        if (length < 0 || length > maxPayload)
        {
            return PushResult.FRAME_TOO_LARGE;
        }
        if (target.connectionId != connectionId)
        {
            return PushResult.CLOSED;
        }
        final boolean high = priority == Priority.HIGH;
        if (!high && target.shedding)
        {
            return PushResult.SHED;
        }
        final MpscArrayQueue<PushFrame> queue = high ? target.high : target.low;
        // A size() check before taking a slot reads the consumer index, a line the loop writes on every poll: a
        // cache miss per push. So it is made only where it pays: with a rate limit (no token may be spent on a full
        // queue), and after this queue was last found full (so a producer pushing into a full queue does not take,
        // fill and give back a slot each time). Otherwise offer() below refuses a full queue from its cached limit.
        final boolean wasFull = high ? target.highFull : target.lowFull;
        if ((wasFull || target.bucket != null) && queue.size() >= queue.capacity())
        {
            return PushResult.QUEUE_FULL;
        }
        final int slot = pool.acquire();
        if (slot < 0)
        {
            return PushResult.QUEUE_FULL;
        }
        if (target.bucket != null && !target.bucket.tryAcquire()) // last check: no token is spent on a full queue
        {
            pool.release(slot);
            return PushResult.RATE_LIMITED;
        }
        poolBuffer.putBytes(pool.offset(slot), src, offset, length);
        final PushFrame frame = frames[slot];
        frame.length = length;
        frame.connectionId = connectionId;
        if (!queue.offer(frame))
        {
            pool.release(slot);
            if (target.bucket != null)
            {
                target.bucket.refund(); // another producer filled the queue after the size check: no token is lost
            }
            target.fullHint(high, true);
            return PushResult.QUEUE_FULL;
        }
        if (wasFull)
        {
            target.fullHint(high, false);
        }
        // Read before the CAS: a CAS that fails still takes the line exclusively, and in a burst to one connection
        // the target is already scheduled for every push but the first. offer() ends with a release store of the
        // element, which a plain volatile read may overtake (store-load); the fence keeps "offer, then look at
        // scheduled" against the loop's "clear scheduled, then poll", so no frame is left unscheduled.
        VarHandle.fullFence();
        if (!target.lvScheduled() && target.casScheduled())
        {
            ready.offer(target);
            waker.run();
        }
        return PushResult.ACCEPTED;
    }
}
