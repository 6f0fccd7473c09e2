package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.engine.Engine;
import dev.sluice.push.Priority;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.FrameClient;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The periodic heartbeat goes every interval whatever the traffic (where the idle keep-alive waits for silence), ahead
 * of queued pushes; on a virtual clock in invoker mode: exact, no sleeps.
 */
class PeriodicHeartbeatTest
{
    private static final long MS = 1_000_000L;
    private static final byte[] HEARTBEAT = {'H', 'B'};

    @Test
    void aHeartbeatGoesEveryIntervalWhileTrafficFlowsAndTheKeepAliveStaysQuiet() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final AtomicReference<PushHandle> handle = new AtomicReference<>();
        final EngineConfig config = EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock)
            .periodicHeartbeat(1, TimeUnit.SECONDS, HEARTBEAT)
            .idleKeepAlive(500, TimeUnit.MILLISECONDS, new byte[] {'K', 'A'}).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address =
                engine.listen(Loopback.ANY_PORT, PushBackedUpTest.handleKeeper(handle, new CloseLog()));
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> handle.get() != null, "open");
                final UnsafeBuffer tick = new UnsafeBuffer(new byte[] {'T'});
                int heartbeats = 0;
                // 3.5 s of a tick every 100 ms: the peer is never quiet for the 500 ms the keep-alive waits for.
                for (int step = 1; step <= 35; step++)
                {
                    clock.advance(100 * MS);
                    runFor(engine, 3); // the timer stage: a heartbeat if one is due
                    assertEquals(PushResult.ACCEPTED, handle.get().push(tick, 0, 1, Priority.LOW));
                    runFor(engine, 3);
                    final boolean due = step % 10 == 0; // at 1 s, 2 s and 3 s after the opening
                    if (due)
                    {
                        assertArrayEquals(HEARTBEAT, client.read(), "the heartbeat at " + step * 100 + " ms");
                        heartbeats++;
                    }
                    assertArrayEquals(new byte[] {'T'}, client.read(), "the tick at " + step * 100 + " ms");
                    assertEquals(heartbeats, engine.counters(0).periodicHeartbeatsSent.get());
                }
                assertEquals(3, heartbeats);
                assertEquals(0, engine.counters(0).keepAlivesSent.get(), "traffic kept the keep-alive quiet");

                // Then silence: heartbeats keep their pace, and the keep-alive speaks in between.
                clock.advance(500 * MS); // 4.0 s: a heartbeat (due) and, 500 ms after the last tick, no keep-alive
                runFor(engine, 3);
                assertArrayEquals(HEARTBEAT, client.read(), "the heartbeat at 4 s");
                clock.advance(500 * MS); // 4.5 s: 500 ms since the heartbeat, the only traffic
                runFor(engine, 3);
                assertArrayEquals(new byte[] {'K', 'A'}, client.read(), "a keep-alive in the silence");
                assertEquals(4, engine.counters(0).periodicHeartbeatsSent.get());
                assertEquals(1, engine.counters(0).keepAlivesSent.get());
            }
        }
    }

    @Test
    void aLoopThatFallsSeveralIntervalsBehindSendsOneHeartbeatNotABurst() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final AtomicReference<PushHandle> handle = new AtomicReference<>();
        final EngineConfig config = EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock)
            .periodicHeartbeat(1, TimeUnit.SECONDS, HEARTBEAT).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address =
                engine.listen(Loopback.ANY_PORT, PushBackedUpTest.handleKeeper(handle, new CloseLog()));
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> handle.get() != null, "open");
                clock.advance(3_500 * MS); // the loop stood still for three and a half intervals
                runFor(engine, 3);
                assertEquals(1, engine.counters(0).periodicHeartbeatsSent.get());
                assertArrayEquals(HEARTBEAT, client.read());
                clock.advance(900 * MS); // 4.4 s: the next is due an interval after the late one (4.5 s)
                runFor(engine, 3);
                assertEquals(1, engine.counters(0).periodicHeartbeatsSent.get());
                clock.advance(100 * MS);
                runFor(engine, 3);
                assertEquals(2, engine.counters(0).periodicHeartbeatsSent.get());
                assertArrayEquals(HEARTBEAT, client.read());
            }
        }
    }

    private static void runFor(final Engine engine, final int iterations)
    {
        for (int i = 0; i < iterations; i++)
        {
            engine.doWork(0);
        }
    }
}
