package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;
import dev.sluice.gate.AtomicClusterCursors;
import dev.sluice.gate.DurabilityModes;
import dev.sluice.gate.GateConfig;
import dev.sluice.gate.ResponsePublisher;
import dev.sluice.stats.LoopCounters;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Gated responses from a matching thread to 256 connections, with the journal cursor trailing so batches wait and
 * open: neither the loop thread nor the matching thread allocates. See {@link QuietWarmUp} for the method.
 */
class ZeroGarbageGateTest
{
    private static final int CONNECTIONS = 256;

    @Test
    void loopAndMatchingThreadAllocateZeroBytesOverAMillionGatedResponses() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final AtomicClusterCursors cursors = new AtomicClusterCursors(2);
        final PushDeliveryTest.Handles handles = new PushDeliveryTest.Handles(CONNECTIONS);
        final EngineConfig config = EngineConfig.builder().maxConnections(CONNECTIONS + 16)
            .gate(new GateConfig(cursors, DurabilityModes.standard(new AtomicInteger(DurabilityModes.LOCAL)))).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handles);
            try (FrameReceiver receiver = new FrameReceiver(address, CONNECTIONS, null, (c, payload) -> { }))
            {
                handles.awaitAll(CONNECTIONS);
                final long[] ids = new long[CONNECTIONS];
                for (int c = 0; c < CONNECTIONS; c++)
                {
                    ids[c] = handles.byOrder.get(c).connectionId();
                }
                final ResponsePublisher responses = engine.responses();
                final AtomicBoolean stop = new AtomicBoolean();
                final LoopCounters loopCounters = engine.counters(0);
                final Thread matching = new Thread(() ->
                {
                    // Phases of 1,024 responses: publish them with the journal behind, let the loop find its batch
                    // waiting, then move the journal; so the waiting path runs all through the measurement.
                    final UnsafeBuffer payload = new UnsafeBuffer(new byte[24]);
                    long sequence = 0;
                    while (!stop.get())
                    {
                        final long waitsBefore = loopCounters.gateWaits.get();
                        for (int i = 0; i < 1024; i++)
                        {
                            sequence++;
                            payload.putLong(0, sequence);
                            final long id = ids[(int)(sequence % CONNECTIONS)];
                            while (!responses.publish(id, sequence, (sequence & 3) == 0, false, payload, 0, 24))
                            {
                                Thread.onSpinWait(); // ring full: the loop is behind
                            }
                        }
                        while (loopCounters.gateWaits.get() == waitsBefore && !stop.get())
                        {
                            Thread.onSpinWait();
                        }
                        cursors.primaryPersisted(sequence);
                        responses.cursorsMoved();
                    }
                }, "matching");
                matching.start();
                final long[] watched = {engine.loopThread(0).getId(), matching.getId()};
                try
                {
                    QuietWarmUp.run(threads, watched, 4_000_000_000L, () -> Thread.sleep(100));
                    final LoopCounters counters = engine.counters(0);
                    final QuietWarmUp.Windows windows = QuietWarmUp.measureWhileRunning(threads,
                        new long[][] {{watched[0]}, {watched[1]}}, new String[] {"loop", "matching thread"},
                        counters.responsesSent::get, "gated responses");
                    assertNull(receiver.failure.get());
                    assertTrue(counters.gateWaits.get() > 500, "batches waited for the journal all along");
                    assertTrue(counters.batchEnds.get() > 0);
                    assertTrue(windows.clean(), "no window of a million gated responses without allocation:" +
                        windows.report());
                }
                finally
                {
                    stop.set(true);
                    matching.join();
                }
            }
        }
    }
}
