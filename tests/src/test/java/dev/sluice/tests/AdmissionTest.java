package dev.sluice.tests;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sluice.config.AdmissionConfig;
import dev.sluice.config.EngineConfig;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.EchoHandler;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits for an open port: peers outside the allowed ranges or refused by the accept filter are closed before any of
 * their bytes is read and never reach the handler; an address past its per-address limit gets no further connection
 * until one of its own closes; each refusal is counted, and the admitted peers are served as usual.
 */
class AdmissionTest
{
    @Test
    void aPeerOutsideTheAllowedRangesIsClosedUnreadAndNeverOpened() throws Exception
    {
        final AtomicInteger opened = new AtomicInteger();
        final EngineConfig config = EngineConfig.builder()
            .admission(AdmissionConfig.builder().allow("10.0.0.0/8", "::1").build()).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, counting(opened));
            try (FrameClient stranger = FrameClient.connect(address))
            {
                stranger.send(Loopback.bytes(16, 1));
                assertTrue(stranger.awaitClosedByServer(), "127.0.0.1 is outside 10.0.0.0/8 and ::1");
            }
            assertEquals(1, engine.counters(0).rejectedByFilter.get());
            assertEquals(0, engine.counters(0).framesIn.get(), "nothing of its was read");
            assertEquals(0, engine.counters(0).accepted.get());
            assertEquals(0, opened.get(), "the handler never saw it");
        }
    }

    @Test
    void aFilterThatRefusesOrThrowsClosesThePeerAndTheAdmittedAreServed() throws Exception
    {
        final AtomicInteger calls = new AtomicInteger();
        final EngineConfig config = EngineConfig.builder().admission(AdmissionConfig.builder()
            .allow("127.0.0.0/8")
            .filter(a ->
            {
                final int call = calls.incrementAndGet();
                if (call == 2)
                {
                    throw new IllegalStateException("a filter that fails refuses");
                }
                return call != 1; // the first peer is refused, the third admitted
            }).build()).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new EchoHandler(new CloseLog()));
            for (int i = 0; i < 2; i++)
            {
                try (FrameClient refused = FrameClient.connect(address))
                {
                    assertTrue(refused.awaitClosedByServer(), "peer " + i + " refused");
                }
            }
            try (FrameClient admitted = FrameClient.connect(address))
            {
                admitted.send(Loopback.bytes(16, 3));
                assertArrayEquals(Loopback.bytes(16, 3), admitted.read(), "an admitted peer is served");
            }
            assertEquals(2, engine.counters(0).rejectedByFilter.get());
        }
    }

    @Test
    void anAddressPastItsLimitIsRefusedUntilOneOfItsConnectionsCloses() throws Exception
    {
        final EngineConfig config = EngineConfig.builder().loops(2)
            .admission(AdmissionConfig.builder().maxConnectionsPerAddress(3).build()).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new EchoHandler(new CloseLog()));
            final List<FrameClient> clients = new ArrayList<>();
            try
            {
                for (int i = 0; i < 3; i++)
                {
                    clients.add(FrameClient.connect(address));
                    clients.get(i).send(Loopback.bytes(16, i));
                    assertArrayEquals(Loopback.bytes(16, i), clients.get(i).read());
                }
                try (FrameClient fourth = FrameClient.connect(address))
                {
                    assertTrue(fourth.awaitClosedByServer(), "a fourth connection from 127.0.0.1 is refused");
                }
                Loopback.awaitTrue(() -> rejectedPerAddress(engine) == 1, "counted by the loop that refused it");
                clients.remove(0).close();
                Loopback.awaitTrue(() -> open(engine) == 2, "one of its connections closed");
                try (FrameClient again = FrameClient.connect(address))
                {
                    again.send(Loopback.bytes(16, 9));
                    assertArrayEquals(Loopback.bytes(16, 9), again.read(), "room again after a close");
                }
                assertEquals(1, rejectedPerAddress(engine));
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

    private static long rejectedPerAddress(final Engine engine)
    {
        return engine.counters(0).rejectedPerAddress.get() + engine.counters(1).rejectedPerAddress.get();
    }

    private static long open(final Engine engine)
    {
        return engine.counters(0).connectionsOpen.get() + engine.counters(1).connectionsOpen.get();
    }

    private static ConnectionHandler counting(final AtomicInteger opened)
    {
        final EchoHandler echo = new EchoHandler(new CloseLog());
        return new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection connection)
            {
                opened.incrementAndGet();
            }

            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
                echo.onFrame(c, buffer, offset, length);
            }
        };
    }
}
