package dev.sluice.jmh.fix;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Locale;

import dev.sluice.examples.fix.FixEncoder;
import dev.sluice.examples.fix.FixFrameCodec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The FIX 4.4 messages the load client sends, written from precomputed pieces: the fixed fields of each message type
 * are byte arrays copied as they are, and only MsgSeqNum, ClOrdID and the timestamps are written in place. A body is
 * assembled in a scratch buffer, then framed into the session's send buffer by the gateway's own
 * {@link FixEncoder#frame} (BeginString, BodyLength, the body, CheckSum). Allocates nothing once built, except when
 * the UTC date changes (the date part of the timestamps is formatted again then, once a day).
 * <p>
 * Every message goes from {@code LOADn} to {@code GATEWAY}; orders are limit Day orders for 100 ACME at 10.5.
 * <p>
 * <b>Threading:</b> the load client's thread, one message at a time.
 */
final class LoadMessages
{
    /** The most bytes one message written here takes (a Heartbeat carries the TestReqID it answers). */
    static final int MAX_MESSAGE = 512;
    /** The TargetCompID of every session. */
    static final String TARGET = "GATEWAY";
    /** The one symbol traded. */
    static final String SYMBOL = "ACME";
    /** HeartBtInt asked for at Logon: long enough that no heartbeat is due while a session is busy. */
    static final int HEART_BT_INT = 30;

    private static final long DAY_MS = 86_400_000L;
    private static final byte[] SEQUENCE = ascii("\u000134=");
    private static final byte[] SENDER = ascii("\u000149=");
    private static final byte[] SENDING_TIME = ascii("\u000152=");
    private static final byte[] TARGET_FIELD = ascii("\u000156=" + TARGET + "\u0001");
    private static final byte[] ORDER_ID = ascii("11=");
    private static final byte[] ORDER_SIDE = ascii("\u000155=" + SYMBOL + "\u000154=");
    private static final byte[] TRANSACT_TIME = ascii("\u000160=");
    private static final byte[] ORDER_REST = ascii("\u000138=100\u000140=2\u000144=10.5\u000159=0\u0001");
    private static final byte[] LOGON_FIELDS = ascii("98=0\u0001108=" + HEART_BT_INT + "\u0001141=Y\u0001");
    private static final byte[] TEST_REQ_ID = ascii("112=");

    private final UnsafeBuffer body = new UnsafeBuffer(new byte[MAX_MESSAGE]);
    private final byte[] date = new byte[9];
    private long dayStart = Long.MIN_VALUE;
    private int length;

    /** @return the text's bytes in US-ASCII (a SenderCompID, a template). */
    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A Logon: HeartBtInt {@link #HEART_BT_INT}, ResetSeqNumFlag=Y (both ends start at 1).
     *
     * @return where the message ends in {@code out}.
     */
    int logon(final MutableDirectBuffer out, final int at, final long sequence, final byte[] sender,
        final long millis)
    {
        header('A', sequence, sender, millis);
        put(LOGON_FIELDS);
        return finish(out, at);
    }

    /**
     * A NewOrderSingle: limit, Day, 100 ACME at 10.5; a buy or a sell.
     *
     * @return where the message ends in {@code out}.
     */
    int order(final MutableDirectBuffer out, final int at, final long sequence, final byte[] sender,
        final long millis, final long clOrdId, final boolean buy)
    {
        header('D', sequence, sender, millis);
        put(ORDER_ID);
        length += body.putLongAscii(length, clOrdId);
        put(ORDER_SIDE);
        body.putByte(length++, buy ? (byte)'1' : (byte)'2');
        put(TRANSACT_TIME);
        timestamp(millis);
        put(ORDER_REST);
        return finish(out, at);
    }

    /**
     * A Heartbeat answering a TestRequest, with its TestReqID.
     *
     * @return where the message ends in {@code out}.
     */
    int heartbeat(final MutableDirectBuffer out, final int at, final long sequence, final byte[] sender,
        final long millis, final DirectBuffer testReqId, final int idAt, final int idLength)
    {
        header('0', sequence, sender, millis);
        put(TEST_REQ_ID);
        final int n = Math.min(idLength, MAX_MESSAGE / 2); // a TestReqID longer than that is cut: it is only echoed
        body.putBytes(length, testReqId, idAt, n);
        length += n;
        body.putByte(length++, FixFrameCodec.SOH);
        return finish(out, at);
    }

    /**
     * A Logout.
     *
     * @return where the message ends in {@code out}.
     */
    int logout(final MutableDirectBuffer out, final int at, final long sequence, final byte[] sender,
        final long millis)
    {
        header('5', sequence, sender, millis);
        return finish(out, at);
    }

    private void header(final char msgType, final long sequence, final byte[] sender, final long millis)
    {
        length = 0;
        body.putByte(length++, (byte)'3');
        body.putByte(length++, (byte)'5');
        body.putByte(length++, (byte)'=');
        body.putByte(length++, (byte)msgType);
        put(SEQUENCE);
        length += body.putLongAscii(length, sequence);
        put(SENDER);
        put(sender);
        put(SENDING_TIME);
        timestamp(millis);
        put(TARGET_FIELD);
    }

    private void put(final byte[] bytes)
    {
        body.putBytes(length, bytes);
        length += bytes.length;
    }

    /** {@code yyyyMMdd-HH:mm:ss.SSS} in UTC: the date from a cache, the time of day by arithmetic. */
    private void timestamp(final long millis)
    {
        if (millis < dayStart || millis >= dayStart + DAY_MS)
        {
            final long day = Math.floorDiv(millis, DAY_MS);
            final LocalDate local = LocalDate.ofEpochDay(day); // once a day: the only allocation after Logon
            final String text = String.format(Locale.ROOT, "%04d%02d%02d-", local.getYear(), local.getMonthValue(),
                local.getDayOfMonth());
            System.arraycopy(ascii(text), 0, date, 0, date.length);
            dayStart = day * DAY_MS;
        }
        put(date);
        final int ms = (int)(millis - dayStart);
        digits(ms / 3_600_000, 2);
        body.putByte(length++, (byte)':');
        digits(ms / 60_000 % 60, 2);
        body.putByte(length++, (byte)':');
        digits(ms / 1_000 % 60, 2);
        body.putByte(length++, (byte)'.');
        digits(ms % 1_000, 3);
    }

    private void digits(final int value, final int width)
    {
        int divisor = width == 3 ? 100 : 10;
        for (; divisor > 0; divisor /= 10)
        {
            body.putByte(length++, (byte)('0' + value / divisor % 10));
        }
    }

    /** Writes the whole message at {@code at}: BeginString, BodyLength, the body, CheckSum. */
    private int finish(final MutableDirectBuffer out, final int at)
    {
        return FixEncoder.frame(out, at, body, length);
    }
}
