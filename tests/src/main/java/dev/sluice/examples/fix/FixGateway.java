package dev.sluice.examples.fix;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.gate.AtomicClusterCursors;
import org.agrona.DirectBuffer;

/**
 * A FIX 4.4 acceptor on the engine, the first part of the order-entry gateway: the session layer's Logon (CompIDs
 * checked against the configured clients; ResetSeqNumFlag honoured), TestRequest answered with a Heartbeat carrying
 * its TestReqID, the Logout handshake, and the session's liveness on the connection's own timer: a Heartbeat when
 * nothing was sent for HeartBtInt, a TestRequest when nothing was received for HeartBtInt and a fifth, a disconnect
 * when that goes unanswered for another HeartBtInt. A first message that is not a valid Logon closes the connection
 * (counted). Orders go to a matching thread, and its execution reports come back through the engine's durability
 * gate, ungated or held until an on-disk journal has them ({@link FixOrderEntry}). Sequence-number recovery and its
 * store are not built yet.
 * <p>
 * <b>Threading:</b> the callbacks run on the engine's loop thread; one parser and one encoder serve every session
 * (the engine runs one loop here).
 */
public final class FixGateway implements ConnectionHandler, AutoCloseable
{
    private static final byte[] LOGON = {'A'};
    private static final byte[] HEARTBEAT = {'0'};
    private static final byte[] TEST_REQUEST = {'1'};
    private static final byte[] INVALID_TAG = "Invalid tag number".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MISSING_TAG = "Required tag missing".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INVALID_VALUE =
        "Required tag missing or value incorrect".getBytes(StandardCharsets.US_ASCII);
    /** The most HeartBtInt a Logon may ask for, in seconds. */
    private static final long MAX_HEART_BT_INT = 3_600;
    /** How long a connection may take to log on. */
    private static final long LOGON_DEADLINE_NS = TimeUnit.SECONDS.toNanos(10);
    /** Execution reports kept per client for resends (about 3 MiB each). */
    private static final int REPORTS_KEPT = 16_384;
    /**
     * Bytes that may wait for one session: a gate batch of 1,024 execution reports, each at most about 450 bytes with
     * the longest ids, symbols, numbers and CompIDs of up to 32 bytes, plus what was pending.
     */
    private static final int SEND_CAP = 1024 * 1024;
    private static final byte[] LOGOUT = {'5'};
    private static final byte[] YES = {'Y'};

    private final byte[] compId;
    private final byte[][] clients;
    private final Engine engine;
    private final InetSocketAddress address;
    private final FixMessage in = new FixMessage();
    private final FixOutbound outbound;
    private final FixSequenceRules sequenceRules;
    private final FixOrderEntry orders;
    private final FixSessionStore store;
    private final FixResend resend;
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
        this(compId, clients, new String[0], port, null);
    }

    /**
     * Starts the engine, the matching thread (and, gated, the journal) and listens.
     *
     * @param compId  the gateway's CompID (the clients' TargetCompID).
     * @param clients the SenderCompIDs allowed to log on.
     * @param symbols the symbols traded; an order for another is rejected.
     * @param port    port on 127.0.0.1 (0: any free port).
     * @param journal the journal file, to release execution reports only once it holds them; null: ungated.
     * @throws IOException if it cannot listen or open the journal.
     */
    public FixGateway(final String compId, final String[] clients, final String[] symbols, final int port,
        final Path journal) throws IOException
    {
        this(compId, clients, symbols, port, journal, null);
    }

    /**
     * Starts the engine, the matching thread (and, gated, the journal) and listens, keeping the sessions' sequence
     * numbers and sent reports in a store directory, so they survive a restart of the gateway.
     *
     * @param compId  the gateway's CompID (the clients' TargetCompID).
     * @param clients the SenderCompIDs allowed to log on.
     * @param symbols the symbols traded; an order for another is rejected.
     * @param port    port on 127.0.0.1 (0: any free port).
     * @param journal the journal file, to release execution reports only once it holds them; null: ungated.
     * @param store   the session store's directory; null: kept in memory, across reconnects but not restarts.
     * @throws IOException if it cannot listen or open the journal or the store.
     */
    public FixGateway(final String compId, final String[] clients, final String[] symbols, final int port,
        final Path journal, final Path store) throws IOException
    {
        this.compId = compId.getBytes(StandardCharsets.US_ASCII);
        this.clients = new byte[clients.length][];
        for (int i = 0; i < clients.length; i++)
        {
            this.clients[i] = clients[i].getBytes(StandardCharsets.US_ASCII);
        }
        final AtomicClusterCursors cursors = new AtomicClusterCursors(0);
        // The gate releases up to 1,024 reports at once, possibly all for one session: its send cap must hold them.
        // Connections: each client twice (a reconnect may overlap the old connection's close), and a few strangers.
        this.engine = Engine.start(EngineConfig.builder().codec(new FixFrameCodec(4096)).sendCap(SEND_CAP)
            .maxConnections(2 * clients.length + 8).gate(FixOrderEntry.gate(cursors, journal != null)).build());
        this.store = new FixSessionStore(store, this.clients, REPORTS_KEPT);
        this.outbound = new FixOutbound(this.compId, engine.config().clock(), this.store);
        this.sequenceRules = new FixSequenceRules(outbound);
        this.orders = FixOrderEntry.start(engine, symbols, cursors, journal);
        this.resend = new FixResend(outbound, this.store, orders);
        try
        {
            this.address = engine.listen(new InetSocketAddress("127.0.0.1", port), this);
        }
        catch (final IOException | RuntimeException ex)
        {
            try
            {
                close();
            }
            catch (final RuntimeException closing)
            {
                ex.addSuppressed(closing);
            }
            throw ex;
        }
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

    /** @return connections closed because their first message was not a valid Logon, or none came within 10 s. */
    public long refusedLogons()
    {
        return refusedLogons.get();
    }

    @Override
    public void onOpen(final Connection connection)
    {
        connection.attach(new FixSession());
        connection.armTimer(LOGON_DEADLINE_NS, TimeUnit.NANOSECONDS); // no Logon by then: closed, the slot freed
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
        session.lastReceivedNs = outbound.now();
        session.testRequestNs = 0; // anything received shows the client alive
        final int verdict = sequenceRules.check(connection, session, msgType, in);
        if (verdict == FixSequenceRules.DROP)
        {
            return;
        }
        if (verdict == FixSequenceRules.NEXT && (msgType == 0 || !in.fieldsWellFormed()))
        {
            if (msgType == 0)
            {
                outbound.reject(connection, session, 35, 1, MISSING_TAG);
            }
            else
            {
                outbound.reject(connection, session, 0, 0, INVALID_TAG);
            }
            return;
        }
        if (msgType == '2') // ResendRequest: reports sent again from the store, admin messages gap-filled
        {
            resend.resend(connection, session, Math.max(1, in.getLong(7, 1)), Math.max(0, in.getLong(16, 0)));
        }
        else if (verdict == FixSequenceRules.GAP)
        {
            return; // anything else past a gap waits for the gap to be filled (the client resends it)
        }
        else if (msgType == 'D' || msgType == 'F') // NewOrderSingle, OrderCancelRequest: to the matching thread
        {
            final int result = orders.submit(connection.id(), msgType, in);
            session.ordered |= result == FixOrderEntry.SUBMITTED;
            if (result == FixOrderEntry.NOT_NOW)
            {
                session.nextIn--; // offered again once the matching thread has made room: same number then
                connection.notNow();
            }
            else if (result == FixOrderEntry.INVALID)
            {
                outbound.reject(connection, session, orders.refTag(), orders.reason(), INVALID_VALUE);
            }
        }
        else if (msgType == '1') // TestRequest: a Heartbeat with its TestReqID
        {
            outbound.begin(HEARTBEAT, session);
            if (in.find(112))
            {
                outbound.encoder().put(112, buffer, in.valueAt(), in.valueLength());
            }
            outbound.send(connection, session);
        }
        else if (msgType == '5') // Logout: answered, then closed
        {
            outbound.begin(LOGOUT, session);
            outbound.send(connection, session);
            FixOutbound.endSession(connection, session);
        }
    }

    /** The session's resting orders are canceled when its connection closes: nobody could cancel them later. */
    @Override
    public void onClose(final Connection connection, final CloseReason reason)
    {
        final FixSession session = (FixSession)connection.attachment();
        if (session != null && session.ordered)
        {
            orders.connectionClosed(connection.id()); // only a session that sent orders can have one resting
        }
    }

    /** An execution report released by the gate: numbered and sent now, in the order the gate releases them. */
    @Override
    public boolean onResponse(final Connection connection, final long sequence, final DirectBuffer buffer,
        final int offset, final int length)
    {
        orders.retryCancels();
        final FixSession session = (FixSession)connection.attachment();
        if (session == null || !session.loggedOn)
        {
            return false;
        }
        outbound.begin(ExecutionReports.msgType(buffer, offset), session);
        orders.encode(sequence, buffer, offset, outbound.encoder());
        if (!outbound.send(connection, session))
        {
            return false;
        }
        store.report(session.storeIndex, session.nextOut - 1, outbound.sendingMillis(), buffer, offset);
        return true;
    }

    @Override
    public void onTimer(final Connection connection)
    {
        orders.retryCancels();
        final FixSession session = (FixSession)connection.attachment();
        if (!session.loggedOn)
        {
            refusedLogons.incrementAndGet(); // no Logon in time (a logged-out session is closing already)
            connection.close();
            return;
        }
        final long now = outbound.now();
        if (session.silentTooLong(now))
        {
            silentDisconnects.incrementAndGet();
            connection.close();
            return;
        }
        if (session.testRequestDue(now))
        {
            outbound.begin(TEST_REQUEST, session).put(112, session.nextOut); // its own MsgSeqNum: unique
            outbound.send(connection, session);
            session.testRequestNs = now;
        }
        if (session.heartbeatDue(now))
        {
            outbound.begin(HEARTBEAT, session);
            outbound.send(connection, session);
        }
        connection.armTimer(session.nextCheckNs(now), TimeUnit.NANOSECONDS);
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
        session.storeIndex = store.index(client);
        store.logOn(session.storeIndex, session, reset); // the numbers go on from where the last connection left
        session.nextIn = Math.max(1, in.getLong(34, 1)) + 1;
        session.heartBtIntNs = TimeUnit.SECONDS.toNanos(heartBtInt);
        session.lastReceivedNs = outbound.now();
        session.loggedOn = true;
        outbound.begin(LOGON, session).put(98, 0).put(108, heartBtInt);
        if (reset)
        {
            outbound.encoder().put(141, YES);
        }
        outbound.send(connection, session);
        if (heartBtInt > 0) // 0: no heartbeats on this session
        {
            connection.armTimer(session.heartBtIntNs, TimeUnit.NANOSECONDS);
        }
        else
        {
            connection.disarmTimer(); // the logon deadline is met
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

    /** @return forces the journal made (0 ungated). */
    public long journalForces()
    {
        return orders.journalForces();
    }

    /** @return execution reports released before the journal held them: 0 unless the gate lets one through early. */
    public long releasedAheadOfJournal()
    {
        return orders.releasedAheadOfJournal();
    }

    /** @return how many execution reports the journal has forced to disk (0 ungated). */
    public long journalPosition()
    {
        return orders.journalPosition();
    }

    @Override
    public void close()
    {
        try
        {
            engine.close();
        }
        finally
        {
            orders.close();
            store.close();
        }
    }
}
