package dev.sluice.examples.mqtt;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.sluice.engine.Engine;
import dev.sluice.push.Priority;
import dev.sluice.push.PushGroup;
import dev.sluice.push.PushResult;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What every loop of the broker shares: the subscriptions ({@link TopicTree}), the retained messages, the clients
 * connected by id and the subscriptions of persistent sessions whose clients are away.
 * <p>
 * <b>Threading:</b> every method takes the one lock (a monitor: uncontended it costs a compare-and-swap and allocates
 * nothing), so the loops see one state; publishing holds it for the walk and the pushes, which never block. With one
 * loop the lock is never contended.
 */
final class BrokerState implements TopicTree.Visitor
{
    /** {@link #publish} result: the first matching group's queue was full and nobody got the packet. */
    static final int BLOCKED = -1;

    private final TopicTree tree;
    private final RetainedMessages retained = new RetainedMessages();
    private final Map<String, MqttSession> connected = new HashMap<>();
    private final Map<String, List<byte[]>> away = new HashMap<>();
    private long fanOuts;
    private long fanOutsDropped;
    private long willsPublished;
    private long publishes;
    private long publishesPaused;
    private long willsDropped;

    // The packet being published, for the visitor (under the lock).
    private MqttSession publishing;
    private DirectBuffer packet;
    private int packetOffset;
    private int packetLength;
    private int pushed;
    private boolean blocked;

    /**
     * @param engine     the engine whose push groups deliver.
     * @param maxFilters distinct filters with subscribers at once.
     */
    BrokerState(final Engine engine, final int maxFilters)
    {
        this.tree = new TopicTree(engine, maxFilters);
    }

    /**
     * A client's CONNECT was accepted: it becomes the connected client of its id, taking over from an older
     * connection with that id, and a persistent session gets back its subscriptions.
     *
     * @param session the new session, its client id and clean-session flag set.
     * @return the connection id of the older connection to close (outside the lock), or -1.
     */
    synchronized long connect(final MqttSession session)
    {
        final MqttSession old = connected.put(session.clientId, session);
        List<byte[]> kept = away.remove(session.clientId);
        if (old != null)
        {
            old.takenOver = true;
            kept = old.cleanSession ? null : old.filters();
        }
        session.connected = true; // from here on its close must call closed(), whatever happens next
        session.sessionPresent = !session.cleanSession && kept != null;
        if (session.sessionPresent)
        {
            restore(session, kept);
        }
        return old == null ? -1 : old.connectionId;
    }

    private void restore(final MqttSession session, final List<byte[]> kept)
    {
        for (final byte[] filter : kept)
        {
            subscribe(session, new UnsafeBuffer(filter), 0, filter.length);
        }
    }

    /**
     * Subscribes a session to a filter (again: nothing changes but its retained messages are sent again).
     *
     * @return false if the broker cannot take another filter, or the group had no room for the join right now.
     */
    synchronized boolean subscribe(final MqttSession session, final DirectBuffer filter, final int start,
        final int end)
    {
        final byte[] bytes = new byte[end - start];
        filter.getBytes(start, bytes);
        if (session.indexOf(bytes) >= 0)
        {
            return true;
        }
        final TopicTree.Node node = tree.subscribe(filter, start, end);
        if (node == null)
        {
            return false;
        }
        if (node.group().join(session.handle) != PushResult.ACCEPTED)
        {
            tree.unsubscribed(node);
            return false;
        }
        session.subscriptions.add(node);
        return true;
    }

    /**
     * Unsubscribes a session from a filter it may not have.
     *
     * @return false if the group's queue had no room for the leave right now (nothing changed: try again).
     */
    synchronized boolean unsubscribe(final MqttSession session, final DirectBuffer filter, final int start,
        final int end)
    {
        final byte[] bytes = new byte[end - start];
        filter.getBytes(start, bytes);
        final int i = session.indexOf(bytes);
        if (i < 0)
        {
            return true;
        }
        final TopicTree.Node node = session.subscriptions.get(i);
        if (node.group().leave(session.handle) != PushResult.ACCEPTED)
        {
            return false;
        }
        session.subscriptions.remove(i);
        tree.unsubscribed(node);
        return true;
    }

    /**
     * Adds the retained messages a new subscription gets to the session's backlog.
     *
     * @param session the subscribing session.
     * @param filter  the filter.
     */
    synchronized void queueRetained(final MqttSession session, final byte[] filter)
    {
        session.retainedBacklog.addAll(retained.matching(filter));
    }

    /**
     * Encodes a retained message of a backlog as it is now, with RETAIN set.
     *
     * @param message the message.
     * @param out     where the PUBLISH is written.
     * @return its length, or 0 if the topic was cleared meanwhile.
     */
    synchronized int encodeRetained(final RetainedMessages.Message message, final UnsafeBuffer out)
    {
        if (message.payloadLength == 0)
        {
            return 0;
        }
        return MqttPackets.publish(out, true, new UnsafeBuffer(message.topic), 0, message.topic.length,
            new UnsafeBuffer(message.payload, 0, message.payloadLength), 0, message.payloadLength);
    }

    /**
     * Publishes a packet to every matching subscriber and, if it is retained, keeps it for later ones.
     *
     * @param from          the publishing session (a will's session when it closes): the groups it already reached
     *                      are skipped when a PUBLISH is tried again after "not now".
     * @param buffer        the inbound PUBLISH (topic and payload are read from it).
     * @param topicStart    where the topic starts.
     * @param topicEnd      where it ends (exclusive).
     * @param payloadOffset where the payload starts.
     * @param payloadLength its length.
     * @param retain        whether to keep it as the topic's retained message.
     * @param out           the QoS 0 PUBLISH subscribers get.
     * @param outOffset     where it starts.
     * @param outLength     its length.
     * @return groups the packet went to, or {@link #BLOCKED}: a matching group's queue was full; the groups it went
     *     to are remembered in the session, nothing was retained; try again later.
     */
    synchronized int publish(final MqttSession from, final DirectBuffer buffer, final int topicStart,
        final int topicEnd, final int payloadOffset, final int payloadLength, final boolean retain,
        final DirectBuffer out, final int outOffset, final int outLength)
    {
        final int groups = fanOut(from, buffer, topicStart, topicEnd, payloadOffset, payloadLength, retain, out,
            outOffset, outLength);
        if (groups == BLOCKED)
        {
            publishesPaused++;
        }
        else
        {
            publishes++;
        }
        return groups;
    }

    /** {@link #publish} without counting it as a client's PUBLISH (a will is counted apart). */
    private int fanOut(final MqttSession from, final DirectBuffer buffer, final int topicStart, final int topicEnd,
        final int payloadOffset, final int payloadLength, final boolean retain, final DirectBuffer out,
        final int outOffset, final int outLength)
    {
        publishing = from;
        packet = out;
        packetOffset = outOffset;
        packetLength = outLength;
        pushed = 0;
        blocked = false;
        tree.match(buffer, topicStart, topicEnd, this);
        packet = null;
        publishing = null;
        if (blocked)
        {
            return BLOCKED;
        }
        from.pushedCount = 0;
        if (retain)
        {
            retained.retain(buffer, topicStart, topicEnd, payloadOffset, payloadLength);
        }
        return pushed;
    }

    @Override
    public void matched(final PushGroup group)
    {
        if (blocked || publishing.alreadyPushed(group))
        {
            return;
        }
        final PushResult result = group.push(packet, packetOffset, packetLength, Priority.LOW);
        if (result == PushResult.ACCEPTED)
        {
            pushed++;
            fanOuts++;
            publishing.pushedTo(group);
        }
        else if (result == PushResult.QUEUE_FULL)
        {
            blocked = true; // the publisher waits and tries again; the groups it reached are skipped then
        }
        else
        {
            fanOutsDropped++; // the broker sizes its groups for its largest packet: not expected
        }
    }

    /**
     * A session's connection closed: its subscriptions go (kept by client id for a persistent session that was not
     * taken over), and its last will is published if it has one and {@code publishWill}.
     *
     * @param session     the session.
     * @param publishWill whether the client ended without DISCONNECT.
     */
    synchronized void closed(final MqttSession session, final boolean publishWill)
    {
        if (session.clientId != null && connected.get(session.clientId) == session)
        {
            connected.remove(session.clientId);
            if (!session.cleanSession)
            {
                away.put(session.clientId, session.filters());
            }
        }
        for (int i = 0; i < session.subscriptions.size(); i++)
        {
            tree.unsubscribed(session.subscriptions.get(i));
        }
        session.subscriptions.clear();
        if (publishWill && session.will != null)
        {
            session.pushedCount = 0;
            final UnsafeBuffer will = session.will;
            if (fanOut(session, will, session.willTopicStart, session.willTopicEnd, session.willPayloadOffset,
                session.willPayloadLength, session.willRetain, will, 0, will.capacity()) == BLOCKED)
            {
                willsDropped++; // a closed connection cannot be told "not now"
            }
            else
            {
                willsPublished++;
            }
        }
    }

    /** @return group pushes made (one per matching filter per PUBLISH). */
    synchronized long fanOuts()
    {
        return fanOuts;
    }

    /** @return group pushes refused other than for a full queue (a packet too large for the group). */
    synchronized long fanOutsDropped()
    {
        return fanOutsDropped;
    }

    /** @return PUBLISH packets taken from clients, each counted once (wills apart). */
    synchronized long publishes()
    {
        return publishes;
    }

    /** @return times a publisher was told "not now" because a matching group's queue was full. */
    synchronized long publishesPaused()
    {
        return publishesPaused;
    }

    /** @return last wills published. */
    synchronized long willsPublished()
    {
        return willsPublished;
    }

    /** @return last wills that found a matching group's queue full and were dropped. */
    synchronized long willsDropped()
    {
        return willsDropped;
    }

    /** @return distinct filters subscribed. */
    synchronized int filters()
    {
        return tree.filters();
    }

    /** @return topics with a retained message. */
    synchronized int retainedTopics()
    {
        return retained.size();
    }
}
