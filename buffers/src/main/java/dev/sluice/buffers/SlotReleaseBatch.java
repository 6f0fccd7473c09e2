package dev.sluice.buffers;

/**
 * Gives slots back to a {@link FrameSlotPool} in batches, for one consumer thread that releases many slots in a row
 * (a loop draining pushed frames). The pool's head is the one cache line that every producer and the consumer write;
 * releasing slot by slot moved it between cores once per slot, a batch moves it once per {@link #flush()}.
 * <p>
 * <b>Threading:</b> one owner thread; not thread-safe. Slots added and not yet flushed are out of use for everyone,
 * so the owner flushes at the end of each unit of work.
 */
public final class SlotReleaseBatch
{
    private final FrameSlotPool pool;
    private final int[] slots;
    private int count;

    /**
     * @param pool     the pool the slots belong to.
     * @param capacity most slots held before {@link #add} flushes by itself.
     */
    public SlotReleaseBatch(final FrameSlotPool pool, final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.pool = pool;
        this.slots = new int[capacity];
    }

    /**
     * Holds a slot for release; flushes first if the batch is full.
     *
     * @param slot a slot index acquired from the pool.
     */
    public void add(final int slot)
    {
        if (count == slots.length)
        {
            flush();
        }
        slots[count++] = slot;
    }

    /** Releases every held slot with one update of the pool's head; nothing held does nothing. */
    public void flush()
    {
        final int n = count;
        count = 0;
        if (n > 0)
        {
            pool.release(slots, n);
        }
    }

    /** @return slots held and not yet released. */
    public int held()
    {
        return count;
    }
}
