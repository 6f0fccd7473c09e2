package dev.sluice.internal.push;

import dev.sluice.push.Priority;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.jctools.queues.MpscArrayQueue;

/**
 * The producer side of one loop's push path: what a {@link PushHandle} does on the pushing thread. The loop side,
 * which drains what is offered here, is {@link PushLoop}.
 * <p>
 * A push claims room in the connection's queue for that priority (one CAS on the queue's tail), takes a rate token,
 * copies the payload in place and commits: one atomic instruction per frame on memory shared with the loop, and
 * nothing shared with another connection. Then it puts the connection on the loop's ready list if it is not there yet.
 * <p>
 * <b>No lost wake-up, no extra fence.</b> The producer reads {@code scheduled} after its claim's CAS; the loop clears
 * {@code scheduled} (a volatile write) and only then reads the queue, and after draining it looks at the queue's tail
 * (a volatile read) and schedules the connection again if anything is claimed but not yet read, committed or not.
 * Volatile accesses and the CAS are totally ordered: if the claim comes before the loop's look at the tail, the loop
 * sees it (and reads the frame, or schedules again for a frame still being written); if it comes after, the clear came
 * before it too, so the producer reads {@code scheduled} as false and schedules the connection itself.
 * <p>
 * <b>Threading:</b> any number of producer threads at once; the fields are final and shared with the loop.
 */
final class PushOffers
{
    private final MpscArrayQueue<PushTarget> ready;
    private final Runnable waker;
    private final int maxPayload;

    PushOffers(final MpscArrayQueue<PushTarget> ready, final Runnable waker, final int maxPayload)
    {
        this.ready = ready;
        this.waker = waker;
        this.maxPayload = maxPayload;
    }

    /**
     * The type id a connection's frames carry in its queues: its open sequence, so the loop can tell a frame pushed
     * to the slot's previous occupant (by a producer racing the close) and never deliver it to the next one.
     *
     * @param connectionId a connection id.
     * @return a type id from 1 to {@link #BATCH} - 1.
     */
    static int typeId(final long connectionId)
    {
        return (int)((connectionId >>> 32) % (BATCH - 1)) + 1;
    }

    /**
     * @param payloadLength a record's payload length (a single push's frame, a batch, a group's frame).
     * @return the bytes the record takes in a queue: the payload behind the queue's record header, aligned.
     */
    static int recordBytes(final int payloadLength)
    {
        return BitUtil.align(payloadLength + RecordDescriptor.HEADER_LENGTH, RecordDescriptor.ALIGNMENT);
    }

    /** Set in the type id of a record that holds a batch of frames ({@link QueueBatch}). */
    static final int BATCH = 1 << 30;

    /**
     * Claims, fills and commits one frame in the queue of that priority, then schedules the connection if it was not.
     * Nothing is counted here (see {@code PushOutcomes}).
     *
     * @param typeId the connection's {@link #typeId}, worked out once by its handle (a division, not per push).
     * @return the raw result, before any policy.
     */
    PushResult tryPush(
        final PushTarget target, final long connectionId, final int typeId, final DirectBuffer src, final int offset,
        final int length, final Priority priority)
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
        final ManyToOneRingBuffer queue = high ? target.high : target.low;
        final int index = queue.tryClaim(typeId, length);
        if (index < 0)
        {
            return PushResult.QUEUE_FULL;
        }
        if (target.bucket != null && !target.bucket.tryAcquire()) // after the claim: no token is spent on a full queue
        {
            queue.abort(index);
            return PushResult.RATE_LIMITED;
        }
        queue.buffer().putBytes(index, src, offset, length);
        try
        {
            queue.commit(index);
        }
        catch (final IllegalStateException ex)
        {
            return PushResult.CLOSED; // the slot was reopened meanwhile and the unfinished claim cleared
        }
        schedule(target);
        return PushResult.ACCEPTED;
    }

    /**
     * After a claim's CAS (the ordering argument above): puts the target on the ready list and wakes the loop, unless
     * the target is scheduled already.
     */
    void schedule(final PushTarget target)
    {
        if (!target.lvScheduled() && target.casScheduled())
        {
            ready.offer(target); // cannot fail: a target is on the ready list at most once
            waker.run();
        }
    }

    /** @return the largest frame payload a push may carry. */
    int maxPayload()
    {
        return maxPayload;
    }
}
