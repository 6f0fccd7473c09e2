package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.push.Priority;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Each priority of each connection has capacity of its own: low-priority traffic filling the low queues of fifty
 * connections never makes a high-priority push fail, and every high-priority frame arrives once the readers read.
 */
class PushIsolationTest
{
    private static final int CONNECTIONS = 50;
    private static final int HIGH_PER_CONNECTION = 5;

    @Test
    void lowPriorityTrafficSaturatingFiftyConnectionsNeverRefusesAHighPriorityPush() throws Exception
    {
        final List<PushHandle> handles = new CopyOnWriteArrayList<>();
        final CloseLog closes = new CloseLog();
        final ConnectionHandler handler = new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection connection)
            {
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
            }
        };
        // Invoker mode: the loop stands still while the queues fill, so the producer meets every limit there is.
        final EngineConfig config = EngineConfig.builder().threadingMode(ThreadingMode.INVOKER)
            .socketSendBufferSize(8192).noProgressTimeout(60, TimeUnit.SECONDS).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            final List<FrameClient> clients = new ArrayList<>();
            try
            {
                for (int i = 0; i < CONNECTIONS; i++)
                {
                    clients.add(FrameClient.connect(address, 8192));
                }
                Loopback.pumpUntil(engine, () -> handles.size() == CONNECTIONS, "all connections open");

                final UnsafeBuffer low = new UnsafeBuffer(new byte[64]);
                low.putByte(0, (byte)'L');
                long lowAccepted = 0;
                for (int c = 0; c < CONNECTIONS; c++)
                {
                    while (handles.get(c).push(low, 0, 64, Priority.LOW) == PushResult.ACCEPTED)
                    {
                        lowAccepted++;
                    }
                }
                assertTrue(lowAccepted >= CONNECTIONS * 100L, "every low queue filled: " + lowAccepted);

                final UnsafeBuffer high = new UnsafeBuffer(new byte[16]);
                high.putByte(0, (byte)'H');
                for (int i = 0; i < HIGH_PER_CONNECTION; i++)
                {
                    for (int c = 0; c < CONNECTIONS; c++)
                    {
                        assertEquals(PushResult.ACCEPTED, handles.get(c).push(high, 0, 16, Priority.HIGH),
                            "high-priority push " + i + " to connection " + c);
                    }
                }

                final CountDownLatch allHigh = new CountDownLatch(CONNECTIONS);
                for (final FrameClient client : clients)
                {
                    final Thread reader = new Thread(() -> readUntilHighFrames(client, allHigh));
                    reader.setDaemon(true);
                    reader.start();
                }
                Loopback.pumpUntil(engine, () -> allHigh.getCount() == 0, "every high-priority frame arrives");
                assertEquals(0, closes.total(), "nobody was dropped: " + closes);
                assertEquals(0, engine.counters(0).closes(CloseReason.SLOW_CONSUMER).get());
            }
            finally
            {
                for (final FrameClient client : clients)
                {
                    client.close();
                }
            }
        }
    }

    private static void readUntilHighFrames(final FrameClient client, final CountDownLatch allHigh)
    {
        int highs = 0;
        try
        {
            while (highs < HIGH_PER_CONNECTION)
            {
                if (client.read()[0] == 'H')
                {
                    highs++;
                }
            }
            allHigh.countDown();
        }
        catch (final IOException ex)
        {
            // the test ended first; the latch says so
        }
    }
}
