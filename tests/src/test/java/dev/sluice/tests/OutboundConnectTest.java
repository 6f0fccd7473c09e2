package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.EchoHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** A gateway connecting out to an exchange uses the same loops and connection machinery. */
class OutboundConnectTest
{
    /** Sends a greeting when connected and queues what comes back. */
    static final class Greeter implements ConnectionHandler
    {
        final BlockingQueue<String> events = new ArrayBlockingQueue<>(16);

        @Override
        public void onOpen(final Connection connection)
        {
            final byte[] hello = "hello exchange".getBytes(StandardCharsets.US_ASCII);
            connection.send(new UnsafeBuffer(hello), 0, hello.length);
        }

        @Override
        public void onFrame(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
        {
            events.add("frame:" + buffer.getStringWithoutLengthAscii(offset, length));
        }

        @Override
        public void onClose(final Connection connection, final CloseReason reason)
        {
            events.add("close:" + reason);
        }
    }

    @Test
    void outboundConnectionExchangesFramesOnTheSameLoops() throws Exception
    {
        try (Engine exchange = Engine.start(EngineConfig.builder().build());
            Engine gateway = Engine.start(EngineConfig.builder().build()))
        {
            final InetSocketAddress address = exchange.listen(Loopback.ANY_PORT, new EchoHandler(new CloseLog()));
            final Greeter greeter = new Greeter();
            gateway.connect(address, greeter);
            assertEquals("frame:hello exchange", greeter.events.poll(10, TimeUnit.SECONDS));
            assertEquals(1, gateway.counters(0).connected.get());
            assertEquals(1, exchange.counters(0).accepted.get());
        }
    }

    @Test
    void aRefusedConnectIsReportedAsConnectFailed() throws Exception
    {
        final int closedPort;
        try (ServerSocket probe = new ServerSocket(0))
        {
            closedPort = probe.getLocalPort();
        }
        try (Engine gateway = Engine.start(EngineConfig.builder().build()))
        {
            final Greeter greeter = new Greeter();
            gateway.connect(new InetSocketAddress("127.0.0.1", closedPort), greeter);
            assertEquals("close:CONNECT_FAILED", greeter.events.poll(10, TimeUnit.SECONDS));
            assertEquals(1, gateway.counters(0).closes(CloseReason.CONNECT_FAILED).get());
            assertTrue(greeter.events.isEmpty());
            assertEquals(0, gateway.counters(0).connectionsOpen.get());
        }
    }
}
