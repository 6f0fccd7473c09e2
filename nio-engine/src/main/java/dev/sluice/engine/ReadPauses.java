package dev.sluice.engine;

/**
 * Connections whose reading is paused because the application said "not now". The timer stage delivers their kept
 * frames again; a connection leaves the list when the application takes them, or when it closes. Loop thread only.
 */
final class ReadPauses
{
    private final Connection[] paused;
    private int count;

    ReadPauses(final int capacity)
    {
        paused = new Connection[capacity];
    }

    void add(final Connection c)
    {
        if (c.pausedIndex < 0)
        {
            c.pausedIndex = count;
            paused[count++] = c;
        }
    }

    void remove(final Connection c)
    {
        final int index = c.pausedIndex;
        if (index >= 0)
        {
            final Connection last = paused[--count];
            paused[index] = last;
            last.pausedIndex = index;
            paused[count] = null;
            c.pausedIndex = -1;
        }
    }

    /** Redelivers every paused connection's kept frames; resumed ones leave the list. */
    int retry(final ConnectionIo io)
    {
        int work = 0;
        for (int i = count - 1; i >= 0; i--)
        {
            if (i >= count)
            {
                continue; // a close during the previous redelivery shrank the list
            }
            final Connection c = paused[i];
            work++;
            if (io.redeliver(c))
            {
                remove(c);
            }
        }
        return work;
    }
}
