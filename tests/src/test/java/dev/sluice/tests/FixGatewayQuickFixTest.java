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
            final SessionSettings settings = new SessionSettings();
            settings.setString("ConnectionType", "initiator");
            settings.setString(id, "SocketConnectHost", "127.0.0.1");
            settings.setLong(id, "SocketConnectPort", gateway.address().getPort());
            settings.setString(id, "StartTime", "00:00:00");
            settings.setString(id, "EndTime", "00:00:00");
            settings.setLong(id, "HeartBtInt", 30);
            settings.setLong(id, "ReconnectInterval", 1);
            settings.setString(id, "UseDataDictionary", "Y");
            settings.setString(id, "DataDictionary", "FIX44.xml");
            settings.setString(id, "ResetOnLogon", "Y");
            final Client client = new Client();
            final SocketInitiator initiator = new SocketInitiator(client, new MemoryStoreFactory(), settings,
                new ScreenLogFactory(false, false, false), new DefaultMessageFactory());
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
            final String body = "35=A\u000134=1\u000149=STRANGER\u000152=20261202-09:30:00.000\u000156=GATEWAY\u0001" +
                "98=0\u0001108=30\u0001";
            final String head = "8=FIX.4.4\u00019=" + body.length() + "\u0001";
            int sum = 0;
            for (final byte b : (head + body).getBytes(StandardCharsets.US_ASCII))
            {
                sum += b;
            }
            final String logon = head + body + String.format("10=%03d\u0001", sum & 0xFF);
            final OutputStream out = socket.getOutputStream();
            out.write(logon.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals(-1, socket.getInputStream().read(), "an unknown SenderCompID is not answered: closed");
            assertEquals(1, gateway.refusedLogons());
        }
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
