package dev.sluice.examples.fix;

import dev.sluice.gate.ResponsePublisher;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The gateway's matching thread: takes orders from the loop's ring ({@link OrderCommands}), matches them against a
 * price-time book per symbol ({@link OrderBook}; limit and market orders, Day and IOC), and answers each with
 * execution reports (New, Trade, Canceled, Rejected) or an OrderCancelReject, written as records
 * ({@link ExecutionReports}) that are numbered by the {@link Sequencer} (the journal, when the gateway is gated) and
 * published to the engine's durability gate, which releases them to the session's loop.
 * <p>
 * <b>Threading:</b> one thread of its own ({@link #run}); allocates nothing per order.
 */
final class MatchingEngine implements Runnable, MessageHandler
{
    /** Numbers the records the matching thread hands back, in order: the gate's sequence for each. */
    interface Sequencer
    {
        /**
         * @param record a record (matching thread).
         * @param length its length.
         * @return its sequence, from 1, one more than the previous record's.
         */
        long append(DirectBuffer record, int length);
    }

    private final OrderCommands commands;
    private final OrderBook book;
    private final ResponsePublisher responses;
    private final Sequencer sequencer;
    private final IdleStrategy idle;
    private final UnsafeBuffer report = new UnsafeBuffer(new byte[ExecutionReports.LENGTH]);
    private volatile boolean running = true;
    private long nextOrderId;
    private long nextExecId;

    /**
     * @param idBase the first OrderID and ExecID: a run's start in milliseconds times a million keeps them unique
     *               across restarts of the gateway (fewer than a million per millisecond of the previous run).
     */
    MatchingEngine(final OrderCommands commands, final int symbols, final int capacity,
        final ResponsePublisher responses, final Sequencer sequencer, final IdleStrategy idle, final long idBase)
    {
        this.nextOrderId = idBase;
        this.nextExecId = idBase;
        this.commands = commands;
        this.book = new OrderBook(symbols, capacity);
        this.responses = responses;
        this.sequencer = sequencer;
        this.idle = idle;
    }

    @Override
    public void run()
    {
        while (running)
        {
            idle.idle(commands.ring().read(this, 64));
        }
    }

    void stop()
    {
        running = false;
    }

    @Override
    public void onMessage(final int type, final MutableDirectBuffer command, final int at, final int length)
    {
        final long connectionId = command.getLong(at + OrderCommands.CONNECTION);
        if (type == OrderCommands.CANCEL_ALL)
        {
            book.removeAll(connectionId);
            return;
        }
        final int symbol = command.getInt(at + OrderCommands.SYMBOL);
        if (type == OrderCommands.CANCEL)
        {
            cancel(connectionId, symbol, command, at);
            return;
        }
        final long quantity = command.getLong(at + OrderCommands.QUANTITY);
        final byte ordType = command.getByte(at + OrderCommands.ORD_TYPE);
        final int unsupported = command.getByte(at + OrderCommands.REJECT);
        final int order = symbol < 0 || quantity <= 0 || unsupported != 0 ? -1 : book.allocate();
        if (order < 0)
        {
            // 1: unknown symbol; 13: incorrect quantity; 11: unsupported (the loop said); 99: other (the book is full)
            reject(connectionId, symbol, command, at,
                symbol < 0 ? 1 : quantity <= 0 ? 13 : unsupported != 0 ? unsupported : 99);
            return;
        }
        book.orderId[order] = nextOrderId++;
        book.connection[order] = connectionId;
        book.side[order] = command.getByte(at + OrderCommands.SIDE);
        book.ordType[order] = ordType;
        book.price[order] = command.getLong(at + OrderCommands.PRICE);
        book.quantity[order] = quantity;
        book.leaves[order] = quantity;
        book.cum[order] = 0;
        book.value[order] = 0;
        book.copyIdFrom(order, command, at + OrderCommands.CL_ORD_ID);
        publish(order, symbol, (byte)'0', (byte)'0', 0, 0, -1);
        match(symbol, order);
        if (book.leaves[order] == 0)
        {
            book.release(order);
        }
        else if (ordType == '1' || command.getByte(at + OrderCommands.TIME_IN_FORCE) == '3')
        {
            book.leaves[order] = 0; // market and IOC: what did not fill now is canceled
            publish(order, symbol, (byte)'4', (byte)'4', 0, 0, -1);
            book.release(order);
        }
        else
        {
            book.rest(symbol, order);
        }
    }

    private void match(final int symbol, final int order)
    {
        final boolean market = book.ordType[order] == '1';
        int resting;
        while (book.leaves[order] > 0 && (resting = book.bestOpposite(symbol, book.side[order])) >= 0)
        {
            final long px = book.price[resting];
            if (!market && (book.side[order] == '1' ? px > book.price[order] : px < book.price[order]))
            {
                return;
            }
            final long qty = Math.min(book.leaves[order], book.leaves[resting]);
            fill(order, qty, px);
            fill(resting, qty, px);
            publish(order, symbol, (byte)'F', status(order), qty, px, -1);
            publish(resting, symbol, (byte)'F', status(resting), qty, px, -1);
            if (book.leaves[resting] == 0)
            {
                book.remove(symbol, resting);
                book.release(resting);
            }
        }
    }

    private void fill(final int order, final long qty, final long px)
    {
        book.leaves[order] -= qty;
        book.cum[order] += qty;
        book.value[order] += qty * px;
    }

    private byte status(final int order)
    {
        return book.leaves[order] == 0 ? (byte)'2' : (byte)'1';
    }

    private void cancel(final long connectionId, final int symbol, final DirectBuffer command, final int at)
    {
        final byte side = command.getByte(at + OrderCommands.SIDE);
        final int order = symbol < 0 ? -1 :
            book.find(symbol, side, connectionId, command, at + OrderCommands.ORIG_CL_ORD_ID);
        report.setMemory(0, ExecutionReports.LENGTH, (byte)0);
        OrderCommands.copyId(command, at + OrderCommands.CL_ORD_ID, report, ExecutionReports.CL_ORD_ID);
        OrderCommands.copyId(command, at + OrderCommands.ORIG_CL_ORD_ID, report, ExecutionReports.ORIG_CL_ORD_ID);
        if (order < 0)
        {
            report.putByte(ExecutionReports.KIND, ExecutionReports.CANCEL_REJECT);
            report.putByte(ExecutionReports.ORD_STATUS, (byte)'8');
            report.putByte(ExecutionReports.REASON, (byte)1); // CxlRejReason 1: unknown order
            send(connectionId);
            return;
        }
        book.remove(symbol, order);
        book.leaves[order] = 0;
        fillReport(order, symbol, (byte)'4', (byte)'4', 0, 0, -1);
        send(connectionId);
        book.release(order);
    }

    private void reject(final long connectionId, final int symbol, final DirectBuffer command, final int at,
        final int reason)
    {
        report.setMemory(0, ExecutionReports.LENGTH, (byte)0);
        report.putByte(ExecutionReports.KIND, ExecutionReports.REPORT);
        report.putByte(ExecutionReports.EXEC_TYPE, (byte)'8');
        report.putByte(ExecutionReports.ORD_STATUS, (byte)'8');
        report.putByte(ExecutionReports.SIDE, command.getByte(at + OrderCommands.SIDE));
        report.putInt(ExecutionReports.SYMBOL, symbol);
        report.putLong(ExecutionReports.ORDER_QTY, Math.max(0, command.getLong(at + OrderCommands.QUANTITY)));
        report.putByte(ExecutionReports.ORD_TYPE, command.getByte(at + OrderCommands.ORD_TYPE));
        report.putLong(ExecutionReports.PRICE, command.getLong(at + OrderCommands.PRICE));
        report.putLong(ExecutionReports.EXEC_ID, nextExecId++);
        report.putByte(ExecutionReports.REASON, (byte)reason);
        OrderCommands.copyId(command, at + OrderCommands.CL_ORD_ID, report, ExecutionReports.CL_ORD_ID);
        OrderCommands.copyId(command, at + OrderCommands.SYMBOL_TEXT, report, ExecutionReports.SYMBOL_TEXT);
        send(connectionId);
    }

    private void publish(final int order, final int symbol, final byte execType, final byte status,
        final long lastQty, final long lastPx, final int reason)
    {
        report.setMemory(0, ExecutionReports.LENGTH, (byte)0);
        book.copyIdTo(order, report, ExecutionReports.CL_ORD_ID);
        fillReport(order, symbol, execType, status, lastQty, lastPx, reason);
        send(book.connection[order]);
    }

    private void fillReport(final int order, final int symbol, final byte execType, final byte status,
        final long lastQty, final long lastPx, final int reason)
    {
        report.putByte(ExecutionReports.KIND, ExecutionReports.REPORT);
        report.putByte(ExecutionReports.EXEC_TYPE, execType);
        report.putByte(ExecutionReports.ORD_STATUS, status);
        report.putByte(ExecutionReports.SIDE, book.side[order]);
        report.putInt(ExecutionReports.SYMBOL, symbol);
        report.putLong(ExecutionReports.ORDER_ID, book.orderId[order]);
        report.putLong(ExecutionReports.EXEC_ID, nextExecId++);
        report.putLong(ExecutionReports.ORDER_QTY, book.quantity[order]);
        report.putLong(ExecutionReports.PRICE, book.price[order]);
        report.putLong(ExecutionReports.LAST_QTY, lastQty);
        report.putLong(ExecutionReports.LAST_PX, lastPx);
        report.putLong(ExecutionReports.LEAVES_QTY, book.leaves[order]);
        report.putLong(ExecutionReports.CUM_QTY, book.cum[order]);
        report.putLong(ExecutionReports.AVG_PX, book.cum[order] == 0 ? 0 : book.value[order] / book.cum[order]);
        report.putByte(ExecutionReports.ORD_TYPE, book.ordType[order]);
        report.putByte(ExecutionReports.REASON, (byte)reason);
    }

    /** Numbers the record and hands it to the gate, waiting while the gate's ring is full (back-pressure). */
    private void send(final long connectionId)
    {
        final long sequence = sequencer.append(report, ExecutionReports.LENGTH);
        while (!responses.publish(connectionId, sequence, false, false, report, 0, ExecutionReports.LENGTH))
        {
            if (!running)
            {
                return;
            }
            idle.idle(0);
        }
    }
}
