package dev.sluice.internal.connection;

import java.nio.ByteBuffer;

import dev.sluice.codec.FrameCodec;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A connection's inbound bytes: the socket reads into {@code [write, capacity)}, frames are cut from
 * {@code [read, write)}. After each decode pass the unread tail (a partial frame) moves to the front, so a frame up
 * to the buffer's size always fits. Owned by the connection's loop thread.
 */
public final class ReceiveBuffer
{
    /** Receives each whole frame and says what to do next. */
    public interface FrameSink
    {
        /** Go on with the next frame. */
        int NEXT = 1;
        /** Stop: the connection closed meanwhile (the buffer may be detached). */
        int STOP = 0;
        /** Stop and keep this frame for later ("not now"): it is delivered again first. */
        int KEEP = 2;

        /**
         * One whole frame.
         *
         * @param buffer the receive buffer.
         * @param offset where the payload starts.
         * @param length payload bytes.
         * @return {@link #NEXT}, {@link #STOP} or {@link #KEEP}.
         */
        int onFrame(UnsafeBuffer buffer, int offset, int length);

        /**
         * The codec said to drop {@code bytes} (a garbled frame, see {@code FrameCodec.skip}); decoding goes on.
         *
         * @param bytes bytes dropped.
         */
        default void onGarbled(final int bytes)
        {
        }
    }

    private ByteBuffer byteBuffer;
    private UnsafeBuffer buffer;
    private int read;
    private int write;
    /** Bytes a codec said to drop that had not arrived yet: dropped as they come. */
    private int skipPending;

    void attach(final ByteBuffer byteBuffer, final UnsafeBuffer buffer)
    {
        this.byteBuffer = byteBuffer;
        this.buffer = buffer;
        read = 0;
        write = 0;
        skipPending = 0;
    }

    void detach()
    {
        byteBuffer = null;
        buffer = null;
        read = 0;
        write = 0;
        skipPending = 0;
    }

    /** @return the buffer positioned for a socket read into the free space. */
    ByteBuffer prepareRead()
    {
        byteBuffer.limit(byteBuffer.capacity()).position(write);
        return byteBuffer;
    }

    /**
     * @param max most bytes to read.
     * @return the buffer positioned for a socket read of at most {@code max} bytes.
     */
    public ByteBuffer prepareRead(final int max)
    {
        byteBuffer.limit(write + max).position(write);
        return byteBuffer;
    }

    /** @return the whole buffer positioned for a socket read whose bytes are dropped (a closing connection's). */
    ByteBuffer prepareDiscard()
    {
        read = 0;
        write = 0;
        byteBuffer.limit(byteBuffer.capacity()).position(0);
        return byteBuffer;
    }

    /** @return bytes free for the next read. */
    public int free()
    {
        return byteBuffer.capacity() - write;
    }

    /** @param bytes bytes a socket read just added. */
    public void wrote(final int bytes)
    {
        write += bytes;
    }

    /** @return bytes received and not yet delivered. */
    public int buffered()
    {
        return write - read;
    }

    /**
     * Delivers every whole frame in the buffer, in order.
     *
     * @return frames delivered (&ge; 0; a frame the sink kept is not counted and stays first); or a negative codec
     *     error, with the offending frame left unread; or {@code Integer.MIN_VALUE} when the sink stopped the pass
     *     (the buffer may be detached by then).
     * @param codec the frame codec.
     * @param sink  where each frame goes.
     */
    public int decode(final FrameCodec codec, final FrameSink sink)
    {
        final int header = codec.headerLength();
        int frames = 0;
        while (true)
        {
            final int available = write - read;
            if (available == 0)
            {
                break;
            }
            if (skipPending > 0)
            {
                final int dropped = Math.min(skipPending, available); // the rest of a skip longer than what was here
                read += dropped;
                skipPending -= dropped;
                continue;
            }
            final int frameLength = codec.frameLength(buffer, read, available);
            if (frameLength == FrameCodec.NEED_MORE)
            {
                break;
            }
            if (frameLength < 0)
            {
                final int skipped = FrameCodec.skipped(frameLength);
                if (skipped == 0)
                {
                    // An error; Integer.MIN_VALUE is this pass's own "stopped" answer, so a codec's is made an error.
                    return frameLength == Integer.MIN_VALUE ? Integer.MIN_VALUE + 1 : frameLength;
                }
                final int dropped = Math.min(skipped, available);
                read += dropped;
                skipPending = skipped - dropped;
                sink.onGarbled(skipped);
                continue;
            }
            final int offset = read;
            read += frameLength;
            final int verdict = sink.onFrame(buffer, offset + header, frameLength - header);
            if (verdict == FrameSink.KEEP)
            {
                read = offset; // the frame stays, first in line
                break;
            }
            if (verdict == FrameSink.STOP)
            {
                return Integer.MIN_VALUE;
            }
            frames++;
        }
        compact();
        return frames;
    }

    /** @return the start of the unread bytes, for describing a malformed frame. */
    public int readOffset()
    {
        return read;
    }

    /** @return the underlying buffer. */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    private void compact()
    {
        final int remaining = write - read;
        if (remaining == 0)
        {
            read = 0;
            write = 0;
        }
        else if (read > 0)
        {
            buffer.putBytes(0, buffer, read, remaining);
            read = 0;
            write = remaining;
        }
    }
}
