package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.push.Priority;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.FrameClient;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * A producer is told when a peer falls behind and when it has caught up, instead of polling: one event per change, on
 * the loop thread, in step with {@code isBackedUp()}.
 */
class WritabilityEventTest
{
    /** One writability event as the handler saw it. */
    record Event(boolean writable, boolean backedUpFlag, String thread)
    {
    }

    @Test
    void aPeerThatStopsReadingAndCatchesUpGivesOneEventForEachChange() throws Exception
    {
        final AtomicReference<PushHandle> handle = new AtomicReference<>();
        final List<Event> events = new CopyOnWriteArrayList<>();
        final CloseLog closes = new CloseLog();
        final EngineConfig config = EngineConfig.builder().socketSendBufferSize(8192)
            .noProgressTimeout(60, TimeUnit.SECONDS).build();
        try (Engine engine = Engine.start(config);
            FrameClient client = FrameClient.connect(engine.listen(Loopback.ANY_PORT,
                recording(handle, events, closes, false)), 8192))
        {
            Loopback.awaitTrue(() -> handle.get() != null, "the connection opens");
            final PushHandle push = handle.get();
            final UnsafeBuffer frame = new UnsafeBuffer(Loopback.bytes(64, 3));
            long accepted = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (events.isEmpty() && System.nanoTime() - deadline < 0)
            {
                if (push.push(frame, 0, 64, Priority.HIGH) == PushResult.ACCEPTED)
                {
                    accepted++;
                }
                else
                {
                    LockSupport.parkNanos(10_000);
                }
            }
            Loopback.awaitTrue(() -> !events.isEmpty(), "the peer reads nothing, so it falls behind");
            final Event behind = events.get(0);
            assertFalse(behind.writable(), "the first event says backed up");
            assertTrue(behind.backedUpFlag(), "isBackedUp() already says so inside the event");
            assertTrue(behind.thread().startsWith("sluice-loop-"), "on the loop thread: " + behind.thread());
            assertTrue(push.isBackedUp(), "producers see the same state");

            for (long i = 0; i < accepted; i++)
            {
                assertArrayEquals(Loopback.bytes(64, 3), client.read(), "frame " + i);
            }
            Loopback.awaitTrue(() -> events.size() >= 2, "the peer catches up");
            final Event caughtUp = events.get(1);
            assertTrue(caughtUp.writable(), "the second event says writable again");
            assertFalse(caughtUp.backedUpFlag());
            assertFalse(push.isBackedUp());
            Thread.sleep(50);
            assertEquals(2, events.size(), "one event per change: " + events);
            assertEquals(0, closes.total(), closes.toString());
        }
    }

    @Test
    void aWritabilityHandlerThatThrowsClosesItsConnectionAlone() throws Exception
    {
        final AtomicReference<PushHandle> handle = new AtomicReference<>();
        final List<Event> events = new CopyOnWriteArrayList<>();
        final CloseLog closes = new CloseLog();
        final EngineConfig config = EngineConfig.builder().socketSendBufferSize(8192)
            .noProgressTimeout(60, TimeUnit.SECONDS).build();
        try (Engine engine = Engine.start(config))
        {
            final ConnectionHandler throwing = recording(handle, events, closes, true);
            final java.net.InetSocketAddress address = engine.listen(Loopback.ANY_PORT, throwing);
            try (FrameClient bystander = FrameClient.connect(address))
            {
                Loopback.awaitTrue(() -> handle.get() != null, "the bystander opens");
                final PushHandle bystanderPush = handle.get();
                handle.set(null);
                try (FrameClient stalled = FrameClient.connect(address, 8192))
                {
                    Loopback.awaitTrue(() -> handle.get() != null, "the stalled peer opens");
                    final PushHandle push = handle.get();
                    final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (push.isOpen() && System.nanoTime() - deadline < 0)
                    {
                        if (push.push(frame, 0, 64, Priority.HIGH) != PushResult.ACCEPTED)
                        {
                            LockSupport.parkNanos(10_000);
                        }
                    }
                    Loopback.awaitTrue(() -> closes.total() == 1, "the throwing event closes the stalled peer");
                    assertEquals(1, closes.count(CloseReason.HANDLER_ERROR), closes.toString());
                    assertEquals(1, engine.counters(0).errors.get(), "reported through the error path");
                    assertTrue(stalled.awaitClosedByServer(), "the stalled peer sees its connection closed");
                    final UnsafeBuffer hello = new UnsafeBuffer(Loopback.bytes(8, 1));
                    assertEquals(PushResult.ACCEPTED, bystanderPush.push(hello, 0, 8, Priority.HIGH));
                    assertArrayEquals(Loopback.bytes(8, 1), bystander.read(), "the other connection is served");
                }
            }
        }
    }

    private static ConnectionHandler recording(final AtomicReference<PushHandle> handle, final List<Event> events,
        final CloseLog closes, final boolean throwOnBackedUp)
    {
        return PushBackedUpTest.handleKeeper(handle, closes, (connection, writable) ->
        {
            events.add(new Event(writable, connection.isBackedUp(), Thread.currentThread().getName()));
            if (throwOnBackedUp && !writable)
            {
                throw new IllegalStateException("the application's writability handler failed");
            }
        });
    }
}
