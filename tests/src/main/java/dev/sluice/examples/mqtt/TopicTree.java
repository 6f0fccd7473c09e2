package dev.sluice.examples.mqtt;

import dev.sluice.engine.Engine;
import dev.sluice.push.GroupPolicy;
import dev.sluice.push.PushGroup;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The subscriptions: a tree of topic-filter levels whose nodes each own the engine {@link PushGroup} of the
 * connections subscribed to that filter. A PUBLISH walks the tree along its topic's levels (the exact level, then
 * {@code +}, with {@code #} matching the rest) and pushes once to each matching filter's group; the group hands the
 * packet to each loop once and the loop copies it into each member's send buffer. Matching compares bytes in place:
 * no strings, no iterators, nothing allocated. A topic that starts with {@code $} is not matched by a filter that
 * starts with a wildcard.
 * <p>
 * Members are {@link GroupPolicy#DROP_SLOW}: a subscriber gets every packet in order, or is dropped as a slow
 * consumer once what waits for it passes the send cap; nobody else waits for it.
 * <p>
 * <b>Threading:</b> not thread-safe; the broker calls it holding its lock. Subscribing allocates (a node, a group);
 * matching does not.
 */
final class TopicTree
{
    /** One level of a filter; the node at a filter's last level owns the filter's group. */
    static final class Node
    {
        private final Node parent;
        private final byte[] level;
        private final long hash;
        private final Long2ObjectHashMap<Node> children = new Long2ObjectHashMap<>();
        private Node sameHash;
        private Node single;
        private Node multi;
        private PushGroup group;
        /** The whole filter this node ends, while it has a group. */
        private byte[] filter;
        private int subscribers;

        Node(final Node parent, final byte[] level, final long hash)
        {
            this.parent = parent;
            this.level = level;
            this.hash = hash;
        }

        /** @return the whole filter this node ends (while it has subscribers). */
        byte[] filter()
        {
            return filter;
        }

        PushGroup group()
        {
            return group;
        }

        private boolean isLeaf()
        {
            return children.isEmpty() && single == null && multi == null;
        }

    }

    /** What a matching walk does with each matching filter's group. */
    interface Visitor
    {
        /** @param group a matching filter's group (every member of it gets the packet). */
        void matched(PushGroup group);
    }

    private final Engine engine;
    private final int maxFilters;
    private final Node root = new Node(null, new byte[0], 0);
    private int filters;

    /**
     * @param engine     the engine whose push groups deliver.
     * @param maxFilters distinct filters with subscribers at once (each takes one push group).
     */
    TopicTree(final Engine engine, final int maxFilters)
    {
        this.engine = engine;
        this.maxFilters = maxFilters;
    }

    /** @return distinct filters with at least one subscriber. */
    int filters()
    {
        return filters;
    }

    /**
     * Finds or makes the node of a filter and makes sure it has a group; counts one more subscriber.
     *
     * @param filter a valid filter ({@link TopicFilters#validFilter}).
     * @return the filter's node, or null if the broker has {@code maxFilters} filters already.
     */
    Node subscribe(final DirectBuffer filter, final int start, final int end)
    {
        Node node = root;
        int levelStart = start;
        while (true)
        {
            final int levelEnd = TopicFilters.levelEnd(filter, levelStart, end);
            node = child(node, filter, levelStart, levelEnd);
            if (levelEnd == end)
            {
                break;
            }
            levelStart = levelEnd + 1;
        }
        if (node.group == null)
        {
            if (filters == maxFilters)
            {
                prune(node);
                return null;
            }
            try
            {
                node.group = engine.newPushGroup(filter.getStringWithoutLengthUtf8(start, end - start),
                    GroupPolicy.DROP_SLOW);
            }
            catch (final IllegalStateException ex)
            {
                prune(node); // the engine has no group to spare (closed ones not yet let go by every loop)
                return null;
            }
            node.filter = new byte[end - start];
            filter.getBytes(start, node.filter);
            filters++;
        }
        node.subscribers++;
        return node;
    }

    /**
     * One subscriber fewer for a filter (it left the group, or closed); a filter nobody subscribes to any more gives
     * its group back, and levels that lead nowhere are removed.
     *
     * @param node the filter's node.
     */
    void unsubscribed(final Node node)
    {
        if (--node.subscribers == 0)
        {
            node.group.close();
            node.group = null;
            filters--;
            prune(node);
        }
    }

    /**
     * Calls the visitor with the group of every filter that matches a topic.
     *
     * @param topic   the PUBLISH.
     * @param start   where the topic starts.
     * @param end     where it ends (exclusive).
     * @param visitor what to do with each matching group.
     * @return matching filters.
     */
    int match(final DirectBuffer topic, final int start, final int end, final Visitor visitor)
    {
        return match(root, topic, start, end, topic.getByte(start) == TopicFilters.SYSTEM, visitor);
    }

    private static int match(final Node node, final DirectBuffer topic, final int start, final int end,
        final boolean system, final Visitor visitor)
    {
        int matched = 0;
        final int levelEnd = TopicFilters.levelEnd(topic, start, end);
        final boolean last = levelEnd == end;
        if (node.multi != null && node.multi.group != null && !system)
        {
            visitor.matched(node.multi.group);
            matched++;
        }
        final Node exact = exactChild(node, topic, start, levelEnd);
        if (exact != null)
        {
            matched += last ? leaf(exact, visitor) : match(exact, topic, levelEnd + 1, end, false, visitor);
        }
        if (node.single != null && !system)
        {
            matched += last ? leaf(node.single, visitor) : match(node.single, topic, levelEnd + 1, end, false, visitor);
        }
        return matched;
    }

    /** The topic ended at this node: its own filter matches, and so does its {@code #} child. */
    private static int leaf(final Node node, final Visitor visitor)
    {
        int matched = 0;
        if (node.group != null)
        {
            visitor.matched(node.group);
            matched++;
        }
        if (node.multi != null && node.multi.group != null)
        {
            visitor.matched(node.multi.group);
            matched++;
        }
        return matched;
    }

    private static Node exactChild(final Node node, final DirectBuffer buffer, final int start, final int end)
    {
        Node child = node.children.get(TopicFilters.hash(buffer, start, end));
        while (child != null && !TopicFilters.sameBytes(child.level, buffer, start, end))
        {
            child = child.sameHash;
        }
        return child;
    }

    /** The child of a node for one level of a filter, made if it is not there yet. */
    private static Node child(final Node node, final DirectBuffer buffer, final int start, final int end)
    {
        final byte first = buffer.getByte(start);
        if (end - start == 1 && first == TopicFilters.SINGLE)
        {
            if (node.single == null)
            {
                node.single = new Node(node, new byte[] {first}, 0);
            }
            return node.single;
        }
        if (end - start == 1 && first == TopicFilters.MULTI)
        {
            if (node.multi == null)
            {
                node.multi = new Node(node, new byte[] {first}, 0);
            }
            return node.multi;
        }
        Node child = exactChild(node, buffer, start, end);
        if (child == null)
        {
            final byte[] level = new byte[end - start];
            buffer.getBytes(start, level);
            final long hash = TopicFilters.hash(buffer, start, end);
            child = new Node(node, level, hash);
            child.sameHash = node.children.put(hash, child); // a colliding level chains behind the new one
        }
        return child;
    }

    private void prune(final Node from)
    {
        Node node = from;
        while (node != root && node.group == null && node.isLeaf())
        {
            final Node parent = node.parent;
            if (parent.single == node)
            {
                parent.single = null;
            }
            else if (parent.multi == node)
            {
                parent.multi = null;
            }
            else
            {
                unlink(parent, node);
            }
            node = parent;
        }
    }

    private static void unlink(final Node parent, final Node node)
    {
        final Node head = parent.children.get(node.hash);
        if (head == node)
        {
            if (node.sameHash == null)
            {
                parent.children.remove(node.hash);
            }
            else
            {
                parent.children.put(node.hash, node.sameHash);
            }
            return;
        }
        Node at = head;
        while (at != null && at.sameHash != node)
        {
            at = at.sameHash;
        }
        if (at != null)
        {
            at.sameHash = node.sameHash;
        }
    }

}
