package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.connection.ConnectionIds;
import dev.sluice.engine.Engine;
import dev.sluice.push.ConnectionStats;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@code Engine.closeConnection(id)}: any thread closes a connection by its id, the way {@code Connection.close()}
 * does on the loop (what was sent is delivered first); a stale id, one whose connection has closed, does nothing.
 */
class CloseConnectionByIdTest
{
    private static final int FRAME = 1000;
    private static final int FRAMES = 60; // 60 KB: under the 64 KiB send cap, far over the small socket buffers

    /** Echoes, except that "go" is answered with {@link #FRAMES} frames; records opens, closes and their thread. */
    private static final class RecordingHandler implements ConnectionHandler
    {
        final List<Long> opened = new CopyOnWriteArrayList<>();
        final List<Long> closed = new CopyOnWriteArrayList<>();
        final List<CloseReason> reasons = new CopyOnWriteArrayList<>();
        final AtomicReference<Thread> closingThread = new AtomicReference<>();
        final AtomicReference<ConnectionStats> stats = new AtomicReference<>();

        @Override
        public void onOpen(final Connection connection)
        {
            stats.set(connection.stats());
            opened.add(connection.id());
        }

        @Override
        public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
        {
            if (!"go".equals(buffer.getStringWithoutLengthAscii(offset, length)))
            {
                c.send(buffer, offset, length);
                return;
            }
            for (int i = 0; i < FRAMES; i++)
            {
                final UnsafeBuffer payload = new UnsafeBuffer(Loopback.bytes(FRAME, i));
                c.send(payload, 0, FRAME);
            }
        }

        @Override
        public void onClose(final Connection connection, final CloseReason reason)
        {
            closingThread.set(Thread.currentThread());
            closed.add(connection.id());
            reasons.add(reason);
        }
    }

    @Test
    void aCloseFromAnotherThreadDeliversWhatWasSentAndEndsClosedLocallyOnTheLoop() throws Exception
    {
        final RecordingHandler handler = new RecordingHandler();
        try (Engine engine = Engine.start(EngineConfig.builder().socketSendBufferSize(4096).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address, 4096))
            {
                client.send(ascii("go"));
                Loopback.awaitTrue(() -> engine.counters(0).framesOut.get() == FRAMES &&
                    handler.stats.get().pendingBytes() > 0, "60 KB appended, the peer reading nothing yet");
                assertTrue(engine.closeConnection(handler.opened.get(0)), "handed to the loop");
                for (int i = 0; i < FRAMES; i++)
                {
                    assertArrayEquals(Loopback.bytes(FRAME, i), client.read(), "frame " + i);
                }
                assertTrue(client.awaitClosedByServer(), "then the server closes");
                Loopback.awaitTrue(() -> handler.reasons.size() == 1, "onClose");
                assertEquals(List.of(CloseReason.CLOSED_LOCALLY), handler.reasons);
                assertEquals(engine.loopThread(0), handler.closingThread.get(), "onClose runs on the loop thread");
                assertEquals(FRAMES * (FRAME + 4L), engine.counters(0).bytesOut.get(), "every byte written");
                assertEquals(1, engine.counters(0).closes(CloseReason.CLOSED_LOCALLY).get());
            }
        }
    }

    @Test
    void aStaleIdDoesNotCloseTheConnectionThatNowHasItsSlot() throws Exception
    {
        final RecordingHandler handler = new RecordingHandler();
        try (Engine engine = Engine.start(EngineConfig.builder().loops(1).maxConnections(1).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient first = FrameClient.connect(address))
            {
                echo(first, 0);
            }
            Loopback.awaitTrue(() -> handler.reasons.size() == 1, "first closed by its peer");
            final long stale = handler.opened.get(0);
            try (FrameClient second = FrameClient.connect(address))
            {
                Loopback.awaitTrue(() -> handler.opened.size() == 2, "second open");
                final long current = handler.opened.get(1);
                assertEquals(ConnectionIds.slotOf(stale), ConnectionIds.slotOf(current), "the slot is reused");
                assertNotEquals(stale, current);

                assertTrue(engine.closeConnection(stale), "handed to the loop");
                // The first echo proves an iteration began after the command was queued; the second is read by a
                // later iteration, whose command stage ran the close first.
                echo(second, 1);
                echo(second, 2);
                assertEquals(List.of(CloseReason.PEER_CLOSED), handler.reasons, "the second connection is open");
                assertEquals(1, engine.counters(0).connectionsOpen.get());

                assertTrue(engine.closeConnection(current));
                assertTrue(second.awaitClosedByServer(), "its own id closes it");
                Loopback.awaitTrue(() -> handler.reasons.size() == 2, "second closed");
                assertEquals(List.of(CloseReason.PEER_CLOSED, CloseReason.CLOSED_LOCALLY), handler.reasons);
                assertEquals(List.of(stale, current), handler.closed);
            }
        }
    }

    @Test
    void aNewSessionClosesTheOneItTakesOverFromItsOwnCallbackOnTheSameLoopOrAnother() throws Exception
    {
        for (final int loops : new int[] {1, 2})
        {
            final AtomicReference<Engine> engineRef = new AtomicReference<>();
            final Map<String, Long> sessions = new ConcurrentHashMap<>();
            final List<String> log = new CopyOnWriteArrayList<>();
            final AtomicReference<Thread> closingThread = new AtomicReference<>();
            // An MQTT-like CONNECT: the frame is the client id; a second connection with the same id takes over.
            final ConnectionHandler broker = new ConnectionHandler()
            {
                @Override
                public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
                {
                    final Long previous = sessions.put(buffer.getStringWithoutLengthAscii(offset, length), c.id());
                    if (previous != null)
                    {
                        log.add("loop " + c.loopIndex() + " takes over from loop " + ConnectionIds.loopOf(previous) +
                            ": " + engineRef.get().closeConnection(previous));
                    }
                    c.send(buffer, offset, length);
                }

                @Override
                public void onClose(final Connection connection, final CloseReason reason)
                {
                    closingThread.set(Thread.currentThread());
                    log.add("closed on loop " + connection.loopIndex() + ": " + reason);
                }
            };
            try (Engine engine = Engine.start(EngineConfig.builder().loops(loops).build()))
            {
                engineRef.set(engine);
                final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, broker);
                try (FrameClient old = FrameClient.connect(address); FrameClient taker = FrameClient.connect(address))
                {
                    old.send(ascii("client-1"));
                    assertEquals("client-1", new String(old.read(), StandardCharsets.US_ASCII));
                    taker.send(ascii("client-1"));
                    assertEquals("client-1", new String(taker.read(), StandardCharsets.US_ASCII));
                    assertTrue(old.awaitClosedByServer(), "the session taken over is closed");
                    Loopback.awaitTrue(() -> log.size() == 2, "the close");
                    if (loops == 1) // on the caller's own loop: closed within the call
                    {
                        assertEquals(List.of("closed on loop 0: CLOSED_LOCALLY", "loop 0 takes over from loop 0: true"),
                            log);
                    }
                    else // accepted round-robin: handed from loop 1 to loop 0, and closed there
                    {
                        assertEquals(Set.of("closed on loop 0: CLOSED_LOCALLY", "loop 1 takes over from loop 0: true"),
                            Set.copyOf(log));
                    }
                    assertEquals(engine.loopThread(0), closingThread.get());
                    taker.send(ascii("ping"));
                    assertEquals("ping", new String(taker.read(), StandardCharsets.US_ASCII), "the new one stays");
                }
            }
        }
    }

    @Test
    void anIdOfNoLoopOrOfAClosedEngineIsRefusedAndOneOfNoSlotChangesNothing() throws Exception
    {
        final RecordingHandler handler = new RecordingHandler();
        final Engine engine = Engine.start(EngineConfig.builder().loops(1).build());
        try
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            assertFalse(engine.closeConnection(ConnectionIds.compose(1, 0, 1)), "loop 1 of 1");
            assertFalse(engine.closeConnection(ConnectionIds.compose(1, 0, 255)), "loop 255 of 1");
            assertTrue(engine.closeConnection(ConnectionIds.compose(1, 1 << 20, 0)), "handed over: no such slot");
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.awaitTrue(() -> handler.opened.size() == 1, "open");
                echo(client, 1); // the loop ran the command, and still serves
                echo(client, 2);
                assertEquals(List.of(), handler.reasons);
                final long id = handler.opened.get(0);
                engine.close();
                assertFalse(engine.closeConnection(id), "the engine is closed");
                assertEquals(List.of(CloseReason.ENGINE_SHUTDOWN), handler.reasons);
            }
        }
        finally
        {
            engine.close();
        }
    }

    private static void echo(final FrameClient client, final int seed) throws Exception
    {
        client.send(Loopback.bytes(16, seed));
        assertArrayEquals(Loopback.bytes(16, seed), client.read(), "echo " + seed);
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
