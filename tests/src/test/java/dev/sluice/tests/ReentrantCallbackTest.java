package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.push.Priority;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Re-entrancy and lifecycle cases where application callbacks reach back into the engine. */
class ReentrantCallbackTest
{
    /**
     * Keeps connections in open order; a slow-consumer drop closes the connection opened just before it ("paired"
     * sessions), which sits at a lower index of the loop's active list.
     */
    static final class Paired implements ConnectionHandler
    {
        final List<Connection> open = new ArrayList<>();
        final CloseLog closes = new CloseLog();
        private final UnsafeBuffer chunk = new UnsafeBuffer(new byte[4096]);

        @Override
        public void onOpen(final Connection connection)
        {
            open.add(connection);
        }

        @Override
        public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
        {
            if (!c.isBackedUp())
            {
                c.send(chunk, 0, chunk.capacity());
                c.send(chunk, 0, chunk.capacity());
            }
        }

        @Override
        public void onClose(final Connection connection, final CloseReason reason)
        {
            closes.record(connection.id(), reason);
            final int index = open.indexOf(connection);
            open.remove(connection);
            if (reason == CloseReason.SLOW_CONSUMER && index > 0 && index <= open.size())
            {
                open.get(index - 1).close(); // closes a connection at a lower index of the active list
            }
        }
    }

    @Test
    void aSlowConsumerDropWhoseOnCloseClosesAnotherConnectionDoesNotBreakTheTimerStage() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final Paired handler = new Paired();
        final EngineConfig config = EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock)
            .noProgressTimeout(1, TimeUnit.SECONDS).socketSendBufferSize(8192).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            final FrameClient first = FrameClient.connect(address);
            final FrameClient second = FrameClient.connect(address);
            final FrameClient third = FrameClient.connect(address);
            try
            {
                Loopback.pumpUntil(engine, () -> handler.open.size() == 3, "three open");
                final Connection last = handler.open.get(2);
                for (int i = 0; i < 1000 && !last.isBackedUp(); i++)
                {
                    third.send(new byte[8]); // the third client never reads
                    final long framesIn = engine.counters(0).framesIn.get();
                    Loopback.pumpUntil(engine, () -> engine.counters(0).framesIn.get() > framesIn, "request read");
                }
                assertTrue(last.isBackedUp());
                clock.advance(TimeUnit.SECONDS.toNanos(2));
                engine.doWork(0); // timer stage: drops the third, whose onClose closes the second
                assertEquals(1, handler.closes.count(CloseReason.SLOW_CONSUMER), handler.closes.toString());
                assertEquals(1, handler.closes.count(CloseReason.CLOSED_LOCALLY), handler.closes.toString());
                assertEquals(1, engine.counters(0).connectionsOpen.get());
                first.send(new byte[8]);
                Loopback.pumpUntil(engine, () -> engine.counters(0).framesIn.get() > 0 &&
                    engine.counters(0).connectionsOpen.get() == 1, "the loop still serves the first");
            }
            finally
            {
                first.close();
                second.close();
                third.close();
            }
        }
    }

    /** Claims without committing when a frame starts with 'c'; remembers the connection's handle. */
    static final class ForgetfulClaimer implements ConnectionHandler
    {
        volatile PushHandle handle;

        @Override
        public void onOpen(final Connection connection)
        {
            handle = connection.pushHandle();
        }

        @Override
        public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
        {
            final int at = c.claim(16);
            c.sendBuffer().putByte(at, (byte)'?'); // and returns without commit
        }
    }

    @Test
    void aClaimLeftOpenByACallbackIsAbortedSoLaterSendsWork() throws Exception
    {
        final ForgetfulClaimer handler = new ForgetfulClaimer();
        try (Engine engine = Engine.start(EngineConfig.builder().build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address))
            {
                client.send(new byte[] {'c'});
                Loopback.awaitTrue(() -> handler.handle != null && engine.counters(0).framesIn.get() == 1, "read");
                final UnsafeBuffer pushed = new UnsafeBuffer(new byte[] {'o', 'k'});
                assertEquals(PushResult.ACCEPTED, handler.handle.push(pushed, 0, 2, Priority.HIGH));
                assertArrayEquals(new byte[] {'o', 'k'}, client.read(), "the push went out, nothing half-claimed");
                assertEquals(0, engine.counters(0).closes(CloseReason.HANDLER_ERROR).get());
            }
        }
    }

    /** Registers nothing itself; keeps the latest handle. */
    static final class Latest implements ConnectionHandler
    {
        volatile PushHandle handle;
        volatile long id;

        @Override
        public void onOpen(final Connection connection)
        {
            handle = connection.pushHandle();
            id = connection.id();
        }

        @Override
        public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
        {
        }
    }

    @Test
    void registeringAStaleHandleNeitherSticksNorDisturbsTheSlotsNewOccupant() throws Exception
    {
        final Latest handler = new Latest();
        try (Engine engine = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER)
            .maxConnections(1).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            final PushHandle stale;
            final FrameClient a = FrameClient.connect(address);
            Loopback.pumpUntil(engine, () -> handler.handle != null, "first open");
            stale = handler.handle;
            final long firstId = handler.id;
            a.close();
            Loopback.pumpUntil(engine, () -> engine.counters(0).connectionsOpen.get() == 0, "first closed");
            final FrameClient b = FrameClient.connect(address);
            try
            {
                Loopback.pumpUntil(engine, () -> handler.id != firstId, "second open on the same slot");
                final PushHandle fresh = handler.handle;
                engine.sessions().register(9, fresh);
                engine.sessions().register(7, stale);
                assertNull(engine.sessions().lookup(7), "a closed handle's registration is undone");
                assertSame(fresh, engine.sessions().lookup(9), "the new occupant's session is untouched");
            }
            finally
            {
                b.close();
            }
            Loopback.pumpUntil(engine, () -> engine.counters(0).connectionsOpen.get() == 0, "second closed");
            assertNull(engine.sessions().lookup(9), "removed with its connection");
            assertEquals(0, engine.sessions().size());
        }
    }

    /**
     * On a frame from the first connection: claims on it, then sends past the second connection's send cap (closing
     * it), then commits the first claim. A frame from the second connection claims on both and commits one.
     */
    static final class TwoClaims implements ConnectionHandler
    {
        final List<Connection> open = new ArrayList<>();
        final CloseLog closes = new CloseLog();
        private final UnsafeBuffer big = new UnsafeBuffer(new byte[60_000]);

        @Override
        public void onOpen(final Connection connection)
        {
            open.add(connection);
        }

        @Override
        public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
        {
            final Connection first = open.get(0);
            final Connection second = open.get(1);
            if (buffer.getByte(offset) == 'A')
            {
                final int at = first.claim(4);
                first.sendBuffer().putInt(at, 42, java.nio.ByteOrder.BIG_ENDIAN);
                second.send(big, 0, big.capacity());
                second.send(big, 0, big.capacity()); // over the cap: the second is a slow consumer
                first.commit(4); // the first's claim survived the second's onClose
            }
            else
            {
                first.claim(4);
                final int at = second.claim(2);
                second.sendBuffer().putShort(at, (short)7, java.nio.ByteOrder.BIG_ENDIAN);
                second.commit(2); // the claim on the first is left open: aborted when this returns
            }
        }

        @Override
        public void onClose(final Connection connection, final CloseReason reason)
        {
            closes.record(connection.id(), reason);
        }
    }

    @Test
    void claimsOnSeveralConnectionsAreTrackedPerCallback() throws Exception
    {
        final TwoClaims handler = new TwoClaims();
        try (Engine engine = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            final FrameClient a = FrameClient.connect(address);
            final FrameClient b = FrameClient.connect(address);
            try
            {
                Loopback.pumpUntil(engine, () -> handler.open.size() == 2, "both open");
                b.send(new byte[] {'B'});
                Loopback.pumpUntil(engine, () -> engine.counters(0).framesOut.get() == 1, "second answered");
                assertArrayEquals(new byte[] {0, 7}, b.read());
                final PushHandle first = handler.open.get(0).pushHandle();
                assertEquals(PushResult.ACCEPTED, first.push(new UnsafeBuffer(new byte[] {'p'}), 0, 1, Priority.HIGH));
                Loopback.pumpUntil(engine, () -> engine.counters(0).pushesSentHigh.get() == 1,
                    "a push to the first after its claim was left open: the loop is alive");
                assertArrayEquals(new byte[] {'p'}, a.read(), "and nothing half-claimed went before it");

                a.send(new byte[] {'A'});
                Loopback.pumpUntil(engine, () -> handler.closes.total() == 1, "second dropped");
                assertEquals(1, handler.closes.count(CloseReason.SLOW_CONSUMER), handler.closes.toString());
                for (int i = 0; i < 5; i++)
                {
                    engine.doWork(0);
                }
                assertEquals(42, java.nio.ByteBuffer.wrap(a.read()).getInt(), "the first's claim was committed");
                assertEquals(1, engine.counters(0).connectionsOpen.get(), "the first is still open");
            }
            finally
            {
                a.close();
                b.close();
            }
        }
    }
}
