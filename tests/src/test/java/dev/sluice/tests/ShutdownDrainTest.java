package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.EngineConfigBuilder;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.gate.AtomicClusterCursors;
import dev.sluice.gate.DurabilityModes;
import dev.sluice.gate.GateConfig;
import dev.sluice.push.Priority;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@code Engine.close(timeout)} delivers what the engine holds (queued pushes, gated responses, send buffers) before it
 * stops, stops taking work at once, and counts what it had to drop when the time is up.
 */
class ShutdownDrainTest
{
    private static final int PUSHES = 100;

    /**
     * Follows the first connection (later ones are probes): keeps its handle and close reasons, sends it a greeting on
     * open, and counts the frames it reads.
     */
    private static final class Recorder implements ConnectionHandler
    {
        final AtomicReference<Connection> opened = new AtomicReference<>();
        final AtomicReference<PushHandle> handle = new AtomicReference<>();
        final List<CloseReason> closes = new CopyOnWriteArrayList<>();
        final AtomicInteger framesRead = new AtomicInteger();
        private final int greetingBytes;
        private volatile long firstId;

        Recorder(final int greetingBytes)
        {
            this.greetingBytes = greetingBytes;
        }

        @Override
        public void onOpen(final Connection connection)
        {
            if (opened.get() != null)
            {
                return;
            }
            firstId = connection.id();
            for (int sent = 0; sent < greetingBytes; sent += 1000)
            {
                final UnsafeBuffer payload = new UnsafeBuffer(Loopback.bytes(1000, sent));
                connection.send(payload, 0, payload.capacity());
            }
            handle.set(connection.pushHandle());
            opened.set(connection);
        }

        @Override
        public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
        {
            framesRead.incrementAndGet();
        }

        @Override
        public void onClose(final Connection c, final CloseReason reason)
        {
            if (c.id() == firstId)
            {
                closes.add(reason);
            }
        }
    }

    private static void pushNumbered(final PushHandle handle)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[4]);
        for (int i = 0; i < PUSHES; i++)
        {
            payload.putInt(0, i);
            assertEquals(PushResult.ACCEPTED, handle.push(payload, 0, 4, i % 3 == 0 ? Priority.LOW : Priority.HIGH));
        }
    }

    @Test
    void queuedPushesAreDeliveredBeforeTheEngineStops() throws Exception
    {
        final Recorder recorder = new Recorder(0);
        final Engine engine = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).build());
        final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, recorder);
        try (FrameClient client = FrameClient.connect(address))
        {
            Loopback.pumpUntil(engine, () -> recorder.handle.get() != null, "connection open");
            pushNumbered(recorder.handle.get()); // queued: the loop has not run since
            engine.close(10, TimeUnit.SECONDS);
            final boolean[] seen = new boolean[PUSHES];
            for (int i = 0; i < PUSHES; i++)
            {
                seen[new UnsafeBuffer(client.read()).getInt(0)] = true;
            }
            for (int i = 0; i < PUSHES; i++)
            {
                assertTrue(seen[i], "push " + i + " delivered");
            }
            assertTrue(client.awaitClosedByServer(), "then the connection closes");
            assertEquals(List.of(CloseReason.ENGINE_SHUTDOWN), recorder.closes);
            assertEquals(0, engine.counters(0).pushesDiscarded.get());
            assertEquals(0, engine.counters(0).shutdownBytesDropped.get());
        }
    }

    @Test
    void withoutADrainQueuedPushesAreDiscardedAndCounted() throws Exception
    {
        final Recorder recorder = new Recorder(0);
        final Engine engine = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).build());
        final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, recorder);
        try (FrameClient client = FrameClient.connect(address))
        {
            Loopback.pumpUntil(engine, () -> recorder.handle.get() != null, "connection open");
            pushNumbered(recorder.handle.get());
            engine.close();
            assertTrue(client.awaitClosedByServer());
            assertEquals(PUSHES, engine.counters(0).pushesDiscarded.get());
        }
    }

    @Test
    void whatIsStillHeldAtTheDeadlineIsDroppedAndCounted() throws Exception
    {
        final AtomicClusterCursors cursors = new AtomicClusterCursors(1);
        // REPLICATED with no replica connected: the gate stays shut
        final GateConfig gate =
            new GateConfig(cursors, DurabilityModes.standard(new AtomicInteger(DurabilityModes.REPLICATED)));
        final Recorder recorder = new Recorder(60_000); // a goodbye far larger than the sockets' buffers
        final Engine engine = Engine.start(config().gate(gate).build());
        final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, recorder);
        try (FrameClient client = FrameClient.connect(address, 4096)) // and it reads nothing
        {
            Loopback.pumpUntil(engine, () -> recorder.opened.get() != null, "connection open");
            final long id = recorder.opened.get().id();
            final UnsafeBuffer response = new UnsafeBuffer(new byte[8]);
            for (int sequence = 1; sequence <= 3; sequence++)
            {
                assertTrue(engine.responses().publish(id, sequence, false, false, response, 0, 8));
            }
            final long start = System.nanoTime();
            engine.close(300, TimeUnit.MILLISECONDS);
            final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMs >= 250, "it waited for the deadline: " + tookMs + " ms");
            assertEquals(3, engine.counters(0).shutdownResponsesDropped.get(), "the gate never opened");
            assertTrue(engine.counters(0).shutdownBytesDropped.get() > 0, "the peer never read");
            assertEquals(List.of(CloseReason.ENGINE_SHUTDOWN), recorder.closes);
            assertTrue(client.awaitClosedByServer());
        }
    }

    @Test
    void aDrainStopsAcceptingAndReadingAtOnceAndEndsWhenEverythingIsDelivered() throws Exception
    {
        final Recorder recorder = new Recorder(60_000);
        final Engine engine = Engine.start(config().threadingMode(ThreadingMode.DEDICATED).build());
        final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, recorder);
        try (FrameClient client = FrameClient.connect(address, 4096))
        {
            Loopback.awaitTrue(() -> recorder.opened.get() != null, "connection open");
            final Thread closer = new Thread(() -> engine.close(30, TimeUnit.SECONDS));
            closer.start();
            Loopback.awaitTrue(() -> !probe(address), "the listener closed");
            client.send(new byte[] {1, 2, 3}); // arrives while draining: never handed over
            Thread.sleep(50);
            assertTrue(closer.isAlive(), "the drain waits for the peer to take the bytes");
            for (int sent = 0; sent < 60_000; sent += 1000)
            {
                assertArrayEquals(Loopback.bytes(1000, sent), client.read());
            }
            closer.join(10_000);
            assertTrue(!closer.isAlive(), "the drain ended once everything was delivered, long before its deadline");
            assertTrue(client.awaitClosedByServer());
            assertEquals(0, recorder.framesRead.get(), "nothing read during the drain");
            assertEquals(List.of(CloseReason.ENGINE_SHUTDOWN), recorder.closes);
            assertEquals(0, engine.counters(0).shutdownBytesDropped.get());
            assertThrows(IllegalStateException.class, () -> engine.listen(Loopback.ANY_PORT, recorder));
        }
    }

    @Test
    void aDrainSurvivesAnOnCloseThatClosesOtherConnections() throws Exception
    {
        final List<Connection> open = new CopyOnWriteArrayList<>();
        final List<CloseReason> closes = new CopyOnWriteArrayList<>();
        final Engine engine = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).build());
        final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection c)
            {
                open.add(c);
            }

            @Override
            public void onFrame(final Connection c, final DirectBuffer b, final int o, final int l)
            {
            }

            @Override
            public void onClose(final Connection c, final CloseReason reason)
            {
                closes.add(reason);
                open.remove(c);
                for (final Connection other : List.copyOf(open))
                {
                    other.close(); // a room closes when one member leaves
                }
            }
        });
        try (FrameClient a = FrameClient.connect(address); FrameClient b = FrameClient.connect(address);
            FrameClient c = FrameClient.connect(address))
        {
            Loopback.pumpUntil(engine, () -> open.size() == 3, "all open");
            engine.close(5, TimeUnit.SECONDS);
            assertEquals(3, closes.size(), "every one closed once: " + closes);
            assertTrue(a.awaitClosedByServer() && b.awaitClosedByServer() && c.awaitClosedByServer());
        }
    }

    @Test
    void lowPriorityPushesHeldWhileTheirPeerShedsAreDeliveredByTheDrain() throws Exception
    {
        final Recorder recorder = new Recorder(0);
        final Engine engine = Engine.start(config().build());
        final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, recorder);
        try (FrameClient client = FrameClient.connect(address, 4096))
        {
            Loopback.pumpUntil(engine, () -> recorder.opened.get() != null, "open");
            final Connection c = recorder.opened.get();
            final UnsafeBuffer kb = new UnsafeBuffer(new byte[1000]);
            int sent = 0;
            while (!(c.isBackedUp() && c.pendingBytes() >= 20_000)) // behind, below the shed share (32 KiB)
            {
                assertTrue(c.send(kb, 0, 1000));
                sent++;
                for (int i = 0; i < 5; i++)
                {
                    engine.doWork(0);
                }
            }
            final PushHandle handle = recorder.handle.get();
            for (int i = 0; i < 28; i++) // queued: once some are appended the peer sheds, and the rest are held
            {
                assertEquals(PushResult.ACCEPTED, handle.push(kb, 0, 1000, Priority.LOW));
            }
            final int expected = sent + 28;
            final AtomicInteger received = new AtomicInteger();
            final Thread reader = new Thread(() -> readUntilClosed(client, received));
            reader.start();
            engine.close(10, TimeUnit.SECONDS);
            reader.join(15_000);
            assertEquals(expected, received.get(), "everything sent was delivered");
            assertEquals(0, engine.counters(0).pushesDiscarded.get());
        }
    }

    @Test
    @SuppressWarnings("try") // the client only has to be connected: it reads nothing
    void aDrainCutShortByTheCallersClockStillCountsWhatItDrops() throws Exception
    {
        final Recorder recorder = new Recorder(60_000);
        final CachedNanoClock stopped = new CachedNanoClock(); // the engine's clock never reaches the deadline
        final Engine engine = Engine.start(config().clock(stopped).build());
        final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, recorder);
        try (FrameClient client = FrameClient.connect(address, 4096)) // and it reads nothing
        {
            Loopback.pumpUntil(engine, () -> recorder.opened.get() != null, "open");
            engine.close(300, TimeUnit.MILLISECONDS);
            assertTrue(engine.counters(0).shutdownBytesDropped.get() > 0, "the unsent goodbye is counted");
            assertEquals(List.of(CloseReason.ENGINE_SHUTDOWN), recorder.closes);
        }
    }

    private static void readUntilClosed(final FrameClient client, final AtomicInteger received)
    {
        try
        {
            Thread.sleep(300);
            while (true)
            {
                client.read();
                received.incrementAndGet();
            }
        }
        catch (final IOException | InterruptedException ex)
        {
            // closed by the server
        }
    }

    private static EngineConfigBuilder config()
    {
        return EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).socketSendBufferSize(4096);
    }

    /** @return true if a connection to the address is accepted by the kernel. */
    private static boolean probe(final InetSocketAddress address)
    {
        try
        {
            FrameClient.connect(address).close();
            return true;
        }
        catch (final IOException ex)
        {
            return false; // refused: nobody listens
        }
    }
}
