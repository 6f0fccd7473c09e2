package dev.sluice.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

class TokenBucketTest
{
    private final CachedNanoClock clock = new CachedNanoClock();

    @Test
    void aFullBucketLetsTheBurstThroughThenOneEveryInterval()
    {
        final TokenBucket bucket = new TokenBucket(10, 3, clock);
        assertTrue(bucket.tryAcquire());
        assertTrue(bucket.tryAcquire());
        assertTrue(bucket.tryAcquire());
        assertFalse(bucket.tryAcquire(), "burst of 3 used up");
        assertEquals(100_000_000L, bucket.nanosUntilToken(), "one token every 100 ms");
        clock.advance(99_999_999L);
        assertFalse(bucket.tryAcquire());
        clock.advance(1);
        assertTrue(bucket.tryAcquire());
        assertFalse(bucket.tryAcquire());
    }

    @Test
    void anIdleBucketRefillsOnlyUpToTheBurst()
    {
        final TokenBucket bucket = new TokenBucket(10, 2, clock);
        clock.advance(10_000_000_000L);
        assertTrue(bucket.tryAcquire());
        assertTrue(bucket.tryAcquire());
        assertFalse(bucket.tryAcquire(), "ten idle seconds do not bank more than the burst");
        assertEquals(0, new TokenBucket(10, 2, clock).nanosUntilToken());
    }

    @Test
    void resetRefillsTheBucket()
    {
        final TokenBucket bucket = new TokenBucket(1, 1, clock);
        assertTrue(bucket.tryAcquire());
        assertFalse(bucket.tryAcquire());
        bucket.reset();
        assertTrue(bucket.tryAcquire());
    }

    @Test
    void concurrentTakersNeverGetMoreThanTheBurstAtOneInstant() throws Exception
    {
        final TokenBucket bucket = new TokenBucket(1, 1000, clock);
        final AtomicInteger granted = new AtomicInteger();
        final CountDownLatch start = new CountDownLatch(1);
        final Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++)
        {
            threads[t] = new Thread(() ->
            {
                try
                {
                    start.await();
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                for (int i = 0; i < 10_000; i++)
                {
                    if (bucket.tryAcquire())
                    {
                        granted.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        start.countDown();
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertEquals(1000, granted.get(), "exactly the burst: the CAS never hands out a token twice");
    }

    @Test
    void badSettingsAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1, clock));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, clock));
    }

}
