package dev.sluice.examples.mqtt;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The last retained message of each topic. Replacing a topic's message reuses its storage when the new one fits, so a
 * topic that is retained over and over allocates nothing once it has been seen; an empty retained PUBLISH clears the
 * topic. Looked up by filter when a client subscribes (that walk allocates: subscribing is set-up, not the per-message
 * path).
 * <p>
 * <b>Threading:</b> not thread-safe; the broker calls it holding its lock.
 */
final class RetainedMessages
{
    /** A topic's retained message. */
    static final class Message
    {
        final byte[] topic;
        private final long hash;
        private Message sameHash;
        byte[] payload;
        int payloadLength;

        Message(final byte[] topic, final long hash)
        {
            this.topic = topic;
            this.hash = hash;
        }

    }

    private final Long2ObjectHashMap<Message> byTopic = new Long2ObjectHashMap<>();
    private int size;

    /** @return topics with a retained message. */
    int size()
    {
        return size;
    }

    /**
     * Keeps a topic's message, or clears the topic when the payload is empty.
     *
     * @param buffer        the PUBLISH.
     * @param topicStart    where its topic starts.
     * @param topicEnd      where it ends (exclusive).
     * @param payloadOffset where the payload starts.
     * @param payloadLength its length.
     */
    void retain(final DirectBuffer buffer, final int topicStart, final int topicEnd, final int payloadOffset,
        final int payloadLength)
    {
        final long hash = TopicFilters.hash(buffer, topicStart, topicEnd);
        final Message head = byTopic.get(hash);
        Message message = head;
        Message before = null;
        while (message != null && !TopicFilters.sameBytes(message.topic, buffer, topicStart, topicEnd))
        {
            before = message;
            message = message.sameHash;
        }
        if (payloadLength == 0)
        {
            if (message != null)
            {
                remove(hash, head, before, message);
            }
            return;
        }
        if (message == null)
        {
            final byte[] topic = new byte[topicEnd - topicStart];
            buffer.getBytes(topicStart, topic);
            message = new Message(topic, hash);
            message.sameHash = head;
            byTopic.put(hash, message);
            size++;
        }
        if (message.payload == null || message.payload.length < payloadLength)
        {
            message.payload = new byte[payloadLength];
        }
        buffer.getBytes(payloadOffset, message.payload, 0, payloadLength);
        message.payloadLength = payloadLength;
    }

    /**
     * @param filter a valid topic filter.
     * @return the retained messages whose topics it matches.
     */
    List<Message> matching(final byte[] filter)
    {
        final List<Message> found = new ArrayList<>();
        for (final Message head : byTopic.values())
        {
            for (Message m = head; m != null; m = m.sameHash)
            {
                if (TopicFilters.matches(filter, m.topic))
                {
                    found.add(m);
                }
            }
        }
        return found;
    }

    private void remove(final long hash, final Message head, final Message before, final Message message)
    {
        message.payloadLength = 0; // a backlog that still holds it sees the topic cleared
        if (message == head)
        {
            if (message.sameHash == null)
            {
                byTopic.remove(hash);
            }
            else
            {
                byTopic.put(hash, message.sameHash);
            }
        }
        else
        {
            before.sameHash = message.sameHash;
        }
        size--;
    }
}
