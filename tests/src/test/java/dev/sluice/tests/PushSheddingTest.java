package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.CloseReason;
import dev.sluice.engine.Engine;
import dev.sluice.push.Priority;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.FrameClient;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Shedding before dropping: a reader that stops reading makes its unsent bytes pass half the send cap; from then on
 * low-priority pushes to it are refused with SHED while high-priority ones still go, and low traffic alone never takes
 * it to the cap. When the reader catches up, low priority flows again; nothing accepted is lost, nobody is dropped.
 */
class PushSheddingTest
{
    @Test
    void aReaderThatFallsBehindIsShedLowPriorityThenRecovers() throws Exception
    {
        final AtomicReference<PushHandle> handle = new AtomicReference<>();
        final CloseLog closes = new CloseLog();
        final EngineConfig config = EngineConfig.builder().socketSendBufferSize(8192)
            .noProgressTimeout(60, TimeUnit.SECONDS).build();
        try (Engine engine = Engine.start(config);
            FrameClient client = FrameClient.connect(
                engine.listen(Loopback.ANY_PORT, PushBackedUpTest.handleKeeper(handle, closes)), 8192))
        {
            Loopback.awaitTrue(() -> handle.get() != null, "the connection opens");
            final PushHandle push = handle.get();
            final UnsafeBuffer low = new UnsafeBuffer(new byte[64]);
            low.putByte(0, (byte)'L');
            final UnsafeBuffer high = new UnsafeBuffer(new byte[64]);
            high.putByte(0, (byte)'H');

            int lowAccepted = 0;
            PushResult result = PushResult.ACCEPTED;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (result != PushResult.SHED && System.nanoTime() - deadline < 0)
            {
                result = push.push(low, 0, 64, Priority.LOW);
                if (result == PushResult.ACCEPTED)
                {
                    lowAccepted++;
                }
                else if (result != PushResult.SHED)
                {
                    LockSupport.parkNanos(10_000); // the low queue is full: the loop has not drained it yet
                }
            }
            assertEquals(PushResult.SHED, result, "past half the cap, low priority is shed");
            assertTrue(engine.counters(0).pushesShed.get() >= 1);
            for (int i = 0; i < 3; i++)
            {
                assertEquals(PushResult.ACCEPTED, push.push(high, 0, 64, Priority.HIGH), "high priority still goes");
            }
            Thread.sleep(200);
            assertTrue(push.isOpen(), "low priority alone never takes the peer to its cap: " + closes);
            assertEquals(0, engine.counters(0).closes(CloseReason.SLOW_CONSUMER).get());

            int lows = 0;
            int highs = 0;
            while (lows + highs < lowAccepted + 3)
            {
                if (client.read()[0] == 'H')
                {
                    highs++;
                }
                else
                {
                    lows++;
                }
            }
            assertEquals(3, highs);
            assertEquals(lowAccepted, lows, "every accepted low frame arrives once the reader catches up");

            Loopback.awaitTrue(() -> push.push(low, 0, 64, Priority.LOW) == PushResult.ACCEPTED,
                "low priority is accepted again once the bytes fall back");
            assertEquals('L', client.read()[0]);
            assertTrue(push.isOpen());
            assertEquals(0, closes.total(), closes.toString());
        }
    }

    @Test
    void lowPriorityAloneNeverTakesAPeerToItsCap() throws Exception
    {
        final AtomicReference<PushHandle> handle = new AtomicReference<>();
        final CloseLog closes = new CloseLog();
        final EngineConfig config = EngineConfig.builder().threadingMode(ThreadingMode.INVOKER)
            .socketSendBufferSize(8192).noProgressTimeout(60, TimeUnit.SECONDS)
            .push(PushConfig.builder().queueBytes(4 * 1024, 128 * 1024).build()).build();
        try (Engine engine = Engine.start(config);
            FrameClient client = FrameClient.connect(
                engine.listen(Loopback.ANY_PORT, PushBackedUpTest.handleKeeper(handle, closes)), 8192))
        {
            Loopback.pumpUntil(engine, () -> handle.get() != null, "the connection opens");
            final PushHandle push = handle.get();
            // A full low queue of 500-byte frames: 256 of them (512 bytes each with the header), 128 KiB, twice the
            // 64 KiB cap. Queued while the loop stands still, so the loop meets them all at once.
            final UnsafeBuffer low = new UnsafeBuffer(new byte[500]);
            int lowAccepted = 0;
            while (push.push(low, 0, 500, Priority.LOW) == PushResult.ACCEPTED)
            {
                lowAccepted++;
            }
            assertEquals(128 * 1024 / 512, lowAccepted);
            for (int i = 0; i < 1_000; i++)
            {
                engine.doWork(0); // the client reads nothing meanwhile
            }
            assertTrue(push.isOpen(), "held, not dropped: " + closes);
            assertEquals(0, engine.counters(0).closes(CloseReason.SLOW_CONSUMER).get());
            assertEquals(PushResult.SHED, push.push(low, 0, 500, Priority.LOW));
            // More high frames than the fairness counter's 8 while low frames wait: the counter lets none through.
            final long lowSent = engine.counters(0).pushesSentLow.get();
            final long highSent = engine.counters(0).pushesSentHigh.get();
            for (int i = 0; i < 20; i++)
            {
                assertEquals(PushResult.ACCEPTED, push.push(low, 0, 8, Priority.HIGH), "high priority still goes");
            }
            for (int i = 0; i < 100; i++)
            {
                engine.doWork(0);
            }
            assertEquals(highSent + 20, engine.counters(0).pushesSentHigh.get(), "every high frame went");
            assertEquals(lowSent, engine.counters(0).pushesSentLow.get(), "no low frame went while shedding");

            final int expected = lowAccepted + 20;
            final int[] received = {0};
            final Thread reader = new Thread(() ->
            {
                try
                {
                    for (; received[0] < expected; received[0]++)
                    {
                        client.read();
                    }
                }
                catch (final java.io.IOException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            reader.start();
            Loopback.pumpUntil(engine, () -> !reader.isAlive(), "the reader catches up");
            assertEquals(expected, received[0], "every accepted frame arrives");
            assertEquals(PushResult.ACCEPTED, push.push(low, 0, 500, Priority.LOW), "and low priority flows again");
            assertEquals(0, closes.total(), closes.toString());
        }
    }
}
