package dev.sluice.internal.loop;

/**
 * One stage of a loop iteration ({@code docs/design.md}, "One loop iteration"). {@link EventLoop#doWork} calls the
 * stages in order, each through a field of its own final class, so every call is direct and inlinable.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
interface LoopStage
{
    /**
     * Runs the stage once.
     *
     * @param nowNs the iteration's time.
     * @return the amount of work done (0 = nothing to do).
     */
    int doWork(long nowNs);
}
