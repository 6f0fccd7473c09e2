package dev.sluice.codec;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The default framing: a 4-byte signed payload length (byte order configurable) followed by the payload.
 * <p>
 * A negative length, a zero length when zero-length frames are forbidden, or a length above the maximum can never
 * become a valid frame, so {@link #frameLength} reports them as soon as the 4 length bytes are in, without waiting
 * for a payload that will not fit.
 */
public final class LengthPrefixedFrameCodec implements FrameCodec
{
    /** Length prefix size. */
    public static final int HEADER_LENGTH = 4;
    /** Error: the length prefix is negative. */
    public static final int ERR_NEGATIVE_LENGTH = -1;
    /** Error: the length prefix is zero and zero-length frames are forbidden. */
    public static final int ERR_ZERO_LENGTH = -2;
    /** Error: the length prefix is above the maximum frame length. */
    public static final int ERR_TOO_LARGE = -3;

    private final ByteOrder byteOrder;
    private final int maxFrameLength;
    private final boolean allowZeroLength;

    /**
     * Creates the codec.
     *
     * @param byteOrder       byte order of the length prefix.
     * @param maxFrameLength  largest payload accepted, at least 1.
     * @param allowZeroLength whether a frame with an empty payload is valid.
     */
    public LengthPrefixedFrameCodec(final ByteOrder byteOrder, final int maxFrameLength, final boolean allowZeroLength)
    {
        if (maxFrameLength < 1)
        {
            throw new IllegalArgumentException("maxFrameLength must be at least 1: " + maxFrameLength);
        }
        this.byteOrder = byteOrder;
        this.maxFrameLength = maxFrameLength;
        this.allowZeroLength = allowZeroLength;
    }

    @Override
    public int headerLength()
    {
        return HEADER_LENGTH;
    }

    @Override
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /** @return whether a frame with an empty payload is valid. */
    public boolean allowsZeroLength()
    {
        return allowZeroLength;
    }

    /**
     * Byte order of the length prefix.
     *
     * @return the byte order.
     */
    public ByteOrder byteOrder()
    {
        return byteOrder;
    }

    @Override
    public int frameLength(final DirectBuffer buffer, final int offset, final int available)
    {
        if (available < HEADER_LENGTH)
        {
            return NEED_MORE;
        }
        final int length = buffer.getInt(offset, byteOrder);
        if (length < 0)
        {
            return ERR_NEGATIVE_LENGTH;
        }
        if (length == 0 && !allowZeroLength)
        {
            return ERR_ZERO_LENGTH;
        }
        if (length > maxFrameLength)
        {
            return ERR_TOO_LARGE;
        }
        final int frame = HEADER_LENGTH + length;
        return available >= frame ? frame : NEED_MORE;
    }

    @Override
    public void encodeHeader(final MutableDirectBuffer buffer, final int offset, final int payloadLength)
    {
        buffer.putInt(offset, payloadLength, byteOrder);
    }

    @Override
    public String describeError(final int errorCode, final DirectBuffer buffer, final int offset)
    {
        final int length = buffer.getInt(offset, byteOrder);
        switch (errorCode)
        {
            case ERR_NEGATIVE_LENGTH:
                return "negative length prefix " + length;
            case ERR_ZERO_LENGTH:
                return "zero length prefix (zero-length frames are not allowed)";
            case ERR_TOO_LARGE:
                return "length prefix " + length + " exceeds the maximum frame length " + maxFrameLength;
            default:
                return "unknown framing error " + errorCode;
        }
    }
}
