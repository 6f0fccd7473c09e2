package dev.sluice.internal.loop;

import dev.sluice.internal.push.LoopGroups;
import dev.sluice.internal.push.PushLoop;

/**
 * Stages "high-priority pushes" and "low-priority pushes": the two places in an iteration where the loop drains its
 * push path ({@link PushLoop#drainHigh}, {@link PushLoop#drainLow}), connections' own queues first, then the push
 * groups' ({@link LoopGroups#drainHigh}, {@link LoopGroups#drainLow}). High frames go before the ready keys, so a high
 * frame already waiting when an iteration begins leaves before anything that iteration produces; low frames go after
 * them, with the fairness counter letting one through among a connection's high frames.
 */
final class PushStages
{
    private PushStages()
    {
    }

    /** Stage 2. */
    static final class High implements LoopStage
    {
        private final PushLoop push;
        private final LoopGroups groups;

        High(final PushLoop push, final LoopGroups groups)
        {
            this.push = push;
            this.groups = groups;
        }

        @Override
        public int doWork(final long nowNs)
        {
            return push.drainHigh(nowNs) + groups.drainHigh();
        }
    }

    /** Stage 4. */
    static final class Low implements LoopStage
    {
        private final PushLoop push;
        private final LoopGroups groups;

        Low(final PushLoop push, final LoopGroups groups)
        {
            this.push = push;
            this.groups = groups;
        }

        @Override
        public int doWork(final long nowNs)
        {
            return push.drainLow() + groups.drainLow();
        }
    }
}
