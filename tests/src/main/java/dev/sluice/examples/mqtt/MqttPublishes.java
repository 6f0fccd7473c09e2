package dev.sluice.examples.mqtt;

import dev.sluice.connection.Connection;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * PUBLISH and PUBREL: the packet is checked in place (flags, topic, packet id), forwarded byte for byte when it is
 * already what subscribers get (QoS 0, RETAIN clear) or re-encoded once as QoS 0 into the loop's scratch buffer, pushed
 * to every matching filter's group, and acknowledged (PUBACK for QoS 1; PUBREC, then PUBCOMP on PUBREL, for QoS 2,
 * delivered once even when resent). A full group queue makes the publisher wait ("not now"). Nothing here allocates.
 * <p>
 * <b>Threading:</b> the connection's loop thread; shared state (and the counts) through {@link BrokerState}.
 */
final class MqttPublishes
{
    private final BrokerState state;

    MqttPublishes(final BrokerState state)
    {
        this.state = state;
    }

    /**
     * @return null, or why the client must be disconnected.
     */
    MqttCloseReason publish(final Connection connection, final MqttSession session, final DirectBuffer buffer,
        final int offset, final int length, final UnsafeBuffer out)
    {
        final int first = buffer.getByte(offset) & 0xFF;
        final int qos = (first >> 1) & 3;
        if (qos == 3 || (qos == 0 && (first & 0x08) != 0))
        {
            return MqttCloseReason.RESERVED_FLAGS;
        }
        final int end = offset + length;
        final int topicAt = MqttPackets.bodyOffset(buffer, offset);
        if (topicAt + 2 > end)
        {
            return MqttCloseReason.MALFORMED_PACKET;
        }
        final int topicStart = topicAt + 2;
        final int topicEnd = topicStart + MqttPackets.uint16(buffer, topicAt);
        final int payloadOffset = topicEnd + (qos > 0 ? 2 : 0);
        if (payloadOffset > end)
        {
            return MqttCloseReason.MALFORMED_PACKET;
        }
        if (!MqttPackets.validTopic(buffer, topicStart, topicEnd))
        {
            return MqttCloseReason.BAD_TOPIC;
        }
        final int packetId = qos > 0 ? MqttPackets.uint16(buffer, topicEnd) : 0;
        if (qos > 0 && packetId == 0)
        {
            return MqttCloseReason.MALFORMED_PACKET;
        }
        if (qos < 2 || !session.qos2Received.contains(packetId))
        {
            final boolean asIs = first == MqttPackets.PUBLISH << 4; // QoS 0, not retained: forwarded byte for byte
            final DirectBuffer packet = asIs ? buffer : out;
            final int packetOffset = asIs ? offset : 0;
            final int packetLength = asIs ? length : MqttPackets.publish(out, false, buffer, topicStart,
                topicEnd - topicStart, buffer, payloadOffset, end - payloadOffset);
            if (state.publish(session, buffer, topicStart, topicEnd, payloadOffset, end - payloadOffset,
                (first & 1) != 0, packet, packetOffset, packetLength) == BrokerState.BLOCKED)
            {
                connection.notNow();
                return null;
            }
            if (qos == 2)
            {
                session.qos2Received.add(packetId);
            }
        }
        if (qos > 0)
        {
            final int ack = qos == 1 ? MqttPackets.PUBACK << 4 : MqttPackets.PUBREC << 4;
            connection.send(out, 0, MqttPackets.twoBytes(out, ack, packetId));
        }
        return null;
    }

    /**
     * @return null, or why the client must be disconnected.
     */
    static MqttCloseReason release(final Connection connection, final MqttSession session,
        final DirectBuffer buffer, final int offset, final int length, final UnsafeBuffer out)
    {
        if (length != 4)
        {
            return MqttCloseReason.MALFORMED_PACKET;
        }
        final int packetId = MqttPackets.uint16(buffer, offset + 2);
        session.qos2Received.remove(packetId);
        connection.send(out, 0, MqttPackets.twoBytes(out, MqttPackets.PUBCOMP << 4, packetId));
        return null;
    }
}
