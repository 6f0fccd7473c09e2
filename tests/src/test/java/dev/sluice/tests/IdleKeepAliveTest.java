package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.EchoHandler;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

/** Heartbeats to quiet peers and the idle timeout, on a virtual clock in invoker mode: exact, no sleeps. */
class IdleKeepAliveTest
{
    private static final long MS = 1_000_000L;

    private static void runFor(final Engine engine, final int iterations)
    {
        for (int i = 0; i < iterations; i++)
        {
            engine.doWork(0);
        }
    }

    @Test
    void aHeartbeatGoesToAPeerSentNothingForTheIntervalAndNotWhileTrafficFlows() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final EngineConfig config = EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock)
            .idleKeepAlive(1, TimeUnit.SECONDS, new byte[] {'H', 'B'}).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new EchoHandler(new CloseLog()));
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> engine.counters(0).connectionsOpen.get() == 1, "open");
                clock.advance(900 * MS);
                client.send(new byte[] {1});
                Loopback.pumpUntil(engine, () -> engine.counters(0).framesOut.get() == 1, "echo at 0.9 s");
                assertArrayEquals(new byte[] {1}, client.read());
                clock.advance(900 * MS); // 0.9 s since the echo
                runFor(engine, 3);
                assertEquals(0, engine.counters(0).keepAlivesSent.get(), "traffic flowed 0.9 s ago");
                clock.advance(200 * MS); // 1.1 s of silence towards the peer
                runFor(engine, 3);
                assertEquals(1, engine.counters(0).keepAlivesSent.get());
                assertArrayEquals(new byte[] {'H', 'B'}, client.read());
                runFor(engine, 3);
                assertEquals(1, engine.counters(0).keepAlivesSent.get(), "the heartbeat itself counts as traffic");
            }
        }
    }

    @Test
    void aPeerThatSendsNothingForTheIdleTimeoutIsClosedWithItsOwnReason() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final CloseLog closes = new CloseLog();
        final EngineConfig config = EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock)
            .idleTimeout(2, TimeUnit.SECONDS).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new EchoHandler(closes));
            try (FrameClient quiet = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> engine.counters(0).connectionsOpen.get() == 1, "open");
                clock.advance(1_900 * MS);
                quiet.send(new byte[] {1}); // one frame at 1.9 s resets the clock
                Loopback.pumpUntil(engine, () -> engine.counters(0).framesIn.get() == 1, "frame read");
                assertArrayEquals(new byte[] {1}, quiet.read());
                clock.advance(1_900 * MS);
                runFor(engine, 3);
                assertEquals(0, closes.total(), "1.9 s of silence: still open");
                clock.advance(200 * MS);
                runFor(engine, 3);
                assertEquals(1, closes.count(CloseReason.IDLE_TIMEOUT), closes.toString());
                assertEquals(1, engine.counters(0).closes(CloseReason.IDLE_TIMEOUT).get());
                assertTrue(quiet.awaitClosedByServer());
            }
        }
    }

    @Test
    void aPeerWhoseReadingWasPausedPastTheIdleTimeoutIsStillClosedWhenItGoesSilentAfterwards() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final CloseLog closes = new CloseLog();
        final int[] refusals = {0};
        final EngineConfig config = EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock)
            .idleTimeout(2, TimeUnit.SECONDS).timerInterval(10, TimeUnit.MILLISECONDS).build();
        try (Engine engine = Engine.start(config))
        {
            // Says "not now" to the first frame for 3 s of virtual time, longer than the idle timeout: the pause is
            // ours, so the peer is not idle meanwhile; once the frame is taken the idle clock starts again.
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new ConnectionHandler()
            {
                @Override
                public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
                {
                    if (refusals[0] < 300)
                    {
                        refusals[0]++;
                        c.notNow();
                        return;
                    }
                    c.send(buffer, offset, length);
                }

                @Override
                public void onClose(final Connection connection, final CloseReason reason)
                {
                    closes.record(connection.id(), reason);
                }
            });
            try (FrameClient peer = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> engine.counters(0).connectionsOpen.get() == 1, "open");
                peer.send(new byte[] {1});
                Loopback.pumpUntil(engine, () -> refusals[0] > 0, "first refusal");
                for (int i = 0; i < 300 && refusals[0] < 300; i++)
                {
                    clock.advance(10 * MS);
                    runFor(engine, 2);
                }
                assertEquals(300, refusals[0]);
                assertEquals(0, closes.total(), "paused by the application for 3 s, not idle: " + closes);
                clock.advance(10 * MS);
                runFor(engine, 3); // the frame is taken, reading resumes
                assertArrayEquals(new byte[] {1}, peer.read());
                clock.advance(1_900 * MS);
                runFor(engine, 3);
                assertEquals(0, closes.total(), "1.9 s of silence since the resume: still open");
                clock.advance(200 * MS);
                runFor(engine, 3);
                assertEquals(1, closes.count(CloseReason.IDLE_TIMEOUT), "idle once it has been silent for 2 s");
            }
        }
    }
}
