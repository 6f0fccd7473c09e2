package dev.sluice.internal.push;

import java.lang.System.Logger.Level;

import dev.sluice.internal.log.EngineLog;
import dev.sluice.internal.log.RateLimitedLog;
import dev.sluice.push.PushPolicy;
import dev.sluice.push.PushResult;
import dev.sluice.stats.LoopCounters;
import org.agrona.concurrent.NanoClock;

/**
 * Turns a push's raw result into what the caller sees under a {@link PushPolicy}, and counts it. Runs on producer
 * threads: the counters here are the loop's multi-writer ones (atomic adds), touched only when a push fails; an
 * accepted push is counted by the loop when it sends or discards the frame.
 */
final class PushOutcomes
{
    private final LoopCounters counters;
    private final RateLimitedLog log;
    private final NanoClock clock;

    PushOutcomes(final LoopCounters counters, final RateLimitedLog log, final NanoClock clock)
    {
        this.counters = counters;
        this.log = log;
        this.clock = clock;
    }

    /**
     * Applies a policy to a push's raw result and counts a refusal, also in the connection's figures.
     *
     * @param view   the connection's figures.
     * @param result the raw result.
     * @param policy what to do with a full queue or no rate token.
     * @return what the caller sees.
     */
    PushResult settle(final StatsTable.View view, final PushResult result, final PushPolicy policy)
    {
        final PushResult settled = settle(result, policy);
        if (result != PushResult.ACCEPTED)
        {
            view.refused(result);
            if (settled == PushResult.DROPPED)
            {
                view.refused(PushResult.DROPPED);
            }
        }
        return settled;
    }

    /** Applies a policy to a push's raw result and counts the outcome (failures only: the loop counts sends). */
    private PushResult settle(final PushResult result, final PushPolicy policy)
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
            case SHED:
                counters.pushesShed.increment();
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
        if (log.tryAcquire(clock.nanoTime()))
        {
            log.log(EngineLog.PUSH, Level.WARNING, "push dropped (" + why + ")");
        }
    }
}
