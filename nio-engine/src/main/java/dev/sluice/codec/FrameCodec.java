package dev.sluice.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * How frames are cut out of a connection's byte stream and how their headers are written.
 * <p>
 * Implementations are stateless and shared by every connection of an engine, so they must be thread-safe; they are
 * called on loop threads for every frame and must not allocate. A frame is {@link #headerLength()} header bytes
 * followed by its payload; the payload is what the application sees.
 */
public interface FrameCodec
{
    /** {@link #frameLength} result: the bytes available do not hold a whole frame yet. */
    int NEED_MORE = 0;

    /** Most bytes one {@link #skip} result may drop. */
    int MAX_SKIP = 1 << 30;

    /**
     * A {@link #frameLength} result for bytes that are not a valid frame but do not condemn the connection: the next
     * {@code bytes} are dropped and counted (the loop counter {@code frames garbled}), and decoding goes on after them.
     * FIX's session protocol, for one, asks that a garbled message be ignored, not rejected. Error codes stay small
     * negative numbers; skip results lie below them.
     *
     * @param bytes bytes to drop, 1 to {@link #MAX_SKIP}.
     * @return the result to return from {@link #frameLength}.
     */
    static int skip(final int bytes)
    {
        if (bytes < 1 || bytes > MAX_SKIP)
        {
            throw new IllegalArgumentException("bytes to skip: 1.." + MAX_SKIP + ": " + bytes);
        }
        return Integer.MIN_VALUE + 1 + bytes;
    }

    /**
     * @param result a {@link #frameLength} result.
     * @return the bytes it says to drop, or 0 if it is not a {@link #skip} result.
     */
    static int skipped(final int result)
    {
        return result < Integer.MIN_VALUE + 2 + MAX_SKIP && result != Integer.MIN_VALUE ?
            result - Integer.MIN_VALUE - 1 : 0;
    }

    /**
     * Length of the header in front of each payload.
     *
     * @return header bytes.
     */
    int headerLength();

    /**
     * Largest payload this codec accepts, in bytes.
     *
     * @return maximum payload length.
     */
    int maxFrameLength();

    /**
     * Looks at the bytes at {@code offset} and says whether a whole frame is there.
     *
     * @param buffer    received bytes.
     * @param offset    where the next frame starts.
     * @param available bytes available from {@code offset}.
     * @return the whole frame's length (header and payload, &gt; 0) when it is all there, {@link #NEED_MORE}, a
     *     {@link #skip} result for bytes to drop and go on (more than are available: the rest is dropped as it
     *     arrives), or a small negative error code (above {@code 1 - MAX_SKIP}) when the bytes can never be a valid
     *     frame and the connection must close (see {@link #describeError}).
     */
    int frameLength(DirectBuffer buffer, int offset, int available);

    /**
     * Writes the header of a frame whose payload of {@code payloadLength} bytes follows at
     * {@code offset + headerLength()}.
     *
     * @param buffer        destination.
     * @param offset        where the header starts.
     * @param payloadLength payload bytes, at most {@link #maxFrameLength()}.
     */
    void encodeHeader(MutableDirectBuffer buffer, int offset, int payloadLength);

    /**
     * Explains a negative {@link #frameLength} result for the close reason and the log. Called once per malformed
     * connection, off the hot path: it may allocate.
     *
     * @param errorCode the negative result.
     * @param buffer    the received bytes.
     * @param offset    where the offending frame starts.
     * @return one line for a human.
     */
    String describeError(int errorCode, DirectBuffer buffer, int offset);

    /** {@link #fragment} result: the frame carries a whole message. */
    int WHOLE = 0;
    /** {@link #fragment} result: the first fragment of a message. */
    int FIRST = 1;
    /** {@link #fragment} result: a fragment between the first and the last. */
    int MIDDLE = 2;
    /** {@link #fragment} result: the last fragment; the message is complete. */
    int LAST = 3;

    /**
     * Whether a frame carries a whole message or a fragment of one. Codecs without fragments keep the default.
     *
     * @param buffer        the receive buffer.
     * @param payloadOffset where the frame's payload starts.
     * @param payloadLength its length.
     * @return {@link #WHOLE}, {@link #FIRST}, {@link #MIDDLE} or {@link #LAST}.
     */
    default int fragment(final DirectBuffer buffer, final int payloadOffset, final int payloadLength)
    {
        return WHOLE;
    }

    /**
     * Which message a fragment belongs to, so fragments of different messages on one connection may interleave.
     *
     * @param buffer        the receive buffer.
     * @param payloadOffset where the frame's payload starts.
     * @param payloadLength its length.
     * @return the message key.
     */
    default long fragmentKey(final DirectBuffer buffer, final int payloadOffset, final int payloadLength)
    {
        return 0;
    }

    /**
     * Bytes at the start of a fragment's payload that describe the fragment rather than carry message data.
     *
     * @return the fragment header length (0 for codecs without fragments).
     */
    default int fragmentHeaderLength()
    {
        return 0;
    }
}
