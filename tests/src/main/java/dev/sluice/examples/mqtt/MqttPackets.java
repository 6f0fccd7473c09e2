package dev.sluice.examples.mqtt;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * MQTT 3.1.1 packet types, the reading of the fields packets are made of, and the encoding of what the broker sends.
 * Every method works in place on the buffer it is given and allocates nothing.
 */
final class MqttPackets
{
    static final int CONNECT = 1;
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBSCRIBE = 8;
    static final int SUBACK = 9;
    static final int UNSUBSCRIBE = 10;
    static final int UNSUBACK = 11;
    static final int PINGREQ = 12;
    static final int PINGRESP = 13;
    static final int DISCONNECT = 14;

    /** CONNACK return code: accepted. */
    static final int ACCEPTED = 0;
    /** CONNACK return code: the server does not support the protocol level asked for. */
    static final int UNACCEPTABLE_PROTOCOL = 1;
    /** CONNACK return code: the client identifier is not allowed. */
    static final int IDENTIFIER_REJECTED = 2;
    /** SUBACK return code for a filter that was not subscribed. */
    static final int SUBSCRIBE_FAILURE = 0x80;

    private MqttPackets()
    {
    }

    /**
     * @param firstByte a packet's first byte.
     * @return the packet type, 0 to 15.
     */
    static int type(final int firstByte)
    {
        return (firstByte >> 4) & 0x0F;
    }

    /**
     * Whether a fixed header's flags are the ones the packet type prescribes (PUBLISH, whose flags carry DUP, QoS
     * and RETAIN, is checked apart).
     *
     * @param firstByte the packet's first byte.
     * @return true if the reserved flags are as the protocol says.
     */
    static boolean reservedFlagsValid(final int firstByte)
    {
        final int flags = firstByte & 0x0F;
        final int type = type(firstByte);
        return type == PUBREL || type == SUBSCRIBE || type == UNSUBSCRIBE ? flags == 0b0010 : flags == 0;
    }

    /**
     * @param buffer the packet.
     * @param index  where a two-byte big-endian number starts.
     * @return the number, 0 to 65,535.
     */
    static int uint16(final DirectBuffer buffer, final int index)
    {
        return ((buffer.getByte(index) & 0xFF) << 8) | (buffer.getByte(index + 1) & 0xFF);
    }

    /**
     * Where the variable header starts: past the type byte and the Remaining Length.
     *
     * @param buffer the packet.
     * @param offset where it starts.
     * @return the offset of the byte after the Remaining Length.
     */
    static int bodyOffset(final DirectBuffer buffer, final int offset)
    {
        int at = offset + 1;
        while ((buffer.getByte(at) & 0x80) != 0)
        {
            at++;
        }
        return at + 1;
    }

    /**
     * Whether {@code length} bytes from {@code offset} are well-formed UTF-8 without U+0000, as MQTT asks of every
     * string (no surrogates, no overlong forms, nothing above U+10FFFF).
     *
     * @param buffer the bytes.
     * @param offset where they start.
     * @param length how many.
     * @return true if they are.
     */
    static boolean validUtf8(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int i = offset;
        while (i < end)
        {
            final int b = buffer.getByte(i) & 0xFF;
            if (b == 0)
            {
                return false;
            }
            if (b < 0x80)
            {
                i++;
                continue;
            }
            final int extra;
            int min;
            int max = 0xBF;
            if (b >= 0xC2 && b <= 0xDF)
            {
                extra = 1;
                min = 0x80;
            }
            else if (b >= 0xE0 && b <= 0xEF)
            {
                extra = 2;
                min = b == 0xE0 ? 0xA0 : 0x80;
                max = b == 0xED ? 0x9F : 0xBF; // no UTF-16 surrogates
            }
            else if (b >= 0xF0 && b <= 0xF4)
            {
                extra = 3;
                min = b == 0xF0 ? 0x90 : 0x80;
                max = b == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
            }
            else
            {
                return false;
            }
            if (i + extra >= end) // the sequence is cut short
            {
                return false;
            }
            for (int k = 1; k <= extra; k++)
            {
                final int c = buffer.getByte(i + k) & 0xFF;
                if (c < min || c > max)
                {
                    return false;
                }
                min = 0x80;
                max = 0xBF;
            }
            i += extra + 1;
        }
        return true;
    }

    /**
     * Whether a PUBLISH topic (or a will topic) is one: not empty, UTF-8 without NUL, no wildcard.
     *
     * @param buffer the packet.
     * @param start  where the topic starts.
     * @param end    where it ends (exclusive).
     * @return true if valid.
     */
    static boolean validTopic(final DirectBuffer buffer, final int start, final int end)
    {
        if (end <= start || !validUtf8(buffer, start, end - start))
        {
            return false;
        }
        for (int i = start; i < end; i++)
        {
            final byte b = buffer.getByte(i);
            if (b == '+' || b == '#')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes a QoS 0 PUBLISH.
     *
     * @param out           destination, large enough.
     * @param retain        the RETAIN flag.
     * @param topic         the topic's bytes.
     * @param topicOffset   where they start.
     * @param topicLength   how many.
     * @param payload       the payload's bytes.
     * @param payloadOffset where they start.
     * @param payloadLength how many.
     * @return the packet's length.
     */
    static int publish(final MutableDirectBuffer out, final boolean retain, final DirectBuffer topic,
        final int topicOffset, final int topicLength, final DirectBuffer payload, final int payloadOffset,
        final int payloadLength)
    {
        out.putByte(0, (byte)(PUBLISH << 4 | (retain ? 1 : 0)));
        int at = 1 + MqttFrameCodec.putRemainingLength(out, 1, 2 + topicLength + payloadLength);
        out.putByte(at++, (byte)(topicLength >> 8));
        out.putByte(at++, (byte)topicLength);
        out.putBytes(at, topic, topicOffset, topicLength);
        at += topicLength;
        out.putBytes(at, payload, payloadOffset, payloadLength);
        return at + payloadLength;
    }

    /**
     * Writes a packet of a type byte, a Remaining Length of 2 and a two-byte number: CONNACK, PUBACK, PUBREC,
     * PUBCOMP, UNSUBACK.
     *
     * @param out       destination.
     * @param firstByte type and flags.
     * @param value     the two bytes, big-endian.
     * @return the packet's length (4).
     */
    static int twoBytes(final MutableDirectBuffer out, final int firstByte, final int value)
    {
        out.putByte(0, (byte)firstByte);
        out.putByte(1, (byte)2);
        out.putByte(2, (byte)(value >> 8));
        out.putByte(3, (byte)value);
        return 4;
    }
}
