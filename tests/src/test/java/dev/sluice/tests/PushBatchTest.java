package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.codec.LengthPrefixedFrameCodec;
import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.push.Priority;
import dev.sluice.push.PushBatch;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Several frames handed over with one claim: each arrives as a frame of its own, in order; nothing else changes. */
class PushBatchTest
{
    private static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static PushResult add(final PushBatch batch, final String name)
    {
        final UnsafeBuffer bytes = ascii(name);
        return batch.add(bytes, 0, bytes.capacity());
    }

    @Test
    void aBatchArrivesAsSeparateFramesInOrderBetweenSinglePushes() throws Exception
    {
        try (PushHarness h = new PushHarness(PushConfig.builder().build()))
        {
            final PushBatch batch = h.engine.newPushBatch();
            assertEquals(PushResult.ACCEPTED, h.push("H-before"));
            assertEquals(PushResult.ACCEPTED, batch.begin(h.handle, Priority.HIGH, 512));
            final List<String> expected = new ArrayList<>(List.of("H-before"));
            for (int i = 0; i < 20; i++)
            {
                assertEquals(PushResult.ACCEPTED, add(batch, "H" + i));
                expected.add("H" + i);
            }
            assertEquals(PushResult.ACCEPTED, add(batch, ""), "an empty frame is a frame too");
            expected.add("");
            assertEquals(21, batch.frames());
            batch.commit();
            assertEquals(PushResult.ACCEPTED, h.push("H-after"));
            expected.add("H-after");
            h.runLoop();
            assertEquals(expected, h.read(expected.size()));
            assertEquals(23, h.engine.counters(0).pushesSentHigh.get(), "each frame of the batch counts as one");
        }
    }

    @Test
    void aBatchIsFramedByTheEnginesCodecAndCountedFramePerFrame() throws Exception
    {
        final AtomicReference<PushHandle> opened = new AtomicReference<>();
        try (Engine engine = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER)
            .codec(new LengthPrefixedFrameCodec(ByteOrder.LITTLE_ENDIAN, 1024, true)).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new ConnectionHandler()
            {
                @Override
                public void onOpen(final Connection connection)
                {
                    opened.set(connection.pushHandle());
                }

                @Override
                public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
                {
                }
            });
            try (Socket peer = new Socket(address.getAddress(), address.getPort()))
            {
                Loopback.pumpUntil(engine, () -> opened.get() != null, "connection open");
                final PushHandle handle = opened.get();
                final PushBatch batch = engine.newPushBatch();
                assertEquals(PushResult.ACCEPTED, batch.begin(handle, Priority.HIGH, 256));
                final List<String> frames = List.of("first", "", "third-frame");
                for (final String frame : frames)
                {
                    assertEquals(PushResult.ACCEPTED, add(batch, frame));
                }
                batch.commit();
                Loopback.pumpUntil(engine, () -> handle.stats().pendingBytes() == 0 &&
                    engine.counters(0).pushesSentHigh.get() == 3, "the batch written");
                final DataInputStream in = new DataInputStream(peer.getInputStream());
                for (final String frame : frames)
                {
                    final int length = Integer.reverseBytes(in.readInt()); // the codec's little-endian length
                    assertEquals(frame.length(), length);
                    final byte[] payload = new byte[length];
                    in.readFully(payload);
                    assertEquals(frame, new String(payload, StandardCharsets.US_ASCII));
                }
                assertEquals(3, handle.stats().framesOut(), "each frame of the batch counts as a frame out");
                assertEquals(3, handle.stats().pushesSent());
                assertEquals(3, engine.counters(0).framesOut.get());
            }
        }
    }

    @Test
    void aBatchTakesOnlyTheRoomItClaimedAndCanBeReused() throws Exception
    {
        try (PushHarness h = new PushHarness(PushConfig.builder().build()))
        {
            final PushBatch batch = h.engine.newPushBatch();
            assertEquals(PushResult.ACCEPTED, batch.begin(h.handle, Priority.LOW, 16));
            assertEquals(PushResult.ACCEPTED, add(batch, "L-one")); // 4 + 5 bytes
            assertEquals(PushResult.QUEUE_FULL, add(batch, "L-two-xx"), "4 + 8 bytes do not fit the 7 left");
            assertEquals(PushResult.ACCEPTED, add(batch, "L"), "4 + 1 do");
            assertThrows(IllegalStateException.class, () -> batch.begin(h.handle, Priority.LOW, 16));
            batch.commit();
            assertEquals(PushResult.ACCEPTED, batch.begin(h.handle, Priority.LOW, 64), "the same batch, again");
            assertEquals(PushResult.ACCEPTED, add(batch, "L-three"));
            batch.commit();
            h.runLoop();
            assertEquals(List.of("L-one", "L", "L-three"), h.read(3));
            assertEquals(0, h.engine.counters(0).pushesQueueFull.get(), "a full batch is not a full queue");
        }
    }

    @Test
    void anAbortedOrEmptyBatchSendsNothing() throws Exception
    {
        try (PushHarness h = new PushHarness(PushConfig.builder().build()))
        {
            final PushBatch batch = h.engine.newPushBatch();
            assertEquals(PushResult.ACCEPTED, batch.begin(h.handle, Priority.HIGH, 64));
            add(batch, "H-never");
            batch.abort();
            assertEquals(PushResult.ACCEPTED, batch.begin(h.handle, Priority.HIGH, 64));
            batch.commit(); // nothing added
            assertEquals(PushResult.ACCEPTED, h.push("H-only"));
            h.runLoop();
            assertEquals(List.of("H-only"), h.read(1));
            assertEquals(1, h.engine.counters(0).pushesSentHigh.get());
        }
    }

    @Test
    void aBatchLargerThanTheQueueTakesAtOnceIsRefused() throws Exception
    {
        try (PushHarness h = new PushHarness(PushConfig.builder().queueBytes(1024, 1024).build()))
        {
            final PushBatch batch = h.engine.newPushBatch();
            assertEquals(PushResult.FRAME_TOO_LARGE, batch.begin(h.handle, Priority.HIGH, 121),
                "an eighth (128) less the batch's 8 bytes");
            assertEquals(PushResult.ACCEPTED, batch.begin(h.handle, Priority.HIGH, 120));
            batch.abort();
            int claimed = 0;
            while (batch.begin(h.handle, Priority.HIGH, 112) == PushResult.ACCEPTED)
            {
                add(batch, "H" + claimed);
                batch.commit();
                claimed++;
            }
            assertTrue(claimed >= 6, "the queue filled with batches: " + claimed);
            assertEquals(PushResult.QUEUE_FULL, batch.begin(h.handle, Priority.HIGH, 112));
        }
    }

    @Test
    void aBatchRefusesWhereASinglePushWould() throws Exception
    {
        try (PushHarness h = new PushHarness(PushConfig.builder().rateLimit(1, 2).build()))
        {
            final PushBatch batch = h.engine.newPushBatch();
            assertEquals(PushResult.ACCEPTED, batch.begin(h.handle, Priority.HIGH, 64));
            assertEquals(PushResult.ACCEPTED, add(batch, "H0"));
            assertEquals(PushResult.ACCEPTED, add(batch, "H1"));
            assertEquals(PushResult.RATE_LIMITED, add(batch, "H2"), "a token per frame: the burst of 2 is spent");
            batch.commit();
            h.runLoop();
            assertEquals(List.of("H0", "H1"), h.read(2));
            h.client.close();
            Loopback.pumpUntil(h.engine, () -> !h.handle.isOpen(), "the connection closes");
            assertEquals(PushResult.CLOSED, batch.begin(h.handle, Priority.HIGH, 64));
        }
    }

    @Test
    void aBatchCommittedAfterItsConnectionClosedNeverReachesTheSlotsNextOccupant() throws Exception
    {
        final AtomicReference<PushHandle> latest =
            new AtomicReference<>();
        final ConnectionHandler keep = new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection connection)
            {
                latest.set(connection.pushHandle());
            }

            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer,
                final int offset, final int length)
            {
            }
        };
        try (Engine engine = Engine.start(EngineConfig.builder()
            .threadingMode(ThreadingMode.INVOKER).maxConnections(1).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, keep);
            final PushBatch batch = engine.newPushBatch();
            final FrameClient a = FrameClient.connect(address);
            Loopback.pumpUntil(engine, () -> latest.get() != null, "first connection open");
            final PushHandle first = latest.get();
            assertEquals(PushResult.ACCEPTED, batch.begin(first, Priority.LOW, 64));
            assertEquals(PushResult.ACCEPTED, add(batch, "L-old"));
            a.close();
            Loopback.pumpUntil(engine, () -> !first.isOpen(), "first connection closed");
            try (FrameClient b = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> latest.get() != first && latest.get() != null, "same slot reopened");
                batch.commit(); // late: its connection is gone
                final UnsafeBuffer fresh = ascii("L-new");
                assertEquals(PushResult.ACCEPTED, latest.get().push(fresh, 0, fresh.capacity(), Priority.LOW));
                Loopback.pumpUntil(engine, () -> engine.counters(0).pushesSentLow.get() == 1, "the new frame sent");
                assertEquals("L-new", new String(b.read(), StandardCharsets.US_ASCII), "only its own frame");
                assertEquals(0, engine.counters(0).pushesSentLow.get() - 1, "nothing of the stale batch was sent");
            }
        }
    }
}
