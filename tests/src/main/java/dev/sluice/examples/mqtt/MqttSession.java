package dev.sluice.examples.mqtt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.sluice.push.PushGroup;
import dev.sluice.push.PushHandle;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One client connection's MQTT state, attached to its engine connection. Made when the connection opens (set-up may
 * allocate), dropped when it closes.
 * <p>
 * <b>Threading:</b> the connection's loop thread. The broker's shared state also reads and writes, under its lock,
 * {@link #subscriptions}, {@link #pushed} and {@link #takenOver} (which is volatile: the close reads it without the
 * lock); the loop thread reads {@link #subscriptions} without the lock too, which is safe because only the session's
 * own loop changes it.
 */
final class MqttSession
{
    final long connectionId;
    final PushHandle handle;
    /** CONNECT accepted: the broker's shared state knows this session (set under its lock, on the loop thread). */
    boolean connected;
    String clientId;
    boolean cleanSession;
    /** CONNACK's session-present flag: a persistent session's subscriptions were kept. */
    boolean sessionPresent;
    /** Set when the client's DISCONNECT or a violation decided how it ends; null while none did. */
    MqttCloseReason reason;
    /** Another connection came with the same client id (set under the broker's lock, read on close). */
    volatile boolean takenOver;
    /** QoS 2 packet ids received and not yet released by PUBREL: a resent PUBLISH is not delivered twice. */
    final IntHashSet qos2Received = new IntHashSet();

    /** The filters subscribed, by node; each node knows its filter's bytes (under the broker's lock). */
    final List<TopicTree.Node> subscriptions = new ArrayList<>();

    /**
     * The groups a PUBLISH that was told "not now" already went to, so that trying it again skips them (under the
     * broker's lock). Grows only when a topic matches more filters than any before.
     */
    PushGroup[] pushed = new PushGroup[8];
    int pushedCount;

    /** Retained messages still to send after a SUBACK, sent as the send buffer has room (loop thread). */
    final List<RetainedMessages.Message> retainedBacklog = new ArrayList<>();
    int retainedNext;

    /** The last will as a QoS 0 PUBLISH ready to push, or null. */
    UnsafeBuffer will;
    int willTopicStart;
    int willTopicEnd;
    int willPayloadOffset;
    int willPayloadLength;
    boolean willRetain;

    MqttSession(final long connectionId, final PushHandle handle)
    {
        this.connectionId = connectionId;
        this.handle = handle;
    }

    /**
     * Keeps the last will as the PUBLISH it will be.
     *
     * @param packet        the encoded PUBLISH (QoS 0, RETAIN clear).
     * @param topicStart    where its topic starts.
     * @param topicEnd      where its topic ends.
     * @param payloadLength the will message's length (it ends the packet).
     * @param retain        whether the will is retained.
     */
    void will(final UnsafeBuffer packet, final int topicStart, final int topicEnd, final int payloadLength,
        final boolean retain)
    {
        will = packet;
        willTopicStart = topicStart;
        willTopicEnd = topicEnd;
        willPayloadOffset = packet.capacity() - payloadLength;
        willPayloadLength = payloadLength;
        willRetain = retain;
    }

    /**
     * @param group a group.
     * @return true if the PUBLISH being tried again already went to it.
     */
    boolean alreadyPushed(final PushGroup group)
    {
        for (int i = 0; i < pushedCount; i++)
        {
            if (pushed[i] == group)
            {
                return true;
            }
        }
        return false;
    }

    /** @param group a group the PUBLISH went to. */
    void pushedTo(final PushGroup group)
    {
        if (pushedCount == pushed.length)
        {
            pushed = Arrays.copyOf(pushed, 2 * pushed.length);
        }
        pushed[pushedCount++] = group;
    }

    /** @return the bytes of every filter subscribed, for a persistent session to keep. */
    List<byte[]> filters()
    {
        final List<byte[]> filters = new ArrayList<>(subscriptions.size());
        for (int i = 0; i < subscriptions.size(); i++)
        {
            filters.add(subscriptions.get(i).filter());
        }
        return filters;
    }

    /**
     * @param filter a filter's bytes.
     * @return its index among this session's subscriptions, or -1.
     */
    int indexOf(final byte[] filter)
    {
        for (int i = 0; i < subscriptions.size(); i++)
        {
            if (Arrays.equals(subscriptions.get(i).filter(), filter))
            {
                return i;
            }
        }
        return -1;
    }
}
