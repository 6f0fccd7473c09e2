package dev.sluice.internal.loop;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.IdleMode;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * What a dedicated loop thread does: iterate, and when an iteration found nothing, idle as configured (spin, back
 * off, or park in a blocking select). Also the wake-up rule for producers.
 * <p>
 * <b>Wake-up rule:</b> a parking loop sets {@code PARKED} and then looks at its command queue and push ready
 * list one last time; a producer offers to one of them and then reads the state. Both are volatile accesses, so at
 * least one of the two sees the other: either the loop finds the work and does not block, or the producer sees
 * {@code PARKED}. The producer that moves {@code PARKED} to {@code WOKEN} calls {@code Selector.wakeup()}; every
 * other producer of that park does nothing. So there is one {@code wakeup()} per park, not per push, and a spinning
 * loop is never woken.
 * <p>
 * <b>Threading:</b> {@link #run()} and the idle state belong to the loop thread; {@link #wake()} is called by any
 * thread.
 */
final class LoopRunner
{
    private static final int AWAKE = 0;
    private static final int PARKED = 1;
    private static final int WOKEN = 2;

    private final EventLoop loop;
    private final IdleMode mode;
    private final IdleStrategy backoff;
    private final long parkTimeoutMs;
    private final AtomicInteger wakeState = new AtomicInteger(AWAKE);

    LoopRunner(final EventLoop loop, final EngineConfig config)
    {
        this.loop = loop;
        this.mode = config.idleMode();
        this.backoff = new BackoffIdleStrategy(64, 16, TimeUnit.MICROSECONDS.toNanos(1), config.backoffMaxParkNs());
        this.parkTimeoutMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(config.timerIntervalNs()));
    }

    /** Runs the loop on the current thread until it is asked to stop, then shuts it down. */
    void run()
    {
        try
        {
            while (loop.isRunning())
            {
                if (loop.doWork() == 0)
                {
                    idle();
                }
                else
                {
                    backoff.reset();
                }
            }
        }
        catch (final RuntimeException | Error ex)
        {
            LoopLog.loopFailed(loop.index(), ex);
            loop.reportError(ex);
        }
        finally
        {
            loop.shutdown();
        }
    }

    private void idle()
    {
        if (mode == IdleMode.BUSY_SPIN)
        {
            Thread.onSpinWait();
        }
        else if (mode == IdleMode.BACKOFF)
        {
            backoff.idle();
        }
        else
        {
            // Counted before it is announced: a producer may wake the loop from then on, even if it then finds work
            // and does not block, so wake-ups never outnumber parks.
            loop.counters().parks.incrementRelease();
            wakeState.set(PARKED);
            if (!loop.hasPendingWork() && loop.isRunning())
            {
                loop.doWork(parkTimeoutMs);
            }
            wakeState.set(AWAKE);
        }
    }

    /** Wakes the loop if, and only if, it is parked: one {@code wakeup()} per park, whoever calls. */
    void wake()
    {
        if (wakeState.get() == PARKED && wakeState.compareAndSet(PARKED, WOKEN))
        {
            loop.counters().wakeups.increment();
            loop.wakeSelector();
        }
    }
}
