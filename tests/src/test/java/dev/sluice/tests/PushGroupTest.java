package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.push.GroupPolicy;
import dev.sluice.push.Priority;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushGroup;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Push groups: one call, every member; members come and go from any thread, and the slow ones delay nobody. */
class PushGroupTest
{
    private static final int MEMBERS = 8;

    @Test
    void aFramePushedOnceReachesEveryMemberInOrderAtBothPriorities() throws Exception
    {
        final PushDeliveryTest.Handles handles = new PushDeliveryTest.Handles(MEMBERS);
        try (Engine engine = Engine.start(EngineConfig.builder().build());
            PushGroup group = engine.newPushGroup("EURUSD"))
        {
            final List<FrameClient> clients = connect(engine, handles, MEMBERS);
            try
            {
                for (int i = 0; i < MEMBERS; i++)
                {
                    assertEquals(PushResult.ACCEPTED, group.join(handles.byOrder.get(i)));
                }
                assertEquals(PushResult.ACCEPTED, group.join(handles.byOrder.get(0)), "joining twice is harmless");
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[8]);
                for (int n = 0; n < 200; n++)
                {
                    frame.putInt(0, n);
                    frame.putInt(4, n % 2);
                    final Priority priority = n % 2 == 0 ? Priority.HIGH : Priority.LOW;
                    assertEquals(PushResult.ACCEPTED, group.push(frame, 0, 8, priority));
                }
                for (final FrameClient client : clients)
                {
                    int high = 0;
                    int low = 1;
                    for (int n = 0; n < 200; n++)
                    {
                        final UnsafeBuffer got = new UnsafeBuffer(client.read());
                        final int expected = got.getInt(4) == 0 ? high : low; // in order within each priority
                        assertEquals(expected, got.getInt(0), "frame " + n);
                        if (got.getInt(4) == 0)
                        {
                            high += 2;
                        }
                        else
                        {
                            low += 2;
                        }
                    }
                }
                assertEquals(MEMBERS, group.size());
                assertEquals(200L * MEMBERS, group.delivered());
                assertEquals(200L * MEMBERS, engine.counters(0).groupDeliveries.get());
                assertEquals(0, group.missed());
            }
            finally
            {
                closeAll(clients);
            }
        }
    }

    @Test
    void aClosedConnectionLeavesItsGroupsAndALeaveStopsFramesAfterIt() throws Exception
    {
        final PushDeliveryTest.Handles handles = new PushDeliveryTest.Handles(3);
        try (Engine engine = Engine.start(EngineConfig.builder().build());
            PushGroup first = engine.newPushGroup("first");
            PushGroup second = engine.newPushGroup("second"))
        {
            final List<FrameClient> clients = connect(engine, handles, 3);
            try
            {
                for (int i = 0; i < 3; i++)
                {
                    assertEquals(PushResult.ACCEPTED, first.join(handles.byOrder.get(i)));
                    assertEquals(PushResult.ACCEPTED, second.join(handles.byOrder.get(i)));
                }
                Loopback.awaitTrue(() -> first.size() == 3 && second.size() == 3, "every join applied");
                clients.get(0).close();
                Loopback.awaitTrue(() -> first.size() == 2 && second.size() == 2, "the closed member left both");
                assertEquals(PushResult.CLOSED, first.join(handles.byOrder.get(0)), "a closed member cannot join");

                assertEquals(PushResult.ACCEPTED, first.leave(handles.byOrder.get(1)));
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[] {42});
                assertEquals(PushResult.ACCEPTED, first.push(frame, 0, 1, Priority.HIGH));
                assertEquals(PushResult.ACCEPTED, second.push(new UnsafeBuffer(new byte[] {7}), 0, 1, Priority.HIGH));
                final byte[][] both = {clients.get(2).read(), clients.get(2).read()}; // two groups: either order
                assertEquals(42 + 7, both[0][0] + both[1][0], "a member still in both groups gets both frames");
                assertArrayEquals(new byte[] {7}, clients.get(1).read(),
                    "the member that left the first group gets only the second group's frame");
                assertEquals(1, first.delivered());
                assertEquals(2, second.delivered());
                assertEquals(1, first.size());
            }
            finally
            {
                closeAll(clients);
            }
        }
    }

    @Test
    void closedGroupsAnswerClosedAndGiveBackTheirPlaceInTheLimit() throws Exception
    {
        final PushDeliveryTest.Handles handles = new PushDeliveryTest.Handles(1);
        final EngineConfig config =
            EngineConfig.builder().push(PushConfig.builder().maxPushGroups(2).build()).build();
        try (Engine engine = Engine.start(config))
        {
            final List<FrameClient> clients = connect(engine, handles, 1);
            try
            {
                final PushGroup a = engine.newPushGroup("a");
                final PushGroup b = engine.newPushGroup("b");
                assertEquals(PushResult.ACCEPTED, a.join(handles.byOrder.get(0)));
                Loopback.awaitTrue(() -> a.size() == 1, "the join applied");
                final IllegalStateException full = assertThrows(IllegalStateException.class,
                    () -> engine.newPushGroup("c"));
                assertTrue(full.getMessage().contains("maxPushGroups"), full.getMessage());
                a.close();
                a.close();
                Loopback.awaitTrue(() -> a.size() == 0, "the closed group let its member go");
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[1]);
                assertEquals(PushResult.CLOSED, a.push(frame, 0, 1, Priority.HIGH));
                assertEquals(PushResult.CLOSED, a.join(handles.byOrder.get(0)));
                assertEquals(PushResult.FRAME_TOO_LARGE,
                    b.push(new UnsafeBuffer(new byte[2048]), 0, 2048, Priority.HIGH), "an eighth of the queue at most");
                final PushGroup c = newGroupOnceReleased(engine, "c"); // a's place, once its loop let it go
                assertEquals(PushResult.ACCEPTED, c.join(handles.byOrder.get(0)));
                assertEquals(PushResult.ACCEPTED, c.push(new UnsafeBuffer(new byte[] {9}), 0, 1, Priority.HIGH));
                assertArrayEquals(new byte[] {9}, clients.get(0).read(), "a member of a closed group is still served");
                b.close();
                c.close();
            }
            finally
            {
                closeAll(clients);
            }
        }
    }

    @Test
    void aGroupFrameLargerThanTheCodecAllowsIsRefusedAndTheLoopGoesOn() throws Exception
    {
        final PushDeliveryTest.Handles handles = new PushDeliveryTest.Handles(1);
        try (Engine engine = Engine.start(EngineConfig.builder().maxFrameLength(256).build());
            PushGroup group = engine.newPushGroup("small frames"))
        {
            final List<FrameClient> clients = connect(engine, handles, 1);
            try
            {
                assertEquals(PushResult.ACCEPTED, group.join(handles.byOrder.get(0)));
                assertEquals(PushResult.FRAME_TOO_LARGE,
                    group.push(new UnsafeBuffer(new byte[512]), 0, 512, Priority.HIGH), "the codec allows 256");
                assertEquals(PushResult.ACCEPTED, group.push(new UnsafeBuffer(new byte[256]), 0, 256, Priority.HIGH));
                assertEquals(256, clients.get(0).read().length, "the loop is alive and delivers");
            }
            finally
            {
                closeAll(clients);
            }
        }
    }

    @Test
    void groupsClosedAndCreatedPastTheLimitNeverStrandAnOpenGroup() throws Exception
    {
        final PushDeliveryTest.Handles handles = new PushDeliveryTest.Handles(1);
        final EngineConfig config = EngineConfig.builder().threadingMode(ThreadingMode.INVOKER)
            .push(PushConfig.builder().maxPushGroups(2).build()).build();
        try (Engine engine = Engine.start(config))
        {
            final FrameClient client = FrameClient.connect(engine.listen(Loopback.ANY_PORT, handles));
            try
            {
                Loopback.pumpUntil(engine, () -> handles.byOrder.get(0) != null, "open");
                final PushHandle member = handles.byOrder.get(0);
                final PushGroup a = engine.newPushGroup("a");
                assertEquals(PushResult.ACCEPTED, a.join(member));
                Loopback.pumpUntil(engine, () -> a.size() == 1, "a joined");
                for (int round = 0; round < 50; round++)
                {
                    final PushGroup b = newGroupOnceReleased(engine, "b" + round);
                    assertEquals(PushResult.ACCEPTED, b.join(member));
                    b.close();
                    assertThrows(IllegalStateException.class, () -> engine.newPushGroup("too soon"),
                        "a closed group keeps its place in the limit until its loop has let it go");
                    final UnsafeBuffer frame = new UnsafeBuffer(new byte[] {(byte)round});
                    assertEquals(PushResult.ACCEPTED, a.push(frame, 0, 1, Priority.HIGH));
                    final long expected = round + 1;
                    Loopback.pumpUntil(engine, () -> a.delivered() == expected, "the open group still delivers");
                    assertArrayEquals(new byte[] {(byte)round}, client.read());
                }
                a.close();
            }
            finally
            {
                client.close();
            }
        }
    }
    @Test
    void aLowFramePushedAfterALeaveReturnedNeverReachesTheMemberThatLeft() throws Exception
    {
        final PushDeliveryTest.Handles handles = new PushDeliveryTest.Handles(2);
        final AtomicReference<PushGroup> groupRef = new AtomicReference<>();
        final AtomicReference<PushResult> markerPushed = new AtomicReference<>();
        final ConnectionHandler handler = new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection connection)
            {
                handles.onOpen(connection);
            }

            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
            }

            @Override
            public void onClose(final Connection connection, final CloseReason reason)
            {
                // Runs inside the group's low-priority read (the send cap drops the stalled member there): the reader
                // leaves, then a low marker is pushed. The marker was pushed after leave() returned.
                final PushGroup group = groupRef.get();
                if (reason == CloseReason.SLOW_CONSUMER &&
                    group.leave(handles.byOrder.get(1)) == PushResult.ACCEPTED)
                {
                    markerPushed.set(group.push(new UnsafeBuffer(new byte[] {'M'}), 0, 1, Priority.LOW));
                }
            }
        };
        final EngineConfig config = EngineConfig.builder().threadingMode(ThreadingMode.INVOKER)
            .socketSendBufferSize(8192).noProgressTimeout(60, TimeUnit.SECONDS).build();
        try (Engine engine = Engine.start(config);
            PushGroup group = engine.newPushGroup("g", GroupPolicy.DROP_SLOW))
        {
            groupRef.set(group);
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            final FrameClient stalled = FrameClient.connect(address, 4096);
            Loopback.pumpUntil(engine, () -> handles.byOrder.get(0) != null, "the stalled member opens");
            final FrameClient reader = FrameClient.connect(address);
            Loopback.pumpUntil(engine, () -> handles.byOrder.get(1) != null, "the reader opens");
            try
            {
                assertEquals(PushResult.ACCEPTED, group.join(handles.byOrder.get(0)));
                assertEquals(PushResult.ACCEPTED, group.join(handles.byOrder.get(1)));
                Loopback.pumpUntil(engine, () -> group.size() == 2, "both joined");
                final boolean[] sawMarker = {false};
                final Thread readerThread = new Thread(() ->
                {
                    try
                    {
                        byte[] payload;
                        while ((payload = reader.read()).length != 3)
                        {
                            sawMarker[0] |= payload.length == 1 && payload[0] == 'M';
                        }
                    }
                    catch (final java.io.IOException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                }, "reader");
                readerThread.start();
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[1000]);
                for (int i = 0; i < 10_000 && markerPushed.get() == null; i++)
                {
                    group.push(frame, 0, 1000, Priority.LOW);
                    engine.doWork(0);
                }
                assertEquals(PushResult.ACCEPTED, markerPushed.get(), "the stalled member was dropped in a low read");
                for (int i = 0; i < 100; i++)
                {
                    engine.doWork(0); // the leave, then the marker to whoever is still a member: nobody
                }
                final long sent = engine.counters(0).pushesSentHigh.get();
                assertEquals(PushResult.ACCEPTED,
                    handles.byOrder.get(1).push(new UnsafeBuffer(new byte[] {'E', 'N', 'D'}), 0, 3, Priority.HIGH));
                Loopback.pumpUntil(engine, () -> engine.counters(0).pushesSentHigh.get() == sent + 1, "the end");
                // Invoker mode: the loop runs only here, and the reader may still be draining what was written.
                Loopback.pumpUntil(engine, () -> !readerThread.isAlive(), "the reader reaches the end");
                assertTrue(!sawMarker[0], "the member that left got no later low frame");
                assertEquals(0, group.size());
            }
            finally
            {
                stalled.close();
                reader.close();
            }
        }
    }

    /**
     * Creates a group once the limit has room: a closed group's place comes back when its loops have let it go (in
     * invoker mode the loop runs here, between attempts).
     */
    private static PushGroup newGroupOnceReleased(final Engine engine, final String name) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            try
            {
                return engine.newPushGroup(name);
            }
            catch (final IllegalStateException full)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw full;
                }
                if (engine.config().threadingMode() == ThreadingMode.INVOKER)
                {
                    engine.doWork(0);
                }
                else
                {
                    Thread.sleep(1);
                }
            }
        }
    }

    /** Connects {@code n} clients one after the other, each after the previous one's handle is known. */
    static List<FrameClient> connect(final Engine engine, final PushDeliveryTest.Handles handles, final int n)
        throws Exception
    {
        final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handles);
        final List<FrameClient> clients = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            clients.add(FrameClient.connect(address));
            final int index = i;
            Loopback.awaitTrue(() -> handles.byOrder.get(index) != null, "connection " + i + " opens");
        }
        return clients;
    }

    static void closeAll(final List<FrameClient> clients) throws java.io.IOException
    {
        for (final FrameClient client : clients)
        {
            client.close();
        }
    }
}
