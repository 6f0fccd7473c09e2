package dev.sluice.push;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.sluice.stats.LoopCounters;

/**
 * Turns a push's raw result into what the caller sees under a {@link PushPolicy}, and counts it. Runs on producer
 * threads: the counters here are the loop's multi-writer ones (atomic adds), touched only when a push fails; an
 * accepted push is counted by the loop when it sends or discards the frame.
 */
final class PushOutcomes
{
    private static final Logger LOG = System.getLogger("dev.sluice.push");
    private static final long WARN_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final LoopCounters counters;
    private final AtomicLong nextWarnNs = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong droppedSinceWarn = new AtomicLong();

    PushOutcomes(final LoopCounters counters)
    {
        this.counters = counters;
    }

    /** Applies a policy to a push's raw result and counts the outcome (failures only: the loop counts sends). */
    PushResult settle(final PushResult result, final PushPolicy policy)
    {
        switch (result)
        {
            case ACCEPTED:
                return result;
            case CLOSED:
                counters.pushesClosed.increment();
                return result;
            case FRAME_TOO_LARGE:
                counters.pushesTooLarge.increment();
                return result;
            case QUEUE_FULL:
                counters.pushesQueueFull.increment();
                break;
            case RATE_LIMITED:
                counters.pushesRateLimited.increment();
                break;
            default:
                break;
        }
        if (policy == PushPolicy.ERROR_IF_FULL)
        {
            return result;
        }
        counters.pushesDropped.increment();
        if (policy == PushPolicy.WARN_AND_DROP)
        {
            warnDropped(result);
        }
        return PushResult.DROPPED;
    }

    private void warnDropped(final PushResult why)
    {
        final long now = System.nanoTime();
        final long next = nextWarnNs.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextWarnNs.compareAndSet(next, now + WARN_INTERVAL_NS))
        {
            final long suppressed = droppedSinceWarn.getAndSet(0);
            LOG.log(Level.WARNING, "push dropped (" + why + ")" +
                (suppressed > 0 ? "; " + suppressed + " more dropped since the last warning" : ""));
        }
        else
        {
            droppedSinceWarn.incrementAndGet();
        }
    }
}
