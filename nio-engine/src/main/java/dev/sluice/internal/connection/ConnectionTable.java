package dev.sluice.internal.connection;

import java.util.concurrent.atomic.AtomicInteger;

import dev.sluice.buffers.DirectChunkPool;
import dev.sluice.connection.Connection;

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
public final class ConnectionTable
{
    private final LoopConnection[] slots;
    private final int[] freeSlots;
    private int freeCount;
    private final LoopConnection[] active;
    private int activeCount;
    private final DirectChunkPool receivePool;
    private final DirectChunkPool sendPool;
    private final AtomicInteger reserved = new AtomicInteger();

    /**
     * Preallocates a loop's connections and their buffers.
     *
     * @param context      what the loop's connections share.
     * @param capacity     connection slots.
     * @param receiveBytes size of a receive buffer.
     * @param sendBytes    size of a send buffer: the send cap.
     */
    public ConnectionTable(final ConnectionContext context, final int capacity, final int receiveBytes,
        final int sendBytes)
    {
        slots = new LoopConnection[capacity];
        freeSlots = new int[capacity];
        active = new LoopConnection[capacity];
        for (int i = 0; i < capacity; i++)
        {
            slots[i] = new LoopConnection(context, i);
            freeSlots[capacity - 1 - i] = i;
        }
        freeCount = capacity;
        receivePool = new DirectChunkPool(roundUpTo64(receiveBytes), capacity);
        sendPool = new DirectChunkPool(roundUpTo64(sendBytes), capacity);
    }

    /** Claims a slot for a channel about to be handed to this loop. Safe from any thread. */
    public boolean tryReserve()
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
    public void unreserve()
    {
        reserved.decrementAndGet();
    }

    /** @return a free slot with its buffers attached; the caller holds a reservation, so one is free. */
    public LoopConnection take()
    {
        final LoopConnection c = slots[freeSlots[--freeCount]];
        c.receiveChunk = receivePool.acquire();
        c.sendChunk = sendPool.acquire();
        c.receive.attach(receivePool.byteBuffer(c.receiveChunk), receivePool.buffer(c.receiveChunk));
        c.send.attach(sendPool.byteBuffer(c.sendChunk), sendPool.buffer(c.sendChunk));
        c.activeIndex = activeCount;
        active[activeCount++] = c;
        return c;
    }

    /** @param c a closed connection whose slot, buffers and reservation go back. */
    public void give(final LoopConnection c)
    {
        final int last = --activeCount;
        final LoopConnection moved = active[last];
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

    /**
     * @param slot a slot index.
     * @return the connection object serving that slot.
     */
    public LoopConnection connection(final int slot)
    {
        return slots[slot];
    }

    /** @return connections open (or connecting) now. */
    public int activeCount()
    {
        return activeCount;
    }

    /**
     * @param index from 0 to {@link #activeCount()} - 1; a close moves the last entry into the closed one's place.
     * @return an open (or connecting) connection.
     */
    public LoopConnection active(final int index)
    {
        return active[index];
    }

    /** @return connection slots of the loop. */
    public int capacity()
    {
        return slots.length;
    }

    /** @return receive buffers not in use. */
    public int freeReceiveChunks()
    {
        return receivePool.available();
    }

    /** @return send buffers not in use. */
    public int freeSendChunks()
    {
        return sendPool.available();
    }

    /** Frees the direct memory; only after the loop has stopped for good. */
    public void free()
    {
        receivePool.close();
        sendPool.close();
    }

    private static int roundUpTo64(final int bytes)
    {
        return (bytes + 63) & ~63;
    }
}
