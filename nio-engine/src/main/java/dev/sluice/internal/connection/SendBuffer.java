package dev.sluice.internal.connection;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A connection's outbound bytes waiting for the socket: {@code [read, write)}. Frames are appended (copied or
 * claimed and encoded in place) during an iteration and written by the loop's flush. The send cap bounds
 * {@code write - read}; the buffer is exactly as large as the cap, so when an append does not fit at the end the
 * pending bytes are moved to the front (rare: only after a partial write). The cap itself is
 * {@link SlowConsumerRule}'s to enforce. Owned by the connection's loop thread.
 */
final class SendBuffer
{
    private ByteBuffer byteBuffer;
    private UnsafeBuffer buffer;
    private int read;
    private int write;

    void attach(final ByteBuffer byteBuffer, final UnsafeBuffer buffer)
    {
        this.byteBuffer = byteBuffer;
        this.buffer = buffer;
        read = 0;
        write = 0;
    }

    void detach()
    {
        byteBuffer = null;
        buffer = null;
        read = 0;
        write = 0;
    }

    /** @return bytes appended and not yet accepted by the socket. */
    int pending()
    {
        return write - read;
    }

    /**
     * Finds room for {@code bytes} more; the caller has checked that the pending bytes plus these fit the buffer.
     *
     * @return where to write them.
     */
    int reserve(final int bytes)
    {
        if (write + bytes > buffer.capacity())
        {
            final int pending = write - read;
            buffer.putBytes(0, buffer, read, pending);
            read = 0;
            write = pending;
        }
        return write;
    }

    /** Makes {@code bytes} written at {@link #reserve}'s offset part of the pending bytes. */
    void commit(final int offset, final int bytes)
    {
        write = offset + bytes;
    }

    /** @return the buffer positioned over the pending bytes, for a socket write. */
    ByteBuffer prepareWrite()
    {
        byteBuffer.limit(write).position(read);
        return byteBuffer;
    }

    /**
     * Records bytes the socket accepted.
     *
     * @return true if nothing is pending any more.
     */
    boolean written(final int bytes)
    {
        read += bytes;
        if (read == write)
        {
            read = 0;
            write = 0;
            return true;
        }
        return false;
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }
}
