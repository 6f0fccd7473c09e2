package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Full queues under each policy, and oversized frames. The loop is never run, so the queues stay full. */
class PushPolicyTest
{
    private static final PushConfig SMALL_QUEUES = PushConfig.builder().queueCapacities(4, 4).slots(64, 64).build();

    @Test
    void errorPolicyAnswersQueueFull() throws Exception
    {
        try (PushHarness h = new PushHarness(SMALL_QUEUES))
        {
            for (int i = 0; i < 4; i++)
            {
                assertEquals(PushResult.ACCEPTED, h.push("H" + i));
            }
            assertEquals(PushResult.QUEUE_FULL, h.push("H4"));
            assertEquals(PushResult.ACCEPTED, h.push("L0"), "the other priority has its own queue");
            assertEquals(1, h.engine.counters(0).pushesQueueFull.get());
            assertEquals(0, h.engine.counters(0).pushesDropped.get());
        }
    }

    @Test
    void aFullQueueKeepsNoSlotAndAcceptsAgainOnceDrained() throws Exception
    {
        try (PushHarness h = new PushHarness(SMALL_QUEUES))
        {
            final int free = h.engine.freePushSlots(0);
            for (int i = 0; i < 4; i++)
            {
                assertEquals(PushResult.ACCEPTED, h.push("H" + i));
            }
            for (int i = 0; i < 3; i++)
            {
                assertEquals(PushResult.QUEUE_FULL, h.push("HX" + i), "refused while full, attempt " + i);
            }
            assertEquals(free - 4, h.engine.freePushSlots(0), "refused pushes hold no slot");
            h.runLoop();
            assertEquals(List.of("H0", "H1", "H2", "H3"), h.read(4));
            assertEquals(free, h.engine.freePushSlots(0), "delivered slots are back in the pool");
            for (int i = 4; i < 8; i++)
            {
                assertEquals(PushResult.ACCEPTED, h.push("H" + i), "accepted again after the drain");
            }
            h.runLoop();
            assertEquals(List.of("H4", "H5", "H6", "H7"), h.read(4));
            assertEquals(3, h.engine.counters(0).pushesQueueFull.get());
        }
    }

    @Test
    void dropPolicyDropsAndCounts() throws Exception
    {
        try (PushHarness h = new PushHarness(SMALL_QUEUES))
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < 4; i++)
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
            assertEquals(4, h.read(4).size(), "the four accepted frames are delivered");
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
            assertEquals(20_000 - 4, h.engine.counters(0).pushesDropped.get());
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
    void aFrameLargerThanASlotIsRefused() throws Exception
    {
        try (PushHarness h = new PushHarness(SMALL_QUEUES))
        {
            final UnsafeBuffer big = new UnsafeBuffer(new byte[65]);
            assertEquals(PushResult.FRAME_TOO_LARGE, h.handle.push(big, 0, 65, Priority.HIGH));
            assertEquals(PushResult.ACCEPTED, h.handle.push(big, 0, 64, Priority.HIGH));
            assertEquals(1, h.engine.counters(0).pushesTooLarge.get());
        }
    }
}
