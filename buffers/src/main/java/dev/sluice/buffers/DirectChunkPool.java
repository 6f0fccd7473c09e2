package dev.sluice.buffers;

import java.nio.ByteBuffer;

import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Preallocated direct memory carved into fixed-size chunks, handed out and taken back by one owner thread.
 * <p>
 * Sluice gives every connection a receive chunk and a send chunk from pools like this one, so opening and closing
 * connections never allocates direct memory and never grows the heap. All memory is allocated by the constructor,
 * in segments of at most 1 GiB (a {@link ByteBuffer} is indexed by {@code int}).
 * <p>
 * <b>Threading:</b> not thread-safe. An event loop owns its pools; {@link #acquire()} and {@link #release(int)}
 * are called on that loop's thread only. The views returned by {@link #byteBuffer(int)} and {@link #buffer(int)}
 * are created once per chunk in the constructor and reused for the life of the pool.
 */
public final class DirectChunkPool
{
    private static final int MAX_SEGMENT_BYTES = 1 << 30;

    private final int chunkSize;
    private final int chunkCount;
    private final ByteBuffer[] byteBuffers;
    private final UnsafeBuffer[] buffers;
    private final boolean[] inUse;
    private final int[] freeStack;
    private final ByteBuffer[] segments;
    private int freeCount;
    private boolean closed;

    /**
     * Allocates {@code chunkCount} chunks of {@code chunkSize} bytes each, aligned to a cache line.
     *
     * @param chunkSize  bytes per chunk, a positive multiple of 64.
     * @param chunkCount number of chunks, at least 1.
     * @throws IllegalArgumentException if a size is out of range.
     */
    public DirectChunkPool(final int chunkSize, final int chunkCount)
    {
        if (chunkSize <= 0 || (chunkSize & (BitUtil.CACHE_LINE_LENGTH - 1)) != 0 || chunkSize > MAX_SEGMENT_BYTES)
        {
            throw new IllegalArgumentException("chunkSize must be a positive multiple of 64 up to 1 GiB: " + chunkSize);
        }
        if (chunkCount <= 0)
        {
            throw new IllegalArgumentException("chunkCount must be positive: " + chunkCount);
        }
        this.chunkSize = chunkSize;
        this.chunkCount = chunkCount;
        this.byteBuffers = new ByteBuffer[chunkCount];
        this.buffers = new UnsafeBuffer[chunkCount];
        this.inUse = new boolean[chunkCount];
        this.freeStack = new int[chunkCount];

        final int chunksPerSegment = MAX_SEGMENT_BYTES / chunkSize;
        this.segments = new ByteBuffer[(chunkCount + chunksPerSegment - 1) / chunksPerSegment];
        ByteBuffer segment = null;
        for (int i = 0; i < chunkCount; i++)
        {
            final int indexInSegment = i % chunksPerSegment;
            if (indexInSegment == 0)
            {
                final int chunksHere = Math.min(chunksPerSegment, chunkCount - i);
                final ByteBuffer raw = DirectMemory.allocate(chunksHere * chunkSize);
                segments[i / chunksPerSegment] = raw;
                segment = DirectMemory.aligned(raw, chunksHere * chunkSize);
            }
            final int offset = indexInSegment * chunkSize;
            final ByteBuffer chunk = segment.duplicate().position(offset).limit(offset + chunkSize).slice();
            byteBuffers[i] = chunk;
            buffers[i] = new UnsafeBuffer(chunk);
            // Hand out low ids first: the stack is popped from the top.
            freeStack[chunkCount - 1 - i] = i;
        }
        freeCount = chunkCount;
    }

    /**
     * Takes a chunk.
     *
     * @return the chunk id, or {@code -1} when every chunk is in use.
     */
    public int acquire()
    {
        if (freeCount == 0)
        {
            return -1;
        }
        final int id = freeStack[--freeCount];
        inUse[id] = true;
        return id;
    }

    /**
     * Gives a chunk back. Its contents are left as they are.
     *
     * @param id a chunk id returned by {@link #acquire()}.
     * @throws IllegalStateException    if the chunk is not in use (a double release).
     * @throws IllegalArgumentException if the id is not one of this pool's.
     */
    public void release(final int id)
    {
        checkId(id);
        if (!inUse[id])
        {
            throw new IllegalStateException("chunk " + id + " released twice");
        }
        inUse[id] = false;
        freeStack[freeCount++] = id;
    }

    /**
     * The chunk as a {@link ByteBuffer} for channel reads and writes. Position and limit belong to the caller.
     *
     * @param id chunk id.
     * @return the same instance on every call for this id.
     */
    public ByteBuffer byteBuffer(final int id)
    {
        checkId(id);
        return byteBuffers[id];
    }

    /**
     * The chunk as an Agrona buffer over the same memory, for framing and zero-copy views.
     *
     * @param id chunk id.
     * @return the same instance on every call for this id.
     */
    public UnsafeBuffer buffer(final int id)
    {
        checkId(id);
        return buffers[id];
    }

    /**
     * Whether a chunk is currently handed out.
     *
     * @param id chunk id.
     * @return true between {@link #acquire()} and {@link #release(int)}.
     */
    public boolean isInUse(final int id)
    {
        checkId(id);
        return inUse[id];
    }

    /**
     * Size of each chunk.
     *
     * @return bytes per chunk.
     */
    public int chunkSize()
    {
        return chunkSize;
    }

    /**
     * Number of chunks the pool was built with.
     *
     * @return total chunks.
     */
    public int capacity()
    {
        return chunkCount;
    }

    /**
     * Number of chunks not handed out.
     *
     * @return free chunks.
     */
    public int available()
    {
        return freeCount;
    }

    /**
     * Frees the pool's direct memory at once instead of waiting for the garbage collector. Call it only when no
     * view of any chunk is used again (e.g. after the owning loop thread has ended); closing twice is harmless.
     */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            freeCount = 0;
            for (final ByteBuffer segment : segments)
            {
                DirectMemory.free(segment);
            }
        }
    }

    private void checkId(final int id)
    {
        if (id < 0 || id >= chunkCount)
        {
            throw new IllegalArgumentException("no chunk " + id + " in a pool of " + chunkCount);
        }
    }
}
