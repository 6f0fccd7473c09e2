package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;

import dev.sluice.examples.fix.FixGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens to a session's orders and reports around its end, with raw clients: resting orders go when their
 * connection closes (nobody could cancel them later); a ResendRequest gets the execution reports again, from the
 * session store, also after the gateway restarted, whose numbers go on where they were.
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
    void aResendRequestGetsTheReportsAgainAndGapFillsForTheAdminMessages() throws Exception
    {
        try (FixGateway gateway = new FixGateway("GATEWAY", new String[] {"CLIENT"}, new String[] {"ACME"}, 0, null);
            Socket socket = logOn(gateway, "CLIENT", true))
        {
            send(socket, order("CLIENT", 2, "b1", '1', "0"));
            FixGatewayQuickFixTest.readUntil(socket, "11=b1" + SOH); // the report took MsgSeqNum 2
            send(socket, ZeroGarbageFixGatewayTest.message("2", 3, "7=1" + SOH + "16=0" + SOH));
            final String resent = FixGatewayQuickFixTest.readUntil(socket, "11=b1" + SOH);
            assertTrue(resent.contains("35=4" + SOH + "34=1" + SOH) && resent.contains("123=Y" + SOH + "36=2" + SOH),
                "the Logon gap-filled: " + resent);
            assertTrue(resent.contains("35=8" + SOH + "34=2" + SOH) && resent.contains("43=Y" + SOH + "122="),
                "the report again, as a possible duplicate with its original sending time: " + resent);
        }
    }

    @Test
    void aRestartedGatewayGoesOnWithTheStoredNumbersAndResendsTheStoredReports(@TempDir final Path dir)
        throws Exception
    {
        final String[] clients = {"CLIENT"};
        final String[] symbols = {"ACME"};
        try (FixGateway gateway = new FixGateway("GATEWAY", clients, symbols, 0, null, dir);
            Socket socket = logOn(gateway, "CLIENT", true))
        {
            send(socket, order("CLIENT", 2, "b1", '1', "0"));
            FixGatewayQuickFixTest.readUntil(socket, "11=b1" + SOH); // MsgSeqNum 2
        }
        try (FixGateway restarted = new FixGateway("GATEWAY", clients, symbols, 0, null, dir);
            Socket socket = new Socket(restarted.address().getAddress(), restarted.address().getPort()))
        {
            socket.setSoTimeout(10_000);
            send(socket, ZeroGarbageFixGatewayTest.message("CLIENT", "A", 3, "98=0" + SOH + "108=30" + SOH));
            final String logon = FixGatewayQuickFixTest.readUntil(socket, "35=A" + SOH);
            assertTrue(logon.contains("35=A" + SOH + "34=3" + SOH), "the numbers go on after the restart: " + logon);
            send(socket, ZeroGarbageFixGatewayTest.message("2", 4, "7=2" + SOH + "16=2" + SOH));
            final String resent = FixGatewayQuickFixTest.readUntil(socket, "11=b1" + SOH);
            assertTrue(resent.contains("35=8" + SOH + "34=2" + SOH + "49=GATEWAY") && resent.contains("43=Y" + SOH),
                "the report sent before the restart, from the store: " + resent);
        }
    }

    private static Socket logOn(final FixGateway gateway, final String sender) throws Exception
    {
        return logOn(gateway, sender, false);
    }

    private static Socket logOn(final FixGateway gateway, final String sender, final boolean reset) throws Exception
    {
        final Socket socket = new Socket(gateway.address().getAddress(), gateway.address().getPort());
        socket.setSoTimeout(10_000);
        send(socket, ZeroGarbageFixGatewayTest.message(sender, "A", 1, "98=0" + SOH + "108=30" + SOH +
            (reset ? "141=Y" + SOH : "")));
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
