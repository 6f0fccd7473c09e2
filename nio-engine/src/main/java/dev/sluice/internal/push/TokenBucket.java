package dev.sluice.internal.push;

import java.lang.invoke.VarHandle;

import org.agrona.concurrent.NanoClock;

/** Two cache lines before the bucket's state, so nothing allocated before it shares its line. */
abstract class TokenBucketLhsPadding
{
    byte ba000, ba001, ba002, ba003, ba004, ba005, ba006, ba007, ba008, ba009, ba010, ba011, ba012, ba013, ba014, ba015;
    byte ba016, ba017, ba018, ba019, ba020, ba021, ba022, ba023, ba024, ba025, ba026, ba027, ba028, ba029, ba030, ba031;
    byte ba032, ba033, ba034, ba035, ba036, ba037, ba038, ba039, ba040, ba041, ba042, ba043, ba044, ba045, ba046, ba047;
    byte ba048, ba049, ba050, ba051, ba052, ba053, ba054, ba055, ba056, ba057, ba058, ba059, ba060, ba061, ba062, ba063;
    byte ba064, ba065, ba066, ba067, ba068, ba069, ba070, ba071, ba072, ba073, ba074, ba075, ba076, ba077, ba078, ba079;
    byte ba080, ba081, ba082, ba083, ba084, ba085, ba086, ba087, ba088, ba089, ba090, ba091, ba092, ba093, ba094, ba095;
    byte ba096, ba097, ba098, ba099, ba100, ba101, ba102, ba103, ba104, ba105, ba106, ba107, ba108, ba109, ba110, ba111;
    byte ba112, ba113, ba114, ba115, ba116, ba117, ba118, ba119, ba120, ba121, ba122, ba123, ba124, ba125, ba126, ba127;
}

/** The bucket's whole state, written by every pushing thread. */
abstract class TokenBucketValue extends TokenBucketLhsPadding
{
    /** The theoretical arrival time of the next conforming push; {@link Long#MIN_VALUE} when full. */
    volatile long theoreticalArrival = Long.MIN_VALUE;
}

/** Two cache lines after the state. */
abstract class TokenBucketRhsPadding extends TokenBucketValue
{
    byte bb000, bb001, bb002, bb003, bb004, bb005, bb006, bb007, bb008, bb009, bb010, bb011, bb012, bb013, bb014, bb015;
    byte bb016, bb017, bb018, bb019, bb020, bb021, bb022, bb023, bb024, bb025, bb026, bb027, bb028, bb029, bb030, bb031;
    byte bb032, bb033, bb034, bb035, bb036, bb037, bb038, bb039, bb040, bb041, bb042, bb043, bb044, bb045, bb046, bb047;
    byte bb048, bb049, bb050, bb051, bb052, bb053, bb054, bb055, bb056, bb057, bb058, bb059, bb060, bb061, bb062, bb063;
    byte bb064, bb065, bb066, bb067, bb068, bb069, bb070, bb071, bb072, bb073, bb074, bb075, bb076, bb077, bb078, bb079;
    byte bb080, bb081, bb082, bb083, bb084, bb085, bb086, bb087, bb088, bb089, bb090, bb091, bb092, bb093, bb094, bb095;
    byte bb096, bb097, bb098, bb099, bb100, bb101, bb102, bb103, bb104, bb105, bb106, bb107, bb108, bb109, bb110, bb111;
    byte bb112, bb113, bb114, bb115, bb116, bb117, bb118, bb119, bb120, bb121, bb122, bb123, bb124, bb125, bb126, bb127;
}

/**
 * A lock-free rate limiter shared by any number of threads: GCRA (the generic cell rate algorithm), i.e. a token
 * bucket kept as one number, the theoretical arrival time (TAT) of the next conforming push.
 * <p>
 * With rate {@code r} per second each push advances the TAT by the emission interval {@code T = 1 s / r}; a push at
 * time {@code now} conforms while {@code TAT - now <= (burst - 1) * T}. So a full bucket lets {@code burst} pushes
 * through at once and then one every {@code T}: tokens refill continuously, not in whole-second steps.
 * <p>
 * <b>Memory ordering:</b> the whole state is one long, read with a volatile load and moved with a CAS, retrying on
 * contention. No state object is allocated per push; the CAS orders every accepted push before the next one,
 * whichever thread makes it. The long is padded by two cache lines on each side (the class chain above): every
 * producer writes it, and it must not share a line with anything the loop writes.
 */
public final class TokenBucket extends TokenBucketRhsPadding
{
    private static final VarHandle TAT = FieldHandles.find(TokenBucketValue.class, "theoreticalArrival", long.class);

    private final long intervalNs;
    private final long toleranceNs;
    private final NanoClock clock;

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
            final long tat = theoreticalArrival;
            final long start = tat == Long.MIN_VALUE || tat - now < 0 ? now : tat;
            if (start - now > toleranceNs)
            {
                return false;
            }
            if (TAT.compareAndSet(this, tat, start + intervalNs))
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
        final long tat = theoreticalArrival;
        if (tat == Long.MIN_VALUE)
        {
            return 0;
        }
        return Math.max(0, tat - now - toleranceNs);
    }

    /** Refills the bucket, e.g. when its connection slot serves a new peer. */
    public void reset()
    {
        theoreticalArrival = Long.MIN_VALUE;
    }
}
