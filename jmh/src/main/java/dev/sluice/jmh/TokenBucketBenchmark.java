package dev.sluice.jmh;

import java.util.concurrent.TimeUnit;

import dev.sluice.internal.push.TokenBucket;
import org.agrona.concurrent.SystemNanoClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link TokenBucket#tryAcquire()}, the per-push rate check: the accepting path (a clock read and a CAS on the
 * bucket's one {@code AtomicLong}) with one thread and with two threads sharing a bucket, and the refusing path (a
 * clock read and a plain read, no CAS) of a bucket that is always empty.
 * <p>
 * "Accepting" buckets have rate 1e9/s and burst 1e9, so the theoretical arrival time never gets ahead of the clock by
 * more than the tolerance and every call succeeds. "Empty" buckets have rate 1/s, burst 1 and are drained before
 * each iteration, so every call in a 1 s iteration is refused (at most one call per second could succeed, when a
 * token refills). The clock is {@link SystemNanoClock}, so each call includes one {@code System.nanoTime()};
 * {@code clockOnly} measures that read alone, as a baseline to subtract.
 * <p>
 * The two-thread variants contend for one cache line; on a 2-core machine they use both cores, so the figures are
 * the cost with the line bouncing between two cores, not a many-core scaling figure. Run with {@code -prof gc} to see
 * 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class TokenBucketBenchmark
{
    private static final long ALWAYS_RATE = 1_000_000_000L;

    /** A bucket that always has a token, one per benchmark thread. */
    @State(Scope.Thread)
    public static class OwnBucket
    {
        final TokenBucket bucket = new TokenBucket(ALWAYS_RATE, ALWAYS_RATE, SystemNanoClock.INSTANCE);
    }

    /** A bucket that always has a token, shared by every benchmark thread. */
    @State(Scope.Benchmark)
    public static class SharedBucket
    {
        final TokenBucket bucket = new TokenBucket(ALWAYS_RATE, ALWAYS_RATE, SystemNanoClock.INSTANCE);
    }

    /** A bucket of rate 1/s and burst 1, emptied before each iteration, shared by every benchmark thread. */
    @State(Scope.Benchmark)
    public static class EmptyBucket
    {
        final TokenBucket bucket = new TokenBucket(1, 1, SystemNanoClock.INSTANCE);

        /** Takes the one token, so the iteration starts with an empty bucket. */
        @Setup(Level.Iteration)
        public void drain()
        {
            bucket.reset();
            if (!bucket.tryAcquire() || bucket.tryAcquire())
            {
                throw new IllegalStateException("bucket of burst 1 did not give exactly one token");
            }
        }
    }

    /**
     * Baseline: the clock read every {@link TokenBucket#tryAcquire()} starts with, alone.
     *
     * @return the time, so nothing is optimised away.
     */
    @Benchmark
    @Threads(1)
    public long clockOnly()
    {
        return SystemNanoClock.INSTANCE.nanoTime();
    }

    /**
     * One thread, every call accepted.
     *
     * @param s the thread's bucket.
     * @return the outcome, so nothing is optimised away.
     */
    @Benchmark
    @Threads(1)
    public boolean acceptUncontended(final OwnBucket s)
    {
        return s.bucket.tryAcquire();
    }

    /**
     * Two threads on one bucket, every call accepted: the CAS retry path under contention.
     *
     * @param s the shared bucket.
     * @return the outcome, so nothing is optimised away.
     */
    @Benchmark
    @Threads(2)
    public boolean acceptContended(final SharedBucket s)
    {
        return s.bucket.tryAcquire();
    }

    /**
     * One thread, every call refused.
     *
     * @param s the empty bucket.
     * @return the outcome, so nothing is optimised away.
     */
    @Benchmark
    @Threads(1)
    public boolean refuseUncontended(final EmptyBucket s)
    {
        return s.bucket.tryAcquire();
    }

    /**
     * Two threads on one empty bucket, every call refused: both only read the shared line.
     *
     * @param s the empty bucket.
     * @return the outcome, so nothing is optimised away.
     */
    @Benchmark
    @Threads(2)
    public boolean refuseContended(final EmptyBucket s)
    {
        return s.bucket.tryAcquire();
    }
}
