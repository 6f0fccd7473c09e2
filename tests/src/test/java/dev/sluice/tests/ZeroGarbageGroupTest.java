package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;
import dev.sluice.push.Priority;
import dev.sluice.push.PushGroup;
import dev.sluice.push.PushResult;
import dev.sluice.stats.LoopCounters;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Steady group pushes at both priorities to a group of 256 members: the loop thread and the pushing thread allocate
 * nothing per frame or per delivery, once warm. See {@link QuietWarmUp} for the warm-up and the measured windows.
 */
class ZeroGarbageGroupTest
{
    private static final int MEMBERS = 256;

    @Test
    void loopAndPushingThreadAllocateZeroBytesOverAMillionGroupDeliveries() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final PushDeliveryTest.Handles handles = new PushDeliveryTest.Handles(MEMBERS);
        try (Engine engine = Engine.start(EngineConfig.builder().maxConnections(MEMBERS + 16).build());
            PushGroup group = engine.newPushGroup("all"))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handles);
            try (FrameReceiver receiver = new FrameReceiver(address, MEMBERS, null, (c, payload) -> { }))
            {
                handles.awaitAll(MEMBERS);
                for (int i = 0; i < MEMBERS; i++)
                {
                    assertEquals(PushResult.ACCEPTED, group.join(handles.byOrder.get(i)));
                }
                Loopback.awaitTrue(() -> group.size() == MEMBERS, "every member joined");
                final AtomicLong pushed = new AtomicLong();
                final AtomicBoolean stop = new AtomicBoolean();
                final Thread producer = new Thread(() ->
                {
                    final UnsafeBuffer frame = new UnsafeBuffer(new byte[32]);
                    long n = 0;
                    while (!stop.get())
                    {
                        frame.putLong(0, n);
                        if (group.push(frame, 0, 32, (n & 1) == 0 ? Priority.HIGH : Priority.LOW) ==
                            PushResult.ACCEPTED)
                        {
                            n++;
                            pushed.lazySet(n);
                        }
                        else
                        {
                            LockSupport.parkNanos(20_000); // the group's queue is full: the loop is behind
                        }
                    }
                }, "group-producer");
                producer.start();
                final long[] watched = {engine.loopThread(0).getId(), producer.getId()};
                try
                {
                    QuietWarmUp.run(threads, watched, 4_000_000_000L, () -> Thread.sleep(100));
                    final LoopCounters counters = engine.counters(0);
                    final QuietWarmUp.Windows windows = QuietWarmUp.measureWhileRunning(threads,
                        new long[][] {{watched[0]}, {watched[1]}}, new String[] {"loop", "pushing thread"},
                        counters.groupDeliveries::get, "group deliveries");
                    assertNull(receiver.failure.get());
                    assertTrue(pushed.get() > 0);
                    assertTrue(windows.clean(), "no window of a million group deliveries without allocation:" +
                        windows.report());
                }
                finally
                {
                    stop.set(true);
                    producer.join();
                }
            }
        }
    }
}
