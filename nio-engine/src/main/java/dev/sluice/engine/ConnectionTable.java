package dev.sluice.engine;

import java.util.concurrent.atomic.AtomicInteger;

import dev.sluice.buffers.DirectChunkPool;
import dev.sluice.codec.FrameCodec;

/**
 * A loop's preallocated connection slots and their direct buffers.
 * <p>
 * Every {@link Connection} object, and the receive and send chunks it uses while open, exist from the start; opening
 * takes a free slot and two chunks, closing gives them back, so a connection storm does not grow the heap.
 * <p>
 * <b>Threading:</b> the loop thread owns everything here except {@link #reserved}, which other threads (the
 * accepting loop, callers of {@code Engine.connect}) increment to claim a slot before handing a channel over; the
 * loop decrements it when a connection closes. A reserved slot is therefore always free when the channel arrives.
 */
final class ConnectionTable
{
    private final Connection[] slots;
    private final int[] freeSlots;
    private int freeCount;
    private final Connection[] active;
    private int activeCount;
    private final DirectChunkPool receivePool;
    private final DirectChunkPool sendPool;
    private final AtomicInteger reserved = new AtomicInteger();

    ConnectionTable(final EventLoop loop, final int capacity, final int receiveBytes, final int sendBytes,
        final FrameCodec codec)
    {
        slots = new Connection[capacity];
        freeSlots = new int[capacity];
        active = new Connection[capacity];
        for (int i = 0; i < capacity; i++)
        {
            slots[i] = new Connection(loop, i, codec);
            freeSlots[capacity - 1 - i] = i;
        }
        freeCount = capacity;
        receivePool = new DirectChunkPool(roundUpTo64(receiveBytes), capacity);
        sendPool = new DirectChunkPool(roundUpTo64(sendBytes), capacity);
    }

    /** Claims a slot for a channel about to be handed to this loop. Safe from any thread. */
    boolean tryReserve()
    {
        while (true)
        {
            final int current = reserved.get();
            if (current >= slots.length)
            {
                return false;
            }
            if (reserved.compareAndSet(current, current + 1))
            {
                return true;
            }
        }
    }

    /** Returns a reservation that was not used (the hand-over failed). Safe from any thread. */
    void unreserve()
    {
        reserved.decrementAndGet();
    }

    /** Takes a free slot with its buffers attached; the caller holds a reservation, so one is free. */
    Connection take(final int sendCap)
    {
        final Connection c = slots[freeSlots[--freeCount]];
        c.receiveChunk = receivePool.acquire();
        c.sendChunk = sendPool.acquire();
        c.receive.attach(receivePool.byteBuffer(c.receiveChunk), receivePool.buffer(c.receiveChunk));
        c.send.attach(sendPool.byteBuffer(c.sendChunk), sendPool.buffer(c.sendChunk), sendCap);
        c.activeIndex = activeCount;
        active[activeCount++] = c;
        return c;
    }

    /** Gives a closed connection's slot, buffers and reservation back. */
    void give(final Connection c)
    {
        final int last = --activeCount;
        final Connection moved = active[last];
        active[c.activeIndex] = moved;
        moved.activeIndex = c.activeIndex;
        active[last] = null;
        c.activeIndex = -1;
        c.receive.detach();
        c.send.detach();
        receivePool.release(c.receiveChunk);
        sendPool.release(c.sendChunk);
        c.receiveChunk = -1;
        c.sendChunk = -1;
        freeSlots[freeCount++] = c.slot();
        reserved.decrementAndGet();
    }

    Connection connection(final int slot)
    {
        return slots[slot];
    }

    int activeCount()
    {
        return activeCount;
    }

    Connection active(final int index)
    {
        return active[index];
    }

    int capacity()
    {
        return slots.length;
    }

    int freeReceiveChunks()
    {
        return receivePool.available();
    }

    int freeSendChunks()
    {
        return sendPool.available();
    }

    /** Frees the direct memory; only after the loop has stopped for good. */
    void free()
    {
        receivePool.close();
        sendPool.close();
    }

    private static int roundUpTo64(final int bytes)
    {
        return (bytes + 63) & ~63;
    }
}
