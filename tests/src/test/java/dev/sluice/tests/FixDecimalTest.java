package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import dev.sluice.examples.fix.FixMessage;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** FIX decimals (Price, OrderQty) read into whole units of the scale; what is not such a value is refused. */
class FixDecimalTest
{
    private static long read(final String value, final int scale)
    {
        final byte[] bytes = ("44=" + value + "\u0001").getBytes(StandardCharsets.US_ASCII);
        return new FixMessage().wrap(new UnsafeBuffer(bytes), 0, bytes.length).getDecimal(44, scale, -1);
    }

    @Test
    void decimalsAreReadIntoUnitsOfTheScale()
    {
        assertEquals(102_500, read("10.25", 4));
        assertEquals(100_000, read("10.", 4));
        assertEquals(5_000, read(".5", 4));
        assertEquals(100_000, read("0010", 4));
        assertEquals(15_000, read("1.50000", 4), "trailing zeros past the scale are fine");
        assertEquals(100, read("100.0", 0));
        assertEquals(99_999_999_999_999L, read("99999999999999", 0));
        assertEquals(100_000, read("000000000000010", 4), "leading zeros do not count against the digits");
        assertEquals(102_500, read("10.2500000000000000", 4), "however long the value");
    }

    @Test
    void whatIsNotANonNegativeDecimalWithinRangeIsRefused()
    {
        assertEquals(-1, read("-1", 4), "negative");
        assertEquals(-1, read(".", 4), "no digits");
        assertEquals(-1, read("1.00001", 4), "more precision than the scale");
        assertEquals(-1, read("1.2.3", 4), "two points");
        assertEquals(-1, read("2000000000000000", 4), "15 digits before the point overflow a long at scale 4");
        assertEquals(-1, read("1e5", 4), "not a FIX decimal");
    }
}
