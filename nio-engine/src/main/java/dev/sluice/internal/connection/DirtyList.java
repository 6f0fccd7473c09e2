package dev.sluice.internal.connection;

/**
 * The connections with bytes to send this iteration, flushed once each at its end: a ring holding each connection at
 * most once. {@code LoopConnection.dirty} means "is in the ring" and only {@link #poll()} clears it, so the ring never
 * holds more than the slot count, even when a handler sends to connections already flushed in this pass (e.g. from
 * {@code onClose} after a failed write) or a slot is closed and reopened within one iteration. Loop thread only.
 */
public final class DirtyList
{
    private final LoopConnection[] ring;
    private int head;
    private int count;

    DirtyList(final int capacity)
    {
        ring = new LoopConnection[capacity];
    }

    void add(final LoopConnection c)
    {
        if (!c.dirty)
        {
            c.dirty = true;
            int tail = head + count;
            if (tail >= ring.length)
            {
                tail -= ring.length;
            }
            ring[tail] = c;
            count++;
        }
    }

    /** @return the next connection to flush (its flag cleared), or null when the ring is empty. */
    public LoopConnection poll()
    {
        if (count == 0)
        {
            return null;
        }
        final LoopConnection c = ring[head];
        ring[head] = null;
        if (++head == ring.length)
        {
            head = 0;
        }
        count--;
        c.dirty = false;
        return c;
    }
}
