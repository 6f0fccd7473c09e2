package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;
import dev.sluice.push.Priority;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import dev.sluice.stats.LoopCounters;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Steady pushes at both priorities from two producer threads to 256 connections: the loop thread allocates nothing,
 * and neither do the producers, per push, once warm. See {@link QuietWarmUp} for the warm-up and the measured
 * windows.
 */
class ZeroGarbagePushTest
{
    private static final int CONNECTIONS = 256;
    private static final int PRODUCERS = 2;

    @Test
    void loopAndProducerThreadsAllocateZeroBytesOverAMillionPushes() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final PushDeliveryTest.Handles handles = new PushDeliveryTest.Handles(CONNECTIONS);
        // A 512 KiB send cap: the one client reader thread must not be dropped as a slow consumer on a loaded machine.
        try (Engine engine = Engine.start(EngineConfig.builder().maxConnections(CONNECTIONS + 16)
            .sendCap(512 * 1024).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handles);
            try (FrameReceiver receiver = new FrameReceiver(address, CONNECTIONS, null, (c, payload) -> { }))
            {
                handles.awaitAll(CONNECTIONS);
                final PushHandle[] targets = new PushHandle[CONNECTIONS];
                for (int c = 0; c < CONNECTIONS; c++)
                {
                    targets[c] = handles.byOrder.get(c);
                }
                final AtomicLong pushed = new AtomicLong();
                final AtomicReference<PushResult> refused = new AtomicReference<>();
                final Thread[] producers = new Thread[PRODUCERS];
                final AtomicBoolean stop = new AtomicBoolean();
                for (int p = 0; p < PRODUCERS; p++)
                {
                    final int producer = p;
                    producers[p] = new Thread(() ->
                    {
                        final UnsafeBuffer frame = new UnsafeBuffer(new byte[32]);
                        long n = 0;
                        while (!stop.get())
                        {
                            for (int c = producer; c < CONNECTIONS; c += PRODUCERS)
                            {
                                frame.putLong(0, n);
                                final PushResult r = targets[c].pushBlocking(frame, 0, 32,
                                    (n & 1) == 0 ? Priority.HIGH : Priority.LOW, 10, TimeUnit.SECONDS);
                                if (r != PushResult.ACCEPTED)
                                {
                                    refused.compareAndSet(null, r);
                                    return;
                                }
                                n++;
                            }
                            pushed.addAndGet(CONNECTIONS / PRODUCERS);
                        }
                    }, "producer-" + p);
                    producers[p].start();
                }
                final long[] watched = {engine.loopThread(0).getId(), producers[0].getId(), producers[1].getId()};
                try
                {
                    QuietWarmUp.run(threads, watched, 4_000_000_000L, () -> Thread.sleep(100));
                    final LoopCounters counters = engine.counters(0);
                    final QuietWarmUp.Windows windows = QuietWarmUp.measureWhileRunning(threads,
                        new long[][] {{watched[0]}, {watched[1], watched[2]}}, new String[] {"loop", "producers"},
                        () -> counters.pushesSentHigh.get() + counters.pushesSentLow.get(), "pushes sent");
                    assertNull(refused.get());
                    assertNull(receiver.failure.get());
                    assertTrue(counters.pushesSentHigh.get() > 0 && counters.pushesSentLow.get() > 0);
                    assertTrue(pushed.get() > 0);
                    assertTrue(windows.clean(), "no window of a million pushes without allocation:" + windows.report());
                }
                finally
                {
                    stop.set(true);
                    for (final Thread producer : producers)
                    {
                        producer.join();
                    }
                }
            }
        }
    }
}
