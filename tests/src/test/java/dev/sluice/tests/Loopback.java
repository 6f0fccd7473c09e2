package dev.sluice.tests;

import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

import dev.sluice.engine.Engine;

/** Shared bits of the real-socket tests. */
final class Loopback
{
    static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    private Loopback()
    {
    }

    /** Drives loop 0 of an invoker-mode engine until the condition holds; fails after many idle iterations. */
    static void pumpUntil(final Engine engine, final BooleanSupplier condition, final String what)
    {
        for (int i = 0; i < 200_000; i++)
        {
            if (condition.getAsBoolean())
            {
                return;
            }
            if (engine.doWork(0) == 0)
            {
                Thread.yield();
            }
        }
        throw new AssertionError("never happened: " + what);
    }

    /** Polls a condition from the test thread while the engine runs its own threads. */
    static void awaitTrue(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(1);
        }
    }

    static byte[] bytes(final int size, final int seed)
    {
        final byte[] b = new byte[size];
        for (int i = 0; i < size; i++)
        {
            b[i] = (byte)(seed + i * 7);
        }
        return b;
    }

    /**
     * @param progress how far each reader has got.
     * @return the least of them: a publisher stays within a margin of it, so a reader thread descheduled on a busy
     *     machine is not taken for a slow consumer.
     */
    static long slowest(final java.util.concurrent.atomic.AtomicLongArray progress)
    {
        long slowest = Long.MAX_VALUE;
        for (int i = 0; i < progress.length(); i++)
        {
            slowest = Math.min(slowest, progress.get(i));
        }
        return slowest;
    }
}
