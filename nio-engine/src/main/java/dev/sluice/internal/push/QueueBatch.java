package dev.sluice.internal.push;

import dev.sluice.push.Priority;
import dev.sluice.push.PushBatch;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushPolicy;
import dev.sluice.push.PushResult;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

/**
 * The engine's {@link PushBatch}: one record claimed in the connection's queue, its type id the connection's open
 * sequence with {@link PushOffers#BATCH} set, holding frames as {@code [length + 1 (int)][payload]} one after the
 * other; the unused rest of the record is still zero, which ends the list (hence the + 1: an empty frame is 1). The
 * loop splits the record into frames ({@link QueueReader}).
 * <p>
 * <b>Threading:</b> one producer thread at a time; the record is the producer's until {@link #commit()}.
 */
public final class QueueBatch implements PushBatch
{
    private static final int FRAME_HEADER = 4;

    private TargetPushHandle handle;
    private PushTarget target;
    private ManyToOneRingBuffer queue;
    private MutableDirectBuffer buffer;
    private int index = -1;
    private int position;
    private int end;
    private int frames;

    @Override
    public PushResult begin(final PushHandle pushHandle, final Priority priority, final int maxBytes)
    {
        if (index >= 0)
        {
            throw new IllegalStateException("this batch is open: commit or abort it first");
        }
        if (!(pushHandle instanceof TargetPushHandle))
        {
            throw new IllegalArgumentException("not a handle of this engine: " + pushHandle);
        }
        final TargetPushHandle h = (TargetPushHandle)pushHandle;
        final PushTarget t = h.target();
        final ManyToOneRingBuffer q = priority == Priority.HIGH ? t.high : t.low;
        final PushResult result;
        if (maxBytes < FRAME_HEADER)
        {
            throw new IllegalArgumentException("a batch needs room for a frame's 4-byte length at least: " + maxBytes);
        }
        if (maxBytes > q.maxMsgLength())
        {
            result = PushResult.FRAME_TOO_LARGE;
        }
        else if (t.connectionId != h.connectionId())
        {
            result = PushResult.CLOSED;
        }
        else if (priority == Priority.LOW && t.shedding)
        {
            result = PushResult.SHED;
        }
        else
        {
            final int claimed = q.tryClaim(h.typeId() | PushOffers.BATCH, maxBytes);
            if (claimed < 0)
            {
                result = PushResult.QUEUE_FULL;
            }
            else
            {
                handle = h;
                target = t;
                queue = q;
                buffer = q.buffer();
                index = claimed;
                position = claimed;
                end = claimed + maxBytes;
                frames = 0;
                return PushResult.ACCEPTED;
            }
        }
        return h.loop().settle(h.statsView(), result, PushPolicy.ERROR_IF_FULL);
    }

    @Override
    public PushResult add(final DirectBuffer src, final int offset, final int length)
    {
        if (index < 0)
        {
            throw new IllegalStateException("no batch is open: begin one first");
        }
        if (length < 0 || length > handle.loop().offers().maxPayload())
        {
            return handle.loop().settle(handle.statsView(), PushResult.FRAME_TOO_LARGE,
                PushPolicy.ERROR_IF_FULL);
        }
        if (end - position < FRAME_HEADER + length)
        {
            return PushResult.QUEUE_FULL; // the batch's room, not the connection's queue: not counted
        }
        if (target.bucket != null && !target.bucket.tryAcquire())
        {
            return handle.loop().settle(handle.statsView(), PushResult.RATE_LIMITED,
                PushPolicy.ERROR_IF_FULL);
        }
        buffer.putInt(position, length + 1);
        buffer.putBytes(position + FRAME_HEADER, src, offset, length);
        position += FRAME_HEADER + length;
        frames++;
        return PushResult.ACCEPTED;
    }

    @Override
    public int frames()
    {
        return index < 0 ? 0 : frames;
    }

    @Override
    public void commit()
    {
        if (index < 0)
        {
            return;
        }
        if (frames == 0)
        {
            abort();
            return;
        }
        final PushTarget committed = target;
        final PushOffers offers = handle.loop().offers();
        try
        {
            queue.commit(index);
        }
        catch (final IllegalStateException ex)
        {
            clear(); // its connection closed and the slot reopened meanwhile: the claim was cleared, nothing is sent
            return;
        }
        clear();
        offers.schedule(committed);
    }

    @Override
    public void abort()
    {
        if (index >= 0)
        {
            try
            {
                queue.abort(index);
            }
            catch (final IllegalStateException ex)
            {
                // cleared already: the slot was reopened meanwhile
            }
            clear();
        }
    }

    @Override
    public void close()
    {
        abort();
    }

    private void clear()
    {
        index = -1;
        handle = null;
        target = null;
        queue = null;
        buffer = null;
        frames = 0;
    }
}
