package dev.sluice.codec;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Length-prefixed frames whose payload starts with a fragment header: one byte of kind ({@link FrameCodec#WHOLE},
 * {@link FrameCodec#FIRST}, {@link FrameCodec#MIDDLE}, {@link FrameCodec#LAST}) and an 8-byte message key, then the
 * data. The engine assembles the fragments of a key into one message and hands it over whole (its data only).
 */
public final class FragmentingFrameCodec implements FrameCodec
{
    /** Bytes of the fragment header: kind (1) and key (8). */
    public static final int FRAGMENT_HEADER_LENGTH = 9;
    private static final int HEADER_OFFSET = LengthPrefixedFrameCodec.HEADER_LENGTH;
    private static final int ERR_SHORT = -10;

    private final LengthPrefixedFrameCodec frames;
    private final ByteOrder byteOrder;

    /**
     * Creates the codec.
     *
     * @param byteOrder      byte order of the length prefix and the key.
     * @param maxFrameLength largest frame payload (fragment header included).
     */
    public FragmentingFrameCodec(final ByteOrder byteOrder, final int maxFrameLength)
    {
        this.frames = new LengthPrefixedFrameCodec(byteOrder, maxFrameLength, false);
        this.byteOrder = byteOrder;
    }

    /**
     * Writes a fragment header at the start of a payload.
     *
     * @param buffer where the payload starts.
     * @param offset its offset.
     * @param kind   {@link FrameCodec#WHOLE}, {@link FrameCodec#FIRST}, {@link FrameCodec#MIDDLE} or
     *               {@link FrameCodec#LAST}.
     * @param key    the message key.
     */
    public void putFragmentHeader(final MutableDirectBuffer buffer, final int offset, final int kind, final long key)
    {
        buffer.putByte(offset, (byte)kind);
        buffer.putLong(offset + 1, key, byteOrder);
    }

    @Override
    public int headerLength()
    {
        return frames.headerLength();
    }

    @Override
    public int maxFrameLength()
    {
        return frames.maxFrameLength();
    }

    @Override
    public int frameLength(final DirectBuffer buffer, final int offset, final int available)
    {
        final int length = frames.frameLength(buffer, offset, available);
        if (length > 0 && length - HEADER_OFFSET < FRAGMENT_HEADER_LENGTH)
        {
            return ERR_SHORT;
        }
        return length;
    }

    @Override
    public void encodeHeader(final MutableDirectBuffer buffer, final int offset, final int payloadLength)
    {
        frames.encodeHeader(buffer, offset, payloadLength);
    }

    @Override
    public String describeError(final int errorCode, final DirectBuffer buffer, final int offset)
    {
        return errorCode == ERR_SHORT ? "frame shorter than its " + FRAGMENT_HEADER_LENGTH + "-byte fragment header" :
            frames.describeError(errorCode, buffer, offset);
    }

    @Override
    public int fragment(final DirectBuffer buffer, final int payloadOffset, final int payloadLength)
    {
        final int kind = buffer.getByte(payloadOffset);
        return kind >= WHOLE && kind <= LAST ? kind : WHOLE;
    }

    @Override
    public long fragmentKey(final DirectBuffer buffer, final int payloadOffset, final int payloadLength)
    {
        return buffer.getLong(payloadOffset + 1, byteOrder);
    }

    @Override
    public int fragmentHeaderLength()
    {
        return FRAGMENT_HEADER_LENGTH;
    }
}
