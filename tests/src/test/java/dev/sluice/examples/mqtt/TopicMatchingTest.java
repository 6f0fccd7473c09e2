package dev.sluice.examples.mqtt;

import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Topic filters and topics, by the MQTT 3.1.1 rules (section 4.7), and the UTF-8 the protocol accepts. */
class TopicMatchingTest
{
    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "sport/tennis/player1/#, sport/tennis/player1, true",
        "sport/tennis/player1/#, sport/tennis/player1/ranking, true",
        "sport/tennis/player1/#, sport/tennis/player1/score/wimbledon, true",
        "sport/#, sport, true",
        "#, sport/tennis, true",
        "sport/tennis/+, sport/tennis/player1, true",
        "sport/tennis/+, sport/tennis/player1/ranking, false",
        "sport/+, sport, false",
        "sport/+, sport/, true",
        "+/+, /finance, true",
        "/+, /finance, true",
        "+, /finance, false",
        "+/tennis/#, sport/tennis/x, true",
        "sport/tennis, sport/tennis, true",
        "sport/tennis, sport/tennis2, false",
        "sport/tennis, sport/Tennis, false",
        "#, $SYS/monitor, false",
        "+/monitor, $SYS/monitor, false",
        "$SYS/#, $SYS/monitor, true",
        "$SYS/monitor/+, $SYS/monitor/Clients, true"})
    void filtersMatchTopicsAsTheProtocolSays(final String filter, final String topic, final boolean matches)
    {
        assertEquals(matches, TopicFilters.matches(bytes(filter), bytes(topic)));
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
