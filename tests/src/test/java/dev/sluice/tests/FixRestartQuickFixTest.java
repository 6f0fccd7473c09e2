package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDateTime;

import dev.sluice.examples.fix.FixGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.Message;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.SocketInitiator;
import quickfix.field.ClOrdID;
import quickfix.field.OrdType;
import quickfix.field.OrderQty;
import quickfix.field.PossDupFlag;
import quickfix.field.Price;
import quickfix.field.Side;
import quickfix.field.Symbol;
import quickfix.field.TestReqID;
import quickfix.field.TransactTime;
import quickfix.fix44.NewOrderSingle;
import quickfix.fix44.TestRequest;

/**
 * A gateway restart in the middle of a QuickFIX/J session (its store on disk; QuickFIX/J keeps its numbers, no reset
 * on logon): the session goes on with the same numbers, and when QuickFIX/J asks for a resend, the execution report
 * sent before the restart comes again, as a possible duplicate, and passes its validation.
 */
class FixRestartQuickFixTest
{
    @Test
    void aRestartedGatewayGoesOnWithTheSessionsNumbersAndResendsItsReports(@TempDir final Path store) throws Exception
    {
        final SessionID id = new SessionID("FIX.4.4", "CLIENT", "GATEWAY");
        final String[] clients = {"CLIENT"};
        final String[] symbols = {"ACME"};
        final QuickFixTrader trader = new QuickFixTrader();
        FixGateway gateway = new FixGateway("GATEWAY", clients, symbols, 0, null, store);
        final int port = gateway.address().getPort();
        final SessionSettings settings = FixGatewayQuickFixTest.settings(id, port, 30);
        settings.setString(id, "ResetOnLogon", "N");
        final SocketInitiator initiator = FixGatewayQuickFixTest.initiator(trader, settings);
        initiator.start();
        try
        {
            Loopback.awaitTrue(() -> trader.logons.get() == 1, "logged on");
            final NewOrderSingle order = new NewOrderSingle(new ClOrdID("b1"), new Side(Side.BUY),
                new TransactTime(LocalDateTime.now()), new OrdType(OrdType.LIMIT));
            order.set(new Symbol("ACME"));
            order.set(new OrderQty(10));
            order.set(new Price(10));
            assertTrue(Session.sendToTarget(order, id));
            Loopback.awaitTrue(() -> trader.reports.size() == 1, "the order's report");
            final Session session = Session.lookupSession(id);
            final int expectedBefore = session.getExpectedTargetNum();

            gateway.close(); // QuickFIX/J reconnects every second
            gateway = new FixGateway("GATEWAY", clients, symbols, port, null, store);
            Loopback.awaitTrue(() -> trader.logons.get() == 2, "logged on again after the restart");
            assertEquals(expectedBefore + 1, session.getExpectedTargetNum(),
                "the gateway went on with its numbers: only its Logon came in between");

            session.setNextTargetMsgSeqNum(expectedBefore - 1); // QuickFIX/J now misses the report: it asks again
            assertTrue(Session.sendToTarget(new TestRequest(new TestReqID("after-restart")), id));
            Loopback.awaitTrue(() -> trader.reports.size() == 2, "the report again: " + trader.reports);
            final Message again = trader.reports.get(1);
            assertEquals("b1", again.getString(ClOrdID.FIELD));
            assertTrue(again.getHeader().getBoolean(PossDupFlag.FIELD), "a possible duplicate: " + again);
            assertTrue(trader.sentAdmin.contains("2"), "QuickFIX/J asked for it: " + trader.sentAdmin);
            assertTrue(trader.sentAdmin.stream().noneMatch(type -> type.equals("3")),
                "QuickFIX/J's validation rejected nothing: " + trader.sentAdmin);
        }
        finally
        {
            initiator.stop(true);
            gateway.close();
        }
    }
}
