package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.push.ConnectionStats;
import dev.sluice.push.Priority;
import dev.sluice.push.PushHandle;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@code Connection.close()} delivers what was sent before it (a reject or a logout followed by a close reaches the
 * peer), bounded by the no-progress rule; {@code abort()} drops it.
 */
class GracefulCloseTest
{
    private static final int FRAME = 1000;
    private static final int FRAMES = 60; // 60 KB: under the 64 KiB send cap, far over the small socket buffers

    /** On "bye": sends a goodbye of {@code goodbyeFrames} frames and closes (or aborts); records what it sees. */
    private static final class GoodbyeHandler implements ConnectionHandler
    {
        final List<String> frames = new CopyOnWriteArrayList<>();
        final List<CloseReason> closes = new CopyOnWriteArrayList<>();
        final AtomicReference<String> afterClose = new AtomicReference<>();
        final AtomicReference<ConnectionStats> stats = new AtomicReference<>();
        private final int goodbyeFrames;
        private final boolean abort;

        GoodbyeHandler(final int goodbyeFrames, final boolean abort)
        {
            this.goodbyeFrames = goodbyeFrames;
            this.abort = abort;
        }

        @Override
        public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
        {
            final String text = buffer.getStringWithoutLengthAscii(offset, length);
            frames.add(text);
            if (!text.equals("bye"))
            {
                return;
            }
            for (int i = 0; i < goodbyeFrames; i++)
            {
                final UnsafeBuffer payload = new UnsafeBuffer(Loopback.bytes(goodbyeFrames == 1 ? 7 : FRAME, i));
                if (goodbyeFrames == 1)
                {
                    payload.putStringWithoutLengthAscii(0, "goodbye");
                }
                c.send(payload, 0, payload.capacity());
            }
            final PushHandle handle = c.pushHandle(); // taken first: a closed connection object is recycled
            stats.set(handle.stats());
            if (abort)
            {
                c.abort();
            }
            else
            {
                c.close();
            }
            final UnsafeBuffer late = new UnsafeBuffer(new byte[4]);
            afterClose.set("closed=" + closes.size() + " open=" + c.isOpen() + " send=" + c.send(late, 0, 4) +
                " push=" + handle.push(late, 0, 4, Priority.HIGH));
        }

        @Override
        public void onClose(final Connection c, final CloseReason reason)
        {
            closes.add(reason);
        }
    }

    @Test
    void aGoodbyeSentBeforeCloseReachesThePeerAndNothingAfterItIsRead() throws Exception
    {
        final GoodbyeHandler handler = new GoodbyeHandler(1, false);
        try (Engine engine = Engine.start(EngineConfig.builder().build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address))
            {
                client.write(ascii("bye"));
                client.write(ascii("after")); // in the same segment: already read, never handed over
                client.flush();
                assertEquals("goodbye", new String(client.read(), StandardCharsets.US_ASCII));
                assertTrue(client.awaitClosedByServer(), "then the server closes");
                Loopback.awaitTrue(() -> handler.closes.size() == 1, "onClose");
                assertEquals(List.of(CloseReason.CLOSED_LOCALLY), handler.closes);
                assertEquals(List.of("bye"), handler.frames, "no frame is handed over after close()");
                assertEquals("closed=0 open=false send=false push=CLOSED", handler.afterClose.get(),
                    "a closing connection takes nothing new, and closes once its bytes are out");
            }
        }
    }

    @Test
    void closeDeliversAGoodbyeLargerThanTheSocketsBuffersToAPeerThatReadsLateAndKeepsSending() throws Exception
    {
        final GoodbyeHandler handler = new GoodbyeHandler(FRAMES, false);
        try (Engine engine = Engine.start(EngineConfig.builder().socketSendBufferSize(4096).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address, 4096))
            {
                client.send(ascii("bye"));
                Loopback.awaitTrue(() -> engine.counters(0).framesOut.get() == FRAMES, "the goodbye appended");
                Thread.sleep(50); // the writes turn partial: the peer reads nothing yet
                assertTrue(handler.closes.isEmpty(), "the close waits for the bytes: " + handler.closes);
                client.send(ascii("more")); // arrives while closing: never handed over, and must not reset the close
                for (int i = 0; i < FRAMES; i++)
                {
                    assertArrayEquals(Loopback.bytes(FRAME, i), client.read(), "frame " + i);
                }
                assertTrue(client.awaitClosedByServer(), "then the server closes");
                Loopback.awaitTrue(() -> handler.closes.size() == 1, "onClose");
                assertEquals(List.of(CloseReason.CLOSED_LOCALLY), handler.closes);
                assertEquals(FRAMES * (FRAME + 4L), engine.counters(0).bytesOut.get(), "every byte written");
                assertEquals(List.of("bye"), handler.frames);
            }
        }
    }

    @Test
    void abortDropsWhatWasNotWrittenAndClosesWithinTheCall() throws Exception
    {
        final GoodbyeHandler handler = new GoodbyeHandler(FRAMES, true);
        try (Engine engine = Engine.start(EngineConfig.builder().build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address))
            {
                client.send(ascii("bye"));
                assertTrue(client.awaitClosedByServer(), "the server closes");
                Loopback.awaitTrue(() -> handler.afterClose.get() != null, "the handler's close");
                assertEquals("closed=1 open=false send=false push=CLOSED", handler.afterClose.get(),
                    "closed within abort()");
                assertEquals(List.of(CloseReason.CLOSED_LOCALLY), handler.closes);
                assertEquals(0, engine.counters(0).bytesOut.get(), "the goodbye, appended but not flushed, dropped");
            }
        }
    }

    @Test
    void aClosingPeerThatTakesNothingIsDroppedAsASlowConsumerAfterTheNoProgressTimeout() throws Exception
    {
        final GoodbyeHandler handler = new GoodbyeHandler(FRAMES, false);
        final CachedNanoClock clock = new CachedNanoClock();
        try (Engine engine = smallBuffersOnAVirtualClock(clock))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address, 4096))
            {
                client.send(ascii("bye"));
                Loopback.pumpUntil(engine, () -> engine.counters(0).framesOut.get() == FRAMES, "goodbye appended");
                for (int i = 0; i < 100; i++)
                {
                    engine.doWork(0);
                }
                clock.advance(TimeUnit.MILLISECONDS.toNanos(900));
                for (int i = 0; i < 100; i++)
                {
                    engine.doWork(0);
                }
                assertTrue(handler.closes.isEmpty(), "within the timeout the close still waits");
                clock.advance(TimeUnit.MILLISECONDS.toNanos(200));
                Loopback.pumpUntil(engine, () -> !handler.closes.isEmpty(), "the close gives up");
                assertEquals(List.of(CloseReason.SLOW_CONSUMER), handler.closes);
                assertFalse(engine.counters(0).bytesOut.get() == FRAMES * (FRAME + 4L), "not everything went out");
            }
        }
    }

    @Test
    void aClosingConnectionDroppedAsASlowConsumerEndsWithNothingPendingInItsFigures() throws Exception
    {
        final GoodbyeHandler handler = new GoodbyeHandler(FRAMES, false);
        final CachedNanoClock clock = new CachedNanoClock();
        try (Engine engine = smallBuffersOnAVirtualClock(clock))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address, 4096))
            {
                client.send(ascii("bye"));
                Loopback.pumpUntil(engine, () -> handler.stats.get() != null && engine.counters(0).framesOut.get() ==
                    FRAMES, "goodbye appended");
                for (int i = 0; i < 100; i++)
                {
                    engine.doWork(0);
                }
                clock.advance(TimeUnit.SECONDS.toNanos(2));
                Loopback.pumpUntil(engine, () -> !handler.closes.isEmpty(), "dropped");
                final ConnectionStats stats = handler.stats.get();
                final long backedUp = stats.backedUpNanos();
                clock.advance(TimeUnit.SECONDS.toNanos(10));
                assertEquals(0, stats.pendingBytes(), "a closed connection has nothing pending");
                assertEquals(backedUp, stats.backedUpNanos(), "and its time backed up stops growing");
            }
        }
    }

    /** Invoker mode on a virtual clock, small socket buffers, a no-progress timeout of 1 s. */
    private static Engine smallBuffersOnAVirtualClock(final CachedNanoClock clock) throws java.io.IOException
    {
        return Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock)
            .socketSendBufferSize(4096).noProgressTimeout(1, TimeUnit.SECONDS).build());
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
