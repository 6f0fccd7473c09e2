package dev.sluice.internal.loop;

import dev.sluice.internal.push.PushLoop;

/**
 * Stages "high-priority pushes" and "low-priority pushes": the two places in an iteration where the loop drains its
 * push path ({@link PushLoop#drainHigh}, {@link PushLoop#drainLow}). High frames go before the ready keys, so a high
 * frame already waiting when an iteration begins leaves before anything that iteration produces; low frames go after
 * them, with the fairness counter letting one through among high frames.
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

        High(final PushLoop push)
        {
            this.push = push;
        }

        @Override
        public int doWork(final long nowNs)
        {
            return push.drainHigh(nowNs);
        }
    }

    /** Stage 4. */
    static final class Low implements LoopStage
    {
        private final PushLoop push;

        Low(final PushLoop push)
        {
            this.push = push;
        }

        @Override
        public int doWork(final long nowNs)
        {
            return push.drainLow();
        }
    }
}
