package dev.sluice.jmh.loopback;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one case in one run, printed by the child JVM as one line {@code RESULT key=value ...} and parsed
 * back by {@link Compare}.
 */
final class Result
{
    /** Marks the line the parent reads. */
    static final String PREFIX = "RESULT ";

    private final Map<String, String> values = new LinkedHashMap<>();

    /** Adds a number. */
    void put(final String key, final double value)
    {
        values.put(key, String.format(Locale.ROOT, "%.4f", value));
    }

    /** Adds a duration given in nanoseconds, stored in microseconds. */
    void putMicros(final String key, final long nanos)
    {
        put(key, nanos / 1000.0);
    }

    /** @return the line to print. */
    String line()
    {
        final StringBuilder line = new StringBuilder(PREFIX);
        values.forEach((k, v) -> line.append(k).append('=').append(v).append(' '));
        return line.toString().trim();
    }

    /** Parses a line made by {@link #line()}. @return the key/value pairs. */
    static Map<String, Double> parse(final String line)
    {
        final Map<String, Double> parsed = new LinkedHashMap<>();
        for (final String pair : line.substring(PREFIX.length()).trim().split(" "))
        {
            final int eq = pair.indexOf('=');
            parsed.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
        }
        return parsed;
    }
}
