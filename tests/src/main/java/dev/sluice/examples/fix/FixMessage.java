package dev.sluice.examples.fix;

import org.agrona.DirectBuffer;

/**
 * A read-only view of one FIX tag=value message where it lies (the receive buffer), valid while the frame is: finds a
 * field by scanning, parses numbers in place, compares values without making a {@code String}.
 * <p>
 * <b>Threading:</b> one thread (the loop's), one message at a time.
 */
public final class FixMessage
{
    private DirectBuffer buffer;
    private int offset;
    private int end;
    /** Set by {@link #find}: where the value found starts, and its length. */
    private int valueAt;
    private int valueLength;

    /**
     * Views a message.
     *
     * @param messageBuffer where it is.
     * @param messageOffset where it starts ({@code 8=}).
     * @param length        its length, up to and including the CheckSum field's SOH.
     * @return this view.
     */
    public FixMessage wrap(final DirectBuffer messageBuffer, final int messageOffset, final int length)
    {
        this.buffer = messageBuffer;
        this.offset = messageOffset;
        this.end = messageOffset + length;
        return this;
    }

    /**
     * @param tag a field's tag.
     * @return true if the message has the field (its value is then at {@link #valueAt()}).
     */
    public boolean find(final int tag)
    {
        int at = offset;
        while (at < end)
        {
            // A tag is 1 to 9 digits then '='; a field that is not (a stray byte, no '=') is passed over whole.
            int number = 0;
            int digits = 0;
            byte b;
            while (at < end && (b = buffer.getByte(at)) >= '0' && b <= '9' && digits < 9)
            {
                number = number * 10 + (b - '0');
                digits++;
                at++;
            }
            final boolean wellFormed = digits > 0 && at < end && buffer.getByte(at) == '=';
            final int start = wellFormed ? ++at : at;
            while (at < end && buffer.getByte(at) != FixFrameCodec.SOH)
            {
                at++;
            }
            if (wellFormed && number == tag)
            {
                valueAt = start;
                valueLength = at - start;
                return true;
            }
            at++;
        }
        return false;
    }

    /** @return where the value {@link #find} found starts. */
    public int valueAt()
    {
        return valueAt;
    }

    /** @return the length of the value {@link #find} found. */
    public int valueLength()
    {
        return valueLength;
    }

    /**
     * @param tag     a field's tag.
     * @param missing what to answer without the field or with a value that is not a whole number.
     * @return the field's value as a number.
     */
    public long getLong(final int tag, final long missing)
    {
        if (!find(tag) || valueLength == 0 || valueLength > 18) // more digits than a long holds
        {
            return missing;
        }
        long value = 0;
        for (int i = valueAt; i < valueAt + valueLength; i++)
        {
            final byte b = buffer.getByte(i);
            if (b < '0' || b > '9')
            {
                return missing;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    /**
     * A decimal field (Price, OrderQty) as a whole number of units of {@code 10^-scale}: "10.25" at scale 4 is
     * 102500.
     *
     * @param tag     a field's tag.
     * @param scale   decimal places kept, 0 to 8; further digits must be zeros.
     * @param missing what to answer without the field, or with a value that is not such a non-negative decimal (or
     *                has more than {@code 18 - scale} significant digits before the point).
     * @return the value in units.
     */
    public long getDecimal(final int tag, final int scale, final long missing)
    {
        if (!find(tag) || valueLength == 0)
        {
            return missing;
        }
        long value = 0;
        int decimals = -1; // -1: no point yet
        int integerDigits = 0;
        int digits = 0;
        for (int i = valueAt; i < valueAt + valueLength; i++)
        {
            final byte b = buffer.getByte(i);
            if (b == '.' && decimals < 0)
            {
                decimals = 0;
                continue;
            }
            if (b < '0' || b > '9')
            {
                return missing;
            }
            digits++;
            if (decimals < 0)
            {
                if ((value != 0 || b != '0') && ++integerDigits > 18 - scale) // leading zeros do not count
                {
                    return missing; // too large for a long once scaled
                }
                value = value * 10 + (b - '0');
            }
            else if (decimals < scale)
            {
                value = value * 10 + (b - '0');
                decimals++;
            }
            else if (b != '0')
            {
                return missing; // more precision than the scale keeps
            }
        }
        if (digits == 0)
        {
            return missing; // "." alone
        }
        for (int d = Math.max(decimals, 0); d < scale; d++)
        {
            value *= 10;
        }
        return value;
    }

    /**
     * @param tag      a field's tag.
     * @param expected the value's bytes.
     * @return true if the field is there with exactly that value.
     */
    public boolean valueIs(final int tag, final byte[] expected)
    {
        if (!find(tag) || valueLength != expected.length)
        {
            return false;
        }
        for (int i = 0; i < expected.length; i++)
        {
            if (buffer.getByte(valueAt + i) != expected[i])
            {
                return false;
            }
        }
        return true;
    }

    /** @return MsgType (35) as its bytes in an int ({@code 'A'} for Logon, {@code 'A' << 8 | 'E'} for AE), or 0. */
    public int msgType()
    {
        if (!find(35) || valueLength < 1 || valueLength > 2)
        {
            return 0;
        }
        return valueLength == 1 ? buffer.getByte(valueAt) :
            buffer.getByte(valueAt) << 8 | buffer.getByte(valueAt + 1);
    }

    /** @return true if every field is a tag of 1 to 9 digits, '=', a value and SOH (the framing checked the rest). */
    public boolean fieldsWellFormed()
    {
        int at = offset;
        while (at < end)
        {
            int digits = 0;
            byte b;
            while (at < end && (b = buffer.getByte(at)) >= '0' && b <= '9')
            {
                digits++;
                at++;
            }
            if (digits == 0 || digits > 9 || at >= end || buffer.getByte(at) != '=')
            {
                return false;
            }
            while (at < end && buffer.getByte(at) != FixFrameCodec.SOH)
            {
                at++;
            }
            at++;
        }
        return true;
    }

    /** @return the buffer the message lies in. */
    public DirectBuffer buffer()
    {
        return buffer;
    }
}
