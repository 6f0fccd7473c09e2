package dev.sluice.internal.push;

import dev.sluice.codec.FrameCodec;
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
 * sequence with {@link PushOffers#BATCH} set, holding {@code [frames (int)][bytes (int)]} and then the frames as they
 * go on the wire, each behind the header the engine's codec writes (codecs are thread-safe). The loop appends the
 * {@code bytes} to the connection's send buffer with one copy ({@link QueueReader}); the unused rest of the record is
 * passed over.
 * <p>
 * <b>Threading:</b> one producer thread at a time; the record is the producer's until {@link #commit()}.
 */
public final class QueueBatch implements PushBatch
{
    /** Where a batch record keeps its frame count. */
    static final int FRAMES_OFFSET = 0;
    /** Where a batch record keeps the bytes its frames take. */
    static final int BYTES_OFFSET = 4;
    /** Bytes in front of a batch record's frames. */
    static final int HEADER_LENGTH = PushBatch.OVERHEAD;

    private FrameCodec codec;

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
        final FrameCodec frameCodec = h.loop().codec();
        if (maxBytes < frameCodec.headerLength())
        {
            throw new IllegalArgumentException(
                "a batch needs room for a frame's " + frameCodec.headerLength() + "-byte header at least: " + maxBytes);
        }
        if (maxBytes > q.maxMsgLength() - HEADER_LENGTH)
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
            final int claimed = q.tryClaim(h.typeId() | PushOffers.BATCH, HEADER_LENGTH + maxBytes);
            if (claimed < 0)
            {
                result = PushResult.QUEUE_FULL;
            }
            else
            {
                handle = h;
                target = t;
                queue = q;
                codec = frameCodec;
                buffer = q.buffer();
                index = claimed;
                position = claimed + HEADER_LENGTH;
                end = claimed + HEADER_LENGTH + maxBytes;
                frames = 0;
                return PushResult.ACCEPTED;
            }
        }
        return h.loop().outcomes().settle(h.statsView(), result, PushPolicy.ERROR_IF_FULL);
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
            return handle.loop().outcomes().settle(handle.statsView(), PushResult.FRAME_TOO_LARGE,
                PushPolicy.ERROR_IF_FULL);
        }
        final int header = codec.headerLength();
        if (end - position < header + length)
        {
            return PushResult.QUEUE_FULL; // the batch's room, not the connection's queue: not counted
        }
        if (target.bucket != null && !target.bucket.tryAcquire())
        {
            return handle.loop().outcomes().settle(handle.statsView(), PushResult.RATE_LIMITED,
                PushPolicy.ERROR_IF_FULL);
        }
        codec.encodeHeader(buffer, position, length);
        buffer.putBytes(position + header, src, offset, length);
        position += header + length;
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
        buffer.putInt(index + FRAMES_OFFSET, frames);
        buffer.putInt(index + BYTES_OFFSET, position - index - HEADER_LENGTH);
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
        codec = null;
        buffer = null;
        frames = 0;
    }
}
