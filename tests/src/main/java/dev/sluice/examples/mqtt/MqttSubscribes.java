package dev.sluice.examples.mqtt;

import dev.sluice.connection.Connection;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * SUBSCRIBE and UNSUBSCRIBE: each packet is checked whole before anything changes (a malformed one closes the client
 * and subscribes it to nothing), then every filter is applied in order and answered in one SUBACK or UNSUBACK. A
 * filter that is not valid, or that the broker has no room for, gets the failure return code; the others are granted
 * QoS 0. Retained messages matching a filter are queued to follow the SUBACK (the broker sends them as the
 * subscriber's send buffer has room).
 * <p>
 * <b>Threading:</b> the connection's loop thread; shared state through {@link BrokerState}.
 */
final class MqttSubscribes
{
    private MqttSubscribes()
    {
    }

    /**
     * @return null, or why the client must be disconnected.
     */
    static MqttCloseReason subscribe(final BrokerState state, final Connection connection, final MqttSession session,
        final DirectBuffer buffer, final int offset, final int length, final UnsafeBuffer out)
    {
        final int end = offset + length;
        final int body = MqttPackets.bodyOffset(buffer, offset);
        final int filters = count(buffer, body, end, true);
        if (filters <= 0)
        {
            return MqttCloseReason.MALFORMED_PACKET;
        }
        final int packetId = MqttPackets.uint16(buffer, body);
        if (packetId == 0)
        {
            return MqttCloseReason.MALFORMED_PACKET;
        }
        out.putByte(0, (byte)(MqttPackets.SUBACK << 4));
        final int idAt = 1 + MqttFrameCodec.putRemainingLength(out, 1, 2 + filters);
        out.putByte(idAt, (byte)(packetId >> 8));
        out.putByte(idAt + 1, (byte)packetId);
        int at = body + 2;
        for (int i = 0; i < filters; i++)
        {
            final int start = at + 2;
            final int filterEnd = start + MqttPackets.uint16(buffer, at);
            final boolean granted = TopicFilters.validFilter(buffer, start, filterEnd) &&
                state.subscribe(session, buffer, start, filterEnd);
            out.putByte(idAt + 2 + i, (byte)(granted ? 0 : MqttPackets.SUBSCRIBE_FAILURE));
            at = filterEnd + 1;
        }
        connection.send(out, 0, idAt + 2 + filters);
        at = body + 2;
        for (int i = 0; i < filters; i++)
        {
            final int start = at + 2;
            final int filterEnd = start + MqttPackets.uint16(buffer, at);
            final byte[] filter = new byte[filterEnd - start];
            buffer.getBytes(start, filter);
            if (session.indexOf(filter) >= 0)
            {
                state.queueRetained(session, filter);
            }
            at = filterEnd + 1;
        }
        return null;
    }

    /**
     * @return null, or why the client must be disconnected.
     */
    static MqttCloseReason unsubscribe(final BrokerState state, final Connection connection,
        final MqttSession session, final DirectBuffer buffer, final int offset, final int length,
        final UnsafeBuffer out)
    {
        final int end = offset + length;
        final int body = MqttPackets.bodyOffset(buffer, offset);
        final int filters = count(buffer, body, end, false);
        if (filters <= 0 || MqttPackets.uint16(buffer, body) == 0)
        {
            return MqttCloseReason.MALFORMED_PACKET;
        }
        int at = body + 2;
        for (int i = 0; i < filters; i++)
        {
            final int start = at + 2;
            final int filterEnd = start + MqttPackets.uint16(buffer, at);
            if (!state.unsubscribe(session, buffer, start, filterEnd))
            {
                connection.notNow(); // the group had no room for the leave: the whole packet comes again
                return null;
            }
            at = filterEnd;
        }
        connection.send(out, 0, MqttPackets.twoBytes(out, MqttPackets.UNSUBACK << 4,
            MqttPackets.uint16(buffer, body)));
        return null;
    }

    /**
     * Checks a SUBSCRIBE's or UNSUBSCRIBE's payload: a packet id, then filters (each with a requested QoS byte for
     * SUBSCRIBE whose reserved bits are clear and whose QoS is 0 to 2) that fill the packet exactly.
     *
     * @return filters, or -1 if the packet is malformed (none at all counts as malformed).
     */
    private static int count(final DirectBuffer buffer, final int body, final int end, final boolean withQos)
    {
        if (body + 2 > end)
        {
            return -1;
        }
        int filters = 0;
        int at = body + 2;
        while (at < end)
        {
            if (at + 2 > end)
            {
                return -1;
            }
            final int filterEnd = at + 2 + MqttPackets.uint16(buffer, at);
            final int next = filterEnd + (withQos ? 1 : 0);
            if (next > end)
            {
                return -1;
            }
            if (withQos)
            {
                final int qos = buffer.getByte(filterEnd) & 0xFF;
                if (qos > 2)
                {
                    return -1;
                }
            }
            filters++;
            at = next;
        }
        return filters == 0 ? -1 : filters;
    }
}
