package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.sluice.push.PushConfig;
import dev.sluice.push.PushResult;
import org.junit.jupiter.api.Test;

/**
 * Rate limit and fairness, driven through the engine's own scheduling in invoker mode on a virtual clock: no
 * sleeps, and every assertion is on the exact order frames reach the client.
 */
class PushSchedulingTest
{
    private static void rateLimitSymmetric(final String prefix) throws Exception
    {
        try (PushHarness h = new PushHarness(PushConfig.builder().rateLimit(2, 0).build()))
        {
            assertEquals(PushResult.ACCEPTED, h.push(prefix + "0"));
            assertEquals(PushResult.ACCEPTED, h.push(prefix + "1"));
            assertEquals(PushResult.RATE_LIMITED, h.push(prefix + "2"), "burst of 2 used up");
            h.advanceMillis(400);
            assertEquals(PushResult.RATE_LIMITED, h.push(prefix + "2"), "still waiting at +0.4 s");
            final PushResult[] third = new PushResult[1];
            final Thread blocked = h.pushBlockingInBackground(prefix + "2", third);
            h.advanceMillis(600);
            blocked.join(10_000);
            assertFalse(blocked.isAlive(), "the blocked push went through once the clock advanced");
            assertEquals(PushResult.ACCEPTED, third[0]);
            h.runLoop();
            assertEquals(List.of(prefix + "0", prefix + "1", prefix + "2"), h.read(3));
            assertEquals(2, h.engine.counters(0).pushesRateLimited.get());
        }
    }

    @Test
    void rateLimitSymmetricHighOnly() throws Exception
    {
        rateLimitSymmetric("H");
    }

    @Test
    void rateLimitSymmetricLowOnly() throws Exception
    {
        rateLimitSymmetric("L");
    }

    @Test
    void rateLimitSymmetricMixed() throws Exception
    {
        try (PushHarness h = new PushHarness(PushConfig.builder().rateLimit(1, 0).build()))
        {
            assertEquals(PushResult.ACCEPTED, h.push("H0"));
            assertEquals(PushResult.RATE_LIMITED, h.push("L0"), "one bucket for both priorities");
            final PushResult[] low = new PushResult[1];
            final Thread blocked = h.pushBlockingInBackground("L0", low);
            h.advanceMillis(1000);
            blocked.join(10_000);
            assertEquals(PushResult.ACCEPTED, low[0]);
            h.runLoop();
            assertEquals(List.of("H0", "L0"), h.read(2));
        }
    }

    @Test
    void rateLimitInterleavedTotalThroughput() throws Exception
    {
        try (PushHarness h = new PushHarness(PushConfig.builder().rateLimit(4, 0).build()))
        {
            int accepted = 0;
            for (int second = 0; second < 3; second++)
            {
                for (int i = 0; i < 4; i++)
                {
                    final String name = (i % 2 == 0 ? "H" : "L") + (second * 4 + i);
                    assertEquals(PushResult.ACCEPTED, h.push(name), name);
                    accepted++;
                }
                assertEquals(PushResult.RATE_LIMITED, h.push("H" + 99), "fifth high in second " + second);
                assertEquals(PushResult.RATE_LIMITED, h.push("L" + 99), "fifth low in second " + second);
                h.runLoop();
                h.advanceMillis(1000);
            }
            assertEquals(12, h.read(accepted).size());
            assertEquals(12, h.engine.counters(0).pushesSentHigh.get() + h.engine.counters(0).pushesSentLow.get());
            assertEquals(6, h.engine.counters(0).pushesRateLimited.get());
        }
    }

    @Test
    void interleavedFairnessYieldsAtThreshold() throws Exception
    {
        try (PushHarness h = new PushHarness(PushConfig.builder().maxHighBeforeLow(3).build()))
        {
            for (int i = 0; i < 6; i++)
            {
                h.push("H" + i);
            }
            h.push("L0");
            h.push("L1");
            h.runOneIteration();
            assertEquals(List.of("H0", "H1", "H2", "L0", "H3", "H4", "H5", "L1"), h.read(8));
        }
    }

    @Test
    void interleavedAllFramesDelivered() throws Exception
    {
        try (PushHarness h = new PushHarness(PushConfig.builder().maxHighBeforeLow(2).build()))
        {
            for (int i = 0; i < 5; i++)
            {
                h.push("H" + i);
                h.push("L" + i);
            }
            h.runLoop();
            final List<String> received = h.read(10);
            assertEquals(List.of("H0", "H1", "L0", "H2", "H3", "L1", "H4", "L2", "L3", "L4"), received);
            final Set<String> distinct = new HashSet<>(received);
            assertEquals(10, distinct.size(), "none twice");
        }
    }

    @Test
    void interleavedTimeSliceFairness() throws Exception
    {
        final PushConfig config = PushConfig.builder()
            .maxHighBeforeLow(0).timeSlice(10, TimeUnit.MILLISECONDS).batchPerConnection(4).build();
        try (PushHarness h = new PushHarness(config))
        {
            for (int i = 0; i < 10; i++)
            {
                h.push("H" + i);
            }
            h.push("L0");
            h.runOneIteration();
            assertEquals(List.of("H0", "H1", "H2", "H3"), h.read(4), "one batch of high; low waits");
            h.advanceMillis(5);
            h.runOneIteration();
            assertEquals(List.of("H4", "H5", "H6", "H7"), h.read(4), "5 ms into the slice: still high");
            h.advanceMillis(5);
            h.runOneIteration();
            assertEquals(List.of("L0", "H8", "H9"), h.read(3), "slice over: the waiting low goes first");
        }
    }

    @Test
    void fairnessDisabledStrictPriority() throws Exception
    {
        try (PushHarness h = new PushHarness(PushConfig.builder().maxHighBeforeLow(0).build()))
        {
            // More high frames than the default maxHighBeforeLow (8): with the counter on, L0 would go after H7.
            h.push("L0");
            h.push("L1");
            final List<String> expected = new ArrayList<>();
            for (int i = 0; i < 12; i++)
            {
                h.push("H" + i);
                expected.add("H" + i);
            }
            expected.add("L0");
            expected.add("L1");
            h.runLoop();
            assertEquals(expected, h.read(14));
        }
    }

    @Test
    void strictPriorityHoldsLowWhileHighIsStillQueuedAcrossIterations() throws Exception
    {
        final PushConfig config = PushConfig.builder().maxHighBeforeLow(0).batchPerConnection(2).build();
        try (PushHarness h = new PushHarness(config))
        {
            // Ten high frames, two per iteration: more than the default maxHighBeforeLow (8), so with the counter on
            // L0 would go out after H7.
            h.push("L0");
            final List<String> expected = new ArrayList<>();
            for (int i = 0; i < 10; i++)
            {
                h.push("H" + i);
                expected.add("H" + i);
            }
            expected.add("L0");
            for (int i = 0; i < 6; i++)
            {
                h.runOneIteration();
            }
            assertEquals(expected, h.read(11));
            assertTrue(h.engine.counters(0).pushesSentLow.get() == 1);
        }
    }
}
