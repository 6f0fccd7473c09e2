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
     * @return the whole frame's length (header and payload, &gt; 0) when it is all there, {@link #NEED_MORE}, or a
     *     negative error code when the bytes can never be a valid frame (see {@link #describeError}).
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
