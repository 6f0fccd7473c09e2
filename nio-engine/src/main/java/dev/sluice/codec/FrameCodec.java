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
}
