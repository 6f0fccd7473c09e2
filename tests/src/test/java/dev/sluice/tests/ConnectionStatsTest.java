package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.push.ConnectionStats;
import dev.sluice.push.Priority;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** A connection's figures, read from another thread while the loop runs, and kept once it closes. */
class ConnectionStatsTest
{
    @Test
    void framesBytesPushesAndRefusalsAreCountedPerConnectionAndKeptAfterTheClose() throws Exception
    {
        final AtomicReference<PushHandle> handle = new AtomicReference<>();
        final EngineConfig config = EngineConfig.builder().maxConnections(1)
            .push(PushConfig.builder().queueBytes(128, 128).build()).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address =
                engine.listen(Loopback.ANY_PORT, PushBackedUpTest.handleKeeper(handle, new CloseLog()));
            final ConnectionStats stats;
            final PushHandle push;
            final UnsafeBuffer large = new UnsafeBuffer(new byte[64]); // an eighth of the 128-byte queue: 16
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.awaitTrue(() -> handle.get() != null, "open");
                push = handle.get();
                stats = push.stats();
                assertEquals(push.connectionId(), stats.connectionId());
                assertTrue(stats.isOpen());
                for (int i = 0; i < 3; i++)
                {
                    client.send(new byte[10]);
                }
                Loopback.awaitTrue(() -> stats.framesIn() == 3, "three frames in: " + stats);
                assertEquals(3 * 14, stats.bytesIn());

                final UnsafeBuffer frame = new UnsafeBuffer(new byte[12]);
                for (int i = 0; i < 5; i++)
                {
                    assertEquals(PushResult.ACCEPTED, push.pushBlocking(frame, 0, 12, Priority.HIGH, 5,
                        TimeUnit.SECONDS));
                }
                for (int i = 0; i < 5; i++)
                {
                    assertEquals(12, client.read().length);
                }
                Loopback.awaitTrue(() -> stats.bytesOut() == 5 * 16, "five frames written: " + stats);
                assertEquals(5, stats.pushesSent());
                assertEquals(5, stats.framesOut());
                assertEquals(0, stats.pendingBytes());

                assertEquals(PushResult.FRAME_TOO_LARGE, push.push(large, 0, 64, Priority.LOW));
                assertEquals(1, stats.pushesRefused(PushResult.FRAME_TOO_LARGE));
                assertEquals(0, stats.pushesRefused(PushResult.ACCEPTED), "not a refusal");
            }
            Loopback.awaitTrue(() -> !stats.isOpen(), "the close is seen");
            final long framesIn = stats.framesIn();
            assertEquals(3, framesIn);
            try (FrameClient next = FrameClient.connect(address))
            {
                Loopback.awaitTrue(() -> handle.get() != null && handle.get().connectionId() != stats.connectionId(),
                    "the next connection takes the only slot");
                next.send(new byte[1]);
                Loopback.awaitTrue(() -> handle.get().stats().framesIn() == 1, "the new connection counts its own");
                assertEquals(3, stats.framesIn(), "the closed connection's figures stay as they were");
                assertEquals(0, stats.pushesDiscarded());
                // The closed connection's handle, used again: its refusal is its own, never the slot's new occupant's.
                assertEquals(PushResult.FRAME_TOO_LARGE, push.push(large, 0, 64, Priority.LOW));
                assertEquals(2, stats.pushesRefused(PushResult.FRAME_TOO_LARGE));
                assertEquals(0, handle.get().stats().pushesRefused(PushResult.FRAME_TOO_LARGE));
                assertEquals(5, stats.pushesSent());
            }
        }
    }

    @Test
    void timeBackedUpGrowsWhileThePeerReadsNothingAndStopsOnceItDrains() throws Exception
    {
        final AtomicReference<PushHandle> handle = new AtomicReference<>();
        final EngineConfig config = EngineConfig.builder().socketSendBufferSize(8192)
            .noProgressTimeout(60, TimeUnit.SECONDS).build();
        try (Engine engine = Engine.start(config);
            FrameClient client = FrameClient.connect(
                engine.listen(Loopback.ANY_PORT, PushBackedUpTest.handleKeeper(handle, new CloseLog())), 8192))
        {
            Loopback.awaitTrue(() -> handle.get() != null, "open");
            final PushHandle push = handle.get();
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
            final ConnectionStats stats = push.stats();
            long accepted = 0;
            // Past the kernel's buffers (the peer reads nothing): 16 KiB waiting in the engine, well below the cap.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (stats.pendingBytes() < 16 * 1024)
            {
                assertTrue(System.nanoTime() - deadline < 0, "16 KiB waiting within 10 s: " + stats);
                if (push.push(frame, 0, 64, Priority.HIGH) == PushResult.ACCEPTED)
                {
                    accepted++;
                }
                else
                {
                    LockSupport.parkNanos(10_000);
                }
            }
            assertTrue(push.isBackedUp());
            final long first = stats.backedUpNanos();
            Thread.sleep(50);
            assertTrue(stats.backedUpNanos() - first >= TimeUnit.MILLISECONDS.toNanos(50),
                "the current stretch counts: " + stats);
            for (long i = 0; i < accepted; i++)
            {
                client.read();
            }
            Loopback.awaitTrue(() -> !push.isBackedUp() && stats.pendingBytes() == 0, "drained: " + stats);
            final long total = stats.backedUpNanos();
            Thread.sleep(20);
            assertEquals(total, stats.backedUpNanos(), "no longer growing once drained");
            assertEquals(accepted, stats.pushesSent());
        }
    }

    @Test
    void everyCounterOfTheEngineIsPrintedInOneCall() throws Exception
    {
        try (Engine engine = Engine.start(EngineConfig.builder().loops(2).build()))
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            engine.printCounters(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            final String dump = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(dump.contains("loop-0: connections open") && dump.contains("loop-1: group frames delivered"),
                dump);
            assertEquals(2 * dev.sluice.stats.LoopCounters.countersPerLoop(), dump.lines().count(), dump);
        }
    }

    @Test
    @SuppressWarnings("try") // the client only has to be connected: it reads nothing
    void aConnectionDroppedInTheMiddleOfItsPushesShowsEveryFrameSentInOnClose() throws Exception
    {
        final AtomicReference<Connection> conn = new AtomicReference<>();
        final AtomicReference<String> atClose = new AtomicReference<>();
        final AtomicReference<ConnectionStats> view = new AtomicReference<>();
        try (Engine engine = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER)
            .socketSendBufferSize(4096).sendCap(256 * 1024)
            .push(PushConfig.builder().queueBytes(32 * 1024, 8 * 1024).build()).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new ConnectionHandler()
            {
                @Override
                public void onOpen(final Connection c)
                {
                    conn.set(c);
                    view.set(c.stats());
                }

                @Override
                public void onFrame(final Connection c, final DirectBuffer b, final int o, final int l)
                {
                }

                @Override
                public void onClose(final Connection c, final CloseReason reason)
                {
                    final ConnectionStats s = c.stats();
                    atClose.set(reason + " framesOut=" + s.framesOut() + " pushesSent=" + s.pushesSent());
                }
            });
            try (FrameClient client = FrameClient.connect(address, 4096))
            {
                Loopback.pumpUntil(engine, () -> conn.get() != null, "open");
                final UnsafeBuffer kb = new UnsafeBuffer(new byte[1000]);
                for (int i = 0; i < 250; i++) // 250 KB waiting: the cap is near
                {
                    assertTrue(conn.get().send(kb, 0, 1000));
                }
                for (int i = 0; i < 50; i++)
                {
                    engine.doWork(0);
                }
                final PushHandle handle = conn.get().pushHandle();
                for (int i = 0; i < 30; i++) // the cap drops the peer part way through these
                {
                    assertEquals(PushResult.ACCEPTED, handle.push(kb, 0, 1000, Priority.HIGH));
                }
                Loopback.pumpUntil(engine, () -> atClose.get() != null, "dropped");
                final ConnectionStats after = view.get();
                assertTrue(after.pushesSent() > 0 && after.pushesDiscarded() > 0, "dropped part way: " + atClose);
                // what was sent is counted before onClose; frames still queued are discarded (and counted) after it
                assertEquals("SLOW_CONSUMER framesOut=" + after.framesOut() + " pushesSent=" + after.pushesSent(),
                    atClose.get(), "onClose saw every frame sent");
            }
        }
    }
}
