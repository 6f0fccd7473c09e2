package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * One error path: every exception a loop catches and did not expect reaches the configured error handler and the
 * loop's {@code errors} counter; the connection whose callback threw is closed with its own reason, and nobody else
 * notices. And the loop-only methods of a connection check, under assertions, that they run on the loop thread.
 */
class ErrorHandlerTest
{
    /** Echoes, except that a frame starting with 1 makes onFrame throw and a close makes onClose throw. */
    static final class Faulty implements ConnectionHandler
    {
        final CloseLog closes = new CloseLog();

        @Override
        public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
        {
            if (buffer.getByte(offset) == 1)
            {
                throw new IllegalStateException("onFrame failed on purpose");
            }
            c.send(buffer, offset, length);
        }

        @Override
        public void onClose(final Connection connection, final CloseReason reason)
        {
            closes.record(connection.id(), reason);
            throw new IllegalArgumentException("onClose failed on purpose");
        }
    }

    @Test
    void aThrowingCallbackReachesTheErrorHandlerIsCountedAndClosesOnlyItsConnection() throws Exception
    {
        final List<Throwable> reported = new CopyOnWriteArrayList<>();
        final Faulty handler = new Faulty();
        try (Engine engine = Engine.start(EngineConfig.builder().errorHandler(reported::add).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient neighbour = FrameClient.connect(address);
                FrameClient offender = FrameClient.connect(address))
            {
                neighbour.send(new byte[] {2, 3});
                assertArrayEquals(new byte[] {2, 3}, neighbour.read());

                offender.send(new byte[] {1});
                assertTrue(offender.awaitClosedByServer(), "the offender is closed");
                assertTrue(handler.closes.await(CloseReason.HANDLER_ERROR, 1, 10_000));
                Loopback.awaitTrue(() -> reported.size() == 2, "both failures reported");

                assertEquals("onFrame failed on purpose", reported.get(0).getMessage());
                assertEquals("onClose failed on purpose", reported.get(1).getMessage());
                assertEquals(2, engine.counters(0).errors.get());
                assertEquals(1, engine.counters(0).closes(CloseReason.HANDLER_ERROR).get());

                neighbour.send(new byte[] {4});
                assertArrayEquals(new byte[] {4}, neighbour.read(), "the neighbour is served as before");
                assertEquals(1, handler.closes.total(), "nobody else was closed");
            }
        }
    }

    @Test
    void anErrorHandlerThatThrowsDoesNotStopTheLoop() throws Exception
    {
        final Faulty handler = new Faulty();
        final EngineConfig config = EngineConfig.builder()
            .errorHandler(error ->
            {
                throw new IllegalStateException("the error handler failed too");
            })
            .build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient offender = FrameClient.connect(address))
            {
                offender.send(new byte[] {1});
                assertTrue(offender.awaitClosedByServer());
            }
            try (FrameClient next = FrameClient.connect(address))
            {
                next.send(new byte[] {5});
                assertArrayEquals(new byte[] {5}, next.read(), "the loop still serves new connections");
                // onFrame and onClose of the offender; read while next is open (its own onClose throws too)
                assertEquals(2, engine.counters(0).errors.get());
            }
        }
    }

    @Test
    void sendingOnAConnectionFromAnotherThreadFailsTheOwnerCheck() throws Exception
    {
        assumeTrue(ErrorHandlerTest.class.desiredAssertionStatus(), "the owner check runs under -ea");
        final AtomicReference<Connection> opened = new AtomicReference<>();
        final ConnectionHandler keep = new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection connection)
            {
                opened.set(connection);
            }

            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
                c.send(buffer, offset, length);
            }
        };
        try (Engine engine = Engine.start(EngineConfig.builder().build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, keep);
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.awaitTrue(() -> opened.get() != null, "connection open");
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[] {9});
                assertThrows(AssertionError.class, () -> opened.get().send(payload, 0, 1));
                client.send(new byte[] {7});
                assertArrayEquals(new byte[] {7}, client.read(), "the connection itself is unharmed");
            }
        }
    }
}
