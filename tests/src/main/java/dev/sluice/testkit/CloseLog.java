package dev.sluice.testkit;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.sluice.connection.CloseReason;

/**
 * Close reasons seen by a handler (written on loop threads, read by tests).
 */
public final class CloseLog
{
    private final Map<CloseReason, Integer> counts = new EnumMap<>(CloseReason.class);
    private int total;

    /**
     * Records a close.
     *
     * @param connectionId the closed connection.
     * @param reason       why.
     */
    public synchronized void record(final long connectionId, final CloseReason reason)
    {
        counts.merge(reason, 1, Integer::sum);
        total++;
        notifyAll();
    }

    /**
     * How many closes had this reason.
     *
     * @param reason the reason.
     * @return the count so far.
     */
    public synchronized int count(final CloseReason reason)
    {
        return counts.getOrDefault(reason, 0);
    }

    /** @return total closes so far. */
    public synchronized int total()
    {
        return total;
    }

    /**
     * Waits until at least {@code n} closes with this reason were recorded.
     *
     * @param reason the reason.
     * @param n      how many.
     * @param millis longest wait.
     * @return true if reached in time.
     * @throws InterruptedException if interrupted.
     */
    public synchronized boolean await(final CloseReason reason, final int n, final long millis)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (count(reason) < n)
        {
            final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0)
            {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /**
     * Waits until any close was recorded.
     *
     * @param millis longest wait.
     * @throws InterruptedException if interrupted.
     */
    public synchronized void awaitAny(final long millis) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (total == 0)
        {
            final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0)
            {
                return;
            }
            wait(left);
        }
    }

    @Override
    public synchronized String toString()
    {
        return counts.toString();
    }
}
