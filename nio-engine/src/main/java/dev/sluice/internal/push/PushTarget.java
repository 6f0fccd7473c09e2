package dev.sluice.internal.push;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.sluice.push.PushConfig;
import org.jctools.queues.MpscArrayQueue;

/**
 * The push side of one connection slot: a bounded high and a bounded low JCTools MPSC queue of pooled frames, the
 * connection's token bucket and fairness counter, and the flag that keeps it on its loop's ready list at most once.
 * Preallocated per slot and reused by every connection the slot serves.
 * <p>
 * <b>Threading:</b> producers (any thread) offer to the queues, take tokens, and CAS {@link #scheduled} from false to
 * true; the loop thread polls the queues, clears {@link #scheduled}, and owns {@link #fairness} and the list flags.
 * {@link #connectionId} is written by the loop (on open and close) and read by producers: 0 means closed;
 * {@link #backedUp} is written by the loop when the connection's writes turn partial or drain, read by producers;
 * {@link #highFull} and {@link #lowFull} are hints written by producers only (a racy plain write is harmless: a
 * wrong hint costs one wasted slot acquire or one extra size read, never a wrong result);
 * {@link #handle}, the open connection's handle, is the loop's alone.
 */
final class PushTarget
{
    final int slot;
    final MpscArrayQueue<PushFrame> high;
    final MpscArrayQueue<PushFrame> low;
    final TokenBucket bucket;
    final PushFairness fairness;
    final AtomicBoolean scheduled = new AtomicBoolean();
    volatile long connectionId;
    volatile boolean backedUp;
    boolean highFull;
    boolean lowFull;
    TargetPushHandle handle;
    boolean onLowList;
    boolean onAgainList;

    PushTarget(final int slot, final PushConfig config, final TokenBucket bucket)
    {
        this.slot = slot;
        this.high = new MpscArrayQueue<>(config.highQueueCapacity());
        this.low = new MpscArrayQueue<>(config.lowQueueCapacity());
        this.bucket = bucket;
        this.fairness = new PushFairness(config.maxHighBeforeLow(), config.timeSliceNs());
    }

    /** Producer side: records whether a queue was last found full (see {@code PushOffers.tryPush}). */
    void fullHint(final boolean highQueue, final boolean full)
    {
        if (highQueue)
        {
            highFull = full;
        }
        else
        {
            lowFull = full;
        }
    }
}
