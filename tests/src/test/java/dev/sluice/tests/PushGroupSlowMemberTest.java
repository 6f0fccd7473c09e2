package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.push.GroupPolicy;
import dev.sluice.push.Priority;
import dev.sluice.push.PushGroup;
import dev.sluice.push.PushResult;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Push groups and members that fall behind: under {@code SKIP_SLOW} the member misses frames and stays, under
 * {@code DROP_SLOW} it is dropped (even when its close cascades inside the delivery); either way the others get every
 * frame, in order.
 */
class PushGroupSlowMemberTest
{
    @Test
    void underSkipSlowAMemberThatStopsReadingMissesFramesAndDelaysNobody() throws Exception
    {
        final PushDeliveryTest.Handles handles = new PushDeliveryTest.Handles(3);
        // Default socket buffers: the readers' writes are never partial; the stalled member fills its socket's buffers
        // (megabytes: its client reads nothing), then falls behind.
        final EngineConfig config = EngineConfig.builder().noProgressTimeout(60, TimeUnit.SECONDS).build();
        try (Engine engine = Engine.start(config); PushGroup group = engine.newPushGroup("quotes"))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handles);
            final FrameClient stalled = FrameClient.connect(address, 8192);
            final List<FrameClient> readers = new ArrayList<>();
            try
            {
                Loopback.awaitTrue(() -> handles.byOrder.get(0) != null, "the stalled member opens");
                connectReaders(address, handles, 1, readers);
                for (int i = 0; i < 3; i++)
                {
                    assertEquals(PushResult.ACCEPTED, group.join(handles.byOrder.get(i)));
                }
                final int frames = 100_000; // 13 MB per member: far more than the stalled one's socket buffers take
                final boolean[] complete = new boolean[readers.size()];
                final AtomicLongArray progress = new AtomicLongArray(readers.size());
                final Thread[] readerThreads = startReaders(readers, frames, 128, complete, progress);
                pushPaced(group, frames, progress);
                for (int i = 0; i < readerThreads.length; i++)
                {
                    readerThreads[i].join(30_000);
                    assertTrue(complete[i], "reading member " + i + " got every frame, in order");
                }
                assertTrue(handles.byOrder.get(0).isOpen(), "the stalled member is still connected");
                assertTrue(group.missed() > 0, "and missed frames: " + group.missed());
                assertEquals(0, engine.counters(0).closes(CloseReason.SLOW_CONSUMER).get());
                assertTrue(stalled.available() > 0, "it got frames until it fell behind");
            }
            finally
            {
                stalled.close();
                PushGroupTest.closeAll(readers);
            }
        }
    }

    @Test
    void underDropSlowAMemberThatCannotKeepUpIsDroppedAndTheOthersGetEveryFrame() throws Exception
    {
        final PushDeliveryTest.Handles handles = new PushDeliveryTest.Handles(4);
        final EngineConfig config = EngineConfig.builder().noProgressTimeout(60, TimeUnit.SECONDS).build();
        try (Engine engine = Engine.start(config);
            PushGroup group = engine.newPushGroup("trades", GroupPolicy.DROP_SLOW))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new CascadingHandles(handles));
            final FrameClient stalled = FrameClient.connect(address, 8192);
            Loopback.awaitTrue(() -> handles.byOrder.get(0) != null, "the stalled member opens first");
            final FrameClient closedWithIt = FrameClient.connect(address);
            final List<FrameClient> readers = new ArrayList<>();
            try
            {
                Loopback.awaitTrue(() -> handles.byOrder.get(1) != null, "the first two members open");
                connectReaders(address, handles, 2, readers);
                for (int i = 0; i < 4; i++)
                {
                    assertEquals(PushResult.ACCEPTED, group.join(handles.byOrder.get(i)));
                }
                final int frames = 100_000;
                final boolean[] complete = new boolean[readers.size()];
                final AtomicLongArray progress = new AtomicLongArray(readers.size());
                final Thread[] readerThreads = startReaders(readers, frames, 128, complete, progress);
                pushPaced(group, frames, progress);
                for (int i = 0; i < readerThreads.length; i++)
                {
                    readerThreads[i].join(30_000);
                    assertTrue(complete[i], "reading member " + i + " got every frame, in order");
                }
                assertTrue(stalled.awaitClosedByServer(), "the member that stopped reading is dropped");
                assertTrue(closedWithIt.awaitClosedByServer(), "and the one its onClose closed, mid-delivery");
                assertEquals(1, engine.counters(0).closes(CloseReason.SLOW_CONSUMER).get());
                assertEquals(1, group.membersDropped());
                assertEquals(2, group.size());
                assertEquals(0, group.missed(), "under DROP_SLOW nobody misses a frame and stays");
            }
            finally
            {
                stalled.close();
                closedWithIt.close();
                PushGroupTest.closeAll(readers);
            }
        }
    }

    /** Connects two reading members, one after the other, so they open in order at {@code first} and after. */
    private static void connectReaders(final InetSocketAddress address, final PushDeliveryTest.Handles handles,
        final int first, final List<FrameClient> readers) throws Exception
    {
        for (int i = first; i < first + 2; i++)
        {
            readers.add(FrameClient.connect(address));
            final int opened = i;
            Loopback.awaitTrue(() -> handles.byOrder.get(opened) != null, "reader " + opened + " opens");
        }
    }

    private static void pushPaced(final PushGroup group, final int frames, final AtomicLongArray progress)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[128]);
        for (int n = 0; n < frames; n++)
        {
            while (n - Loopback.slowest(progress) > 1_000)
            {
                LockSupport.parkNanos(20_000);
            }
            frame.putInt(0, n);
            while (group.push(frame, 0, 128, Priority.LOW) != PushResult.ACCEPTED)
            {
                LockSupport.parkNanos(10_000); // the group's queue is full for a moment: the loop is behind
            }
        }
    }

    /** One thread per client, each reading {@code frames} frames and checking their sequence numbers. */
    private static Thread[] startReaders(final List<FrameClient> clients, final int frames, final int length,
        final boolean[] complete, final AtomicLongArray progress)
    {
        final Thread[] threads = new Thread[clients.size()];
        for (int i = 0; i < threads.length; i++)
        {
            final FrameClient client = clients.get(i);
            final int index = i;
            threads[i] = new Thread(() ->
            {
                try
                {
                    for (int n = 0; n < frames; n++)
                    {
                        final byte[] payload = client.read();
                        if (payload.length != length || new UnsafeBuffer(payload).getInt(0) != n)
                        {
                            progress.set(index, Long.MAX_VALUE); // let the producer finish; complete stays false
                            return;
                        }
                        progress.lazySet(index, n + 1);
                    }
                    complete[index] = true; // read by the test after join()
                    progress.set(index, Long.MAX_VALUE);
                }
                catch (final java.io.IOException ex)
                {
                    progress.set(index, Long.MAX_VALUE);
                    throw new IllegalStateException(ex);
                }
            }, "member-reader-" + i);
            threads[i].start();
        }
        return threads;
    }

    /** Records like {@link PushDeliveryTest.Handles}; the first connection's slow-consumer close closes the next. */
    private static final class CascadingHandles implements ConnectionHandler
    {
        private final PushDeliveryTest.Handles handles;
        private final List<Connection> opened = new CopyOnWriteArrayList<>();

        CascadingHandles(final PushDeliveryTest.Handles handles)
        {
            this.handles = handles;
        }

        @Override
        public void onOpen(final Connection connection)
        {
            opened.add(connection);
            handles.onOpen(connection);
        }

        @Override
        public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
        {
        }

        @Override
        public void onClose(final Connection connection, final CloseReason reason)
        {
            handles.onClose(connection, reason);
            if (reason == CloseReason.SLOW_CONSUMER && opened.get(1).isOpen())
            {
                opened.get(1).close(); // inside the group's delivery to its members
            }
        }
    }
}
