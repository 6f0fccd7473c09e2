package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
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

/**
 * A close that reaches back into the push path from inside a drain: while the loop delivers connection A's pushed
 * frames, A passes its send cap and is dropped, and A's onClose closes connection B, whose own queued pushes are
 * discarded right there, inside A's read. A's read goes on unharmed and the loop keeps serving.
 */
class PushReentrantCloseTest
{
    @Test
    void aCloseCascadeDuringAPushDrainDiscardsTheOtherQueueAndTheLoopGoesOn() throws Exception
    {
        final List<Connection> open = new ArrayList<>();
        final List<PushHandle> handles = new ArrayList<>();
        final CloseLog closes = new CloseLog();
        final ConnectionHandler paired = new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection connection)
            {
                open.add(connection);
                handles.add(connection.pushHandle());
            }

            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
            }

            @Override
            public void onClose(final Connection connection, final CloseReason reason)
            {
                closes.record(connection.id(), reason);
                if (connection == open.get(0) && open.get(1).isOpen())
                {
                    open.get(1).close(); // the paired session goes with it
                }
            }
        };
        final EngineConfig config = EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).sendCap(4096)
            .maxFrameLength(1024).noProgressTimeout(60, TimeUnit.SECONDS)
            .push(PushConfig.builder().queueBytes(1024, 1024).build()).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, paired);
            final FrameClient a = FrameClient.connect(address);
            final FrameClient b = FrameClient.connect(address);
            try
            {
                Loopback.pumpUntil(engine, () -> open.size() == 2, "both connections open");
                // A's send buffer already holds 3,276 of its 4,096 bytes when the loop comes to its pushes (direct
                // sends wait for the iteration's flush), so its full queue (14 frames of 68 bytes) passes the cap.
                final UnsafeBuffer big = new UnsafeBuffer(new byte[1020]);
                for (int i = 0; i < 3; i++)
                {
                    assertTrue(open.get(0).send(big, 0, 1020));
                }
                assertTrue(open.get(0).send(big, 0, 200));
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
                int toA = 0;
                while (handles.get(0).push(frame, 0, 64, Priority.HIGH) == PushResult.ACCEPTED)
                {
                    toA++;
                }
                assertEquals(1024 / 72, toA);
                for (int i = 0; i < 5; i++)
                {
                    assertEquals(PushResult.ACCEPTED, handles.get(1).push(frame, 0, 64, Priority.HIGH));
                }
                Loopback.pumpUntil(engine, () -> closes.total() == 2, "A dropped, B closed from A's onClose");
                assertEquals(1, closes.count(CloseReason.SLOW_CONSUMER), closes.toString());
                assertEquals(1, closes.count(CloseReason.CLOSED_LOCALLY), closes.toString());
                final long sent = engine.counters(0).pushesSentHigh.get();
                assertEquals(toA + 5, sent + engine.counters(0).pushesDiscarded.get(),
                    "every frame pushed was either sent or discarded, once");
                final dev.sluice.push.ConnectionStats statsA = handles.get(0).stats();
                final dev.sluice.push.ConnectionStats statsB = handles.get(1).stats();
                assertEquals(toA, statsA.pushesSent() + statsA.pushesDiscarded(), "A's own figures: " + statsA);
                assertTrue(statsA.pushesDiscarded() > 0, "A was dropped with frames still queued: " + statsA);
                assertEquals(5, statsB.pushesDiscarded(), "B's frames, discarded at its close: " + statsB);
                assertEquals(0, statsB.pushesSent());
            }
            finally
            {
                a.close();
                b.close();
            }
            try (FrameClient c = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> open.size() == 3, "a new connection opens");
                final UnsafeBuffer hello = new UnsafeBuffer(new byte[] {7, 7});
                final long before = engine.counters(0).pushesSentHigh.get();
                assertEquals(PushResult.ACCEPTED, handles.get(2).push(hello, 0, 2, Priority.HIGH));
                Loopback.pumpUntil(engine, () -> engine.counters(0).pushesSentHigh.get() == before + 1,
                    "the loop still delivers");
                engine.doWork(0); // the flush of that iteration has run; one more is harmless
                assertArrayEquals(new byte[] {7, 7}, c.read());
            }
        }
    }
}
