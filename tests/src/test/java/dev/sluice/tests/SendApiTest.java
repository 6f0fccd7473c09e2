package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

class SendApiTest
{
    /** Answers each frame with its bytes reversed, encoded in place; throws on a frame starting with 0x7F. */
    static final class ReverseInPlace implements ConnectionHandler
    {
        final CloseLog closes = new CloseLog();
        final AtomicReference<String> misuse = new AtomicReference<>();

        @Override
        public void onFrame(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
        {
            if (buffer.getByte(offset) == 0x7F)
            {
                throw new IllegalStateException("application bug");
            }
            final int at = connection.claim(length + 16);
            final MutableDirectBuffer out = connection.sendBuffer();
            for (int i = 0; i < length; i++)
            {
                out.putByte(at + i, buffer.getByte(offset + length - 1 - i));
            }
            try
            {
                connection.send(buffer, offset, length);
                misuse.set("send during an open claim was accepted");
            }
            catch (final IllegalStateException expected)
            {
                // sending while a claim is open must be refused
            }
            connection.commit(length); // shorter than claimed: only what was written goes out
        }

        @Override
        public void onClose(final Connection connection, final CloseReason reason)
        {
            closes.record(connection.id(), reason);
        }
    }

    @Test
    void claimEncodeInPlaceAndCommitSendsExactlyTheCommittedBytes() throws Exception
    {
        final ReverseInPlace handler = new ReverseInPlace();
        try (Engine engine = Engine.start(EngineConfig.builder().build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address))
            {
                for (int i = 0; i < 100; i++)
                {
                    client.send(new byte[] {1, 2, 3, (byte)i});
                    assertArrayEquals(new byte[] {(byte)i, 3, 2, 1}, client.read());
                }
            }
            assertEquals(null, handler.misuse.get());
        }
    }

    @Test
    void aHandlerThatThrowsClosesOnlyItsConnection() throws Exception
    {
        final ReverseInPlace handler = new ReverseInPlace();
        try (Engine engine = Engine.start(EngineConfig.builder().build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient good = FrameClient.connect(address); FrameClient bad = FrameClient.connect(address))
            {
                bad.send(new byte[] {0x7F, 1});
                assertTrue(bad.awaitClosedByServer());
                assertTrue(handler.closes.await(CloseReason.HANDLER_ERROR, 1, 10_000));
                good.send(new byte[] {5, 6});
                assertArrayEquals(new byte[] {6, 5}, good.read());
                assertEquals(1, handler.closes.total());
            }
        }
    }
}
