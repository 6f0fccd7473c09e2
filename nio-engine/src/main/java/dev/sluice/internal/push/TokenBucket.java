package dev.sluice.internal.push;

import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.NanoClock;

/**
 * A lock-free rate limiter shared by any number of threads: GCRA (the generic cell rate algorithm), i.e. a token
 * bucket kept as one number, the theoretical arrival time (TAT) of the next conforming push.
 * <p>
 * With rate {@code r} per second each push advances the TAT by the emission interval {@code T = 1 s / r}; a push at
 * time {@code now} conforms while {@code TAT - now <= (burst - 1) * T}. So a full bucket lets {@code burst} pushes
 * through at once and then one every {@code T}: tokens refill continuously, not in whole-second steps.
 * <p>
 * <b>Memory ordering:</b> the whole state is one {@link AtomicLong}; a push reads it, computes the new TAT and
 * publishes it with a CAS, retrying on contention. No state object is allocated per push; the CAS orders every
 * accepted push before the next one, whichever thread makes it.
 */
public final class TokenBucket
{
    private final long intervalNs;
    private final long toleranceNs;
    private final NanoClock clock;
    private final AtomicLong theoreticalArrival = new AtomicLong(Long.MIN_VALUE);

    /**
     * Creates a full bucket.
     *
     * @param ratePerSecond pushes per second, at least 1.
     * @param burst         pushes allowed at once from full, at least 1.
     * @param clock         the time source (inject a virtual one in tests).
     */
    public TokenBucket(final long ratePerSecond, final long burst, final NanoClock clock)
    {
        if (ratePerSecond < 1 || ratePerSecond > 1_000_000_000L || burst < 1)
        {
            throw new IllegalArgumentException("rate must be 1..1e9 per second and burst at least 1: " +
                ratePerSecond + "/s, burst " + burst);
        }
        this.intervalNs = 1_000_000_000L / ratePerSecond;
        this.toleranceNs = (burst - 1) * intervalNs;
        this.clock = clock;
    }

    /**
     * Takes a token if one is there. Safe from any thread.
     *
     * @return true if the push conforms (and the token is taken).
     */
    public boolean tryAcquire()
    {
        final long now = clock.nanoTime();
        while (true)
        {
            final long tat = theoreticalArrival.get();
            final long start = tat == Long.MIN_VALUE || tat - now < 0 ? now : tat;
            if (start - now > toleranceNs)
            {
                return false;
            }
            if (theoreticalArrival.compareAndSet(tat, start + intervalNs))
            {
                return true;
            }
        }
    }

    /**
     * How long until {@link #tryAcquire()} could succeed.
     *
     * @return nanoseconds to wait, 0 if a token is there now.
     */
    public long nanosUntilToken()
    {
        final long now = clock.nanoTime();
        final long tat = theoreticalArrival.get();
        if (tat == Long.MIN_VALUE)
        {
            return 0;
        }
        return Math.max(0, tat - now - toleranceNs);
    }

    /** Refills the bucket, e.g. when its connection slot serves a new peer. */
    public void reset()
    {
        theoreticalArrival.set(Long.MIN_VALUE);
    }
}
