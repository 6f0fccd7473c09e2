package dev.sluice.internal.push;

import dev.sluice.stats.LoopCounters;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

/**
 * Reads frames out of a connection slot's push queues into the loop's send path ({@link PushSink}): runs of
 * frames per read, a batch appended with one copy (its frames are in wire format already), frames of the slot's
 * previous occupant discarded, a low run stopped where its connection begins to shed; and, on close, everything
 * committed discarded and counted. The counters and the connection's bookkeeping are updated once per run, not per
 * frame.
 * <p>
 * <b>Threading:</b> the loop thread only. A queue has one reader at a time: {@link #isReading} tells the loop not to
 * discard a queue that a read of its own is walking (a close made from inside that read, through the send path).
 */
final class QueueReader implements ControlledMessageHandler
{
    private final PushSink sink;
    private final LoopCounters counters;
    private final StatsTable stats;
    /** What {@link #onMessage} delivers to: set before each read of a queue. */
    private PushTarget reading;
    private int readingTypeId;
    private boolean readingHigh;
    private boolean discarding;
    /** Frames handled by the reads since it was last cleared: a record may be a batch of several. */
    private int framesRead;
    /** A read stops after the record that brings {@link #framesRead} to this. */
    private int frameLimit = Integer.MAX_VALUE;
    /** Queue bytes (records with their headers) taken by the reads since it was last cleared. */
    private int bytesRead;
    /** A read stops before a record that would take {@link #bytesRead} past this. */
    private int byteLimit = Integer.MAX_VALUE;
    /** Frames of the current {@link #deliver} appended to the connection: its bookkeeping is done once, at the end. */
    private int appended;

    QueueReader(final PushSink sink, final LoopCounters counters, final StatsTable stats)
    {
        this.sink = sink;
        this.counters = counters;
        this.stats = stats;
    }

    boolean isReading(final PushTarget target)
    {
        return reading == target;
    }

    /**
     * Delivers up to {@code limit} frames from a queue in one read, through {@link #onMessage}: the queue's head
     * moves once per read, not per frame. A read ends at the end of the queue's memory (a padding record there is
     * passed over), hence a second read when the first fell short and frames remain.
     *
     * @param limit     frames to read at most, counting each frame of a batch; a batch is read whole, so the last
     *                  one read may take the count past the limit.
     * @param byteLimit queue bytes to read at most (each record with its header and alignment): a record that would
     *                  pass it stays in the queue. {@link #bytesRead()} tells how many were read.
     * @return frames read (sent or discarded); 0 if the queue held no committed frame, the next record would pass
     *     {@code byteLimit}, or a low read stopped because the connection began to shed.
     */
    int deliver(final PushTarget target, final boolean high, final long id, final int limit, final int byteLimit)
    {
        final ManyToOneRingBuffer queue = high ? target.high : target.low;
        reading = target;
        readingTypeId = PushOffers.typeId(id);
        readingHigh = high;
        framesRead = 0;
        frameLimit = limit;
        bytesRead = 0;
        this.byteLimit = byteLimit;
        appended = 0;
        try
        {
            queue.controlledRead(this, limit);
            if (framesRead < limit && bytesRead < byteLimit && !PushTarget.isEmpty(queue) &&
                (high || !target.shedding))
            {
                queue.controlledRead(this, limit - framesRead);
            }
            return framesRead;
        }
        finally
        {
            endRun();
            reading = null;
            frameLimit = Integer.MAX_VALUE;
            this.byteLimit = Integer.MAX_VALUE;
        }
    }

    /**
     * The bookkeeping of the frames the current read appended, done now: at the end of the read, or when the read's
     * connection is closed from within it (so its {@code onClose} sees its figures whole).
     */
    void endRun()
    {
        if (appended > 0 && reading != null)
        {
            sink.runEnded(reading.slot, appended);
            (readingHigh ? counters.pushesSentHigh : counters.pushesSentLow).getAndAddRelease(appended);
            stats.pushesSent(reading.slot, appended);
        }
        appended = 0;
    }

    /** @return queue bytes taken by the last {@link #deliver}: records with their headers, aligned. */
    int bytesRead()
    {
        return bytesRead;
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
        final int recordBytes = PushOffers.recordBytes(length);
        if (recordBytes > byteLimit - bytesRead)
        {
            return Action.ABORT; // this iteration's share of the queue is used up: the record waits for the next one
        }
        bytesRead += recordBytes;
        final int typeId = msgTypeId & ~PushOffers.BATCH;
        final boolean current = !discarding && typeId == readingTypeId;
        if ((msgTypeId & PushOffers.BATCH) == 0)
        {
            framesRead++;
            if (current && sink.append(reading.slot, buffer, index, length))
            {
                appended++;
            }
            else
            {
                discarded(current, typeId, 1);
            }
        }
        else
        {
            // A batch: its frame count, its bytes, then its frames as they go on the wire (QueueBatch).
            final int frames = buffer.getInt(index + QueueBatch.FRAMES_OFFSET);
            final int bytes = buffer.getInt(index + QueueBatch.BYTES_OFFSET);
            framesRead += frames;
            if (current && sink.appendFramed(reading.slot, buffer, index + QueueBatch.HEADER_LENGTH, bytes))
            {
                appended += frames;
            }
            else
            {
                discarded(current, typeId, frames);
            }
        }
        return framesRead < frameLimit ? Action.CONTINUE : Action.BREAK;
    }

    private void discarded(final boolean current, final int typeId, final int frames)
    {
        counters.pushesDiscarded.getAndAddRelease(frames);
        if (current || typeId == reading.lastTypeId)
        {
            stats.pushesDiscarded(reading.slot, frames); // the slot's latest connection's: its figures are still live
        }
    }

    /** Reads and counts as discarded every committed frame of both queues. */
    int discard(final PushTarget target)
    {
        // A discard may run inside a read of another connection's queue (a close made from that read's send path,
        // and an onClose that closes this one): the outer read's state is kept and given back.
        final PushTarget outerReading = reading;
        final int outerTypeId = readingTypeId;
        final boolean outerHigh = readingHigh;
        final boolean outerDiscarding = discarding;
        final int outerFramesRead = framesRead;
        final int outerFrameLimit = frameLimit;
        final int outerBytesRead = bytesRead;
        final int outerByteLimit = byteLimit;
        final int outerAppended = appended;
        reading = target;
        discarding = true;
        framesRead = 0;
        frameLimit = Integer.MAX_VALUE;
        bytesRead = 0;
        byteLimit = Integer.MAX_VALUE;
        try
        {
            readAll(target.high);
            readAll(target.low);
            return framesRead;
        }
        finally
        {
            reading = outerReading;
            readingTypeId = outerTypeId;
            readingHigh = outerHigh;
            discarding = outerDiscarding;
            framesRead = outerFramesRead;
            frameLimit = outerFrameLimit;
            bytesRead = outerBytesRead;
            byteLimit = outerByteLimit;
            appended = outerAppended;
        }
    }

    /**
     * A slot is opened for a new connection: frames of the previous occupant are discarded, and a claim it left
     * unfinished (a producer that never committed or aborted) is turned into padding, so it cannot block the queue.
     * A producer that commits it later gets an {@code IllegalStateException} from the queue, and nothing is sent.
     *
     * @param target the slot's push side.
     * @return frames discarded.
     */
    int clearForNewOccupant(final PushTarget target)
    {
        int discarded = discard(target);
        while (target.high.unblock() || target.low.unblock())
        {
            discarded += discard(target);
        }
        return discarded;
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

}
