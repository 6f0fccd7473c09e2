package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A connection's own timer, for a protocol's timers: on the loop thread, once per arming; on a virtual clock. */
class ConnectionTimerTest
{
    private static final long MS = 1_000_000L;

    @Test
    void theTimerFiresOnceNoEarlierThanArmedCanBeArmedAgainAndDisarmed() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final AtomicInteger fired = new AtomicInteger();
        final CloseLog closes = new CloseLog();
        final ConnectionHandler handler = new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection connection)
            {
                connection.armTimer(100, TimeUnit.MILLISECONDS);
            }

            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
                if (buffer.getByte(offset) == 'D')
                {
                    c.disarmTimer();
                }
                else
                {
                    throw new IllegalStateException("re-armed by the timer itself only");
                }
            }

            @Override
            public void onTimer(final Connection connection)
            {
                if (fired.incrementAndGet() == 1)
                {
                    connection.armTimer(100, TimeUnit.MILLISECONDS); // a periodic timer re-arms itself
                }
                else
                {
                    connection.armTimer(50, TimeUnit.MILLISECONDS);
                }
            }

            @Override
            public void onClose(final Connection connection, final CloseReason reason)
            {
                closes.record(connection.id(), reason);
            }
        };
        final EngineConfig config = EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> engine.counters(0).connectionsOpen.get() == 1, "open");
                step(engine, clock, 90);
                assertEquals(0, fired.get(), "not before 100 ms");
                step(engine, clock, 20);
                assertEquals(1, fired.get(), "once at 110 ms");
                step(engine, clock, 20);
                assertEquals(1, fired.get(), "re-armed for 100 ms more");
                step(engine, clock, 90);
                assertEquals(2, fired.get(), "the second at 220 ms");

                client.send(new byte[] {'D'}); // disarm the 50 ms timer the second call armed
                Loopback.pumpUntil(engine, () -> engine.counters(0).framesIn.get() == 1, "the disarm");
                step(engine, clock, 200);
                assertEquals(2, fired.get(), "disarmed");
                assertEquals(0, closes.total());
            }
        }
    }

    @Test
    void aTimerThatThrowsClosesItsConnectionAlone() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final CloseLog closes = new CloseLog();
        final ConnectionHandler handler = timed(10, connection ->
        {
            throw new IllegalStateException("a timer that throws");
        }, closes);
        final EngineConfig config = EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> engine.counters(0).connectionsOpen.get() == 1, "open");
                step(engine, clock, 20);
                assertEquals(1, closes.count(CloseReason.HANDLER_ERROR), closes.toString());
                assertEquals(1, engine.counters(0).errors.get());
                assertTrue(client.awaitClosedByServer());
            }
        }
    }

    @Test
    void aTimerReArmedFarAheadDoesNotHoldBackTheEnginesOwnDeadlines() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final AtomicInteger fired = new AtomicInteger();
        final CloseLog closes = new CloseLog();
        final ConnectionHandler handler = timed(10, connection ->
        {
            fired.incrementAndGet();
            connection.armTimer(5, TimeUnit.SECONDS); // far beyond the idle timeout
        }, closes);
        final EngineConfig config = EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock)
            .idleTimeout(200, TimeUnit.MILLISECONDS).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> engine.counters(0).connectionsOpen.get() == 1, "open");
                step(engine, clock, 20);
                assertEquals(1, fired.get());
                step(engine, clock, 100);
                step(engine, clock, 100);
                assertEquals(1, closes.count(CloseReason.IDLE_TIMEOUT), "the idle timeout still at 200 ms: " + closes);
                assertTrue(client.awaitClosedByServer());
            }
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a timer firing in a loop would hang
    void aTimerReArmedForNowFiresAtTheNextTickNotInALoop() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final AtomicInteger fired = new AtomicInteger();
        final ConnectionHandler handler = timed(0, connection ->
        {
            fired.incrementAndGet();
            connection.armTimer(0, TimeUnit.MILLISECONDS);
        }, new CloseLog());
        final EngineConfig config = EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> engine.counters(0).connectionsOpen.get() == 1, "open");
                for (int tick = 1; tick <= 5; tick++)
                {
                    clock.advance(10 * MS); // one timer tick
                    engine.doWork(0);
                    engine.doWork(0);
                    assertTrue(fired.get() <= tick, "at most once a tick: " + fired.get() + " after " + tick);
                }
                assertTrue(fired.get() >= 3, "and it keeps firing: " + fired.get());
                assertEquals(0, client.available(), "a timer that sends nothing sends nothing");
            }
        }
    }

    private static void step(final Engine engine, final CachedNanoClock clock, final long millis)
    {
        clock.advance(millis * MS);
        for (int i = 0; i < 3; i++)
        {
            engine.doWork(0);
        }
    }

    /** A handler that arms the timer at the opening, runs {@code onTimer} when it fires, and records closes. */
    private static ConnectionHandler timed(final long armAtOpenMs, final Consumer<Connection> onTimer,
        final CloseLog closes)
    {
        return new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection connection)
            {
                connection.armTimer(armAtOpenMs, TimeUnit.MILLISECONDS);
            }

            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
            }

            @Override
            public void onTimer(final Connection connection)
            {
                onTimer.accept(connection);
            }

            @Override
            public void onClose(final Connection connection, final CloseReason reason)
            {
                closes.record(connection.id(), reason);
            }
        };
    }
}
