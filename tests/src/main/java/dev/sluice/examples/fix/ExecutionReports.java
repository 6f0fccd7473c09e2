package dev.sluice.examples.fix;

import org.agrona.DirectBuffer;

/**
 * What the matching thread hands back for a session, as a fixed-size record that travels through the engine's
 * durability gate (and the journal), and how the loop turns it into the FIX message: an ExecutionReport (35=8) or an
 * OrderCancelReject (35=9), numbered by the session when the gate releases it.
 * <p>
 * Record layout: kind ('8' or '9', byte 0), ExecType, OrdStatus, Side (bytes 1..3), symbol id (int, 4), OrderID (8),
 * ExecID (16), OrderQty (24), Price (32), LastQty (40), LastPx (48), LeavesQty (56), CumQty (64), AvgPx (72; prices
 * in units of 10^-4), OrdType (byte 80), reject reason (byte 81, -1 for none), ClOrdID (length byte at 82, bytes from
 * 83), OrigClOrdID (length byte at 115, bytes from 116), the Symbol as sent when it is unknown (length byte at 148,
 * bytes from 149).
 * <p>
 * <b>Threading:</b> records are written by the matching thread; {@link #encode} runs on the loop thread.
 */
final class ExecutionReports
{
    static final byte REPORT = '8';
    static final byte CANCEL_REJECT = '9';
    static final int KIND = 0;
    static final int EXEC_TYPE = 1;
    static final int ORD_STATUS = 2;
    static final int SIDE = 3;
    static final int SYMBOL = 4;
    static final int ORDER_ID = 8;
    static final int EXEC_ID = 16;
    static final int ORDER_QTY = 24;
    static final int PRICE = 32;
    static final int LAST_QTY = 40;
    static final int LAST_PX = 48;
    static final int LEAVES_QTY = 56;
    static final int CUM_QTY = 64;
    static final int AVG_PX = 72;
    static final int ORD_TYPE = 80;
    static final int REASON = 81;
    static final int CL_ORD_ID = 82;
    static final int ORIG_CL_ORD_ID = CL_ORD_ID + 1 + OrderCommands.MAX_ID;
    static final int SYMBOL_TEXT = ORIG_CL_ORD_ID + 1 + OrderCommands.MAX_ID;
    static final int LENGTH = SYMBOL_TEXT + 1 + OrderCommands.MAX_SYMBOL;

    private static final byte[] EXECUTION_REPORT = {'8'};
    private static final byte[] ORDER_CANCEL_REJECT = {'9'};

    private ExecutionReports()
    {
    }

    /**
     * Writes the body of the FIX message for a record (after the header the caller wrote).
     *
     * @param record  the record.
     * @param at      where it starts.
     * @param symbols the gateway's symbols, by id.
     * @param out     an encoder with the message's header written ({@link #msgType} first).
     */
    static void encode(final DirectBuffer record, final int at, final byte[][] symbols, final FixEncoder out)
    {
        out.put(37, record.getLong(at + ORDER_ID));
        putId(out, 11, record, at + CL_ORD_ID);
        if (record.getByte(at + ORIG_CL_ORD_ID) > 0)
        {
            putId(out, 41, record, at + ORIG_CL_ORD_ID);
        }
        out.putChar(39, record.getByte(at + ORD_STATUS));
        final int reason = record.getByte(at + REASON);
        if (record.getByte(at + KIND) == CANCEL_REJECT)
        {
            out.putChar(434, (byte)'1').put(102, Math.max(reason, 0));
            return;
        }
        out.put(17, record.getLong(at + EXEC_ID)).putChar(150, record.getByte(at + EXEC_TYPE));
        final int symbol = record.getInt(at + SYMBOL);
        if (symbol >= 0)
        {
            out.put(55, symbols[symbol]);
        }
        else
        {
            putId(out, 55, record, at + SYMBOL_TEXT);
        }
        out.putChar(54, record.getByte(at + SIDE))
            .putDecimal(38, record.getLong(at + ORDER_QTY), 0);
        final byte ordType = record.getByte(at + ORD_TYPE);
        if (ordType != 0)
        {
            out.putChar(40, ordType);
        }
        if (ordType == '2')
        {
            out.putDecimal(44, record.getLong(at + PRICE), OrderCommands.PRICE_SCALE);
        }
        if (record.getLong(at + LAST_QTY) > 0)
        {
            out.putDecimal(32, record.getLong(at + LAST_QTY), 0)
                .putDecimal(31, record.getLong(at + LAST_PX), OrderCommands.PRICE_SCALE);
        }
        out.putDecimal(151, record.getLong(at + LEAVES_QTY), 0)
            .putDecimal(14, record.getLong(at + CUM_QTY), 0)
            .putDecimal(6, record.getLong(at + AVG_PX), OrderCommands.PRICE_SCALE);
        if (reason >= 0)
        {
            out.put(103, reason);
        }
    }

    /** @return the MsgType of the record's message. */
    static byte[] msgType(final DirectBuffer record, final int at)
    {
        return record.getByte(at + KIND) == CANCEL_REJECT ? ORDER_CANCEL_REJECT : EXECUTION_REPORT;
    }

    private static void putId(final FixEncoder out, final int tag, final DirectBuffer record, final int at)
    {
        out.put(tag, record, at + 1, record.getByte(at));
    }
}
