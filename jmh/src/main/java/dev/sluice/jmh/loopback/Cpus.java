package dev.sluice.jmh.loopback;

import java.util.BitSet;

import net.openhft.affinity.Affinity;

/**
 * Puts the calling thread on one vCPU with {@code sched_setaffinity} (OpenHFT {@link Affinity#setAffinity(int)}),
 * the per-thread equivalent of {@code taskset -c}. Unlike {@code AffinityLock} it reserves nothing and accepts CPU 0,
 * which the client side needs on a 2-vCPU machine.
 */
final class Cpus
{
    /** No pinning: the thread runs wherever the scheduler puts it. */
    static final int ANY = -1;

    private Cpus()
    {
    }

    /** Pins the calling thread to {@code cpu} unless it is {@link #ANY}; fails loudly if it did not take. */
    static void pinCurrentThread(final int cpu)
    {
        if (cpu == ANY)
        {
            return;
        }
        Affinity.setAffinity(cpu);
        final BitSet mask = Affinity.getAffinity();
        if (mask.cardinality() != 1 || !mask.get(cpu))
        {
            throw new IllegalStateException("could not pin " + Thread.currentThread().getName() + " to CPU " + cpu +
                " (its CPU mask is " + mask + ")");
        }
    }
}
