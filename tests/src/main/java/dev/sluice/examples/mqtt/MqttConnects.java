package dev.sluice.examples.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.sluice.connection.Connection;
import dev.sluice.engine.Engine;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A client's CONNECT: the protocol name and level, the connect flags, the keep-alive, the client id, the last will,
 * the user name and password (read, not checked), then CONNACK. Runs once per connection (it may allocate).
 * <p>
 * <b>Threading:</b> the connection's loop thread; shared state through {@link BrokerState}.
 */
final class MqttConnects
{
    private static final int LEVEL_3_1_1 = 4;
    private static final byte[] MQTT = "MQTT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MQISDP = "MQIsdp".getBytes(StandardCharsets.US_ASCII);
    private static final int CLEAN_SESSION = 0x02;
    private static final int WILL = 0x04;
    private static final int WILL_RETAIN = 0x20;
    private static final int PASSWORD = 0x40;
    private static final int USER_NAME = 0x80;
    /** The keep-alive is enforced at this many thousandths of what the client asked (the protocol's 1.5 times). */
    private static final long KEEP_ALIVE_GRACE_PER_MILLE = 1_500;

    private final BrokerState state;
    private final Engine engine;

    MqttConnects(final BrokerState state, final Engine engine)
    {
        this.state = state;
        this.engine = engine;
    }

    /**
     * Handles the first packet of a connection, a CONNECT.
     *
     * @return null if the client is connected now, or why it must be disconnected (CONNACK sent first where the
     *     protocol asks for one).
     */
    MqttCloseReason connect(final Connection connection, final MqttSession session, final DirectBuffer buffer,
        final int offset, final int length, final UnsafeBuffer out)
    {
        if (!MqttPackets.reservedFlagsValid(buffer.getByte(offset)))
        {
            return MqttCloseReason.RESERVED_FLAGS;
        }
        final int end = offset + length;
        int at = MqttPackets.bodyOffset(buffer, offset);
        final int nameEnd = string(buffer, at, end);
        if (nameEnd < 0 || nameEnd + 4 > end)
        {
            return MqttCloseReason.MALFORMED_PACKET;
        }
        final boolean mqtt = TopicFilters.sameBytes(MQTT, buffer, at + 2, nameEnd);
        if (!mqtt && !TopicFilters.sameBytes(MQISDP, buffer, at + 2, nameEnd))
        {
            return MqttCloseReason.BAD_PROTOCOL_NAME;
        }
        if (!mqtt || buffer.getByte(nameEnd) != LEVEL_3_1_1)
        {
            connack(connection, out, false, MqttPackets.UNACCEPTABLE_PROTOCOL);
            return MqttCloseReason.BAD_PROTOCOL_LEVEL;
        }
        final int flags = buffer.getByte(nameEnd + 1) & 0xFF;
        final int willQos = (flags >> 3) & 3;
        if ((flags & 1) != 0)
        {
            return MqttCloseReason.RESERVED_FLAGS;
        }
        if (willQos == 3 || ((flags & WILL) == 0 && (willQos != 0 || (flags & WILL_RETAIN) != 0)) ||
            ((flags & PASSWORD) != 0 && (flags & USER_NAME) == 0))
        {
            return MqttCloseReason.MALFORMED_PACKET;
        }
        final int keepAlive = MqttPackets.uint16(buffer, nameEnd + 2);
        at = nameEnd + 4;
        final int idEnd = string(buffer, at, end);
        if (idEnd < 0 || !MqttPackets.validUtf8(buffer, at + 2, idEnd - at - 2))
        {
            return MqttCloseReason.MALFORMED_PACKET;
        }
        final boolean clean = (flags & CLEAN_SESSION) != 0;
        final String clientId = buffer.getStringWithoutLengthUtf8(at + 2, idEnd - at - 2);
        at = idEnd;
        if ((flags & WILL) != 0)
        {
            final int willTopicEnd = string(buffer, at, end);
            final int willEnd = willTopicEnd < 0 ? -1 : string(buffer, willTopicEnd, end);
            if (willEnd < 0)
            {
                return MqttCloseReason.MALFORMED_PACKET;
            }
            if (!MqttPackets.validTopic(buffer, at + 2, willTopicEnd))
            {
                return MqttCloseReason.BAD_TOPIC;
            }
            keepWill(session, buffer, at + 2, willTopicEnd, willTopicEnd + 2, willEnd, (flags & WILL_RETAIN) != 0);
            at = willEnd;
        }
        if ((flags & USER_NAME) != 0)
        {
            at = string(buffer, at, end);
        }
        if (at >= 0 && (flags & PASSWORD) != 0)
        {
            at = string(buffer, at, end);
        }
        if (at < 0)
        {
            return MqttCloseReason.MALFORMED_PACKET;
        }
        if (clientId.isEmpty() && !clean)
        {
            connack(connection, out, false, MqttPackets.IDENTIFIER_REJECTED);
            return MqttCloseReason.IDENTIFIER_REJECTED;
        }
        session.clientId = clientId.isEmpty() ? "sluice-" + Long.toHexString(connection.id()) : clientId;
        session.cleanSession = clean;
        final long older = state.connect(session);
        connection.disarmTimer(); // the CONNECT deadline
        connection.idleTimeout(keepAlive * KEEP_ALIVE_GRACE_PER_MILLE, TimeUnit.MILLISECONDS);
        connack(connection, out, session.sessionPresent, MqttPackets.ACCEPTED);
        if (older >= 0)
        {
            engine.closeConnection(older);
        }
        return null;
    }

    /**
     * @param buffer the packet.
     * @param at     where a two-byte length and its bytes start.
     * @param end    where the packet ends.
     * @return the offset after the bytes, or -1 if they run past the packet.
     */
    private static int string(final DirectBuffer buffer, final int at, final int end)
    {
        if (at + 2 > end)
        {
            return -1;
        }
        final int next = at + 2 + MqttPackets.uint16(buffer, at);
        return next <= end ? next : -1;
    }

    private static void keepWill(final MqttSession session, final DirectBuffer buffer, final int topicStart,
        final int topicEnd, final int messageStart, final int messageEnd, final boolean retain)
    {
        final int topicLength = topicEnd - topicStart;
        final int messageLength = messageEnd - messageStart;
        final int remaining = 2 + topicLength + messageLength;
        final UnsafeBuffer packet =
            new UnsafeBuffer(new byte[1 + MqttFrameCodec.remainingLengthBytes(remaining) + remaining]);
        MqttPackets.publish(packet, false, buffer, topicStart, topicLength, buffer, messageStart, messageLength);
        final int packetTopicStart = packet.capacity() - messageLength - topicLength;
        session.will(packet, packetTopicStart, packetTopicStart + topicLength, messageLength, retain);
    }

    private static void connack(final Connection connection, final UnsafeBuffer out, final boolean sessionPresent,
        final int code)
    {
        connection.send(out, 0, MqttPackets.twoBytes(out, MqttPackets.CONNACK << 4, (sessionPresent ? 1 : 0) << 8 |
            code));
    }
}
