package dev.sluice.examples.mqtt;

import dev.sluice.codec.FrameCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * MQTT 3.1.1 framing: a packet is one byte of type and flags, the Remaining Length in one to four bytes (seven bits
 * each, least significant first, the top bit saying another byte follows), then that many bytes. The whole packet,
 * fixed header included, is the frame's payload ({@link #headerLength()} is 0: the broker writes the fixed header
 * itself when it sends, since its first byte carries the packet type).
 * <p>
 * A Remaining Length that runs on past four bytes ({@link #BAD_LENGTH}) or makes the packet larger than the broker
 * takes ({@link #TOO_LARGE}) can never be read past: the connection closes. Everything inside the packet (flags,
 * lengths of its fields) is checked by the broker, which knows each packet's rules.
 * <p>
 * Stateless, allocation-free, shared by every connection of an engine.
 */
public final class MqttFrameCodec implements FrameCodec
{
    /** {@link #frameLength} error: the Remaining Length has a fifth byte. */
    public static final int BAD_LENGTH = -1;
    /** {@link #frameLength} error: the packet is larger than the maximum. */
    public static final int TOO_LARGE = -2;
    /** Remaining Length bytes at most. */
    private static final int MAX_LENGTH_BYTES = 4;

    private final int maxPacket;

    /** @param maxPacket the largest packet accepted, fixed header included (at least 5 bytes). */
    public MqttFrameCodec(final int maxPacket)
    {
        if (maxPacket < 1 + MAX_LENGTH_BYTES)
        {
            throw new IllegalArgumentException("maxPacket too small: " + maxPacket);
        }
        this.maxPacket = maxPacket;
    }

    @Override
    public int headerLength()
    {
        return 0;
    }

    @Override
    public int maxFrameLength()
    {
        return maxPacket;
    }

    @Override
    public int frameLength(final DirectBuffer buffer, final int offset, final int available)
    {
        int remaining = 0;
        int shift = 0;
        for (int i = 1; i <= MAX_LENGTH_BYTES; i++)
        {
            if (i >= available)
            {
                return NEED_MORE;
            }
            final int b = buffer.getByte(offset + i) & 0xFF;
            remaining |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                final long total = 1L + i + remaining;
                if (total > maxPacket)
                {
                    return TOO_LARGE;
                }
                return total <= available ? (int)total : NEED_MORE;
            }
            shift += 7;
        }
        return BAD_LENGTH;
    }

    @Override
    public void encodeHeader(final MutableDirectBuffer buffer, final int offset, final int payloadLength)
    {
        // headerLength() is 0: packets carry their own fixed header.
    }

    @Override
    public String describeError(final int errorCode, final DirectBuffer buffer, final int offset)
    {
        return errorCode == TOO_LARGE ? "MQTT packet larger than " + maxPacket + " bytes" :
            "MQTT Remaining Length longer than four bytes";
    }

    /**
     * Writes a Remaining Length.
     *
     * @param buffer destination.
     * @param offset where it goes.
     * @param length the value, at most 268,435,455.
     * @return bytes written (1 to 4).
     */
    public static int putRemainingLength(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        int value = length;
        int at = offset;
        do
        {
            int b = value & 0x7F;
            value >>>= 7;
            if (value > 0)
            {
                b |= 0x80;
            }
            buffer.putByte(at++, (byte)b);
        }
        while (value > 0);
        return at - offset;
    }

    /**
     * @param length a Remaining Length.
     * @return bytes it takes on the wire.
     */
    public static int remainingLengthBytes(final int length)
    {
        return length < 128 ? 1 : length < 16_384 ? 2 : length < 2_097_152 ? 3 : 4;
    }
}
