package dev.sluice.examples.fix;

import dev.sluice.connection.Connection;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes FIX 4.4 messages: the fields go into a scratch buffer one after the other, then {@link #sendTo} claims
 * room in the connection's send buffer and writes {@code 8=FIX.4.4}, BodyLength, the fields and the CheckSum there.
 * Allocates nothing once built (timestamps are formatted by hand).
 * <p>
 * <b>Threading:</b> one thread (a loop's), one message at a time.
 */
public final class FixEncoder
{
    private static final byte[] BEGIN = {'8', '=', 'F', 'I', 'X', '.', '4', '.', '4', FixFrameCodec.SOH, '9', '='};
    /** Room a field needs besides its value: the tag's digits, '=' and SOH. */
    private static final int FIELD_OVERHEAD = 12;
    /** Room a number or a timestamp needs at most. */
    private static final int NUMBER = 21;
    private final UnsafeBuffer body;
    private int length;
    /** A field did not fit the scratch buffer: {@link #sendTo} refuses the message. */
    private boolean overflow;

    /** @param maxBody the largest message body (from MsgType to the last field) this encoder writes. */
    public FixEncoder(final int maxBody)
    {
        body = new UnsafeBuffer(new byte[maxBody]);
    }

    /**
     * Starts a message.
     *
     * @param msgType MsgType's bytes, e.g. {@code {'A'}} for Logon.
     * @return this encoder.
     */
    public FixEncoder begin(final byte[] msgType)
    {
        length = 0;
        overflow = false;
        return put(35, msgType);
    }

    /** @return true if {@code bytes} more fit; else the message is marked as too large and nothing is written. */
    private boolean room(final int bytes)
    {
        if (overflow || length + bytes > body.capacity())
        {
            overflow = true;
            return false;
        }
        return true;
    }

    /**
     * @param tag   a field's tag.
     * @param value its value's bytes.
     * @return this encoder.
     */
    public FixEncoder put(final int tag, final byte[] value)
    {
        if (!room(FIELD_OVERHEAD + value.length))
        {
            return this;
        }
        tag(tag);
        body.putBytes(length, value);
        length += value.length;
        body.putByte(length++, FixFrameCodec.SOH);
        return this;
    }

    /**
     * @param tag    a field's tag.
     * @param buffer where the value's bytes are.
     * @param offset where they start.
     * @param count  how many.
     * @return this encoder.
     */
    public FixEncoder put(final int tag, final DirectBuffer buffer, final int offset, final int count)
    {
        if (!room(FIELD_OVERHEAD + count))
        {
            return this;
        }
        tag(tag);
        body.putBytes(length, buffer, offset, count);
        length += count;
        body.putByte(length++, FixFrameCodec.SOH);
        return this;
    }

    /**
     * A text followed by a number, e.g. {@code MsgSeqNum too low, expecting 7}.
     *
     * @param tag    a field's tag.
     * @param text   the text's bytes.
     * @param number the number after it.
     * @return this encoder.
     */
    public FixEncoder put(final int tag, final byte[] text, final long number)
    {
        if (!room(FIELD_OVERHEAD + text.length + NUMBER))
        {
            return this;
        }
        tag(tag);
        body.putBytes(length, text);
        length += text.length;
        length += body.putLongAscii(length, number);
        body.putByte(length++, FixFrameCodec.SOH);
        return this;
    }

    /**
     * @param tag   a field's tag.
     * @param value a whole number, 0 or more.
     * @return this encoder.
     */
    public FixEncoder put(final int tag, final long value)
    {
        if (!room(FIELD_OVERHEAD + NUMBER))
        {
            return this;
        }
        tag(tag);
        length += body.putLongAscii(length, value);
        body.putByte(length++, FixFrameCodec.SOH);
        return this;
    }

    /**
     * @param tag   a field's tag.
     * @param value a one-character value (a FIX char field: Side, OrdStatus, ExecType).
     * @return this encoder.
     */
    public FixEncoder putChar(final int tag, final byte value)
    {
        if (!room(FIELD_OVERHEAD + 1))
        {
            return this;
        }
        tag(tag);
        body.putByte(length++, value);
        body.putByte(length++, FixFrameCodec.SOH);
        return this;
    }

    /**
     * A decimal field from a whole number of units of {@code 10^-scale}: 102500 at scale 4 is "10.25".
     *
     * @param tag   a field's tag.
     * @param units the value in units (not negative).
     * @param scale decimal places of a unit, 0 to 8.
     * @return this encoder.
     */
    public FixEncoder putDecimal(final int tag, final long units, final int scale)
    {
        long unit = 1;
        for (int i = 0; i < scale; i++)
        {
            unit *= 10;
        }
        long fraction = units % unit;
        int places = scale;
        while (places > 0 && fraction % 10 == 0)
        {
            fraction /= 10;
            places--;
        }
        if (!room(FIELD_OVERHEAD + NUMBER + 1 + scale))
        {
            return this;
        }
        tag(tag);
        length += body.putLongAscii(length, units / unit);
        if (places > 0)
        {
            body.putByte(length++, (byte)'.');
            long divisor = 1;
            for (int i = 1; i < places; i++)
            {
                divisor *= 10;
            }
            for (; divisor > 0; divisor /= 10)
            {
                body.putByte(length++, (byte)('0' + fraction / divisor % 10));
            }
        }
        body.putByte(length++, FixFrameCodec.SOH);
        return this;
    }

    /**
     * A UTCTimestamp with milliseconds: {@code yyyyMMdd-HH:mm:ss.SSS}.
     *
     * @param tag          a field's tag.
     * @param epochMillis  the time.
     * @return this encoder.
     */
    public FixEncoder putTimestamp(final int tag, final long epochMillis)
    {
        if (!room(FIELD_OVERHEAD + NUMBER))
        {
            return this;
        }
        tag(tag);
        final long days = Math.floorDiv(epochMillis, 86_400_000L);
        int millisOfDay = (int)Math.floorMod(epochMillis, 86_400_000L);
        // Civil date from days since 1970-01-01 (the proleptic Gregorian calendar).
        final long z = days + 719_468;
        final long era = Math.floorDiv(z, 146_097);
        final long doe = z - era * 146_097;
        final long yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        final long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        final long mp = (5 * doy + 2) / 153;
        final int day = (int)(doy - (153 * mp + 2) / 5 + 1);
        final int month = (int)(mp < 10 ? mp + 3 : mp - 9);
        final int year = (int)(yoe + era * 400 + (month <= 2 ? 1 : 0));
        digits(year, 4);
        digits(month, 2);
        digits(day, 2);
        body.putByte(length++, (byte)'-');
        digits(millisOfDay / 3_600_000, 2);
        millisOfDay %= 3_600_000;
        body.putByte(length++, (byte)':');
        digits(millisOfDay / 60_000, 2);
        millisOfDay %= 60_000;
        body.putByte(length++, (byte)':');
        digits(millisOfDay / 1_000, 2);
        body.putByte(length++, (byte)'.');
        digits(millisOfDay % 1_000, 3);
        body.putByte(length++, FixFrameCodec.SOH);
        return this;
    }

    /**
     * Writes the whole message into the connection's send buffer (loop thread, inside a callback).
     *
     * @param connection where to send it.
     * @return false if the connection could not take it (closed, or dropped as a slow consumer), or the message was
     *     larger than this encoder's scratch buffer (nothing is sent then).
     */
    public boolean sendTo(final Connection connection)
    {
        if (overflow)
        {
            return false;
        }
        final int at = connection.claim(messageLength(length));
        if (at < 0)
        {
            return false;
        }
        connection.commit(frame(connection.sendBuffer(), at, body, length) - at);
        return true;
    }

    /**
     * @param bodyLength a message's BodyLength.
     * @return the bytes of the whole message: BeginString, BodyLength, the body and CheckSum.
     */
    public static int messageLength(final int bodyLength)
    {
        return BEGIN.length + digitCount(bodyLength) + 1 + bodyLength + 7;
    }

    /**
     * Writes a whole message around a body: {@code 8=FIX.4.4}, BodyLength, the body (from MsgType to the last field's
     * SOH) and CheckSum, the sum of every byte before it modulo 256.
     *
     * @param out        where the message goes, with {@link #messageLength} bytes of room from {@code at}.
     * @param at         where it starts.
     * @param body       the body's bytes, from index 0.
     * @param bodyLength how many.
     * @return where the message ends.
     */
    public static int frame(final MutableDirectBuffer out, final int at, final DirectBuffer body, final int bodyLength)
    {
        out.putBytes(at, BEGIN);
        int p = at + BEGIN.length;
        p += out.putIntAscii(p, bodyLength);
        out.putByte(p++, FixFrameCodec.SOH);
        out.putBytes(p, body, 0, bodyLength);
        p += bodyLength;
        int checksum = 0;
        for (int i = at; i < p; i++)
        {
            checksum += out.getByte(i) & 0xFF;
        }
        checksum &= 0xFF;
        out.putByte(p++, (byte)'1');
        out.putByte(p++, (byte)'0');
        out.putByte(p++, (byte)'=');
        out.putByte(p++, (byte)('0' + checksum / 100));
        out.putByte(p++, (byte)('0' + checksum / 10 % 10));
        out.putByte(p++, (byte)('0' + checksum % 10));
        out.putByte(p++, FixFrameCodec.SOH);
        return p;
    }

    private void tag(final int tag)
    {
        length += body.putIntAscii(length, tag);
        body.putByte(length++, (byte)'=');
    }

    private void digits(final int value, final int width)
    {
        int divisor = 1;
        for (int i = 1; i < width; i++)
        {
            divisor *= 10;
        }
        for (; divisor > 0; divisor /= 10)
        {
            body.putByte(length++, (byte)('0' + value / divisor % 10));
        }
    }

    private static int digitCount(final int value)
    {
        int digits = 1;
        for (int v = value; v >= 10; v /= 10)
        {
            digits++;
        }
        return digits;
    }
}
