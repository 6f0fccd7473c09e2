package dev.sluice.internal.push;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * Fields written by producers and fields written by the loop never share a cache line, measured on the running JVM
 * with JOL's field offsets (HotSpot may reorder fields within a class and fill gaps of a superclass, so the padding
 * is checked, not assumed). Two fields share no line, wherever the object starts, when the later one begins at least
 * 64 bytes after the last byte of the earlier one.
 */
class PushTargetLayoutTest
{
    private static final int LINE = 64;
    /** Groups written by different threads are two lines apart: false sharing, and the adjacent-line prefetcher. */
    private static final int TWO_LINES = 2 * LINE;

    private static final List<String> PRODUCER_WRITTEN = List.of("scheduled");
    private static final List<String> PRODUCER_READ_LOOP_WRITTEN = List.of("connectionId", "backedUp", "shedding");
    private static final List<String> LOOP_ONLY = List.of("handle", "onLowList", "onAgainList");

    @Test
    void producerWrittenFieldsShareNoLineWithLoopWrittenOnes()
    {
        final ClassLayout layout = ClassLayout.parseClass(PushTarget.class);
        for (final String producer : PRODUCER_WRITTEN)
        {
            for (final String loop : concat(PRODUCER_READ_LOOP_WRITTEN, LOOP_ONLY))
            {
                assertApart(layout, producer, loop);
            }
        }
    }

    @Test
    void theLoopsPerDrainFlagsShareNoLineWithWhatProducersReadOnEveryPush()
    {
        final ClassLayout layout = ClassLayout.parseClass(PushTarget.class);
        for (final String read : PRODUCER_READ_LOOP_WRITTEN)
        {
            for (final String loop : LOOP_ONLY)
            {
                assertApart(layout, read, loop);
            }
        }
    }

    @Test
    void eachGroupIsALineAwayFromTheObjectsEdges()
    {
        assertAwayFromEdges(ClassLayout.parseClass(PushTarget.class), PRODUCER_WRITTEN);
        assertAwayFromEdges(ClassLayout.parseClass(PushTarget.class), LOOP_ONLY);
        assertAwayFromEdges(ClassLayout.parseClass(TokenBucket.class), List.of("theoreticalArrival"));
        assertAwayFromEdges(ClassLayout.parseClass(PushFairness.class), List.of("highRun", "runStartNs"));
    }

    @Test
    void theCheckNoticesFieldsThatDoShareALine()
    {
        final ClassLayout layout = ClassLayout.parseClass(PushTarget.class);
        assertTrue(!apart(field(layout, "onLowList"), field(layout, "onAgainList"), LINE),
            "two adjacent booleans are on one line: the measure can fail");
    }

    private static void assertApart(final ClassLayout layout, final String a, final String b)
    {
        assertTrue(apart(field(layout, a), field(layout, b), TWO_LINES), a + " and " + b +
            " are less than two cache lines apart:\n" + layout.toPrintable());
    }

    private static void assertAwayFromEdges(final ClassLayout layout, final List<String> names)
    {
        for (final String name : names)
        {
            final FieldLayout f = field(layout, name);
            assertTrue(f.offset() >= LINE && layout.instanceSize() - (f.offset() + f.size()) >= LINE,
                name + " is within a line of the object's start or end, which a neighbour may share:\n" +
                layout.toPrintable());
        }
    }

    private static boolean apart(final FieldLayout a, final FieldLayout b, final int distance)
    {
        final FieldLayout first = a.offset() <= b.offset() ? a : b;
        final FieldLayout second = first == a ? b : a;
        return second.offset() - (first.offset() + first.size() - 1) >= distance;
    }

    private static FieldLayout field(final ClassLayout layout, final String name)
    {
        for (final FieldLayout f : layout.fields())
        {
            if (f.name().equals(name))
            {
                return f;
            }
        }
        throw new AssertionError("no field " + name + " in\n" + layout.toPrintable());
    }

    private static List<String> concat(final List<String> a, final List<String> b)
    {
        final java.util.ArrayList<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
