package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.EngineConfigBuilder;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.connection.ConnectionIds;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

/**
 * {@code Connection.idleTimeout}: each connection's own idle timeout in place of the engine's, the way an MQTT server
 * closes a client after one and a half times the keep-alive the client announced. On a virtual clock in invoker mode.
 */
class ConnectionIdleTimeoutTest
{
    private static final long MS = 1_000_000L;

    /**
     * A four-byte frame announces the peer's keep-alive in milliseconds and sets the connection's idle timeout to one
     * and a half times it (0 turns it off); any other frame is a ping and changes nothing. Records opens and closes.
     */
    private static final class KeepAliveHandler implements ConnectionHandler
    {
        final List<Long> opened = new CopyOnWriteArrayList<>();
        final CloseLog closes = new CloseLog();
        final List<Long> closed = new CopyOnWriteArrayList<>();

        @Override
        public void onOpen(final Connection connection)
        {
            opened.add(connection.id());
        }

        @Override
        public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
        {
            if (length == Integer.BYTES)
            {
                c.idleTimeout(buffer.getInt(offset, ByteOrder.BIG_ENDIAN) * 3L / 2, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void onClose(final Connection connection, final CloseReason reason)
        {
            closed.add(connection.id());
            closes.record(connection.id(), reason);
        }
    }

    @Test
    void aPeerSilentForItsOwnTimeoutIsClosedWhenTheEngineHasNone() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final KeepAliveHandler handler = new KeepAliveHandler();
        try (Engine engine = Engine.start(virtualClock(clock).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> handler.opened.size() == 1, "open");
                step(engine, clock, 1_000);
                assertEquals(0, handler.closes.total(), "the engine has no idle timeout");
                client.send(keepAlive(200)); // 1.5 x 200 ms: closed after 300 ms of silence
                Loopback.pumpUntil(engine, () -> engine.counters(0).framesIn.get() == 1, "keep-alive read");
                step(engine, clock, 280);
                assertEquals(0, handler.closes.total(), "silent for 280 ms of 300");
                step(engine, clock, 40);
                assertEquals(1, handler.closes.count(CloseReason.IDLE_TIMEOUT), handler.closes.toString());
                assertEquals(1, engine.counters(0).closes(CloseReason.IDLE_TIMEOUT).get());
                assertTrue(client.awaitClosedByServer());
            }
        }
    }

    @Test
    void aTimeoutShorterThanTheEnginesIsKeptAlthoughTheEnginesIsArmedAlready() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final KeepAliveHandler handler = new KeepAliveHandler();
        try (Engine engine = Engine.start(virtualClock(clock).idleTimeout(10, TimeUnit.SECONDS).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> handler.opened.size() == 1, "open");
                client.send(keepAlive(200)); // the timer is armed for 10 s; 300 ms must bring it forward
                Loopback.pumpUntil(engine, () -> engine.counters(0).framesIn.get() == 1, "keep-alive read");
                step(engine, clock, 280);
                assertEquals(0, handler.closes.total(), "silent for 280 ms of 300");
                step(engine, clock, 40);
                assertEquals(1, handler.closes.count(CloseReason.IDLE_TIMEOUT), "closed at 300 ms, not 10 s: " +
                    handler.closes);
                assertTrue(client.awaitClosedByServer());
            }
        }
    }

    @Test
    void aTimeoutOfZeroKeepsASilentPeerOpenWhileTheEngineClosesOthers() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final KeepAliveHandler handler = new KeepAliveHandler();
        try (Engine engine = Engine.start(virtualClock(clock).idleTimeout(200, TimeUnit.MILLISECONDS).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient unlimited = FrameClient.connect(address);
                FrameClient ordinary = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> handler.opened.size() == 2, "both open");
                unlimited.send(keepAlive(0));
                Loopback.pumpUntil(engine, () -> engine.counters(0).framesIn.get() == 1, "keep-alive read");
                for (int i = 0; i < 10; i++)
                {
                    step(engine, clock, 100);
                }
                assertEquals(1, handler.closes.count(CloseReason.IDLE_TIMEOUT), "only the ordinary peer");
                assertEquals(1, handler.closes.total(), handler.closes.toString());
                assertTrue(ordinary.awaitClosedByServer());
                assertEquals(1, engine.counters(0).connectionsOpen.get(), "silent for five engine timeouts: open");
                unlimited.send(new byte[] {1});
                Loopback.pumpUntil(engine, () -> engine.counters(0).framesIn.get() == 2, "the unlimited peer is read");
            }
        }
    }

    @Test
    void aPeerThatSendsWithinItsOwnTimeoutStaysOpenPastTheEnginesShorterOne() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final KeepAliveHandler handler = new KeepAliveHandler();
        try (Engine engine = Engine.start(virtualClock(clock).idleTimeout(100, TimeUnit.MILLISECONDS).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> handler.opened.size() == 1, "open");
                client.send(keepAlive(200)); // 300 ms, three times the engine's timeout
                Loopback.pumpUntil(engine, () -> engine.counters(0).framesIn.get() == 1, "keep-alive read");
                for (int i = 2; i <= 10; i++)
                {
                    step(engine, clock, 250);
                    client.send(new byte[] {(byte)i}); // a ping every 250 ms
                    final long frames = i;
                    Loopback.pumpUntil(engine, () -> engine.counters(0).framesIn.get() == frames, "ping " + i);
                }
                assertEquals(0, handler.closes.total(), "pinged within 300 ms for 2.25 s: " + handler.closes);
                step(engine, clock, 280);
                assertEquals(0, handler.closes.total(), "silent for 280 ms of 300");
                step(engine, clock, 40);
                assertEquals(1, handler.closes.count(CloseReason.IDLE_TIMEOUT), handler.closes.toString());
                assertTrue(client.awaitClosedByServer());
            }
        }
    }

    @Test
    void aConnectionOnAReusedSlotStartsWithTheEnginesTimeout() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final KeepAliveHandler handler = new KeepAliveHandler();
        final EngineConfig config = virtualClock(clock).idleTimeout(200, TimeUnit.MILLISECONDS).maxConnections(1)
            .build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient first = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> handler.opened.size() == 1, "first open");
                first.send(keepAlive(0));
                Loopback.pumpUntil(engine, () -> engine.counters(0).framesIn.get() == 1, "keep-alive read");
                step(engine, clock, 500);
                assertEquals(0, handler.closes.total(), "the first connection turned its timeout off");
            }
            Loopback.pumpUntil(engine, () -> handler.closes.count(CloseReason.PEER_CLOSED) == 1, "first closed");
            try (FrameClient second = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> handler.opened.size() == 2, "second open");
                assertEquals(ConnectionIds.slotOf(handler.opened.get(0)), ConnectionIds.slotOf(handler.opened.get(1)),
                    "one slot: the second connection reuses the first one's");
                assertNotEquals(handler.opened.get(0), handler.opened.get(1));
                step(engine, clock, 150);
                assertEquals(1, handler.closes.total(), "silent for 150 ms of the engine's 200");
                step(engine, clock, 70);
                assertEquals(1, handler.closes.count(CloseReason.IDLE_TIMEOUT), handler.closes.toString());
                assertEquals(handler.opened.get(1), handler.closed.get(1));
                assertTrue(second.awaitClosedByServer());
            }
        }
    }

    @Test
    void aNegativeTimeoutIsRefusedAndChangesNothing() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final CloseLog closes = new CloseLog();
        final List<RuntimeException> refused = new CopyOnWriteArrayList<>();
        try (Engine engine = Engine.start(virtualClock(clock).idleTimeout(200, TimeUnit.MILLISECONDS).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new ConnectionHandler()
            {
                @Override
                public void onOpen(final Connection connection)
                {
                    refused.add(assertThrows(IllegalArgumentException.class,
                        () -> connection.idleTimeout(-1, TimeUnit.MILLISECONDS)));
                }

                @Override
                public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
                {
                }

                @Override
                public void onClose(final Connection connection, final CloseReason reason)
                {
                    closes.record(connection.id(), reason);
                }
            });
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> !refused.isEmpty(), "open");
                step(engine, clock, 150);
                assertEquals(0, closes.total(), "still open");
                step(engine, clock, 70);
                assertEquals(1, closes.count(CloseReason.IDLE_TIMEOUT), "the engine's timeout still applies");
                assertTrue(client.awaitClosedByServer());
            }
        }
    }

    private static EngineConfigBuilder virtualClock(final CachedNanoClock clock)
    {
        return EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock)
            .timerInterval(10, TimeUnit.MILLISECONDS);
    }

    /** Advances the virtual clock and runs a few iterations, enough for a timer tick. */
    private static void step(final Engine engine, final CachedNanoClock clock, final long millis)
    {
        clock.advance(millis * MS);
        for (int i = 0; i < 3; i++)
        {
            engine.doWork(0);
        }
    }

    private static byte[] keepAlive(final int millis)
    {
        return ByteBuffer.allocate(Integer.BYTES).putInt(millis).array();
    }
}
