package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.push.Priority;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Handles outliving their connection, recycled slots, and the slot pool after closes. One connection slot. */
class PushLifecycleTest
{

    /** Registers each new connection as session 7 and keeps its handle. */
    static final class Sessions implements ConnectionHandler
    {
        private final Engine[] engine;
        volatile PushHandle latest;
        volatile long openedId;

        Sessions(final Engine[] engine)
        {
            this.engine = engine;
        }

        @Override
        public void onOpen(final Connection connection)
        {
            engine[0].sessions().register(7, connection.pushHandle());
            latest = connection.pushHandle();
            openedId = connection.id();
        }

        @Override
        public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
        {
        }
    }

    @Test
    void aClosedSessionAnswersClosedAndItsRecycledSlotNeverGetsItsFrames() throws Exception
    {
        final Engine[] engine = new Engine[1];
        final Sessions sessions = new Sessions(engine);
        engine[0] = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).maxConnections(1)
            .build());
        try (Engine e = engine[0])
        {
            final InetSocketAddress address = e.listen(Loopback.ANY_PORT, sessions);
            final UnsafeBuffer old = new UnsafeBuffer(new byte[] {'o', 'l', 'd'});
            final PushHandle first;
            final FrameClient a = FrameClient.connect(address);
            try
            {
                Loopback.pumpUntil(e, () -> sessions.latest != null, "first connection open");
                first = sessions.latest;
                assertSame(first, e.sessions().lookup(7));
                for (int i = 0; i < 5; i++)
                {
                    assertEquals(PushResult.ACCEPTED, first.push(old, 0, 3, Priority.LOW)); // queued, not drained
                }
            }
            finally
            {
                a.close();
            }
            Loopback.pumpUntil(e, () -> e.counters(0).connectionsOpen.get() == 0, "first connection closed");
            assertEquals(5, e.counters(0).pushesDiscarded.get(), "frames queued at close were discarded");
            assertFalse(first.isOpen());
            assertEquals(PushResult.CLOSED, first.push(old, 0, 3, Priority.HIGH));
            assertNull(e.sessions().lookup(7), "the session entry went with its connection");

            final long firstId = sessions.openedId;
            try (FrameClient b = FrameClient.connect(address))
            {
                Loopback.pumpUntil(e, () -> sessions.openedId != firstId, "second connection open on the same slot");
                assertEquals(PushResult.CLOSED, first.push(old, 0, 3, Priority.HIGH), "the old handle stays closed");
                final UnsafeBuffer fresh = new UnsafeBuffer(new byte[] {'n', 'e', 'w'});
                assertEquals(PushResult.ACCEPTED, sessions.latest.push(fresh, 0, 3, Priority.LOW));
                for (int i = 0; i < 10; i++)
                {
                    e.doWork(0);
                }
                assertArrayEquals(new byte[] {'n', 'e', 'w'}, b.read(), "only the new occupant's frame");
                b.readTimeout(200);
                assertTrue(isQuiet(b), "nothing meant for the previous occupant arrives");
            }
            assertEquals(2, e.counters(0).pushesClosed.get());
        }
    }

    private static boolean isQuiet(final FrameClient client) throws Exception
    {
        try
        {
            client.read();
            return false;
        }
        catch (final java.net.SocketTimeoutException expected)
        {
            return true;
        }
    }
}
