package dev.sluice.buffers;

import java.nio.ByteBuffer;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;

/**
 * Cache-line aligned direct memory that can also be freed on demand.
 * <p>
 * Agrona's {@code BufferUtil.allocateDirectAligned} returns a slice, and a slice cannot be freed through its
 * cleaner; so the pools keep the buffer {@link #allocate(int) allocated} here and work on its
 * {@link #aligned(ByteBuffer, int) aligned view}, and {@link #free(ByteBuffer) free} the original.
 */
public final class DirectMemory
{
    private DirectMemory()
    {
    }

    /**
     * Allocates room for {@code capacity} aligned bytes.
     *
     * @param capacity bytes needed.
     * @return the raw buffer, to pass to {@link #aligned} and {@link #free}.
     */
    public static ByteBuffer allocate(final int capacity)
    {
        return ByteBuffer.allocateDirect(capacity + BitUtil.CACHE_LINE_LENGTH);
    }

    /**
     * The cache-line aligned {@code capacity} bytes inside a raw buffer from {@link #allocate(int)}.
     *
     * @param raw      the raw buffer.
     * @param capacity bytes needed.
     * @return a slice starting on a cache line.
     */
    public static ByteBuffer aligned(final ByteBuffer raw, final int capacity)
    {
        final int misalignment = (int)(BufferUtil.address(raw) & (BitUtil.CACHE_LINE_LENGTH - 1));
        final int offset = misalignment == 0 ? 0 : BitUtil.CACHE_LINE_LENGTH - misalignment;
        return raw.duplicate().position(offset).limit(offset + capacity).slice();
    }

    /**
     * Frees a raw buffer now. Every view of it must be unused from here on.
     *
     * @param raw the raw buffer from {@link #allocate(int)}.
     */
    public static void free(final ByteBuffer raw)
    {
        BufferUtil.free(raw);
    }
}
