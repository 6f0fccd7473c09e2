package dev.sluice.internal.loop;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.PinningMode;
import net.openhft.affinity.AffinityLock;

/**
 * Pins the calling loop thread with OpenHFT affinity, and says plainly when it could not.
 * <p>
 * {@code AffinityLock} fails quietly: it returns an unallocated lock and logs a warning, never hands out CPU 0, and
 * when asked for a CPU it cannot reserve may bind another. So a lock counts only if it is allocated and, for an
 * explicit core list, bound to the CPU asked for; anything else is "not pinned".
 */
final class LoopPinning
{
    private static final Logger LOG = System.getLogger("dev.sluice.engine");

    private LoopPinning()
    {
    }

    /**
     * Pins the current thread as configured for loop {@code loop}.
     *
     * @return the held lock (release it when the thread ends), or null if not pinned.
     */
    static AffinityLock pinCurrentThread(final EngineConfig config, final int loop)
    {
        if (config.pinningMode() == PinningMode.NONE)
        {
            return null;
        }
        int wanted = -1;
        AffinityLock lock = null;
        String why;
        try
        {
            if (config.pinningMode() == PinningMode.ANY_CORE)
            {
                lock = AffinityLock.acquireLock();
            }
            else
            {
                final int[] cores = config.pinCores();
                wanted = cores[loop % cores.length];
                lock = AffinityLock.acquireLock(new int[] {wanted});
            }
            if (lock.isAllocated() && (wanted < 0 || lock.cpuId() == wanted))
            {
                LOG.log(Level.INFO, "loop " + loop + " pinned to CPU " + lock.cpuId());
                return lock;
            }
            why = wanted < 0 ? "no reservable CPU is free" : "CPU " + wanted + " cannot be reserved";
        }
        catch (final RuntimeException | LinkageError ex)
        {
            why = "affinity is unavailable on this platform (" + ex + ")";
        }
        if (lock != null)
        {
            lock.release();
        }
        LOG.log(Level.WARNING, "loop " + loop + " is not pinned: " + why + "; counters report 'not pinned'");
        return null;
    }

    /**
     * The life of a dedicated loop thread: pin it, report (or, with {@code requirePinning}, refuse), run the loop,
     * and release the CPU when it ends.
     */
    static void runPinned(
        final EngineConfig config, final EventLoop loop, final LoopRunner runner, final CountDownLatch started,
        final AtomicReference<String> pinFailure)
    {
        final AffinityLock lock = LoopPinning.pinCurrentThread(config, loop.index());
        try
        {
            if (lock != null)
            {
                loop.counters().pinned.set(1);
                loop.counters().pinnedCpu.set(lock.cpuId());
            }
            else if (config.requirePinning())
            {
                pinFailure.compareAndSet(null, "loop " + loop.index() + " could not be pinned (" +
                    config.pinningMode() + ") and requirePinning is set: refusing to start");
                loop.requestStop();
            }
            started.countDown();
            runner.run();
        }
        finally
        {
            if (lock != null)
            {
                lock.release();
            }
        }
    }
}
