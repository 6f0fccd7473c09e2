package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.sluice.examples.fix.FixGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.FieldNotFound;
import quickfix.Message;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SocketInitiator;
import quickfix.field.AvgPx;
import quickfix.field.ClOrdID;
import quickfix.field.CumQty;
import quickfix.field.ExecType;
import quickfix.field.LastPx;
import quickfix.field.LastQty;
import quickfix.field.LeavesQty;
import quickfix.field.OrdRejReason;
import quickfix.field.OrdStatus;
import quickfix.field.OrdType;
import quickfix.field.OrderQty;
import quickfix.field.OrigClOrdID;
import quickfix.field.Price;
import quickfix.field.Side;
import quickfix.field.Symbol;
import quickfix.field.TimeInForce;
import quickfix.field.TransactTime;
import quickfix.fix44.NewOrderSingle;
import quickfix.fix44.OrderCancelRequest;

/**
 * Orders through the FIX gateway from QuickFIX/J (data dictionary validation on): orders rest, fill in parts, fill,
 * cancel, are rejected (an unknown symbol, a time in force the book does not offer); a cancel of an unknown order is
 * refused; market and IOC orders leave nothing resting; every execution report passes QuickFIX/J's validation.
 * Gated, reports are released only once the journal on disk holds them.
 */
class FixOrderEntryQuickFixTest
{
    private static final String[] SYMBOLS = {"ACME", "BETA"};

    @Test
    void ordersRestFillInPartsFillCancelAndAreRejectedAsTheBookSays() throws Exception
    {
        try (FixGateway gateway = new FixGateway("GATEWAY", new String[] {"CLIENT"}, SYMBOLS, 0, null))
        {
            trade(gateway);
            assertEquals(0, gateway.journalForces(), "ungated: no journal");
        }
    }

    @Test
    void gatedReportsAreReleasedOnlyOnceTheJournalHoldsThem(@TempDir final Path dir) throws Exception
    {
        final Path journal = dir.resolve("orders.journal");
        try (FixGateway gateway = new FixGateway("GATEWAY", new String[] {"CLIENT"}, SYMBOLS, 0, journal))
        {
            final Trader trader = trade(gateway);
            final List<Message> reports = trader.reports;
            assertTrue(gateway.journalForces() > 0, "the journal forced its groups");
            assertEquals(0, gateway.releasedAheadOfJournal(), "the loop saw no report released ahead of the journal");
            for (int k = 0; k < trader.journaledAtArrival.size(); k++)
            {
                assertTrue(trader.journaledAtArrival.get(k) >= k + 1,
                    "message " + (k + 1) + " arrived only once the journal held it: " + trader.journaledAtArrival);
            }
            // every report the client got is in the file: length, sequence, record (the record holds the ClOrdID)
            final String file = new String(Files.readAllBytes(journal), java.nio.charset.StandardCharsets.ISO_8859_1);
            for (final Message report : reports)
            {
                assertTrue(file.contains(report.getString(ClOrdID.FIELD)), "journaled: " + report);
            }
        }
    }

    /** Runs the order flow against the gateway and checks every report; returns what the trader saw. */
    private static Trader trade(final FixGateway gateway) throws Exception
    {
        final SessionID id = new SessionID("FIX.4.4", "CLIENT", "GATEWAY");
        final Trader trader = new Trader(gateway::journalPosition);
        final SocketInitiator initiator = FixGatewayQuickFixTest.initiator(trader,
            FixGatewayQuickFixTest.settings(id, gateway.address().getPort(), 30));
        initiator.start();
        try
        {
            assertTrue(trader.loggedOn.await(10, TimeUnit.SECONDS), "logged on");
            send(id, order("b1", Side.BUY, 100, OrdType.LIMIT, 10.25, TimeInForce.DAY, "ACME"));
            expect(trader, 1, "b1", ExecType.NEW, OrdStatus.NEW, 100, 0, 0, 0);
            send(id, order("s1", Side.SELL, 40, OrdType.LIMIT, 10.00, TimeInForce.DAY, "ACME"));
            expect(trader, 2, "s1", ExecType.NEW, OrdStatus.NEW, 40, 0, 0, 0);
            // the sell crosses at the resting buy's price: both trade 40 at 10.25
            expect(trader, 3, "s1", ExecType.TRADE, OrdStatus.FILLED, 0, 40, 40, 10.25);
            expect(trader, 4, "b1", ExecType.TRADE, OrdStatus.PARTIALLY_FILLED, 60, 40, 40, 10.25);
            send(id, cancel("c1", "b1", Side.BUY));
            expect(trader, 5, "c1", ExecType.CANCELED, OrdStatus.CANCELED, 0, 40, 0, 0);
            assertEquals("b1", trader.reports.get(4).getString(OrigClOrdID.FIELD));
            send(id, cancel("c2", "nobody", Side.BUY));
            Loopback.awaitTrue(() -> trader.cancelRejects.size() == 1, "an OrderCancelReject");
            assertEquals("c2", trader.cancelRejects.get(0).getString(ClOrdID.FIELD));
            send(id, order("x1", Side.BUY, 10, OrdType.LIMIT, 1.00, TimeInForce.DAY, "ZZZZ"));
            expect(trader, 6, "x1", ExecType.REJECTED, OrdStatus.REJECTED, 0, 0, 0, 0);
            assertEquals(OrdRejReason.UNKNOWN_SYMBOL, trader.reports.get(5).getInt(OrdRejReason.FIELD));
            send(id, order("m1", Side.SELL, 5, OrdType.MARKET, 0, TimeInForce.IMMEDIATE_OR_CANCEL, "BETA"));
            expect(trader, 7, "m1", ExecType.NEW, OrdStatus.NEW, 5, 0, 0, 0);
            expect(trader, 8, "m1", ExecType.CANCELED, OrdStatus.CANCELED, 0, 0, 0, 0); // nothing to trade with
            send(id, order("i1", Side.BUY, 7, OrdType.LIMIT, 2.50, TimeInForce.IMMEDIATE_OR_CANCEL, "BETA"));
            expect(trader, 9, "i1", ExecType.NEW, OrdStatus.NEW, 7, 0, 0, 0);
            expect(trader, 10, "i1", ExecType.CANCELED, OrdStatus.CANCELED, 0, 0, 0, 0);
            send(id, order("g1", Side.BUY, 5, OrdType.LIMIT, 3.00, TimeInForce.GOOD_TILL_CANCEL, "BETA"));
            expect(trader, 11, "g1", ExecType.REJECTED, OrdStatus.REJECTED, 0, 0, 0, 0); // only Day and IOC here
            assertEquals(OrdRejReason.UNSUPPORTED_ORDER_CHARACTERISTIC,
                trader.reports.get(10).getInt(OrdRejReason.FIELD));
            Session.lookupSession(id).logout();
            assertTrue(trader.loggedOut.await(10, TimeUnit.SECONDS), "logged out");
            assertTrue(trader.sentAdmin.stream().noneMatch(type -> type.equals("3")),
                "QuickFIX/J's validation rejected nothing the gateway sent: " + trader.sentAdmin);
            return trader;
        }
        finally
        {
            initiator.stop(true);
        }
    }

    private static void send(final SessionID id, final Message message) throws Exception
    {
        assertTrue(Session.sendToTarget(message, id));
    }

    private static NewOrderSingle order(final String clOrdId, final char side, final double quantity,
        final char ordType, final double price, final char timeInForce, final String symbol)
    {
        final NewOrderSingle order = new NewOrderSingle(new ClOrdID(clOrdId), new Side(side),
            new TransactTime(LocalDateTime.now()), new OrdType(ordType));
        order.set(new Symbol(symbol));
        order.set(new OrderQty(quantity));
        order.set(new TimeInForce(timeInForce));
        if (ordType == OrdType.LIMIT)
        {
            order.set(new Price(price));
        }
        return order;
    }

    private static OrderCancelRequest cancel(final String clOrdId, final String original, final char side)
    {
        final OrderCancelRequest cancel = new OrderCancelRequest(new OrigClOrdID(original), new ClOrdID(clOrdId),
            new Side(side), new TransactTime(LocalDateTime.now()));
        cancel.set(new Symbol("ACME"));
        cancel.set(new OrderQty(100));
        return cancel;
    }

    /** Waits for the {@code n}th execution report and checks it. */
    private static void expect(final Trader trader, final int n, final String clOrdId, final char execType,
        final char status, final double leaves, final double cum, final double lastQty, final double lastPx)
        throws InterruptedException, FieldNotFound
    {
        Loopback.awaitTrue(() -> trader.reports.size() >= n, "execution report " + n + ": " + trader.reports);
        final Message report = trader.reports.get(n - 1);
        final String what = "report " + n + ": " + report;
        assertEquals(clOrdId, report.getString(ClOrdID.FIELD), what);
        assertEquals(execType, report.getChar(ExecType.FIELD), what);
        assertEquals(status, report.getChar(OrdStatus.FIELD), what);
        assertEquals(leaves, report.getDouble(LeavesQty.FIELD), 1e-9, what);
        assertEquals(cum, report.getDouble(CumQty.FIELD), 1e-9, what);
        if (lastQty > 0)
        {
            assertEquals(lastQty, report.getDouble(LastQty.FIELD), 1e-9, what);
            assertEquals(lastPx, report.getDouble(LastPx.FIELD), 1e-9, what);
            assertEquals(lastPx, report.getDouble(AvgPx.FIELD), 1e-9, what);
        }
    }

    /** A {@link QuickFixTrader} that also notes, for each report or reject as it arrives, what the journal held. */
    private static final class Trader extends QuickFixTrader
    {
        /** For each report or reject as it arrived: how many the journal had forced then. */
        final List<Long> journaledAtArrival = new CopyOnWriteArrayList<>();
        private final LongSupplier journaled;

        Trader(final LongSupplier journaled)
        {
            this.journaled = journaled;
        }

        @Override
        public void fromApp(final Message message, final SessionID sessionId) throws FieldNotFound
        {
            journaledAtArrival.add(journaled.getAsLong());
            super.fromApp(message, sessionId);
        }
    }
}
