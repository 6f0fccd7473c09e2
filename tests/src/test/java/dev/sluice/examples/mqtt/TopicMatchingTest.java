package dev.sluice.examples.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.engine.Engine;
import dev.sluice.push.PushGroup;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Topic filters and topics, by the MQTT 3.1.1 rules (section 4.7), and the UTF-8 the protocol accepts. */
class TopicMatchingTest
{
    /** Filters, topics, and whether they match (the examples of section 4.7, and the {@code $} rule). */
    static Stream<Arguments> table()
    {
        return Stream.of(
            Arguments.of("sport/tennis/player1/#", "sport/tennis/player1", true),
            Arguments.of("sport/tennis/player1/#", "sport/tennis/player1/ranking", true),
            Arguments.of("sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true),
            Arguments.of("sport/#", "sport", true),
            Arguments.of("#", "sport/tennis", true),
            Arguments.of("sport/tennis/+", "sport/tennis/player1", true),
            Arguments.of("sport/tennis/+", "sport/tennis/player1/ranking", false),
            Arguments.of("sport/+", "sport", false),
            Arguments.of("sport/+", "sport/", true),
            Arguments.of("+/+", "/finance", true),
            Arguments.of("/+", "/finance", true),
            Arguments.of("+", "/finance", false),
            Arguments.of("+/tennis/#", "sport/tennis/x", true),
            Arguments.of("sport/tennis", "sport/tennis", true),
            Arguments.of("sport/tennis", "sport/tennis2", false),
            Arguments.of("sport/tennis", "sport/Tennis", false),
            Arguments.of("#", "$SYS/monitor", false),
            Arguments.of("+/monitor", "$SYS/monitor", false),
            Arguments.of("$SYS/#", "$SYS/monitor", true),
            Arguments.of("$SYS/monitor/+", "$SYS/monitor/Clients", true));
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @MethodSource("table")
    void filtersMatchTopicsAsTheProtocolSays(final String filter, final String topic, final boolean matches)
    {
        assertEquals(matches, TopicFilters.matches(bytes(filter), bytes(topic)));
    }

    /**
     * The subscription tree routes a PUBLISH to the groups of exactly the filters the byte-by-byte rule matches: all
     * the table's filters subscribed in one tree, each of its topics walked through it.
     */
    @ParameterizedTest(name = "the tree: {0} matches {1}: {2}")
    @MethodSource("table")
    void theTreeRoutesAsTheRuleMatches(final String filter, final String topic, final boolean matches)
        throws Exception
    {
        try (Engine engine = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).build()))
        {
            final TopicTree tree = new TopicTree(engine, 64);
            final Map<String, PushGroup> groups = new HashMap<>();
            for (final String f : table().map(row -> (String)row.get()[0]).distinct().toArray(String[]::new))
            {
                final UnsafeBuffer bytes = new UnsafeBuffer(bytes(f));
                groups.put(f, tree.subscribe(bytes, 0, bytes.capacity()).group());
            }
            final Set<PushGroup> matched = new HashSet<>();
            final UnsafeBuffer t = new UnsafeBuffer(bytes(topic));
            final int count = tree.match(t, 0, t.capacity(), matched::add);
            assertEquals(matched.size(), count, "each group once");
            assertEquals(matches, matched.contains(groups.get(filter)));
            for (final Map.Entry<String, PushGroup> entry : groups.entrySet())
            {
                assertEquals(TopicFilters.matches(bytes(entry.getKey()), bytes(topic)),
                    matched.contains(entry.getValue()), entry.getKey() + " against " + topic);
            }
        }
    }

    @ParameterizedTest(name = "filter {0}: {1}")
    @CsvSource({
        "sport/tennis/#, true", "#, true", "+, true", "+/tennis/#, true", "sport/+/player1, true", "/, true",
        "sport/tennis#, false", "sport/tennis/#/ranking, false", "sport+, false", "sp+rt/x, false", "'', false"})
    void onlyValidFiltersAreAccepted(final String filter, final boolean valid)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes(filter));
        assertEquals(valid, TopicFilters.validFilter(buffer, 0, buffer.capacity()));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "41 42, true", "C3 A9, true", "E2 82 AC, true", "F0 9F 98 80, true",
        "00, false", "C0 80, false", "C3, false", "ED A0 80, false", "F4 90 80 80, false", "FF, false",
        "E0 80 80, false", "80, false"})
    void utf8IsCheckedAsTheProtocolAsks(final String hex, final boolean valid)
    {
        final String[] parts = hex.split(" ");
        final byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(parts[i], 16);
        }
        assertEquals(valid, MqttPackets.validUtf8(new UnsafeBuffer(bytes), 0, bytes.length));
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
