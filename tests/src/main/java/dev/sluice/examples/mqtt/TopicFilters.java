package dev.sluice.examples.mqtt;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Topic names and topic filters by the rules of MQTT 3.1.1 (section 4.7): levels separated by {@code /}, {@code +}
 * matching one level, {@code #} the rest, and topics starting with {@code $} kept from filters that start with a
 * wildcard. Stateless; everything but {@link #matches} (used when subscribing) allocates nothing.
 */
final class TopicFilters
{
    /** Levels a filter may have at most (the subscription tree's walk recurses once per level). */
    static final int MAX_LEVELS = 32;
    static final byte SEPARATOR = '/';
    static final byte SINGLE = '+';
    static final byte MULTI = '#';
    static final byte SYSTEM = '$';

    private TopicFilters()
    {
    }

    /**
     * Whether a SUBSCRIBE's filter is one: not empty, no NUL, at most {@link #MAX_LEVELS} levels, {@code +} alone in
     * its level, {@code #} alone in the last one.
     *
     * @param buffer the packet.
     * @param start  where the filter starts.
     * @param end    where it ends (exclusive).
     * @return true if valid.
     */
    static boolean validFilter(final DirectBuffer buffer, final int start, final int end)
    {
        if (end == start || !MqttPackets.validUtf8(buffer, start, end - start))
        {
            return false;
        }
        int levels = 1;
        for (int i = start; i < end; i++)
        {
            final byte b = buffer.getByte(i);
            if (b == SEPARATOR && ++levels > MAX_LEVELS)
            {
                return false;
            }
            final boolean alone = (i == start || buffer.getByte(i - 1) == SEPARATOR) &&
                (i + 1 == end || buffer.getByte(i + 1) == SEPARATOR);
            if ((b == SINGLE && !alone) || (b == MULTI && (!alone || i + 1 != end)))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a filter matches a topic, byte by byte (for retained messages, looked up when a client subscribes).
     *
     * @param filter a valid filter.
     * @param topic  a valid topic.
     * @return true if it matches.
     */
    static boolean matches(final byte[] filter, final byte[] topic)
    {
        final UnsafeBuffer f = new UnsafeBuffer(filter);
        final UnsafeBuffer t = new UnsafeBuffer(topic);
        int fi = 0;
        int ti = 0;
        if (topic.length > 0 && topic[0] == SYSTEM && (filter[0] == SINGLE || filter[0] == MULTI))
        {
            return false;
        }
        while (true)
        {
            final int fEnd = levelEnd(f, fi, filter.length);
            final int tEnd = levelEnd(t, ti, topic.length);
            if (fEnd - fi == 1 && filter[fi] == MULTI)
            {
                return true;
            }
            if (!(fEnd - fi == 1 && filter[fi] == SINGLE) && !sameBytes(filter, fi, fEnd, topic, ti, tEnd))
            {
                return false;
            }
            final boolean filterDone = fEnd == filter.length;
            final boolean topicDone = tEnd == topic.length;
            if (topicDone)
            {
                // "a/#" matches "a" too.
                return filterDone || (fEnd + 2 == filter.length && filter[fEnd + 1] == MULTI);
            }
            if (filterDone)
            {
                return false;
            }
            fi = fEnd + 1;
            ti = tEnd + 1;
        }
    }

    static boolean sameBytes(final byte[] a, final int aFrom, final int aTo, final byte[] b, final int bFrom,
        final int bTo)
    {
        if (aTo - aFrom != bTo - bFrom)
        {
            return false;
        }
        for (int i = 0; i < aTo - aFrom; i++)
        {
            if (a[aFrom + i] != b[bFrom + i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return true if the bytes from {@code start} to {@code end} of the buffer are those of the array.
     */
    static boolean sameBytes(final byte[] bytes, final DirectBuffer buffer, final int start, final int end)
    {
        if (bytes.length != end - start)
        {
            return false;
        }
        for (int i = 0; i < bytes.length; i++)
        {
            if (bytes[i] != buffer.getByte(start + i))
            {
                return false;
            }
        }
        return true;
    }

    static int levelEnd(final DirectBuffer buffer, final int start, final int end)
    {
        for (int i = start; i < end; i++)
        {
            if (buffer.getByte(i) == SEPARATOR)
            {
                return i;
            }
        }
        return end;
    }

    /** FNV-1a over a level's (or a topic's) bytes. */
    static long hash(final DirectBuffer buffer, final int start, final int end)
    {
        long h = 0xcbf29ce484222325L;
        for (int i = start; i < end; i++)
        {
            h ^= buffer.getByte(i) & 0xFF;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
