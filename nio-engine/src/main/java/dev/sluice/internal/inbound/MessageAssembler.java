package dev.sluice.internal.inbound;

import dev.sluice.internal.connection.LoopConnection;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Assembles messages that arrive as fragments (see {@code FrameCodec#fragment}) in preallocated off-heap buffers,
 * one per message being assembled, from a fixed pool per loop. Fragments of different keys on one connection may
 * interleave. A message larger than a buffer is refused; half-assembled messages older than the timeout are purged.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
final class MessageAssembler
{
    /** Messages one connection may have half-assembled at once: one peer cannot take the whole pool. */
    static final int PER_CONNECTION = 4;

    private final UnsafeBuffer[] buffers;
    private final LoopConnection[] owner;
    private final long[] ownerId;
    private final long[] key;
    private final int[] length;
    private final long[] startedNs;
    private final int[] free;
    private final int[] assemblingBytes;
    private final int[] assemblies;
    private int freeCount;

    MessageAssembler(final int slots, final int maxMessage, final int connections)
    {
        assemblingBytes = new int[connections];
        assemblies = new int[connections];
        buffers = new UnsafeBuffer[slots];
        owner = new LoopConnection[slots];
        ownerId = new long[slots];
        key = new long[slots];
        length = new int[slots];
        startedNs = new long[slots];
        free = new int[slots];
        for (int i = 0; i < slots; i++)
        {
            buffers[i] = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(maxMessage));
            free[i] = slots - 1 - i;
        }
        freeCount = slots;
    }

    /** @return the slot assembling {@code messageKey} for the connection, or -1. */
    int find(final LoopConnection c, final long messageKey)
    {
        for (int i = 0; i < owner.length; i++)
        {
            if (owner[i] == c && ownerId[i] == c.id() && key[i] == messageKey)
            {
                return i;
            }
        }
        return -1;
    }

    /** @return a new slot for the message, or -1 if every slot is in use or the connection has its share. */
    int start(final LoopConnection c, final long messageKey, final long nowNs)
    {
        if (freeCount == 0 || assemblies[c.slot()] >= PER_CONNECTION)
        {
            return -1;
        }
        assemblies[c.slot()]++;
        final int slot = free[--freeCount];
        owner[slot] = c;
        ownerId[slot] = c.id();
        key[slot] = messageKey;
        length[slot] = 0;
        startedNs[slot] = nowNs;
        return slot;
    }

    /** @return false if the data would not fit the slot's buffer (the message is too large). */
    boolean append(final int slot, final DirectBuffer src, final int offset, final int bytes, final long lastNs)
    {
        if (length[slot] + bytes > buffers[slot].capacity())
        {
            return false;
        }
        buffers[slot].putBytes(length[slot], src, offset, bytes);
        length[slot] += bytes;
        startedNs[slot] = lastNs; // the timeout runs from the latest fragment
        assemblingBytes[owner[slot].slot()] += bytes;
        return true;
    }

    /** Takes back the last {@code bytes} appended (a completed message the application answered "not now" to). */
    void unappend(final int slot, final int bytes)
    {
        length[slot] -= bytes;
        assemblingBytes[owner[slot].slot()] -= bytes;
    }

    UnsafeBuffer buffer(final int slot)
    {
        return buffers[slot];
    }

    int length(final int slot)
    {
        return length[slot];
    }

    void free(final int slot)
    {
        final int connection = owner[slot].slot();
        assemblingBytes[connection] -= length[slot];
        assemblies[connection]--;
        owner[slot] = null;
        ownerId[slot] = 0;
        length[slot] = 0;
        free[freeCount++] = slot;
    }

    /** A connection closed: its half-assembled messages are dropped. */
    void freeAll(final LoopConnection c)
    {
        for (int i = 0; i < owner.length; i++)
        {
            if (owner[i] == c)
            {
                free(i);
            }
        }
    }

    /** A paused connection resumed: its messages' timeouts restart (the pause was ours, not the peer's). */
    void touch(final LoopConnection c, final long nowNs)
    {
        for (int i = 0; i < owner.length; i++)
        {
            if (owner[i] == c)
            {
                startedNs[i] = nowNs;
            }
        }
    }

    /** @return bytes of messages being assembled for the connection. */
    int assemblingBytes(final LoopConnection c)
    {
        return assemblingBytes[c.slot()];
    }

    int slots()
    {
        return owner.length;
    }

    /**
     * @return the connection of a slot whose message got no fragment for {@code timeoutNs}, or null. A connection
     *     paused by "not now" or a budget waits on the application, not on its peer: never expired meanwhile.
     */
    LoopConnection expired(final int slot, final long nowNs, final long timeoutNs)
    {
        final LoopConnection c = owner[slot];
        return c != null && !c.isReadPaused() && nowNs - startedNs[slot] >= timeoutNs ? c : null;
    }
}
