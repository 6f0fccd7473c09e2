package dev.sluice.buffers;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A fixed number of fixed-size off-heap frame slots with a lock-free free list, shared by any number of threads.
 * <p>
 * A producer {@link #acquire() acquires} a slot, copies a frame into {@link #buffer()} at {@link #offset(int)},
 * and passes the slot index on (for example through a bounded queue); the consumer reads it and
 * {@link #release(int) releases} it. Nothing is allocated after construction.
 * <p>
 * <b>Free list:</b> a Treiber stack of slot indices. The head is one {@link AtomicLong} holding a 32-bit version
 * above the 32-bit index of the top slot; every successful pop or push bumps the version, so a slot popped and pushed
 * back between another thread's read of the head and its CAS cannot make that CAS succeed (the ABA problem).
 * {@code next} links are read and written through an {@link AtomicIntegerArray}: a popper may read the link of a slot
 * that is concurrently re-pushed, and the versioned CAS then fails and discards what it read.
 * <p>
 * <b>Double release:</b> a slot's {@code next} entry doubles as its state: {@code IN_USE} from acquire to release,
 * a link (or the end of the list) while free. Release flips it from {@code IN_USE} with a CAS, so a second release
 * of the same slot is detected and rejected instead of corrupting the list. One word per slot rather than a link and
 * a separate state word: a release (usually on another core than the acquire) touches one cache line, not two.
 */
public final class FrameSlotPool
{
    private static final int NIL = -1;
    private static final int IN_USE = -2;
    private static final int RELEASING = -3;
    private static final long INDEX_MASK = 0xFFFF_FFFFL;

    private final int slotSize;
    private final int slotCount;
    private final ByteBuffer raw;
    private final UnsafeBuffer buffer;
    private final AtomicIntegerArray next;
    private final AtomicLong head = new AtomicLong();

    /**
     * Allocates {@code slotCount} slots of {@code slotSize} bytes in one direct region.
     *
     * @param slotSize  bytes per slot, a positive multiple of 8.
     * @param slotCount number of slots, at least 1.
     * @throws IllegalArgumentException if a size is out of range or the region would exceed 2 GiB.
     */
    public FrameSlotPool(final int slotSize, final int slotCount)
    {
        if (slotSize <= 0 || (slotSize & 7) != 0)
        {
            throw new IllegalArgumentException("slotSize must be a positive multiple of 8: " + slotSize);
        }
        if (slotCount <= 0 || (long)slotSize * slotCount > Integer.MAX_VALUE - BitUtil.CACHE_LINE_LENGTH)
        {
            throw new IllegalArgumentException(
                "slotCount must be positive and the region under 2 GiB: " + slotCount + " x " + slotSize);
        }
        this.slotSize = slotSize;
        this.slotCount = slotCount;
        this.raw = DirectMemory.allocate(slotSize * slotCount);
        this.buffer = new UnsafeBuffer(DirectMemory.aligned(raw, slotSize * slotCount));
        this.next = new AtomicIntegerArray(slotCount);
        for (int i = 0; i < slotCount; i++)
        {
            next.set(i, i + 1 < slotCount ? i + 1 : NIL);
        }
        head.set(pack(0, 0));
    }

    /**
     * Takes a free slot. Safe from any thread.
     *
     * @return the slot index, or {@code -1} when the pool is exhausted.
     */
    public int acquire()
    {
        while (true)
        {
            final long h = head.get();
            final int top = (int)h;
            if (top == NIL)
            {
                return -1;
            }
            final long newHead = pack(version(h) + 1, next.get(top));
            if (head.compareAndSet(h, newHead))
            {
                // A popper that read this head before us may read IN_USE as the link: its versioned CAS then fails.
                next.lazySet(top, IN_USE); // ordered before the hand-over that lets another thread release it
                return top;
            }
        }
    }

    /**
     * Returns a slot to the pool. Safe from any thread.
     *
     * @param slot a slot index returned by {@link #acquire()}.
     * @throws IllegalStateException    if the slot is not in use (a double release).
     * @throws IllegalArgumentException if the index is not one of this pool's.
     */
    public void release(final int slot)
    {
        markFree(slot);
        pushChain(slot, slot);
    }

    /**
     * Returns {@code count} slots to the pool with one update of the shared head, so that a consumer releasing a
     * batch moves the head's cache line once, not once per slot. Safe from any thread.
     *
     * @param slots slot indices returned by {@link #acquire()}; {@code slots[0..count)} are released.
     * @param count how many; 0 does nothing.
     * @throws IllegalStateException    if a slot is not in use (a double release): every other slot is still
     *     released, and the first such refusal is thrown after that.
     * @throws IllegalArgumentException if an index is not one of this pool's (handled the same way).
     */
    public void release(final int[] slots, final int count)
    {
        RuntimeException refused = null;
        int first = NIL;
        int last = NIL;
        for (int i = 0; i < count; i++)
        {
            try
            {
                markFree(slots[i]);
            }
            catch (final IllegalStateException | IllegalArgumentException ex)
            {
                refused = refused == null ? ex : refused; // the others still go back: report the first
                continue;
            }
            if (last == NIL)
            {
                first = slots[i];
            }
            else
            {
                next.lazySet(last, slots[i]); // published by the head CAS below
            }
            last = slots[i];
        }
        if (last != NIL)
        {
            pushChain(first, last);
        }
        if (refused != null)
        {
            throw refused;
        }
    }

    private void markFree(final int slot)
    {
        if (slot < 0 || slot >= slotCount)
        {
            throw new IllegalArgumentException("no slot " + slot + " in a pool of " + slotCount);
        }
        if (!next.compareAndSet(slot, IN_USE, RELEASING))
        {
            throw new IllegalStateException("slot " + slot + " released twice");
        }
    }

    /** Pushes the chain {@code first -> ... -> last} (already linked) on top of the stack. */
    private void pushChain(final int first, final int last)
    {
        while (true)
        {
            final long h = head.get();
            next.lazySet(last, (int)h); // the CAS below is a full fence: a popper that sees the new head sees this
            if (head.compareAndSet(h, pack(version(h) + 1, first)))
            {
                return;
            }
        }
    }

    /**
     * The memory of all slots; slot {@code i} starts at {@link #offset(int) offset(i)}.
     *
     * @return the shared buffer.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * Where a slot starts in {@link #buffer()}.
     *
     * @param slot slot index.
     * @return byte offset.
     */
    public int offset(final int slot)
    {
        return slot * slotSize;
    }

    /**
     * Size of each slot.
     *
     * @return bytes per slot.
     */
    public int slotSize()
    {
        return slotSize;
    }

    /**
     * Number of slots the pool was built with.
     *
     * @return total slots.
     */
    public int capacity()
    {
        return slotCount;
    }

    /**
     * Counts free slots by scanning their states: exact when no other thread is acquiring or releasing,
     * a snapshot otherwise. For diagnostics and tests, not for the hot path.
     *
     * @return free slots.
     */
    public int available()
    {
        int free = 0;
        for (int i = 0; i < slotCount; i++)
        {
            final int link = next.get(i);
            if (link != IN_USE && link != RELEASING)
            {
                free++;
            }
        }
        return free;
    }

    /**
     * Frees the slots' direct memory now. Call it only when no thread touches the pool again.
     */
    public void close()
    {
        DirectMemory.free(raw);
    }

    private static long pack(final long version, final int index)
    {
        return (version << 32) | (index & INDEX_MASK);
    }

    private static long version(final long packed)
    {
        return packed >>> 32;
    }
}
