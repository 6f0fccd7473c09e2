package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.EchoHandler;
import dev.sluice.testkit.FrameClient;
import org.junit.jupiter.api.Test;

class ShutdownTest
{
    @Test
    void closeWithTrafficInFlightEndsEveryLoopThreadAndClosesEveryClient() throws Exception
    {
        final CloseLog closes = new CloseLog();
        final Engine engine = Engine.start(EngineConfig.builder().loops(2).threadNamePrefix("shutdown-test-").build());
        final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new EchoHandler(closes));
        final List<FrameClient> clients = new ArrayList<>();
        try
        {
            for (int i = 0; i < 6; i++)
            {
                final FrameClient client = FrameClient.connect(address);
                clients.add(client);
                for (int f = 0; f < 500; f++)
                {
                    client.write(Loopback.bytes(100, f)); // echoes pile up unread: traffic in flight
                }
                client.flush();
            }
            Loopback.awaitTrue(() -> engine.counters(0).connectionsOpen.get() + engine.counters(1).connectionsOpen.get()
                == 6 && engine.counters(0).framesIn.get() + engine.counters(1).framesIn.get() > 0, "traffic flowing");
            final Thread loop0 = engine.loopThread(0);
            final Thread loop1 = engine.loopThread(1);

            engine.close();

            assertFalse(loop0.isAlive(), "loop 0 thread ended");
            assertFalse(loop1.isAlive(), "loop 1 thread ended");
            assertEquals(6, closes.count(CloseReason.ENGINE_SHUTDOWN), closes.toString());
            for (final FrameClient client : clients)
            {
                assertTrue(client.awaitClosedByServer(), "client sees the close");
            }
            engine.close(); // twice is harmless
            assertThrows(IllegalStateException.class, () -> engine.listen(Loopback.ANY_PORT, new EchoHandler(closes)));
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("shutdown-test-")), "no loop thread leaked");
        }
        finally
        {
            engine.close();
            for (final FrameClient client : clients)
            {
                client.close();
            }
        }
    }

    @Test
    void aListenerPortIsFreedByClose() throws Exception
    {
        final InetSocketAddress bound;
        try (Engine engine = Engine.start(EngineConfig.builder().build()))
        {
            bound = engine.listen(Loopback.ANY_PORT, new EchoHandler(new CloseLog()));
        }
        try (Engine again = Engine.start(EngineConfig.builder().build()))
        {
            assertEquals(bound, again.listen(bound, new EchoHandler(new CloseLog())), "the port can be bound again");
        }
    }
}
