package dev.sluice.internal.inbound;

import dev.sluice.internal.connection.LoopConnection;

/**
 * Connections whose reading is paused: the application said "not now", or a budget's soft limit was reached. Being
 * on this list is what "read paused" means (the connection's selector interest is derived from it). The timer stage
 * delivers their kept frames again; a connection leaves the list when the application takes them all, or when it
 * closes.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
final class ReadPauses
{
    private final LoopConnection[] paused;
    private final int[] pausedIndex;
    private int count;

    ReadPauses(final int capacity)
    {
        paused = new LoopConnection[capacity];
        pausedIndex = new int[capacity];
        java.util.Arrays.fill(pausedIndex, -1);
    }

    boolean contains(final LoopConnection c)
    {
        return pausedIndex[c.slot()] >= 0;
    }

    /** Pauses reading (removes read interest) until the next retry. */
    void add(final LoopConnection c)
    {
        final int slot = c.slot();
        if (pausedIndex[slot] < 0)
        {
            pausedIndex[slot] = count;
            paused[count++] = c;
            c.updateInterest();
        }
    }

    /** Resumes reading (restores read interest, if the connection is still open). */
    void remove(final LoopConnection c)
    {
        final int slot = c.slot();
        final int index = pausedIndex[slot];
        if (index >= 0)
        {
            final LoopConnection last = paused[--count];
            paused[index] = last;
            pausedIndex[last.slot()] = index;
            paused[count] = null;
            pausedIndex[slot] = -1;
            c.updateInterest();
        }
    }

    /** Redelivers every paused connection's kept frames; resumed ones leave the list. */
    int retry(final InboundPath inbound)
    {
        int work = 0;
        for (int i = count - 1; i >= 0; i--)
        {
            if (i >= count)
            {
                continue; // a close during the previous redelivery shrank the list
            }
            final LoopConnection c = paused[i];
            work++;
            if (inbound.redeliver(c))
            {
                remove(c);
            }
        }
        return work;
    }
}
