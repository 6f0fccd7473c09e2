package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

class SlowConsumerTest
{
    private static final int RESPONSE_FRAMES = 4;
    private static final int RESPONSE_SIZE = 4000;

    /** Answers every request with four 4000-byte frames; records refused sends and close reasons. */
    static final class BurstHandler implements ConnectionHandler
    {
        final CloseLog closes = new CloseLog();
        final AtomicInteger refusedSends = new AtomicInteger();
        final AtomicInteger maxPendingAtRefusal = new AtomicInteger();
        private final UnsafeBuffer response = new UnsafeBuffer(Loopback.bytes(RESPONSE_SIZE, 3));

        @Override
        public void onFrame(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
        {
            for (int i = 0; i < RESPONSE_FRAMES; i++)
            {
                final int pendingBefore = connection.pendingBytes();
                if (!connection.send(response, 0, RESPONSE_SIZE))
                {
                    refusedSends.incrementAndGet();
                    maxPendingAtRefusal.accumulateAndGet(pendingBefore, Math::max);
                    return;
                }
            }
        }

        @Override
        public void onClose(final Connection connection, final CloseReason reason)
        {
            closes.record(connection.id(), reason);
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedAtTheCapWhileOthersKeepReceiving() throws Exception
    {
        final BurstHandler handler = new BurstHandler();
        final EngineConfig config = EngineConfig.builder()
            .socketSendBufferSize(8192)
            .noProgressTimeout(60, TimeUnit.SECONDS) // so only the cap can drop it here
            .build();
        try (Engine engine = Engine.start(config); LogCapture log = new LogCapture("dev.sluice.engine"))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            final List<FrameClient> good = new ArrayList<>();
            try (FrameClient slow = FrameClient.connect(address, 8192))
            {
                for (int i = 0; i < 5; i++)
                {
                    good.add(FrameClient.connect(address));
                }
                final byte[] request = Loopback.bytes(8, 9);
                final byte[] expected = Loopback.bytes(RESPONSE_SIZE, 3);
                boolean slowDropped = false;
                for (int round = 0; round < 200; round++)
                {
                    if (round < 100 && !slowDropped)
                    {
                        try
                        {
                            slow.send(request); // ... and never reads
                        }
                        catch (final IOException reset)
                        {
                            slowDropped = true; // the server closed it with our requests unread: a reset
                        }
                    }
                    for (final FrameClient client : good)
                    {
                        client.send(request);
                    }
                    for (final FrameClient client : good)
                    {
                        for (int f = 0; f < RESPONSE_FRAMES; f++)
                        {
                            assertArrayEquals(expected, client.read(), "good client, round " + round);
                        }
                    }
                }
                assertTrue(handler.closes.await(CloseReason.SLOW_CONSUMER, 1, 10_000), handler.closes.toString());
                assertEquals(1, handler.refusedSends.get());
                assertTrue(handler.maxPendingAtRefusal.get() + 4 + RESPONSE_SIZE > 64 * 1024,
                    "refused only when the cap would be passed: pending was " + handler.maxPendingAtRefusal.get());
                assertEquals(1, engine.counters(0).closes(CloseReason.SLOW_CONSUMER).get());
                assertEquals(1, handler.closes.total(), "only the slow client was closed: " + handler.closes);
                assertTrue(slowDropped || slow.awaitClosedByServer(), "the slow client sees the close");
                final String line = log.find("slow consumer");
                assertTrue(line != null && line.contains("the send cap (65536 bytes) would have been passed") &&
                    line.contains("bytes pending") && line.contains("peer /127.0.0.1:"),
                    "the log names the rule, the peer and the bytes: " + log);
            }
            finally
            {
                for (final FrameClient client : good)
                {
                    client.close();
                }
            }
        }
    }
}
