package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.push.Priority;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** A producer on another thread sees a peer fall behind through its push handle, and can hold back in time. */
class PushBackedUpTest
{
    @Test
    void aProducerThatSkipsBackedUpPeersNeverMakesThemSlowConsumers() throws Exception
    {
        final AtomicReference<PushHandle> handle = new AtomicReference<>();
        final CloseLog closes = new CloseLog();
        final ConnectionHandler handler = handleKeeper(handle, closes);
        final EngineConfig config = EngineConfig.builder().socketSendBufferSize(8192)
            .noProgressTimeout(60, TimeUnit.SECONDS).build();
        try (Engine engine = Engine.start(config);
            FrameClient client = FrameClient.connect(engine.listen(Loopback.ANY_PORT, handler), 8192))
        {
            Loopback.awaitTrue(() -> handle.get() != null, "the connection opens");
            final PushHandle push = handle.get();
            assertFalse(push.isBackedUp(), "a fresh connection is not backed up");
            final UnsafeBuffer frame = new UnsafeBuffer(Loopback.bytes(64, 5));
            long accepted = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!push.isBackedUp() && System.nanoTime() - deadline < 0)
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
            assertTrue(push.isBackedUp(), "the client reads nothing, so its writes turn partial");
            // Holding back while backed up: nothing more is pushed, and the peer is never dropped.
            Thread.sleep(200);
            assertTrue(push.isOpen(), "not dropped: " + closes);
            assertEquals(0, engine.counters(0).closes(CloseReason.SLOW_CONSUMER).get());
            // Writes went out before the first partial one; how much the kernel took first depends on the window TCP
            // had opened by then, which on a fresh connection may be less than the client's 8 KiB receive buffer.
            assertTrue(engine.counters(0).bytesOut.get() > 0, "the kernel buffers were filled first");

            final byte[] expected = Loopback.bytes(64, 5);
            for (long i = 0; i < accepted; i++)
            {
                assertArrayEquals(expected, client.read(), "frame " + i);
            }
            Loopback.awaitTrue(() -> !push.isBackedUp(), "the flag clears once the peer has drained");
            assertTrue(push.isOpen());
            assertEquals(0, closes.total(), closes.toString());
        }
    }

    @Test
    void producersOfBothPrioritiesThatSkipBackedUpPeersKeepThemUnderASmallerCap() throws Exception
    {
        final AtomicReference<PushHandle> handle = new AtomicReference<>();
        final CloseLog closes = new CloseLog();
        // A configuration the check lets through at a quarter of the default cap: 2 x 2 KiB high + 8 KiB shed share
        // + one 1 KiB low batch = 13,316 of 16,384 bytes.
        final EngineConfig config = EngineConfig.builder().sendCap(16 * 1024).maxFrameLength(1024)
            .socketSendBufferSize(8192).noProgressTimeout(60, TimeUnit.SECONDS)
            .push(PushConfig.builder().queueBytes(2048, 8192).build()).build();
        try (Engine engine = Engine.start(config);
            FrameClient client = FrameClient.connect(engine.listen(Loopback.ANY_PORT, handleKeeper(handle, closes)),
                8192))
        {
            Loopback.awaitTrue(() -> handle.get() != null, "the connection opens");
            final PushHandle push = handle.get();
            final AtomicBoolean stop = new AtomicBoolean();
            final long[] accepted = new long[2];
            final Thread[] producers = new Thread[2];
            for (int p = 0; p < 2; p++)
            {
                final int index = p;
                final Priority priority = p == 0 ? Priority.HIGH : Priority.LOW;
                producers[p] = new Thread(() ->
                {
                    final UnsafeBuffer frame = new UnsafeBuffer(new byte[200]);
                    while (!stop.get())
                    {
                        if (!push.isBackedUp() && push.push(frame, 0, 200, priority) == PushResult.ACCEPTED)
                        {
                            accepted[index]++;
                        }
                        else
                        {
                            LockSupport.parkNanos(10_000);
                        }
                    }
                }, "producer-" + priority);
                producers[p].start();
            }
            Loopback.awaitTrue(push::isBackedUp, "the client reads nothing, so its writes turn partial");
            Thread.sleep(300); // both producers keep trying, and skip the peer
            stop.set(true);
            for (final Thread producer : producers)
            {
                producer.join();
            }
            assertTrue(push.isOpen(), "not dropped: " + closes);
            assertEquals(0, engine.counters(0).closes(CloseReason.SLOW_CONSUMER).get());
            assertTrue(accepted[0] > 0 && accepted[1] > 0, "both priorities were pushed");
            for (long i = 0; i < accepted[0] + accepted[1]; i++)
            {
                assertEquals(200, client.read().length, "frame " + i);
            }
            Loopback.awaitTrue(() -> !push.isBackedUp(), "the flag clears once the peer has drained");
            assertEquals(0, closes.total(), closes.toString());
        }
    }

    @Test
    void aBackedUpPeerThatClosesLeavesNoFlagForTheNextOccupantOfItsSlot() throws Exception
    {
        final AtomicReference<PushHandle> handle = new AtomicReference<>();
        final ConnectionHandler handler = handleKeeper(handle, new CloseLog());
        final EngineConfig config = EngineConfig.builder().maxConnections(1).socketSendBufferSize(8192)
            .noProgressTimeout(60, TimeUnit.SECONDS).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            final PushHandle first;
            try (FrameClient client = FrameClient.connect(address, 8192))
            {
                Loopback.awaitTrue(() -> handle.get() != null, "the first connection opens");
                first = handle.get();
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!first.isBackedUp() && System.nanoTime() - deadline < 0)
                {
                    if (first.push(frame, 0, 64, Priority.HIGH) != PushResult.ACCEPTED)
                    {
                        LockSupport.parkNanos(10_000);
                    }
                }
                assertTrue(first.isBackedUp(), "the first peer reads nothing and falls behind");
                assertTrue(client.available() > 0, "pushed frames wait unread at the first client");
                handle.set(null);
            }
            Loopback.awaitTrue(() -> !first.isOpen(), "the server sees the first peer go");
            assertFalse(first.isBackedUp(), "a closed connection's handle is not backed up");
            try (FrameClient second = FrameClient.connect(address))
            {
                Loopback.awaitTrue(() -> handle.get() != null, "the second connection opens on the only slot");
                final PushHandle next = handle.get();
                assertFalse(next.isBackedUp(), "the slot's next occupant starts clear");
                assertFalse(first.isBackedUp(), "and the old handle stays clear");
                final UnsafeBuffer hello = new UnsafeBuffer(Loopback.bytes(16, 7));
                assertEquals(PushResult.ACCEPTED, next.push(hello, 0, 16, Priority.LOW));
                assertArrayEquals(Loopback.bytes(16, 7), second.read(), "the new occupant receives its pushes");
            }
        }
    }

    /** A handler that keeps the newest connection's push handle and logs closes; it ignores inbound frames. */
    static ConnectionHandler handleKeeper(final AtomicReference<PushHandle> handle, final CloseLog closes)
    {
        return handleKeeper(handle, closes, (connection, writable) -> { });
    }

    /** The same, telling {@code writability} of every writability event (on the loop thread). */
    static ConnectionHandler handleKeeper(final AtomicReference<PushHandle> handle, final CloseLog closes,
        final java.util.function.BiConsumer<Connection, Boolean> writability)
    {
        return new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection connection)
            {
                handle.set(connection.pushHandle());
            }

            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
            }

            @Override
            public void onWritabilityChanged(final Connection connection, final boolean writable)
            {
                writability.accept(connection, writable);
            }

            @Override
            public void onClose(final Connection connection, final CloseReason reason)
            {
                closes.record(connection.id(), reason);
            }
        };
    }
}
