package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.push.Priority;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import dev.sluice.testkit.CloseLog;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Pushes over real sockets from several threads: nothing lost, order kept, slow peers dropped alone. */
class PushDeliveryTest
{
    /**
     * Keeps each connection's push handle in the order connections opened (with several loops, onOpen runs on
     * several threads: hence the atomic index; the order then need not match the clients' connect order).
     */
    static final class Handles implements ConnectionHandler
    {
        final AtomicReferenceArray<PushHandle> byOrder;
        final CloseLog closes = new CloseLog();
        private final AtomicInteger opened = new AtomicInteger();

        Handles(final int connections)
        {
            byOrder = new AtomicReferenceArray<>(connections);
        }

        @Override
        public void onOpen(final Connection connection)
        {
            byOrder.set(opened.getAndIncrement(), connection.pushHandle());
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

        /**
         * Pushes {@code frames} 16-byte frames to each of the first {@code connections} handles, low priority, from
         * {@code producers} threads (producer p serves connections p, p + producers, ...); each frame's first 4
         * bytes count up from 0 per connection, big-endian. Blocking pushes, so nothing is refused while all is well.
         *
         * @return the first refusal, or null if every push was accepted.
         */
        PushResult pushSequences(final int producers, final int connections, final int frames)
            throws InterruptedException
        {
            final AtomicReference<PushResult> refused = new AtomicReference<>();
            final Thread[] threads = new Thread[producers];
            for (int p = 0; p < producers; p++)
            {
                final int producer = p;
                threads[p] = new Thread(() ->
                {
                    final UnsafeBuffer frame = new UnsafeBuffer(new byte[16]);
                    for (int seq = 0; seq < frames; seq++)
                    {
                        frame.putInt(0, seq, java.nio.ByteOrder.BIG_ENDIAN);
                        for (int c = producer; c < connections; c += producers)
                        {
                            final PushResult r =
                                byOrder.get(c).pushBlocking(frame, 0, 16, Priority.LOW, 30, TimeUnit.SECONDS);
                            if (r != PushResult.ACCEPTED)
                            {
                                refused.compareAndSet(null, r);
                                return;
                            }
                        }
                    }
                });
                threads[p].start();
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            return refused.get();
        }

        void awaitAll(final int n) throws InterruptedException
        {
            Loopback.awaitTrue(() -> opened.get() == n, n + " connections open");
            for (int i = 0; i < n; i++)
            {
                final int index = i;
                Loopback.awaitTrue(() -> byOrder.get(index) != null, "handle " + i + " published");
            }
        }
    }

    /** Frame layout: producer (4 bytes), sequence (4 bytes). Priority: even sequence high, odd low. */
    private static void encode(final UnsafeBuffer frame, final int producer, final int seq)
    {
        frame.putInt(0, producer, java.nio.ByteOrder.BIG_ENDIAN);
        frame.putInt(4, seq, java.nio.ByteOrder.BIG_ENDIAN);
    }

    @Test
    void eightProducersHundredThousandFramesEachNoLossOrderKeptPerPriority() throws Exception
    {
        final int producers = 8;
        final int frames = 100_000;
        final Handles handles = new Handles(1);
        try (Engine engine = Engine.start(EngineConfig.builder().sendCap(8 << 20).maxConnections(4).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handles);
            final int[][] lastSeq = new int[producers][2];
            for (final int[] last : lastSeq)
            {
                last[0] = -2; // high carries 0, 2, 4 ...
                last[1] = -1; // low carries 1, 3, 5 ...
            }
            final AtomicReference<String> disorder = new AtomicReference<>();
            try (FrameReceiver receiver = new FrameReceiver(address, 1, null, (connection, payload) ->
            {
                final int producer = payload.getInt(payload.position());
                final int seq = payload.getInt(payload.position() + 4);
                final int priority = seq & 1;
                if (seq != lastSeq[producer][priority] + 2)
                {
                    disorder.compareAndSet(null, "producer " + producer + " priority " + priority + ": " + seq +
                        " after " + lastSeq[producer][priority]);
                }
                lastSeq[producer][priority] = seq;
            }))
            {
                handles.awaitAll(1);
                final PushHandle handle = handles.byOrder.get(0);
                final Thread[] threads = new Thread[producers];
                final AtomicReference<PushResult> refused = new AtomicReference<>();
                for (int p = 0; p < producers; p++)
                {
                    final int producer = p;
                    threads[p] = new Thread(() ->
                    {
                        final UnsafeBuffer frame = new UnsafeBuffer(new byte[8]);
                        for (int seq = 0; seq < frames; seq++)
                        {
                            encode(frame, producer, seq);
                            final PushResult r = handle.pushBlocking(frame, 0, 8,
                                (seq & 1) == 0 ? Priority.HIGH : Priority.LOW, 30, TimeUnit.SECONDS);
                            if (r != PushResult.ACCEPTED)
                            {
                                refused.compareAndSet(null, r);
                                return;
                            }
                        }
                    });
                    threads[p].start();
                }
                for (final Thread thread : threads)
                {
                    thread.join();
                }
                if (refused.get() != null)
                {
                    handles.closes.awaitAny(5_000);
                }
                assertNull(refused.get(), "every blocking push was accepted; closes: " + handles.closes);
                receiver.awaitTotal((long)producers * frames, 60_000);
                assertNull(disorder.get());
                assertEquals((long)producers * frames, receiver.total.get(), "no frame lost or duplicated");
                assertEquals((long)producers * frames / 2, engine.counters(0).pushesSentHigh.get());
                assertEquals((long)producers * frames / 2, engine.counters(0).pushesSentLow.get());
            }
        }
    }

    @Test
    void aConnectionThatStopsReadingIsDroppedWhileNinetyNineOthersReceiveEverything() throws Exception
    {
        final int connections = 100;
        final int frames = 2_000;
        final int slow = 37;
        final Handles handles = new Handles(connections);
        // A 1 MiB send cap, so that on a loaded 2-core machine the one reader thread of the 99 good clients never lags
        // far enough to be a slow consumer; the client that stops reading is dropped by the no-progress rule (2 s).
        try (Engine engine = Engine.start(EngineConfig.builder().socketSendBufferSize(16 * 1024).sendCap(1 << 20)
            .maxConnections(128).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handles);
            final boolean[] paused = new boolean[connections];
            paused[slow] = true;
            final ConcurrentHashMap<Integer, Integer> nextSeq = new ConcurrentHashMap<>();
            final AtomicReference<String> disorder = new AtomicReference<>();
            try (FrameReceiver receiver = new FrameReceiver(address, connections, paused, (connection, payload) ->
            {
                final int seq = payload.getInt(payload.position() + 4);
                final int expected = nextSeq.getOrDefault(connection, 0);
                if (seq != expected)
                {
                    disorder.compareAndSet(null, "connection " + connection + ": " + seq + " for " + expected);
                }
                nextSeq.put(connection, seq + 1);
            }))
            {
                handles.awaitAll(connections);
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[200]);
                for (int seq = 0; seq < frames; seq++)
                {
                    for (int c = 0; c < connections; c++)
                    {
                        encode(frame, c, seq);
                        final PushResult r = handles.byOrder.get(c).pushBlocking(frame, 0, 200, Priority.LOW, 5,
                            TimeUnit.SECONDS);
                        if (r != PushResult.ACCEPTED && r != PushResult.CLOSED)
                        {
                            throw new AssertionError("push to connection " + c + ": " + r);
                        }
                    }
                }
                try
                {
                    receiver.awaitTotal((long)(connections - 1) * frames, 30_000);
                }
                catch (final AssertionError stalled)
                {
                    throw new AssertionError(stalled.getMessage() + "; sent " + engine.counters(0).pushesSentLow.get() +
                        ", closes " + handles.closes + ", bytes out " + engine.counters(0).bytesOut.get(), stalled);
                }
                assertNull(disorder.get());
                assertTrue(handles.closes.await(CloseReason.SLOW_CONSUMER, 1, 10_000));
                assertEquals(1, handles.closes.total(), "only the slow connection closed: " + handles.closes);
                assertEquals(1, engine.counters(0).closes(CloseReason.SLOW_CONSUMER).get());
                for (int c = 0; c < connections; c++)
                {
                    if (c != slow)
                    {
                        assertEquals(frames, receiver.count(c), "connection " + c);
                    }
                }
            }
        }
    }
}
