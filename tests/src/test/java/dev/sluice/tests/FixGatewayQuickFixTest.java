package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.sluice.examples.fix.FixGateway;
import org.junit.jupiter.api.Test;
import quickfix.ApplicationAdapter;
import quickfix.DefaultMessageFactory;
import quickfix.FieldNotFound;
import quickfix.MemoryStoreFactory;
import quickfix.Message;
import quickfix.ScreenLogFactory;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.SocketInitiator;
import quickfix.field.MsgType;
import quickfix.field.TestReqID;
import quickfix.fix44.TestRequest;

/**
 * The FIX gateway's session layer against QuickFIX/J as the initiator, with its FIX 4.4 data dictionary validation
 * on: logon, a TestRequest answered with its TestReqID, logout; nothing the gateway sends is rejected.
 */
class FixGatewayQuickFixTest
{
    @Test
    void quickFixJLogsOnGetsItsTestRequestAnsweredAndLogsOutWithoutARejectFromItsValidation() throws Exception
    {
        try (FixGateway gateway = new FixGateway("GATEWAY", new String[] {"CLIENT"}, 0))
        {
            final SessionID id = new SessionID("FIX.4.4", "CLIENT", "GATEWAY");
            final SessionSettings settings = settings(id, gateway.address().getPort(), 30);
            final Client client = new Client();
            final SocketInitiator initiator = initiator(client, settings);
            initiator.start();
            try
            {
                assertTrue(client.loggedOn.await(10, TimeUnit.SECONDS), "logged on; admin messages: " + client.admin);
                assertEquals(1, gateway.logons());
                assertTrue(Session.sendToTarget(new TestRequest(new TestReqID("ping-1")), id));
                Loopback.awaitTrue(() -> client.admin.contains("0:ping-1"), "the Heartbeat answers with its TestReqID: "
                    + client.admin);
                Session.lookupSession(id).logout();
                assertTrue(client.loggedOut.await(10, TimeUnit.SECONDS), "logged out; admin messages: " + client.admin);
                assertTrue(client.sent.stream().noneMatch(m -> m.startsWith("3")),
                    "QuickFIX/J's validation sent no Reject for anything the gateway sent: " + client.sent);
                assertTrue(client.sent.contains("A") && client.sent.contains("1:ping-1") && client.sent.contains("5"),
                    "what QuickFIX/J sent: " + client.sent);
                assertEquals(0, gateway.refusedLogons());
            }
            finally
            {
                initiator.stop(true);
            }
        }
    }

    @Test
    void aFirstMessageThatIsNotAValidLogonClosesTheConnection() throws Exception
    {
        try (FixGateway gateway = new FixGateway("GATEWAY", new String[] {"CLIENT"}, 0);
            Socket socket = new Socket(gateway.address().getAddress(), gateway.address().getPort()))
        {
            final String logon = rawLogon("STRANGER", 30);
            final OutputStream out = socket.getOutputStream();
            out.write(logon.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals(-1, socket.getInputStream().read(), "an unknown SenderCompID is not answered: closed");
            assertEquals(1, gateway.refusedLogons());
        }
    }

    @Test
    void anIdleQuickFixJSessionGetsAHeartbeatEveryIntervalAndNeverNeedsATestRequest() throws Exception
    {
        try (FixGateway gateway = new FixGateway("GATEWAY", new String[] {"CLIENT"}, 0))
        {
            final SessionID id = new SessionID("FIX.4.4", "CLIENT", "GATEWAY");
            final Client client = new Client();
            final SocketInitiator initiator = initiator(client, settings(id, gateway.address().getPort(), 1));
            initiator.start();
            try
            {
                assertTrue(client.loggedOn.await(10, TimeUnit.SECONDS), "logged on: " + client.admin);
                Thread.sleep(3_500); // idle both ways, HeartBtInt 1 s
                final long heartbeats = client.admin.stream().filter("0"::equals).count();
                assertTrue(heartbeats >= 2, "heartbeats from the gateway: " + client.admin);
                assertTrue(client.sent.stream().noneMatch(m -> m.startsWith("1") || m.startsWith("3")),
                    "QuickFIX/J never had to test the gateway, nor reject anything: " + client.sent);
                assertTrue(client.admin.stream().noneMatch(m -> m.startsWith("1")),
                    "nor the gateway QuickFIX/J: " + client.admin);
                assertEquals(0, gateway.silentDisconnects());
                Session.lookupSession(id).logout();
                assertTrue(client.loggedOut.await(10, TimeUnit.SECONDS), "logged out: " + client.admin);
            }
            finally
            {
                initiator.stop(true);
            }
        }
    }

    @Test
    void aClientThatGoesSilentGetsATestRequestAndIsThenDisconnected() throws Exception
    {
        try (FixGateway gateway = new FixGateway("GATEWAY", new String[] {"CLIENT"}, 0);
            Socket socket = new Socket(gateway.address().getAddress(), gateway.address().getPort()))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(rawLogon("CLIENT", 1).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            final String all = readUntil(socket, null); // until the gateway closes the connection
            assertTrue(all.contains("\u000135=A\u0001"), "the Logon answer: " + all);
            assertTrue(all.contains("\u000135=1\u0001"), "a TestRequest once the client fell silent: " + all);
            assertEquals(1, gateway.silentDisconnects());
        }
    }

    @Test
    void gapsEitherWayAreFilledWithResendRequestsAndGapFillsThatQuickFixJAccepts() throws Exception
    {
        try (FixGateway gateway = new FixGateway("GATEWAY", new String[] {"CLIENT"}, 0))
        {
            final SessionID id = new SessionID("FIX.4.4", "CLIENT", "GATEWAY");
            final Client client = new Client();
            final SocketInitiator initiator = initiator(client, settings(id, gateway.address().getPort(), 30));
            initiator.start();
            try
            {
                assertTrue(client.loggedOn.await(10, TimeUnit.SECONDS), "logged on: " + client.admin);
                final Session session = Session.lookupSession(id);

                // The client skips five sequence numbers: the gateway asks for them, QuickFIX/J gap-fills.
                session.setNextSenderMsgSeqNum(session.getStore().getNextSenderMsgSeqNum() + 5);
                assertTrue(Session.sendToTarget(new TestRequest(new TestReqID("past-the-gap")), id));
                Loopback.awaitTrue(() -> client.admin.contains("2"), "the gateway's ResendRequest: " + client.admin);
                Loopback.awaitTrue(() -> client.sent.contains("4"), "QuickFIX/J's gap fill: " + client.sent);
                assertTrue(Session.sendToTarget(new TestRequest(new TestReqID("after-the-gap")), id));
                Loopback.awaitTrue(() -> client.admin.contains("0:after-the-gap"),
                    "the session goes on once the gap is filled: " + client.admin);

                // The client forgets what the gateway sent: it asks for a resend, and the gateway gap-fills.
                session.setNextTargetMsgSeqNum(1);
                assertTrue(Session.sendToTarget(new TestRequest(new TestReqID("resend-please")), id));
                Loopback.awaitTrue(() -> client.sent.contains("2"), "QuickFIX/J's ResendRequest: " + client.sent);
                Loopback.awaitTrue(() -> client.admin.contains("4"), "the gateway's gap fill: " + client.admin);
                // The Heartbeat that answered "resend-please" is an admin message: the gap fill covered it, as FIX
                // allows. The session goes on in sequence:
                assertTrue(Session.sendToTarget(new TestRequest(new TestReqID("after-the-resend")), id));
                Loopback.awaitTrue(() -> client.admin.contains("0:after-the-resend"), "answered: " + client.admin);

                assertTrue(client.sent.stream().noneMatch(m -> m.startsWith("3")), "no Reject: " + client.sent);
                assertTrue(session.isLoggedOn());
                session.logout();
                assertTrue(client.loggedOut.await(10, TimeUnit.SECONDS), "logged out: " + client.admin);
            }
            finally
            {
                initiator.stop(true);
            }
        }
    }

    @Test
    void aMsgSeqNumTooLowWithoutPossDupEndsTheSessionWithALogoutThatSaysWhy() throws Exception
    {
        try (FixGateway gateway = new FixGateway("GATEWAY", new String[] {"CLIENT"}, 0);
            Socket socket = new Socket(gateway.address().getAddress(), gateway.address().getPort()))
        {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(rawLogon("CLIENT", 30).getBytes(StandardCharsets.US_ASCII));
            out.write(raw("0", 1).getBytes(StandardCharsets.US_ASCII)); // a Heartbeat with the Logon's number again
            out.write(raw("0", 2).getBytes(StandardCharsets.US_ASCII)); // in the same write: not taken for a Logon
            out.flush();
            final String all = readUntil(socket, null); // until the gateway closes the connection
            assertTrue(all.contains("\u000135=5\u0001") &&
                all.contains("\u000158=MsgSeqNum too low, expecting 2\u0001"), "a Logout that says why: " + all);
            assertEquals(0, gateway.refusedLogons(), "what followed the Logout was not taken for a new Logon");
        }
    }

    @Test
    void aMessageWithAFieldThatIsNotATagNumberIsRejectedAndTheSessionGoesOn() throws Exception
    {
        try (FixGateway gateway = new FixGateway("GATEWAY", new String[] {"CLIENT"}, 0);
            Socket socket = new Socket(gateway.address().getAddress(), gateway.address().getPort()))
        {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(rawLogon("CLIENT", 30).getBytes(StandardCharsets.US_ASCII));
            out.write(raw("CLIENT", "1", 2, "ab=1\u0001112=x\u0001").getBytes(StandardCharsets.US_ASCII));
            out.write(raw("CLIENT", "1", 3, "112=still-there\u0001").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final String all = readUntil(socket, "112=still-there");
            assertTrue(all.contains("\u000135=3\u0001") && all.contains("\u000145=2\u0001") &&
                all.contains("\u0001373=0\u0001"), "a Reject of message 2, invalid tag number: " + all);
            assertTrue(!all.contains("112=x"), "the rejected TestRequest was not answered: " + all);
        }
    }

    /**
     * Reads what the gateway sends until {@code text} has come (the connection must stay open meanwhile), or, with
     * null, until it closes the connection.
     */
    static String readUntil(final Socket socket, final String text) throws java.io.IOException
    {
        final StringBuilder received = new StringBuilder();
        final byte[] chunk = new byte[4096];
        while (text == null || !received.toString().contains(text))
        {
            final int n = socket.getInputStream().read(chunk);
            if (n < 0 && text == null)
            {
                break;
            }
            assertTrue(n > 0, "the session is still open: " + received);
            received.append(new String(chunk, 0, n, StandardCharsets.US_ASCII));
        }
        return received.toString();
    }

    static SocketInitiator initiator(final quickfix.Application client, final SessionSettings settings)
        throws Exception
    {
        return new SocketInitiator(client, new MemoryStoreFactory(), settings,
            new ScreenLogFactory(false, false, false), new DefaultMessageFactory());
    }

    static SessionSettings settings(final SessionID id, final int port, final long heartBtInt)
    {
        final SessionSettings settings = new SessionSettings();
        settings.setString("ConnectionType", "initiator");
        settings.setString(id, "SocketConnectHost", "127.0.0.1");
        settings.setLong(id, "SocketConnectPort", port);
        settings.setString(id, "StartTime", "00:00:00");
        settings.setString(id, "EndTime", "00:00:00");
        settings.setLong(id, "HeartBtInt", heartBtInt);
        settings.setLong(id, "ReconnectInterval", 1);
        settings.setString(id, "UseDataDictionary", "Y");
        settings.setString(id, "DataDictionary", "FIX44.xml");
        settings.setString(id, "ResetOnLogon", "Y");
        return settings;
    }

    /** A Logon as a client would write it, with BodyLength and CheckSum. */
    private static String rawLogon(final String sender, final int heartBtInt)
    {
        return raw(sender, "A", 1, "98=0\u0001108=" + heartBtInt + "\u0001");
    }

    /** A message from CLIENT with no body fields, e.g. a Heartbeat. */
    private static String raw(final String msgType, final int sequence)
    {
        return raw("CLIENT", msgType, sequence, "");
    }

    private static String raw(final String sender, final String msgType, final int sequence, final String fields)
    {
        final String time = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss.SSS")
            .format(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC));
        final String body = "35=" + msgType + "\u000134=" + sequence + "\u000149=" + sender + "\u000152=" + time +
            "\u000156=GATEWAY\u0001" + fields;
        final String head = "8=FIX.4.4\u00019=" + body.length() + "\u0001";
        int sum = 0;
        for (final byte b : (head + body).getBytes(StandardCharsets.US_ASCII))
        {
            sum += b;
        }
        return head + body + String.format("10=%03d\u0001", sum & 0xFF);
    }

    /** Records the admin messages the initiator receives and sends, as "MsgType" or "MsgType:TestReqID". */
    private static final class Client extends ApplicationAdapter
    {
        final CountDownLatch loggedOn = new CountDownLatch(1);
        final CountDownLatch loggedOut = new CountDownLatch(1);
        final List<String> admin = new CopyOnWriteArrayList<>();
        final List<String> sent = new CopyOnWriteArrayList<>();

        @Override
        public void onLogon(final SessionID sessionId)
        {
            loggedOn.countDown();
        }

        @Override
        public void onLogout(final SessionID sessionId)
        {
            loggedOut.countDown();
        }

        @Override
        public void fromAdmin(final Message message, final SessionID sessionId)
        {
            admin.add(describe(message));
        }

        @Override
        public void toAdmin(final Message message, final SessionID sessionId)
        {
            sent.add(describe(message));
        }

        private static String describe(final Message message)
        {
            try
            {
                final String type = message.getHeader().getString(MsgType.FIELD);
                return message.isSetField(TestReqID.FIELD) ? type + ":" + message.getString(TestReqID.FIELD) : type;
            }
            catch (final FieldNotFound ex)
            {
                return "?" + ex.getMessage();
            }
        }
    }
}
