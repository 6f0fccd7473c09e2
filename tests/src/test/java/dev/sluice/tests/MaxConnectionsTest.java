package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.stats.LoopCounters;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.EchoHandler;
import dev.sluice.testkit.FrameClient;
import org.junit.jupiter.api.Test;

class MaxConnectionsTest
{
    @Test
    void peersBeyondTheLimitAreClosedAtOnceAndCounted() throws Exception
    {
        try (Engine engine = Engine.start(EngineConfig.builder().maxConnections(4).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new EchoHandler(new CloseLog()));
            final List<FrameClient> clients = new ArrayList<>();
            try
            {
                for (int i = 0; i < 4; i++)
                {
                    clients.add(FrameClient.connect(address));
                }
                for (final FrameClient client : clients)
                {
                    client.send(Loopback.bytes(16, 1));
                    assertArrayEquals(Loopback.bytes(16, 1), client.read());
                }
                for (int i = 0; i < 2; i++)
                {
                    try (FrameClient extra = FrameClient.connect(address))
                    {
                        assertTrue(extra.awaitClosedByServer(), "extra peer " + i + " closed");
                    }
                }
                assertEquals(2, engine.counters(0).rejected.get());
                assertEquals(4, engine.counters(0).connectionsOpen.get());

                clients.remove(0).close();
                Loopback.awaitTrue(() -> engine.counters(0).connectionsOpen.get() == 3, "slot freed");
                try (FrameClient late = FrameClient.connect(address))
                {
                    late.send(Loopback.bytes(16, 2));
                    assertArrayEquals(Loopback.bytes(16, 2), late.read(), "a freed slot serves a new peer");
                }
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

    @Test
    void connectionSlotsAreRecycledAndTheHeapDoesNotGrowPerConnection() throws Exception
    {
        final Set<Connection> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        final EchoHandler echo = new EchoHandler(new CloseLog());
        final int max = 8;
        try (Engine engine = Engine.start(EngineConfig.builder().maxConnections(max).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new ConnectionHandler()
            {
                @Override
                public void onOpen(final Connection connection)
                {
                    distinct.add(connection);
                }

                @Override
                public void onFrame(final Connection c, final org.agrona.DirectBuffer b, final int o, final int l)
                {
                    echo.onFrame(c, b, o, l);
                }
            });
            final LoopCounters counters = engine.counters(0);
            cycles(address, counters, 500); // warm-up
            final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            final long heapBefore = usedHeapAfterGc(memory);
            cycles(address, counters, 3000);
            final long heapAfter = usedHeapAfterGc(memory);

            assertEquals(3500, counters.accepted.get());
            assertEquals(0, counters.rejected.get());
            assertTrue(distinct.size() <= max, "connection objects are recycled: " + distinct.size() + " seen");
            final long growth = heapAfter - heapBefore;
            assertTrue(growth < 1024 * 1024,
                "retained heap grew by " + growth + " bytes over 3000 connections (" + growth / 3000 + " B each)");
        }
    }

    private static void cycles(final InetSocketAddress address, final LoopCounters counters, final int connections)
        throws IOException, InterruptedException
    {
        final byte[] payload = Loopback.bytes(32, 5);
        for (int done = 0; done < connections; done += 4)
        {
            final FrameClient[] batch = new FrameClient[4];
            for (int i = 0; i < batch.length; i++)
            {
                batch[i] = FrameClient.connect(address);
                batch[i].send(payload);
            }
            for (final FrameClient client : batch)
            {
                assertArrayEquals(payload, client.read());
                client.close();
            }
            Loopback.awaitTrue(() -> counters.connectionsOpen.get() == 0, "all closed");
        }
    }

    private static long usedHeapAfterGc(final MemoryMXBean memory)
    {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++)
        {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
