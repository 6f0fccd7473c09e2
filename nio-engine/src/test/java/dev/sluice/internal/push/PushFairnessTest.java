package dev.sluice.internal.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PushFairnessTest
{
    /** Replays a drain of {@code high} and {@code low} waiting frames and returns the order sent. */
    private static String drain(final PushFairness fairness, final int high, final int low, final long[] times)
    {
        final StringBuilder order = new StringBuilder();
        int h = high;
        int l = low;
        int step = 0;
        while (h > 0 || l > 0)
        {
            final long now = times == null ? 0 : times[Math.min(step, times.length - 1)];
            if (l > 0 && (h == 0 || fairness.lowDue(now)))
            {
                order.append('L');
                fairness.onLow();
                l--;
            }
            else
            {
                order.append('H');
                fairness.onHigh(now);
                h--;
            }
            step++;
        }
        return order.toString();
    }

    @Test
    void lowPriorityYieldsAfterThreshold()
    {
        assertEquals("HHHLHHHL", drain(new PushFairness(3, 0), 6, 2, null));
    }

    @Test
    void zeroTurnsTheCounterOffForStrictPriority()
    {
        assertEquals("HHHHHHLL", drain(new PushFairness(0, 0), 6, 2, null));
    }

    @Test
    void aTimeSliceLetsLowThroughOnceHighHasRunLongEnough()
    {
        final long[] times = {0, 4, 8, 12, 16, 20};
        assertEquals("HHHLHH", drain(new PushFairness(0, 10), 5, 1, times));
    }
}
