package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.IdleMode;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.stats.LoopCounters;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.EchoHandler;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

/** Producers wake a parked loop at most once per park, and never wake a spinning one. */
class WakeUpTest
{
    private static final int PRODUCERS = 4;
    private static final int CONNECTS_EACH = 50;

    /** Counts opened outbound connections. */
    static final class Opened implements ConnectionHandler
    {
        final CountDownLatch latch = new CountDownLatch(PRODUCERS * CONNECTS_EACH);

        @Override
        public void onOpen(final Connection connection)
        {
            latch.countDown();
        }

        @Override
        public void onFrame(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
        {
        }
    }

    private static LoopCounters connectFromManyThreads(final Engine server, final Engine client) throws Exception
    {
        final InetSocketAddress address = server.listen(Loopback.ANY_PORT, new EchoHandler(new CloseLog()));
        final Opened opened = new Opened();
        final Thread[] producers = new Thread[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++)
        {
            producers[p] = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < CONNECTS_EACH; i++)
                    {
                        client.connect(address, opened); // each hands a channel to the loop and wakes it if parked
                    }
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            producers[p].start();
        }
        for (final Thread producer : producers)
        {
            producer.join();
        }
        assertTrue(opened.latch.await(20, TimeUnit.SECONDS), "all connections opened");
        return client.counters(0);
    }

    @Test
    void aParkedLoopIsWokenAtMostOncePerPark() throws Exception
    {
        try (Engine server = Engine.start(EngineConfig.builder().build());
            Engine client = Engine.start(EngineConfig.builder().idleMode(IdleMode.BLOCKING).build()))
        {
            final LoopCounters counters = connectFromManyThreads(server, client);
            final long wakeups = counters.wakeups.get();
            final long parks = counters.parks.get();
            assertTrue(wakeups > 0, "the parked loop was woken by producers");
            assertTrue(wakeups <= parks, wakeups + " wake-ups for " + parks + " parks");
            assertTrue(wakeups < PRODUCERS * CONNECTS_EACH, "not one wake-up per command: " + wakeups);
        }
    }

    @Test
    void aSpinningLoopIsNeverWoken() throws Exception
    {
        try (Engine server = Engine.start(EngineConfig.builder().build());
            Engine client = Engine.start(EngineConfig.builder().idleMode(IdleMode.BUSY_SPIN).build()))
        {
            final LoopCounters counters = connectFromManyThreads(server, client);
            assertEquals(0, counters.parks.get());
            assertEquals(0, counters.wakeups.get());
        }
    }

    @Test
    void pushesWakeAParkedLoopAtMostOncePerParkAndAllArrive() throws Exception
    {
        final PushDeliveryTest.Handles handles = new PushDeliveryTest.Handles(1);
        try (Engine engine = Engine.start(EngineConfig.builder().idleMode(IdleMode.BLOCKING).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handles);
            try (dev.sluice.testkit.FrameClient client = dev.sluice.testkit.FrameClient.connect(address))
            {
                handles.awaitAll(1);
                final dev.sluice.push.PushHandle handle = handles.byOrder.get(0);
                final org.agrona.concurrent.UnsafeBuffer frame = new org.agrona.concurrent.UnsafeBuffer(new byte[8]);
                final long wakeupsBefore = engine.counters(0).wakeups.get();
                final long parksBefore = engine.counters(0).parks.get();
                for (int burst = 0; burst < 50; burst++)
                {
                    Thread.sleep(2); // let the loop park
                    for (int i = 0; i < 20; i++)
                    {
                        assertEquals(dev.sluice.push.PushResult.ACCEPTED,
                            handle.push(frame, 0, 8, dev.sluice.push.Priority.HIGH));
                    }
                }
                for (int i = 0; i < 1000; i++)
                {
                    client.read();
                }
                final long wakeups = engine.counters(0).wakeups.get() - wakeupsBefore;
                final long parks = engine.counters(0).parks.get() - parksBefore;
                assertTrue(wakeups > 0 && wakeups <= parks, wakeups + " wake-ups for " + parks + " parks");
                assertTrue(wakeups < 1000, "fewer wake-ups than pushes: " + wakeups);
            }
        }
    }
}
