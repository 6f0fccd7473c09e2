package dev.sluice.examples.fix;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import org.agrona.DirectBuffer;

/**
 * A FIX 4.4 acceptor on the engine, the first part of the order-entry gateway: the session layer's Logon (CompIDs
 * checked against the configured clients; ResetSeqNumFlag honoured), TestRequest answered with a Heartbeat carrying
 * its TestReqID, the Logout handshake, and the session's liveness on the connection's own timer: a Heartbeat when
 * nothing was sent for HeartBtInt, a TestRequest when nothing was received for HeartBtInt and a fifth, a disconnect
 * when that goes unanswered for another HeartBtInt. A first message that is not a valid Logon closes the connection
 * (counted). Orders, sequence-number recovery and its store are not built yet.
 * <p>
 * <b>Threading:</b> the callbacks run on the engine's loop thread; one parser and one encoder serve every session
 * (the engine runs one loop here).
 */
public final class FixGateway implements ConnectionHandler, AutoCloseable
{
    private static final byte[] LOGON = {'A'};
    private static final byte[] HEARTBEAT = {'0'};
    private static final byte[] TEST_REQUEST = {'1'};
    private static final byte[] RESEND_REQUEST = {'2'};
    private static final byte[] SEQUENCE_RESET = {'4'};
    private static final byte[] REJECT = {'3'};
    private static final byte[] INVALID_TAG = "Invalid tag number".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MISSING_TAG = "Required tag missing".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOO_LOW = "MsgSeqNum too low, expecting ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MISSING_SEQUENCE =
        "MsgSeqNum missing, expecting ".getBytes(StandardCharsets.US_ASCII);
    /** The most HeartBtInt a Logon may ask for, in seconds. */
    private static final long MAX_HEART_BT_INT = 3_600;
    private static final int NEXT = 0;
    private static final int GAP = 1;
    private static final int DROP = 2;
    /** How long a session that was told to log out gets for the Logout to reach it before the close. */
    private static final byte[] LOGOUT = {'5'};
    private static final byte[] YES = {'Y'};

    private final byte[] compId;
    private final byte[][] clients;
    private final Engine engine;
    private final InetSocketAddress address;
    private final FixMessage in = new FixMessage();
    private final FixEncoder out = new FixEncoder(4096);
    private final AtomicLong refusedLogons = new AtomicLong();
    private final AtomicLong logons = new AtomicLong();
    private final AtomicLong silentDisconnects = new AtomicLong();

    /**
     * Starts the engine and listens.
     *
     * @param compId  the gateway's CompID (the clients' TargetCompID).
     * @param clients the SenderCompIDs allowed to log on.
     * @param port    port on 127.0.0.1 (0: any free port).
     * @throws IOException if it cannot listen.
     */
    public FixGateway(final String compId, final String[] clients, final int port) throws IOException
    {
        this.compId = compId.getBytes(StandardCharsets.US_ASCII);
        this.clients = new byte[clients.length][];
        for (int i = 0; i < clients.length; i++)
        {
            this.clients[i] = clients[i].getBytes(StandardCharsets.US_ASCII);
        }
        this.engine = Engine.start(EngineConfig.builder().codec(new FixFrameCodec(4096)).build());
        this.address = engine.listen(new InetSocketAddress("127.0.0.1", port), this);
    }

    /** @return where clients connect. */
    public InetSocketAddress address()
    {
        return address;
    }

    /** @return the engine (counters: e.g. {@code frames garbled}). */
    public Engine engine()
    {
        return engine;
    }

    /** @return sessions that logged on. */
    public long logons()
    {
        return logons.get();
    }

    /** @return sessions disconnected because a TestRequest went unanswered. */
    public long silentDisconnects()
    {
        return silentDisconnects.get();
    }

    /** @return connections closed because their first message was not a valid Logon. */
    public long refusedLogons()
    {
        return refusedLogons.get();
    }

    @Override
    public void onOpen(final Connection connection)
    {
        connection.attach(new FixSession());
    }

    @Override
    public void onFrame(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
    {
        final FixSession session = (FixSession)connection.attachment();
        in.wrap(buffer, offset, length);
        final int msgType = in.msgType();
        if (!session.loggedOn)
        {
            logon(connection, session, msgType);
            return;
        }
        session.lastReceivedNs = now();
        session.testRequestNs = 0; // anything received shows the client alive
        final int verdict = sequence(connection, session, msgType);
        if (verdict == DROP)
        {
            return;
        }
        if (verdict == NEXT && (msgType == 0 || !in.fieldsWellFormed()))
        {
            reject(connection, session, msgType == 0);
            return;
        }
        if (msgType == '2') // ResendRequest: no application messages are kept yet, so a gap fill covers them all
        {
            final long begin = Math.max(1, in.getLong(7, 1));
            if (begin < session.nextOut)
            {
                header(out.begin(SEQUENCE_RESET), session, begin, true).put(123, YES).put(36, session.nextOut);
                send(connection, session);
            }
        }
        else if (verdict == GAP)
        {
            return; // anything else past a gap waits for the gap to be filled (the client resends it)
        }
        else if (msgType == '1') // TestRequest: a Heartbeat with its TestReqID
        {
            header(out.begin(HEARTBEAT), session);
            if (in.find(112))
            {
                out.put(112, buffer, in.valueAt(), in.valueLength());
            }
            send(connection, session);
        }
        else if (msgType == '5') // Logout: answered, then closed
        {
            header(out.begin(LOGOUT), session);
            send(connection, session);
            endSession(connection, session);
        }
    }

    /**
     * The MsgSeqNum rules: a message next in sequence is handled ({@link #NEXT}); a number too low without
     * PossDupFlag ends the session (Logout saying why, then a close) and a possible duplicate is ignored
     * ({@link #DROP}); a gap is answered with a ResendRequest, once, and the message waits for it to be filled
     * ({@link #GAP}: only a ResendRequest is answered past a gap, so that gaps both ways cannot deadlock). A
     * SequenceReset-GapFill obeys the same rules before it moves what is expected; a SequenceReset-Reset moves it
     * whatever its number.
     *
     * @return {@link #NEXT}, {@link #GAP} or {@link #DROP}.
     */
    private int sequence(final Connection connection, final FixSession session, final int msgType)
    {
        final long sequence = in.getLong(34, -1);
        final boolean gapFill = msgType == '4' && in.valueIs(123, YES);
        if (msgType == '4' && !gapFill)
        {
            session.expect(in.getLong(36, -1));
            return DROP;
        }
        if (sequence < 0)
        {
            logout(connection, session, MISSING_SEQUENCE, session.nextIn);
            return DROP;
        }
        if (sequence < session.nextIn)
        {
            if (!in.valueIs(43, YES))
            {
                logout(connection, session, TOO_LOW, session.nextIn);
            }
            return DROP; // a duplicate already handled
        }
        if (sequence > session.nextIn)
        {
            if (!session.resendPending)
            {
                header(out.begin(RESEND_REQUEST), session).put(7, session.nextIn).put(16, 0);
                send(connection, session);
                session.resendPending = true;
            }
            return gapFill ? DROP : GAP;
        }
        session.nextIn = sequence + 1;
        if (gapFill)
        {
            session.expect(in.getLong(36, -1));
            return DROP;
        }
        session.resendPending = false;
        return NEXT;
    }

    /**
     * A session-level Reject of the message just received (its MsgSeqNum is used up): a field whose tag is not a
     * number (SessionRejectReason 0), or no MsgType (1, RefTagID 35).
     */
    private void reject(final Connection connection, final FixSession session, final boolean missingMsgType)
    {
        header(out.begin(REJECT), session).put(45, session.nextIn - 1);
        if (missingMsgType)
        {
            out.put(371, 35).put(373, 1).put(58, MISSING_TAG);
        }
        else
        {
            out.put(373, 0).put(58, INVALID_TAG);
        }
        send(connection, session);
    }

    private void logout(final Connection connection, final FixSession session, final byte[] why, final long number)
    {
        header(out.begin(LOGOUT), session).put(58, why, number);
        send(connection, session);
        endSession(connection, session);
    }

    private static void endSession(final Connection connection, final FixSession session)
    {
        session.loggedOn = false;
        connection.close(); // the Logout goes out first; nothing the peer sends after it is handed over
    }

    @Override
    public void onTimer(final Connection connection)
    {
        final FixSession session = (FixSession)connection.attachment();
        if (!session.loggedOn)
        {
            return;
        }
        final long now = now();
        if (session.silentTooLong(now))
        {
            silentDisconnects.incrementAndGet();
            connection.close();
            return;
        }
        if (session.testRequestDue(now))
        {
            header(out.begin(TEST_REQUEST), session).put(112, session.nextOut); // its own MsgSeqNum: unique
            send(connection, session);
            session.testRequestNs = now;
        }
        if (session.heartbeatDue(now))
        {
            header(out.begin(HEARTBEAT), session);
            send(connection, session);
        }
        connection.armTimer(session.nextCheckNs(now), TimeUnit.NANOSECONDS);
    }

    private void send(final Connection connection, final FixSession session)
    {
        if (out.sendTo(connection))
        {
            if (session.advanceOnSend)
            {
                session.nextOut++; // a message that could not be sent leaves no gap in the numbers
            }
            session.lastSentNs = now();
        }
    }

    private long now()
    {
        return engine.config().clock().nanoTime();
    }

    private void logon(final Connection connection, final FixSession session, final int msgType)
    {
        final byte[] client = msgType == 'A' && in.valueIs(56, compId) ? knownClient() : null;
        final long heartBtInt = in.getLong(108, -1);
        if (client == null || heartBtInt < 0 || heartBtInt > MAX_HEART_BT_INT)
        {
            refusedLogons.incrementAndGet();
            connection.close();
            return;
        }
        final boolean reset = in.valueIs(141, YES);
        session.client = client;
        session.nextIn = Math.max(1, in.getLong(34, 1)) + 1;
        session.heartBtIntNs = TimeUnit.SECONDS.toNanos(heartBtInt);
        session.lastReceivedNs = now();
        if (reset)
        {
            session.nextOut = 1;
        }
        session.loggedOn = true;
        header(out.begin(LOGON), session).put(98, 0).put(108, heartBtInt);
        if (reset)
        {
            out.put(141, YES);
        }
        send(connection, session);
        if (heartBtInt > 0) // 0: no heartbeats on this session
        {
            connection.armTimer(session.heartBtIntNs, TimeUnit.NANOSECONDS);
        }
        logons.incrementAndGet();
    }

    private byte[] knownClient()
    {
        for (final byte[] client : clients)
        {
            if (in.valueIs(49, client))
            {
                return client;
            }
        }
        return null;
    }

    /** The standard header with the session's next MsgSeqNum, which {@link #send} uses up once the message is out. */
    private FixEncoder header(final FixEncoder encoder, final FixSession session)
    {
        header(encoder, session, session.nextOut, false);
        session.advanceOnSend = true;
        return encoder;
    }

    /** The standard header with a given MsgSeqNum; a possible duplicate carries PossDupFlag and OrigSendingTime. */
    private FixEncoder header(final FixEncoder encoder, final FixSession session, final long sequence,
        final boolean possDup)
    {
        session.advanceOnSend = false;
        final long nowMillis = System.currentTimeMillis();
        encoder.put(34, sequence).put(49, compId).putTimestamp(52, nowMillis).put(56, session.client);
        if (possDup)
        {
            encoder.put(43, YES).putTimestamp(122, nowMillis);
        }
        return encoder;
    }

    @Override
    public void close()
    {
        engine.close();
    }
}
