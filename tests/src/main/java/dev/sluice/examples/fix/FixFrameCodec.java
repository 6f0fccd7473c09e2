package dev.sluice.examples.fix;

import dev.sluice.codec.FrameCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * FIX 4.4 tag=value framing: a message is {@code 8=FIX.4.4<SOH>9=<BodyLength><SOH>}, then BodyLength bytes of
 * fields, then {@code 10=<CheckSum><SOH>}, where CheckSum is the sum of every byte before {@code 10=}, modulo 256, in
 * three digits. The whole message, from {@code 8=} to the last SOH, is the frame's payload ({@link #headerLength()}
 * is 0: the application writes BodyLength and CheckSum itself when it sends).
 * <p>
 * A garbled message (bytes before {@code 8=FIX.4.4}, a BodyLength that does not lead to {@code 10=}, a wrong
 * CheckSum) is dropped and counted, and the connection goes on, as the FIX session protocol asks
 * ({@link FrameCodec#skip}); the next message is looked for at the next {@code 8=FIX.4.4<SOH>}. Only a message larger
 * than the configured maximum closes the connection ({@link #TOO_LARGE}). Other BeginStrings (FIX.4.2, FIXT.1.1) are
 * not FIX 4.4 and are dropped like garbage; a BodyLength of more than seven digits is taken for garbage too.
 * <p>
 * Stateless, allocation-free, shared by every connection of an engine.
 */
public final class FixFrameCodec implements FrameCodec
{
    /** {@link #frameLength} error: the message's BodyLength makes it larger than the maximum. */
    public static final int TOO_LARGE = -1;
    /** The field delimiter. */
    public static final byte SOH = 1;

    private static final byte[] BEGIN = {'8', '=', 'F', 'I', 'X', '.', '4', '.', '4', SOH};
    /** {@code 10=NNN<SOH>}. */
    private static final int TRAILER = 7;
    /** Digits of BodyLength at most: messages are far smaller than 10^7 bytes. */
    private static final int MAX_LENGTH_DIGITS = 7;

    private final int maxMessage;

    /** @param maxMessage the largest message accepted, all of it from {@code 8=} to the last SOH. */
    public FixFrameCodec(final int maxMessage)
    {
        if (maxMessage < BEGIN.length + 4 + TRAILER)
        {
            throw new IllegalArgumentException("maxMessage too small for any FIX message: " + maxMessage);
        }
        this.maxMessage = maxMessage;
    }

    @Override
    public int headerLength()
    {
        return 0;
    }

    @Override
    public int maxFrameLength()
    {
        return maxMessage;
    }

    @Override
    public int frameLength(final DirectBuffer buffer, final int offset, final int available)
    {
        final int begun = matchBegin(buffer, offset, available);
        if (begun < 0)
        {
            return resync(buffer, offset, available); // not at 8=FIX.4.4: drop up to the next one
        }
        if (begun < BEGIN.length)
        {
            return NEED_MORE;
        }
        // 9=<digits><SOH>
        int at = offset + BEGIN.length;
        final int end = offset + available;
        if (at + 2 > end)
        {
            return NEED_MORE;
        }
        if (buffer.getByte(at) != '9' || buffer.getByte(at + 1) != '=')
        {
            return resync(buffer, offset, available);
        }
        at += 2;
        int bodyLength = 0;
        int digits = 0;
        while (true)
        {
            if (at >= end)
            {
                return NEED_MORE;
            }
            final byte b = buffer.getByte(at++);
            if (b == SOH && digits > 0)
            {
                break;
            }
            if (b < '0' || b > '9' || ++digits > MAX_LENGTH_DIGITS)
            {
                return resync(buffer, offset, available);
            }
            bodyLength = bodyLength * 10 + (b - '0');
        }
        final long total = (long)(at - offset) + bodyLength + TRAILER;
        if (total > maxMessage)
        {
            return TOO_LARGE;
        }
        if (total > available)
        {
            return NEED_MORE;
        }
        final int trailer = at + bodyLength;
        if (buffer.getByte(trailer - 1) != SOH || buffer.getByte(trailer) != '1' ||
            buffer.getByte(trailer + 1) != '0' || buffer.getByte(trailer + 2) != '=' ||
            buffer.getByte(trailer + TRAILER - 1) != SOH)
        {
            return resync(buffer, offset, available); // BodyLength does not lead to the CheckSum field
        }
        int checksum = 0;
        for (int i = offset; i < trailer; i++)
        {
            checksum += buffer.getByte(i) & 0xFF;
        }
        final int stated =
            digit(buffer, trailer + 3) * 100 + digit(buffer, trailer + 4) * 10 + digit(buffer, trailer + 5);
        if (stated != (checksum & 0xFF))
        {
            return FrameCodec.skip((int)total); // a whole message with a wrong CheckSum
        }
        return (int)total;
    }

    /** @return how many bytes of {@code 8=FIX.4.4<SOH>} match at {@code offset} (all, or all available), or -1. */
    private static int matchBegin(final DirectBuffer buffer, final int offset, final int available)
    {
        final int n = Math.min(available, BEGIN.length);
        for (int i = 0; i < n; i++)
        {
            if (buffer.getByte(offset + i) != BEGIN[i])
            {
                return -1;
            }
        }
        return n;
    }

    /**
     * Garbled bytes at {@code offset}: drops everything up to the next {@code 8=FIX.4.4<SOH>} (or up to a tail that
     * could be the start of one).
     */
    private static int resync(final DirectBuffer buffer, final int offset, final int available)
    {
        for (int i = 1; i < available; i++)
        {
            if (buffer.getByte(offset + i) == '8' && matchBegin(buffer, offset + i, available - i) >= 0)
            {
                return FrameCodec.skip(i);
            }
        }
        return FrameCodec.skip(available);
    }

    private static int digit(final DirectBuffer buffer, final int index)
    {
        final byte b = buffer.getByte(index);
        return b >= '0' && b <= '9' ? b - '0' : 1_000; // a non-digit can never match a checksum
    }

    @Override
    public void encodeHeader(final MutableDirectBuffer buffer, final int offset, final int payloadLength)
    {
        // No header: a FIX message carries its own BodyLength and CheckSum.
    }

    @Override
    public String describeError(final int errorCode, final DirectBuffer buffer, final int offset)
    {
        return errorCode == TOO_LARGE ? "a FIX message larger than the maximum of " + maxMessage + " bytes" :
            "FIX framing error " + errorCode;
    }
}
