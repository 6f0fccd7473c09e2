package dev.sluice.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;

import dev.sluice.codec.LengthPrefixedFrameCodec;
import dev.sluice.internal.log.RateLimitedLog;
import dev.sluice.push.Priority;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushResult;
import dev.sluice.stats.LoopCounters;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

/**
 * One loop iteration moves at most one queue's worth of a connection's pushed frames of each priority into its send
 * path, even while producers refill the queue as fast as the loop reads it: the bound the configuration check relies
 * on when it promises that skipping backed-up connections keeps them under the send cap.
 */
class PushIterationBoundTest
{
    private static final int QUEUE_BYTES = 1024;
    private static final int PAYLOAD = 56;
    /** Queue bytes one frame takes: its payload behind an 8-byte record header, aligned. */
    private static final int RECORD =
        BitUtil.align(PAYLOAD + RecordDescriptor.HEADER_LENGTH, RecordDescriptor.ALIGNMENT);
    private static final byte HIGH = 'H';
    private static final byte LOW = 'L';

    private final UnsafeBuffer high = new UnsafeBuffer(new byte[PAYLOAD]);
    private final UnsafeBuffer low = new UnsafeBuffer(new byte[PAYLOAD]);
    private int highSent;
    private int lowSent;
    private TargetPushHandle handle;
    /**
     * Frames of this priority are pushed again each time the loop sends one of the other priority, that is between
     * two reads of their own queue, when the queue has room again: a producer keeping pace with the loop.
     */
    private Priority refill;

    @Test
    void aHighQueueRefilledBetweenReadsGivesUpAtMostItsSizePerIteration()
    {
        final PushLoop loop = newLoop(8);
        fill(Priority.HIGH, high);
        fill(Priority.LOW, low); // low frames between high runs (fairness 8): the high queue's head moves each run
        refill = Priority.HIGH;
        loop.drainHigh(0);
        assertTrue(highSent * RECORD <= QUEUE_BYTES, "one iteration took " + highSent * RECORD + " queue bytes");
        assertTrue(highSent * RECORD > QUEUE_BYTES - RECORD, "and a queue's worth: " + highSent * RECORD);

        refill = null;
        highSent = 0;
        loop.drainHigh(1);
        assertEquals(QUEUE_BYTES / RECORD, highSent, "the next iteration sends the refilled queue");
    }

    @Test
    void aLowQueueRefilledBetweenReadsGivesUpAtMostItsSizeAcrossBothStagesOfAnIteration()
    {
        final PushLoop loop = newLoop(1);
        fill(Priority.LOW, low);
        for (int i = 0; i < 4; i++)
        {
            assertEquals(PushResult.ACCEPTED, handle.push(high, 0, PAYLOAD, Priority.HIGH));
        }
        refill = Priority.LOW;
        loop.drainHigh(0); // high frames with low ones let through between them, each high one refilling the low queue
        assertTrue(lowSent > 0, "the fairness counter let low frames through the high stage");
        refill = null;
        loop.drainLow(); // then the low stage, which shares the iteration's allowance
        assertTrue(lowSent * RECORD <= QUEUE_BYTES, "one iteration took " + lowSent * RECORD + " queue bytes");
        assertTrue(lowSent * RECORD > QUEUE_BYTES - RECORD, "and a queue's worth: " + lowSent * RECORD);
        assertTrue(loop.hasReady(), "the frames left wait for the next iteration");
    }

    private PushLoop newLoop(final int maxHighBeforeLow)
    {
        high.setMemory(0, PAYLOAD, HIGH);
        low.setMemory(0, PAYLOAD, LOW);
        final LoopCounters counters = new LoopCounters(new CountersManager(
            new UnsafeBuffer(new byte[1 << 16]), new UnsafeBuffer(new byte[1 << 14])), 0);
        final PushConfig config =
            PushConfig.builder().queueBytes(QUEUE_BYTES, QUEUE_BYTES).maxHighBeforeLow(maxHighBeforeLow).build();
        final PushSink sink = new PushSink()
        {
            @Override
            public boolean append(final int slot, final DirectBuffer buffer, final int offset, final int length)
            {
                final boolean isHigh = buffer.getByte(offset) == HIGH;
                if (isHigh)
                {
                    highSent++;
                }
                else
                {
                    lowSent++;
                }
                if (refill == Priority.HIGH && !isHigh)
                {
                    fill(Priority.HIGH, high);
                }
                else if (refill == Priority.LOW && isHigh)
                {
                    fill(Priority.LOW, low);
                }
                return true;
            }

            @Override
            public boolean appendFramed(final int slot, final DirectBuffer buffer, final int offset, final int bytes)
            {
                throw new AssertionError("no batches are pushed here");
            }

            @Override
            public void runEnded(final int slot, final int frames)
            {
            }
        };
        final PushLoop loop = new PushLoop(config, new LengthPrefixedFrameCodec(ByteOrder.BIG_ENDIAN, 1024, false), 1,
            1024, () -> 0, () -> { }, sink, counters, new ConcurrentSessionRegistry(), new RateLimitedLog(1));
        handle = loop.open(0, 1);
        return loop;
    }

    private void fill(final Priority priority, final UnsafeBuffer frame)
    {
        while (handle.push(frame, 0, PAYLOAD, priority) == PushResult.ACCEPTED)
        {
            // until the queue is full
        }
    }
}
