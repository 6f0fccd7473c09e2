package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.push.Priority;
import dev.sluice.push.PushBatch;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushResult;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Several frames handed over with one claim: each arrives as a frame of its own, in order; nothing else changes. */
class PushBatchTest
{
    private static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static PushResult add(final PushBatch batch, final String name)
    {
        final UnsafeBuffer bytes = ascii(name);
        return batch.add(bytes, 0, bytes.capacity());
    }

    @Test
    void aBatchArrivesAsSeparateFramesInOrderBetweenSinglePushes() throws Exception
    {
        try (PushHarness h = new PushHarness(PushConfig.builder().build()))
        {
            final PushBatch batch = h.engine.newPushBatch();
            assertEquals(PushResult.ACCEPTED, h.push("H-before"));
            assertEquals(PushResult.ACCEPTED, batch.begin(h.handle, Priority.HIGH, 512));
            final List<String> expected = new ArrayList<>(List.of("H-before"));
            for (int i = 0; i < 20; i++)
            {
                assertEquals(PushResult.ACCEPTED, add(batch, "H" + i));
                expected.add("H" + i);
            }
            assertEquals(PushResult.ACCEPTED, add(batch, ""), "an empty frame is a frame too");
            expected.add("");
            assertEquals(21, batch.frames());
            batch.commit();
            assertEquals(PushResult.ACCEPTED, h.push("H-after"));
            expected.add("H-after");
            h.runLoop();
            assertEquals(expected, h.read(expected.size()));
            assertEquals(23, h.engine.counters(0).pushesSentHigh.get(), "each frame of the batch counts as one");
        }
    }

    @Test
    void aBatchTakesOnlyTheRoomItClaimedAndCanBeReused() throws Exception
    {
        try (PushHarness h = new PushHarness(PushConfig.builder().build()))
        {
            final PushBatch batch = h.engine.newPushBatch();
            assertEquals(PushResult.ACCEPTED, batch.begin(h.handle, Priority.LOW, 16));
            assertEquals(PushResult.ACCEPTED, add(batch, "L-one")); // 4 + 5 bytes
            assertEquals(PushResult.QUEUE_FULL, add(batch, "L-two-xx"), "4 + 8 bytes do not fit the 7 left");
            assertEquals(PushResult.ACCEPTED, add(batch, "L"), "4 + 1 do");
            assertThrows(IllegalStateException.class, () -> batch.begin(h.handle, Priority.LOW, 16));
            batch.commit();
            assertEquals(PushResult.ACCEPTED, batch.begin(h.handle, Priority.LOW, 64), "the same batch, again");
            assertEquals(PushResult.ACCEPTED, add(batch, "L-three"));
            batch.commit();
            h.runLoop();
            assertEquals(List.of("L-one", "L", "L-three"), h.read(3));
            assertEquals(0, h.engine.counters(0).pushesQueueFull.get(), "a full batch is not a full queue");
        }
    }

    @Test
    void anAbortedOrEmptyBatchSendsNothing() throws Exception
    {
        try (PushHarness h = new PushHarness(PushConfig.builder().build()))
        {
            final PushBatch batch = h.engine.newPushBatch();
            assertEquals(PushResult.ACCEPTED, batch.begin(h.handle, Priority.HIGH, 64));
            add(batch, "H-never");
            batch.abort();
            assertEquals(PushResult.ACCEPTED, batch.begin(h.handle, Priority.HIGH, 64));
            batch.commit(); // nothing added
            assertEquals(PushResult.ACCEPTED, h.push("H-only"));
            h.runLoop();
            assertEquals(List.of("H-only"), h.read(1));
            assertEquals(1, h.engine.counters(0).pushesSentHigh.get());
        }
    }

    @Test
    void aBatchLargerThanTheQueueTakesAtOnceIsRefused() throws Exception
    {
        try (PushHarness h = new PushHarness(PushConfig.builder().queueBytes(1024, 1024).build()))
        {
            final PushBatch batch = h.engine.newPushBatch();
            assertEquals(PushResult.FRAME_TOO_LARGE, batch.begin(h.handle, Priority.HIGH, 129), "an eighth: 128");
            assertEquals(PushResult.ACCEPTED, batch.begin(h.handle, Priority.HIGH, 128));
            batch.abort();
            int claimed = 0;
            while (batch.begin(h.handle, Priority.HIGH, 120) == PushResult.ACCEPTED)
            {
                add(batch, "H" + claimed);
                batch.commit();
                claimed++;
            }
            assertTrue(claimed >= 6, "the queue filled with batches: " + claimed);
            assertEquals(PushResult.QUEUE_FULL, batch.begin(h.handle, Priority.HIGH, 120));
        }
    }

    @Test
    void aBatchRefusesWhereASinglePushWould() throws Exception
    {
        try (PushHarness h = new PushHarness(PushConfig.builder().rateLimit(1, 2).build()))
        {
            final PushBatch batch = h.engine.newPushBatch();
            assertEquals(PushResult.ACCEPTED, batch.begin(h.handle, Priority.HIGH, 64));
            assertEquals(PushResult.ACCEPTED, add(batch, "H0"));
            assertEquals(PushResult.ACCEPTED, add(batch, "H1"));
            assertEquals(PushResult.RATE_LIMITED, add(batch, "H2"), "a token per frame: the burst of 2 is spent");
            batch.commit();
            h.runLoop();
            assertEquals(List.of("H0", "H1"), h.read(2));
            h.client.close();
            Loopback.pumpUntil(h.engine, () -> !h.handle.isOpen(), "the connection closes");
            assertEquals(PushResult.CLOSED, batch.begin(h.handle, Priority.HIGH, 64));
        }
    }
}
