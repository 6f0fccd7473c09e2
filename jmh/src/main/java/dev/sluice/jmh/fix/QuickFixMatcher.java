package dev.sluice.jmh.fix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import quickfix.Application;
import quickfix.FieldNotFound;
import quickfix.IncorrectTagValue;
import quickfix.Message;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionNotFound;
import quickfix.UnsupportedMessageType;
import quickfix.field.AvgPx;
import quickfix.field.ClOrdID;
import quickfix.field.CumQty;
import quickfix.field.ExecID;
import quickfix.field.ExecType;
import quickfix.field.LastPx;
import quickfix.field.LastQty;
import quickfix.field.LeavesQty;
import quickfix.field.MsgType;
import quickfix.field.OrdRejReason;
import quickfix.field.OrdStatus;
import quickfix.field.OrdType;
import quickfix.field.OrderID;
import quickfix.field.OrderQty;
import quickfix.field.Price;
import quickfix.field.Side;
import quickfix.field.Symbol;
import quickfix.field.TimeInForce;
import quickfix.fix44.ExecutionReport;
import quickfix.fix44.MessageCracker;
import quickfix.fix44.NewOrderSingle;

/**
 * The order matching of the FIX gateway example, written as a QuickFIX/J application would be: a
 * {@link MessageCracker} for NewOrderSingle, a price-time book per symbol in two sorted {@link ArrayList}s, and
 * {@link Session#sendToTarget} for the execution reports. Limit Day orders are matched (anything else is rejected, as
 * the benchmark sends none): an ExecutionReport New (ExecType 0, OrdStatus 0) for every order, and for each fill
 * against a resting order of the other side one to each of the two (ExecType F, LastQty, LastPx, CumQty, AvgPx,
 * LeavesQty; OrdStatus 1 or 2) at the resting order's price. A session's resting orders go when it logs out, as the
 * gateway cancels them when the connection closes.
 * <p>
 * <b>Threading:</b> QuickFIX/J's default thread model hands every session's messages to one thread; the book is
 * guarded by this object's monitor all the same, so another thread model would stay correct.
 */
final class QuickFixMatcher extends MessageCracker implements Application
{
    /** A resting or incoming order. */
    private static final class Order
    {
        final SessionID owner;
        final String clOrdId;
        final String orderId;
        final String symbol;
        final char side;
        final double price;
        final double quantity;
        double leaves;
        double cum;
        double value;

        Order(final SessionID owner, final String clOrdId, final String orderId, final String symbol, final char side,
            final double price, final double quantity)
        {
            this.owner = owner;
            this.clOrdId = clOrdId;
            this.orderId = orderId;
            this.symbol = symbol;
            this.side = side;
            this.price = price;
            this.quantity = quantity;
            this.leaves = quantity;
        }

        boolean buy()
        {
            return side == Side.BUY;
        }

        void fill(final double qty, final double px)
        {
            leaves -= qty;
            cum += qty;
            value += qty * px;
        }
    }

    /** One symbol's book: each side best first, and at one price earliest first. */
    private static final class Book
    {
        final List<Order> bids = new ArrayList<>();
        final List<Order> asks = new ArrayList<>();

        void rest(final Order order)
        {
            final List<Order> side = order.buy() ? bids : asks;
            int at = side.size();
            while (at > 0 && (order.buy() ? side.get(at - 1).price < order.price :
                side.get(at - 1).price > order.price))
            {
                at--;
            }
            side.add(at, order);
        }
    }

    private final Map<String, Book> books = new HashMap<>();
    private final AtomicLong orders = new AtomicLong();
    private final AtomicLong reports = new AtomicLong();
    private final AtomicLong rejectsSent = new AtomicLong();
    private final AtomicLong logons = new AtomicLong();
    private long nextOrderId;
    private long nextExecId;

    @Override
    public void fromApp(final Message message, final SessionID sessionId)
        throws FieldNotFound, IncorrectTagValue, UnsupportedMessageType
    {
        crack(message, sessionId);
    }

    /** Matches a NewOrderSingle and sends its execution reports (QuickFIX/J's thread for the sessions). */
    @Override
    public synchronized void onMessage(final NewOrderSingle message, final SessionID sessionId) throws FieldNotFound
    {
        orders.incrementAndGet();
        final char ordType = message.getOrdType().getValue();
        final char timeInForce = message.isSetTimeInForce() ? message.getTimeInForce().getValue() : TimeInForce.DAY;
        final Order order = new Order(sessionId, message.getClOrdID().getValue(), Long.toString(++nextOrderId),
            message.getSymbol().getValue(), message.getSide().getValue(),
            ordType == OrdType.LIMIT ? message.getPrice().getValue() : 0, message.getOrderQty().getValue());
        if (ordType != OrdType.LIMIT || timeInForce != TimeInForce.DAY || !(order.buy() || order.side == Side.SELL))
        {
            order.leaves = 0;
            final ExecutionReport rejected = report(order, ExecType.REJECTED, OrdStatus.REJECTED);
            rejected.set(new OrdRejReason(OrdRejReason.UNSUPPORTED_ORDER_CHARACTERISTIC));
            send(rejected, order.owner);
            return;
        }
        send(report(order, ExecType.NEW, OrdStatus.NEW), order.owner);
        final Book book = books.computeIfAbsent(order.symbol, symbol -> new Book());
        final List<Order> opposite = order.buy() ? book.asks : book.bids;
        while (order.leaves > 0 && !opposite.isEmpty())
        {
            final Order resting = opposite.get(0);
            if (order.buy() ? resting.price > order.price : resting.price < order.price)
            {
                break;
            }
            final double qty = Math.min(order.leaves, resting.leaves);
            order.fill(qty, resting.price);
            resting.fill(qty, resting.price);
            send(fill(order, qty, resting.price), order.owner);
            send(fill(resting, qty, resting.price), resting.owner);
            if (resting.leaves == 0)
            {
                opposite.remove(0);
            }
        }
        if (order.leaves > 0)
        {
            book.rest(order);
        }
    }

    private ExecutionReport report(final Order order, final char execType, final char ordStatus)
    {
        final ExecutionReport report = new ExecutionReport(new OrderID(order.orderId),
            new ExecID(Long.toString(++nextExecId)), new ExecType(execType), new OrdStatus(ordStatus),
            new Side(order.side), new LeavesQty(order.leaves), new CumQty(order.cum),
            new AvgPx(order.cum == 0 ? 0 : order.value / order.cum));
        report.set(new ClOrdID(order.clOrdId));
        report.set(new Symbol(order.symbol));
        report.set(new OrderQty(order.quantity));
        report.set(new OrdType(OrdType.LIMIT));
        report.set(new Price(order.price));
        return report;
    }

    private ExecutionReport fill(final Order order, final double qty, final double px)
    {
        final ExecutionReport report =
            report(order, ExecType.TRADE, order.leaves == 0 ? OrdStatus.FILLED : OrdStatus.PARTIALLY_FILLED);
        report.set(new LastQty(qty));
        report.set(new LastPx(px));
        return report;
    }

    private void send(final ExecutionReport report, final SessionID to)
    {
        try
        {
            Session.sendToTarget(report, to);
            reports.incrementAndGet();
        }
        catch (final SessionNotFound ex)
        {
            throw new IllegalStateException("no session " + to, ex);
        }
    }

    /** A session that logs out leaves no order resting: nobody could cancel it. */
    @Override
    public synchronized void onLogout(final SessionID sessionId)
    {
        for (final Book book : books.values())
        {
            book.bids.removeIf(order -> order.owner.equals(sessionId));
            book.asks.removeIf(order -> order.owner.equals(sessionId));
        }
    }

    @Override
    public void onLogon(final SessionID sessionId)
    {
        logons.incrementAndGet();
    }

    @Override
    public void toAdmin(final Message message, final SessionID sessionId)
    {
        if (isReject(message))
        {
            rejectsSent.incrementAndGet(); // a Reject means QuickFIX/J refused a message of the load client
        }
    }

    private static boolean isReject(final Message message)
    {
        try
        {
            return MsgType.REJECT.equals(message.getHeader().getString(MsgType.FIELD));
        }
        catch (final FieldNotFound ex)
        {
            return false;
        }
    }

    @Override
    public void onCreate(final SessionID sessionId)
    {
    }

    @Override
    public void fromAdmin(final Message message, final SessionID sessionId)
    {
    }

    @Override
    public void toApp(final Message message, final SessionID sessionId)
    {
    }

    /** @return the counters for {@link ServerControl}. */
    String stats()
    {
        return "orders=" + orders.get() + " reports=" + reports.get() + " rejectsSent=" + rejectsSent.get() +
            " logons=" + logons.get();
    }
}
