package dev.sluice.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class FrameSlotPoolTest
{
    @Test
    void exhaustionAnswersMinusOne()
    {
        final FrameSlotPool pool = new FrameSlotPool(64, 3);
        final int a = pool.acquire();
        final int b = pool.acquire();
        final int c = pool.acquire();
        assertEquals(-1, pool.acquire());
        assertEquals(0, pool.available());
        assertNotEquals(a, b);
        assertNotEquals(b, c);
        assertNotEquals(a, c);
        pool.release(b);
        assertEquals(b, pool.acquire());
    }

    @Test
    void slotsDoNotOverlap()
    {
        final FrameSlotPool pool = new FrameSlotPool(64, 4);
        for (int i = 0; i < 4; i++)
        {
            final int s = pool.acquire();
            pool.buffer().setMemory(pool.offset(s), pool.slotSize(), (byte)(s + 1));
        }
        for (int s = 0; s < 4; s++)
        {
            for (int b = 0; b < 64; b++)
            {
                assertEquals((byte)(s + 1), pool.buffer().getByte(pool.offset(s) + b));
            }
        }
    }

    @Test
    void doubleReleaseIsRejectedAndCountIsUnchanged()
    {
        final FrameSlotPool pool = new FrameSlotPool(64, 2);
        final int a = pool.acquire();
        pool.release(a);
        assertThrows(IllegalStateException.class, () -> pool.release(a));
        assertEquals(2, pool.available());
        final int x = pool.acquire();
        final int y = pool.acquire();
        assertNotEquals(x, y);
        assertEquals(-1, pool.acquire());
    }

    @Test
    void releaseOfUnknownSlotIsRejected()
    {
        final FrameSlotPool pool = new FrameSlotPool(64, 2);
        assertThrows(IllegalArgumentException.class, () -> pool.release(2));
        assertThrows(IllegalArgumentException.class, () -> pool.release(-1));
        assertThrows(IllegalArgumentException.class, () -> new FrameSlotPool(60, 2));
    }

    @Test
    void concurrentAcquireReleaseNeverHandsOneSlotToTwoOwners() throws Exception
    {
        final int slots = 64;
        final int threads = 4;
        final int rounds = 200_000;
        final FrameSlotPool pool = new FrameSlotPool(64, slots);
        final AtomicIntegerArray owner = new AtomicIntegerArray(slots);
        final AtomicReference<String> failure = new AtomicReference<>();
        final CountDownLatch start = new CountDownLatch(1);
        final Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            final int me = t + 1;
            workers[t] = new Thread(() ->
            {
                try
                {
                    start.await();
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                for (int i = 0; i < rounds && failure.get() == null; i++)
                {
                    final int s = pool.acquire();
                    if (s < 0)
                    {
                        continue;
                    }
                    if (!owner.compareAndSet(s, 0, me))
                    {
                        failure.set("slot " + s + " handed to two owners");
                    }
                    owner.set(s, 0);
                    pool.release(s);
                }
            });
            workers[t].start();
        }
        start.countDown();
        for (final Thread w : workers)
        {
            w.join();
        }
        assertEquals(null, failure.get());
        assertEquals(slots, pool.available());
        final boolean[] seen = new boolean[slots];
        for (int i = 0; i < slots; i++)
        {
            final int s = pool.acquire();
            assertTrue(s >= 0 && !seen[s], "free list corrupted: slot " + s);
            seen[s] = true;
        }
        assertEquals(-1, pool.acquire());
    }

    @Test
    void batchReleaseReturnsEverySlotOnce()
    {
        final FrameSlotPool pool = new FrameSlotPool(64, 8);
        final int[] slots = new int[8];
        for (int i = 0; i < 8; i++)
        {
            slots[i] = pool.acquire();
        }
        assertEquals(0, pool.available());
        pool.release(slots, 5);
        assertEquals(5, pool.available());
        pool.release(new int[] {slots[5], slots[6], slots[7]}, 3);
        assertEquals(8, pool.available());
        final boolean[] seen = new boolean[8];
        for (int i = 0; i < 8; i++)
        {
            final int s = pool.acquire();
            assertTrue(s >= 0 && !seen[s], "free list corrupted: slot " + s);
            seen[s] = true;
        }
        assertEquals(-1, pool.acquire());
    }

    @Test
    void batchReleaseRefusesADoubleReleaseAndStillReturnsEveryOtherSlot()
    {
        final FrameSlotPool pool = new FrameSlotPool(64, 4);
        final int a = pool.acquire();
        final int b = pool.acquire();
        final int c = pool.acquire();
        assertThrows(IllegalStateException.class, () -> pool.release(new int[] {a, b, a, c}, 4));
        assertEquals(4, pool.available(), "a, b and c released once each, the fourth slot never taken");
        final boolean[] seen = new boolean[4];
        for (int i = 0; i < 4; i++)
        {
            final int s = pool.acquire();
            assertTrue(s >= 0 && !seen[s], "free list corrupted: slot " + s);
            seen[s] = true;
        }
        assertEquals(-1, pool.acquire(), "the list holds exactly the four slots");
    }

    @Test
    @Timeout(60)
    void aProducerAcquiresWhileOneConsumerReleasesInBatches() throws Exception
    {
        final int slots = 64;
        final int perProducer = 400_000;
        final FrameSlotPool pool = new FrameSlotPool(64, slots);
        final AtomicIntegerArray owned = new AtomicIntegerArray(slots);
        final ArrayBlockingQueue<Integer> handOver = new ArrayBlockingQueue<>(slots);
        final AtomicReference<String> failure = new AtomicReference<>();
        final Thread[] producers = new Thread[1]; // with this thread as the consumer: two busy threads, two cores
        for (int t = 0; t < producers.length; t++)
        {
            producers[t] = new Thread(() ->
            {
                for (int i = 0; i < perProducer && failure.get() == null; )
                {
                    final int s = pool.acquire();
                    if (s < 0)
                    {
                        Thread.onSpinWait();
                        continue;
                    }
                    if (!owned.compareAndSet(s, 0, 1))
                    {
                        failure.set("slot " + s + " handed out while in use");
                    }
                    handOver.add(s);
                    i++;
                }
            });
            producers[t].start();
        }
        final int[] batch = new int[16];
        long released = 0;
        while (released < (long)perProducer * producers.length && failure.get() == null)
        {
            int n = 0;
            Integer s;
            while (n < batch.length && (s = handOver.poll()) != null)
            {
                owned.set(s, 0);
                batch[n++] = s;
            }
            pool.release(batch, n);
            released += n;
        }
        for (final Thread p : producers)
        {
            p.join();
        }
        assertEquals(null, failure.get());
        assertEquals(slots, pool.available());
    }
}
