package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;

import dev.sluice.examples.fix.FixGateway;
import org.junit.jupiter.api.Test;

/**
 * What happens to a session's orders and reports around its end, with raw clients: resting orders go when their
 * connection closes (nobody could cancel them later), and a ResendRequest that reaches back over execution reports,
 * which cannot be replayed yet, ends the session instead of telling the client they never happened.
 */
class FixOrderLifecycleTest
{
    private static final String SOH = "\u0001";

    @Test
    void aClosedSessionsRestingOrdersAreCanceledAndTradeWithNobody() throws Exception
    {
        try (FixGateway gateway = new FixGateway("GATEWAY", new String[] {"CLIENT", "OTHER"}, new String[] {"ACME"},
            0, null))
        {
            try (Socket first = logOn(gateway, "CLIENT"))
            {
                send(first, order("CLIENT", 2, "b1", '1', "0"));
                FixGatewayQuickFixTest.readUntil(first, "11=b1" + SOH); // resting: New
            }
            Loopback.awaitTrue(() -> gateway.engine().counters(0).connectionsOpen.get() == 0, "the first one closed");
            try (Socket second = logOn(gateway, "OTHER"))
            {
                send(second, order("OTHER", 2, "s1", '2', "3")); // IOC at the resting buy's price
                final String reports = FixGatewayQuickFixTest.readUntil(second, "150=4" + SOH);
                assertTrue(!reports.contains("150=F"), "no trade with the closed session's order: " + reports);
            }
        }
    }

    @Test
    void aResendRequestOverExecutionReportsEndsTheSessionWithALogoutThatSaysWhy() throws Exception
    {
        try (FixGateway gateway = new FixGateway("GATEWAY", new String[] {"CLIENT"}, new String[] {"ACME"}, 0, null);
            Socket socket = logOn(gateway, "CLIENT"))
        {
            send(socket, order("CLIENT", 2, "b1", '1', "0"));
            FixGatewayQuickFixTest.readUntil(socket, "11=b1" + SOH); // the report took MsgSeqNum 2
            send(socket, ZeroGarbageFixGatewayTest.message("2", 3, "7=1" + SOH + "16=0" + SOH));
            final String rest = FixGatewayQuickFixTest.readUntil(socket, null); // until the gateway closes
            assertTrue(rest.contains("35=5" + SOH) &&
                rest.contains("58=Execution reports cannot be resent yet, from MsgSeqNum 1" + SOH),
                "a Logout that says why: " + rest);
            assertTrue(!rest.contains("35=4" + SOH), "no gap fill over the report: " + rest);
        }
    }

    private static Socket logOn(final FixGateway gateway, final String sender) throws Exception
    {
        final Socket socket = new Socket(gateway.address().getAddress(), gateway.address().getPort());
        socket.setSoTimeout(10_000);
        send(socket, ZeroGarbageFixGatewayTest.message(sender, "A", 1, "98=0" + SOH + "108=30" + SOH));
        ZeroGarbageFixGatewayTest.awaitLogon(socket.getInputStream());
        return socket;
    }

    private static byte[] order(final String sender, final int sequence, final String clOrdId, final char side,
        final String timeInForce)
    {
        return ZeroGarbageFixGatewayTest.message(sender, "D", sequence, "11=" + clOrdId + SOH + "55=ACME" + SOH +
            "54=" + side + SOH + "60=20261202-12:00:00.000" + SOH + "38=10" + SOH + "40=2" + SOH + "44=10" + SOH +
            "59=" + timeInForce + SOH);
    }

    private static void send(final Socket socket, final byte[] message) throws Exception
    {
        final OutputStream out = socket.getOutputStream();
        out.write(message);
        out.flush();
    }
}
