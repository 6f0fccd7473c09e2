package dev.sluice.jmh;

import java.util.Arrays;
import java.util.Locale;

/** How every comparison table writes a figure measured over several rounds: "median (min–max)". */
public final class Spread
{
    private Spread()
    {
    }

    /**
     * @param values one figure per round; NaN and infinite ones (a round that measured nothing) are left out.
     * @param format the {@link String#format} pattern of one number, e.g. {@code "%,.0f"}.
     * @return "median (min–max)", the median alone for one value, "–" for none.
     */
    public static String of(final double[] values, final String format)
    {
        final double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v) && !Double.isInfinite(v))
            .sorted().toArray();
        if (sorted.length == 0)
        {
            return "–";
        }
        final double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2] :
            (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        if (sorted.length == 1)
        {
            return String.format(Locale.ROOT, format, median);
        }
        return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", median, sorted[0],
            sorted[sorted.length - 1]);
    }
}
