package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.sluice.push.Priority;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushPolicy;
import dev.sluice.push.PushResult;
import dev.sluice.stats.LoopCounters;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Full queues under each policy, and oversized frames. The loop is never run, so the queues stay full. Queues of 128
 * bytes hold eight frames of up to 8 bytes (each takes an 8-byte header, the whole rounded up to 8 bytes).
 */
class PushPolicyTest
{
    private static final PushConfig SMALL_QUEUES = PushConfig.builder().queueBytes(128, 128).build();
    private static final int FRAMES = 8;

    @Test
    void errorPolicyAnswersQueueFull() throws Exception
    {
        try (PushHarness h = new PushHarness(SMALL_QUEUES))
        {
            for (int i = 0; i < FRAMES; i++)
            {
                assertEquals(PushResult.ACCEPTED, h.push("H" + i));
            }
            assertEquals(PushResult.QUEUE_FULL, h.push("H8"));
            assertEquals(PushResult.ACCEPTED, h.push("L0"), "the other priority has its own queue");
            assertEquals(1, h.engine.counters(0).pushesQueueFull.get());
            assertEquals(0, h.engine.counters(0).pushesDropped.get());
        }
    }

    @Test
    void aFullQueueKeepsNothingOfRefusedPushesAndAcceptsAgainOnceDrained() throws Exception
    {
        try (PushHarness h = new PushHarness(SMALL_QUEUES))
        {
            final List<String> first = new ArrayList<>();
            for (int i = 0; i < FRAMES; i++)
            {
                assertEquals(PushResult.ACCEPTED, h.push("H" + i));
                first.add("H" + i);
            }
            for (int i = 0; i < 3; i++)
            {
                assertEquals(PushResult.QUEUE_FULL, h.push("HX" + i), "refused while full, attempt " + i);
            }
            h.runLoop();
            assertEquals(first, h.read(FRAMES), "only the accepted frames arrive");
            final List<String> second = new ArrayList<>();
            for (int i = FRAMES; i < 2 * FRAMES; i++)
            {
                assertEquals(PushResult.ACCEPTED, h.push("H" + i), "a whole queue's worth again after the drain");
                second.add("H" + i);
            }
            assertEquals(PushResult.QUEUE_FULL, h.push("HY"));
            h.runLoop();
            assertEquals(second, h.read(FRAMES));
            assertEquals(4, h.engine.counters(0).pushesQueueFull.get());
        }
    }

    @Test
    void dropPolicyDropsAndCounts() throws Exception
    {
        try (PushHarness h = new PushHarness(SMALL_QUEUES))
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < FRAMES; i++)
            {
                h.handle.push(frame, 0, 8, Priority.LOW, PushPolicy.DROP_IF_FULL);
            }
            for (int i = 0; i < 10; i++)
            {
                assertEquals(PushResult.DROPPED, h.handle.push(frame, 0, 8, Priority.LOW, PushPolicy.DROP_IF_FULL));
            }
            final LoopCounters counters = h.engine.counters(0);
            assertEquals(10, counters.pushesDropped.get());
            assertEquals(10, counters.pushesQueueFull.get());
            h.runLoop();
            assertEquals(FRAMES, h.read(FRAMES).size(), "the accepted frames are delivered");
        }
    }

    @Test
    void warnAndDropLogsAtABoundedRate() throws Exception
    {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();
        final Logger logger = Logger.getLogger("dev.sluice.push");
        final Handler capture = new Handler()
        {
            @Override
            public void publish(final LogRecord record)
            {
                records.add(record);
            }

            @Override
            public void flush()
            {
            }

            @Override
            public void close()
            {
            }
        };
        logger.addHandler(capture);
        try (PushHarness h = new PushHarness(SMALL_QUEUES))
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[8]);
            final long start = System.nanoTime();
            for (int i = 0; i < 20_000; i++)
            {
                h.handle.push(frame, 0, 8, Priority.HIGH, PushPolicy.WARN_AND_DROP);
            }
            final long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertEquals(20_000 - FRAMES, h.engine.counters(0).pushesDropped.get());
            assertTrue(records.size() >= 1, "the first drop is logged");
            assertTrue(records.size() <= seconds + 1, records.size() + " lines for 19,996 drops in " + seconds + " s");
            assertTrue(records.get(0).getMessage().contains("push dropped (QUEUE_FULL)"), records.get(0).getMessage());
        }
        finally
        {
            logger.removeHandler(capture);
        }
    }

    @Test
    void aFrameLargerThanAnEighthOfTheQueueIsRefused() throws Exception
    {
        try (PushHarness h = new PushHarness(SMALL_QUEUES))
        {
            final UnsafeBuffer big = new UnsafeBuffer(new byte[17]);
            assertEquals(PushResult.FRAME_TOO_LARGE, h.handle.push(big, 0, 17, Priority.HIGH));
            assertEquals(PushResult.ACCEPTED, h.handle.push(big, 0, 16, Priority.HIGH));
            assertEquals(1, h.engine.counters(0).pushesTooLarge.get());
        }
    }
}
