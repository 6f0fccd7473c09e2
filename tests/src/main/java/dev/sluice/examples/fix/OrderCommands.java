package dev.sluice.examples.fix;

import java.nio.ByteBuffer;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The hand-over of orders from the gateway's loop to the matching thread: a single-producer ring of fixed-size
 * records, written in place from the parsed FIX message (no object per order). When the ring is full the loop says
 * "not now" to the connection, which keeps the message and slows the client through TCP: nothing is dropped.
 * <p>
 * Record layout (type {@link #NEW} or {@link #CANCEL}): connection id (long, 0), symbol id (int, 8; -1 if unknown),
 * side, order type, time in force, OrdRejReason when the loop found the order unsupported or 0 (bytes, 12..15),
 * quantity (long, 16), limit price in units of 10^-4 (long, 24),
 * ClOrdID (length byte at 32, bytes from 33), OrigClOrdID (length byte at 65, bytes from 66), Symbol as sent
 * (length byte at 98, bytes from 99: a report of an unknown symbol names it).
 * <p>
 * <b>Threading:</b> {@link #offerNew} and {@link #offerCancel} on the loop thread, {@link #ring()} read by the
 * matching thread.
 */
public final class OrderCommands
{
    /** Record type: a NewOrderSingle. */
    public static final int NEW = 1;
    /** Record type: an OrderCancelRequest. */
    public static final int CANCEL = 2;
    /** Record type: the connection closed; its resting orders are canceled (nobody is told). */
    public static final int CANCEL_ALL = 3;
    /** Most bytes of a ClOrdID kept; a longer one is refused by the gateway. */
    public static final int MAX_ID = 32;
    /** Most bytes of a Symbol kept; a longer one is refused by the gateway. */
    public static final int MAX_SYMBOL = 16;
    /** Largest OrderQty taken: with {@link #MAX_PRICE}, a fill's notional stays within a long. */
    public static final long MAX_QUANTITY = 100_000_000L;
    /** Largest limit price taken, in units of 10^-4 (1,000,000.0000). */
    public static final long MAX_PRICE = 10_000_000_000L;
    /** Decimal places of a price unit. */
    public static final int PRICE_SCALE = 4;

    static final int CONNECTION = 0;
    static final int SYMBOL = 8;
    static final int SIDE = 12;
    static final int ORD_TYPE = 13;
    static final int TIME_IN_FORCE = 14;
    static final int REJECT = 15;
    static final int QUANTITY = 16;
    static final int PRICE = 24;
    static final int CL_ORD_ID = 32;
    static final int ORIG_CL_ORD_ID = CL_ORD_ID + 1 + MAX_ID;
    static final int SYMBOL_TEXT = ORIG_CL_ORD_ID + 1 + MAX_ID;
    static final int LENGTH = SYMBOL_TEXT + 1 + MAX_SYMBOL;

    private final OneToOneRingBuffer ring;

    /** @param capacity the ring's bytes (a power of 2). */
    public OrderCommands(final int capacity)
    {
        ring = new OneToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /** @return the ring the matching thread reads. */
    OneToOneRingBuffer ring()
    {
        return ring;
    }

    /**
     * Hands a NewOrderSingle over (loop thread).
     *
     * @return false if the ring is full (the caller says "not now").
     */
    boolean offerNew(final long connectionId, final int symbol, final byte side, final byte ordType,
        final byte timeInForce, final long quantity, final long price, final byte reject, final FixMessage in)
    {
        return offer(NEW, connectionId, symbol, side, ordType, timeInForce, quantity, price, reject, in);
    }

    /**
     * Hands an OrderCancelRequest over (loop thread).
     *
     * @return false if the ring is full (the caller says "not now").
     */
    boolean offerCancel(final long connectionId, final int symbol, final byte side, final FixMessage in)
    {
        return offer(CANCEL, connectionId, symbol, side, (byte)0, (byte)0, 0, 0, (byte)0, in);
    }

    private boolean offer(final int type, final long connectionId, final int symbol, final byte side,
        final byte ordType, final byte timeInForce, final long quantity, final long price, final byte reject,
        final FixMessage in)
    {
        final int at = ring.tryClaim(type, LENGTH);
        if (at < 0)
        {
            return false;
        }
        final MutableDirectBuffer b = ring.buffer();
        b.putLong(at + CONNECTION, connectionId);
        b.putInt(at + SYMBOL, symbol);
        b.putByte(at + SIDE, side);
        b.putByte(at + ORD_TYPE, ordType);
        b.putByte(at + TIME_IN_FORCE, timeInForce);
        b.putByte(at + REJECT, reject);
        b.putLong(at + QUANTITY, quantity);
        b.putLong(at + PRICE, price);
        copyId(in, 11, b, at + CL_ORD_ID);
        if (type == CANCEL)
        {
            copyId(in, 41, b, at + ORIG_CL_ORD_ID);
        }
        else
        {
            b.putByte(at + ORIG_CL_ORD_ID, (byte)0);
        }
        copyId(in, 55, b, at + SYMBOL_TEXT);
        ring.commit(at);
        return true;
    }

    /**
     * The connection closed (loop thread): its resting orders go.
     *
     * @return false if the ring is full (the caller tries again later).
     */
    boolean offerCancelAll(final long connectionId)
    {
        final int at = ring.tryClaim(CANCEL_ALL, Long.BYTES);
        if (at < 0)
        {
            return false;
        }
        ring.buffer().putLong(at + CONNECTION, connectionId);
        ring.commit(at);
        return true;
    }

    /**
     * @param in  a parsed message.
     * @param tag an identifier's tag.
     * @return true if the field is there and fits {@link #MAX_ID} bytes.
     */
    static boolean idFits(final FixMessage in, final int tag)
    {
        return in.find(tag) && in.valueLength() > 0 && in.valueLength() <= (tag == 55 ? MAX_SYMBOL : MAX_ID);
    }

    private static void copyId(final FixMessage in, final int tag, final MutableDirectBuffer to, final int at)
    {
        final int length = in.find(tag) ? Math.min(in.valueLength(), tag == 55 ? MAX_SYMBOL : MAX_ID) : 0;
        to.putByte(at, (byte)length);
        if (length > 0)
        {
            to.putBytes(at + 1, in.buffer(), in.valueAt(), length);
        }
    }

    /** Copies an identifier (length byte, then bytes) between records. */
    static void copyId(final DirectBuffer from, final int fromAt, final MutableDirectBuffer to, final int toAt)
    {
        final int length = from.getByte(fromAt);
        to.putByte(toAt, (byte)length);
        to.putBytes(toAt + 1, from, fromAt + 1, length);
    }
}
