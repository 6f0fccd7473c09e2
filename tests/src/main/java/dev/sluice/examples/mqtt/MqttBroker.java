package dev.sluice.examples.mqtt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.push.PushConfig;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An MQTT 3.1.1 broker on the engine: CONNECT (client ids, clean and persistent sessions, a newer connection with the
 * same id taking over, the keep-alive enforced by the engine's idle timeout at 1.5 times what the client asked, the
 * last will), SUBSCRIBE and UNSUBSCRIBE with {@code +} and {@code #}, PUBLISH fanned out to every matching subscriber,
 * retained messages, PINGREQ and DISCONNECT. Subscriptions are granted QoS 0 (delivery at most once); a QoS 1 PUBLISH
 * is acknowledged with PUBACK and a QoS 2 one goes through PUBREC, PUBREL and PUBCOMP, delivered once.
 * <p>
 * A PUBLISH is pushed at low priority to the engine push group of each matching filter: the group hands it to each
 * loop once, and a subscriber that stops reading is dropped as a slow consumer once what waits for it passes the send
 * cap, while everyone else keeps receiving in order. When a group's queue is full the publisher is told "not now"
 * (its reading pauses and the packet is tried again), so a fast publisher is slowed rather than its messages lost.
 * Per PUBLISH the loops allocate nothing. A malformed packet closes its client alone, counted by
 * {@link MqttCloseReason}. There is no authentication: user names and passwords are read and ignored.
 * <p>
 * <b>Threading:</b> the callbacks run on the engine's loop threads; what the loops share is in {@link BrokerState}
 * under one lock; each loop has its own scratch buffer.
 */
public final class MqttBroker implements ConnectionHandler, AutoCloseable
{
    /** The default largest packet, fixed header included. */
    public static final int DEFAULT_MAX_PACKET = 8 * 1024;
    /** How long a new connection may take to send CONNECT. */
    static final long CONNECT_DEADLINE_MS = 10_000;
    /** How soon the rest of a retained backlog is tried again when the send buffer is half full. */
    private static final long BACKLOG_RETRY_US = 500;

    private final Engine engine;
    private final int sendCap;
    private final InetSocketAddress address;
    private final BrokerState state;
    private final MqttConnects connects;
    private final UnsafeBuffer[] scratch;
    private final AtomicLongArray closes = new AtomicLongArray(MqttCloseReason.values().length);
    private final MqttPublishes publishing;

    /**
     * Starts a broker on 127.0.0.1 with one loop and the default limits.
     *
     * @param port the port (0: any free port).
     * @throws IOException if it cannot listen.
     */
    public MqttBroker(final int port) throws IOException
    {
        this(new InetSocketAddress("127.0.0.1", port), 1, 1024, DEFAULT_MAX_PACKET, 256);
    }

    /**
     * Starts a broker.
     *
     * @param address        where to listen.
     * @param loops          event loops (threads).
     * @param maxConnections clients at once.
     * @param maxPacket      the largest packet taken, fixed header included (a larger one closes its client).
     * @param maxFilters     distinct topic filters subscribed at once (each is an engine push group, with two queues
     *                       on every loop of {@code 8 × (maxPacket + 64)} bytes rounded up to a power of two: 256 KiB
     *                       of direct memory per filter per loop for 8 KiB packets); a subscription past it is
     *                       refused in SUBACK.
     * @throws IOException if it cannot listen.
     */
    public MqttBroker(final InetSocketAddress address, final int loops, final int maxConnections, final int maxPacket,
        final int maxFilters) throws IOException
    {
        // A group frame may be an eighth of the group's queue: the queues hold eight of the largest packets. One read
        // takes at most the receive buffer, so one loop iteration hands each subscriber a fraction of its send cap,
        // which holds eight of the largest packets too. A closed group keeps its place in the engine's count until
        // every loop has let it go: the engine may have twice as many groups as the broker has filters.
        final int groupQueue = BitUtil.findNextPositivePowerOfTwo(8 * (maxPacket + 64));
        this.sendCap = Math.max(64 * 1024, 8 * maxPacket);
        this.engine = Engine.start(EngineConfig.builder().loops(loops).codec(new MqttFrameCodec(maxPacket))
            .maxConnections(maxConnections).receiveBufferSize(Math.max(16 * 1024, 2 * maxPacket)).sendCap(sendCap)
            .push(PushConfig.builder().groupQueueBytes(groupQueue, groupQueue).maxPushGroups(2 * maxFilters).build())
            .threadNamePrefix("mqtt-broker").build());
        if (engine.config().groupLowRoom() < maxPacket + 64)
        {
            engine.close();
            throw new IllegalArgumentException("maxPacket too large for the push groups: " + maxPacket);
        }
        this.state = new BrokerState(engine, maxFilters);
        this.scratch = new UnsafeBuffer[loops];
        for (int i = 0; i < loops; i++)
        {
            scratch[i] = new UnsafeBuffer(ByteBuffer.allocateDirect(maxPacket + 64));
        }
        this.connects = new MqttConnects(state, engine);
        this.publishing = new MqttPublishes(state);
        try
        {
            this.address = engine.listen(address, this);
        }
        catch (final IOException | RuntimeException ex)
        {
            engine.close();
            throw ex;
        }
    }

    /** @return where the broker listens. */
    public InetSocketAddress address()
    {
        return address;
    }

    /** @return the engine underneath (its counters, its close). */
    public Engine engine()
    {
        return engine;
    }

    /**
     * @param reason a reason.
     * @return clients whose connection ended for it.
     */
    public long closes(final MqttCloseReason reason)
    {
        return closes.get(reason.ordinal());
    }

    /** @return PUBLISH packets taken from clients, each counted once (wills are counted apart). */
    public long publishes()
    {
        return state.publishes();
    }

    /** @return times a publisher was told "not now" because a subscription's queue was full. */
    public long publishesPaused()
    {
        return state.publishesPaused();
    }

    /** @return last wills published (a client's connection ended without DISCONNECT). */
    public long willsPublished()
    {
        return state.willsPublished();
    }

    /** @return last wills dropped because a matching filter's queue was full at the close. */
    public long willsDropped()
    {
        return state.willsDropped();
    }

    /** @return group pushes refused other than for a full queue; 0 unless something is wrong. */
    public long fanOutsDropped()
    {
        return state.fanOutsDropped();
    }

    /** @return group pushes made: one per matching filter per PUBLISH (each reaches all of that filter's members). */
    public long fanOuts()
    {
        return state.fanOuts();
    }

    /** @return distinct topic filters subscribed now. */
    public int filters()
    {
        return state.filters();
    }

    /** @return topics holding a retained message. */
    public int retainedTopics()
    {
        return state.retainedTopics();
    }

    @Override
    public void onOpen(final Connection connection)
    {
        connection.attach(new MqttSession(connection.id(), connection.pushHandle()));
        connection.armTimer(CONNECT_DEADLINE_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onTimer(final Connection connection)
    {
        final MqttSession session = (MqttSession)connection.attachment();
        if (!session.connected)
        {
            violation(connection, session, MqttCloseReason.NO_CONNECT);
            return;
        }
        sendRetained(connection, session, scratch[connection.loopIndex()]);
    }

    /**
     * Sends the retained messages a SUBSCRIBE queued, while the send buffer is at most half full; the rest waits for
     * the connection's timer, so a subscription matching many retained messages is never dropped for them.
     */
    private void sendRetained(final Connection connection, final MqttSession session, final UnsafeBuffer out)
    {
        final List<RetainedMessages.Message> backlog = session.retainedBacklog;
        while (session.retainedNext < backlog.size())
        {
            if (connection.pendingBytes() > sendCap / 2)
            {
                connection.armTimer(BACKLOG_RETRY_US, TimeUnit.MICROSECONDS);
                return;
            }
            final int length = state.encodeRetained(backlog.get(session.retainedNext++), out);
            if (length > 0 && !connection.send(out, 0, length))
            {
                return; // closed
            }
        }
        backlog.clear();
        session.retainedNext = 0;
    }

    @Override
    public void onFrame(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
    {
        final MqttSession session = (MqttSession)connection.attachment();
        final int first = buffer.getByte(offset) & 0xFF;
        final int type = MqttPackets.type(first);
        final UnsafeBuffer out = scratch[connection.loopIndex()];
        if (!session.connected)
        {
            if (type != MqttPackets.CONNECT)
            {
                violation(connection, session, MqttCloseReason.PACKET_BEFORE_CONNECT);
                return;
            }
            final MqttCloseReason refused = connects.connect(connection, session, buffer, offset, length, out);
            if (refused != null)
            {
                violation(connection, session, refused);
            }
            return;
        }
        if (type != MqttPackets.PUBLISH && !MqttPackets.reservedFlagsValid(first))
        {
            violation(connection, session, MqttCloseReason.RESERVED_FLAGS);
            return;
        }
        final MqttCloseReason violated;
        switch (type)
        {
            case MqttPackets.PUBLISH ->
                violated = publishing.publish(connection, session, buffer, offset, length, out);
            case MqttPackets.PUBREL ->
                violated = MqttPublishes.release(connection, session, buffer, offset, length, out);
            case MqttPackets.SUBSCRIBE ->
            {
                violated = MqttSubscribes.subscribe(state, connection, session, buffer, offset, length, out);
                sendRetained(connection, session, out);
            }
            case MqttPackets.UNSUBSCRIBE -> violated = MqttSubscribes.unsubscribe(state, connection, session, buffer,
                offset, length, out);
            case MqttPackets.PINGREQ -> violated = ping(connection, length, out);
            case MqttPackets.DISCONNECT ->
            {
                violated = length == 2 ? MqttCloseReason.DISCONNECTED : MqttCloseReason.MALFORMED_PACKET;
            }
            case MqttPackets.CONNECT -> violated = MqttCloseReason.SECOND_CONNECT;
            // The broker sends QoS 0 only: a client has nothing to acknowledge, nor may it send server packets.
            default -> violated = MqttCloseReason.MALFORMED_PACKET;
        }
        if (violated != null)
        {
            violation(connection, session, violated);
        }
    }

    private static MqttCloseReason ping(final Connection connection, final int length, final UnsafeBuffer out)
    {
        if (length != 2)
        {
            return MqttCloseReason.MALFORMED_PACKET;
        }
        out.putByte(0, (byte)(MqttPackets.PINGRESP << 4));
        out.putByte(1, (byte)0);
        connection.send(out, 0, 2);
        return null;
    }

    private static void violation(final Connection connection, final MqttSession session, final MqttCloseReason reason)
    {
        session.reason = reason;
        connection.close();
    }

    @Override
    public void onClose(final Connection connection, final CloseReason reason)
    {
        final MqttSession session = (MqttSession)connection.attachment();
        if (session == null)
        {
            return;
        }
        final MqttCloseReason why = session.reason != null ? session.reason : switch (reason)
        {
            case IDLE_TIMEOUT -> MqttCloseReason.KEEP_ALIVE_EXPIRED;
            case MALFORMED_FRAME -> MqttCloseReason.BAD_REMAINING_LENGTH;
            case SLOW_CONSUMER -> MqttCloseReason.SLOW_SUBSCRIBER;
            case ENGINE_SHUTDOWN -> MqttCloseReason.BROKER_SHUTDOWN;
            case HANDLER_ERROR -> MqttCloseReason.BROKER_ERROR;
            case CLOSED_LOCALLY -> session.takenOver ? MqttCloseReason.TAKEN_OVER : MqttCloseReason.CONNECTION_LOST;
            default -> MqttCloseReason.CONNECTION_LOST;
        };
        closes.incrementAndGet(why.ordinal());
        if (session.connected)
        {
            state.closed(session, why != MqttCloseReason.DISCONNECTED && why != MqttCloseReason.BROKER_SHUTDOWN);
        }
    }

    /** Stops the engine: every client is disconnected. */
    @Override
    public void close()
    {
        engine.close();
    }
}
