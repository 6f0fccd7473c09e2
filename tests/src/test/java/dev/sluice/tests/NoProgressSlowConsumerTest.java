package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Runs the loop in invoker mode on a virtual clock: the timeout is exact and the test never sleeps. */
class NoProgressSlowConsumerTest
{
    /** Sends 8 KiB per request, but stops producing while the peer is backed up, as a careful application would. */
    static final class CarefulProducer implements ConnectionHandler
    {
        final CloseLog closes = new CloseLog();
        Connection connection;
        boolean sawBackedUp;
        private final UnsafeBuffer chunk = new UnsafeBuffer(new byte[4096]);

        @Override
        public void onOpen(final Connection c)
        {
            connection = c;
        }

        @Override
        public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
        {
            if (c.isBackedUp())
            {
                sawBackedUp = true;
                return;
            }
            c.send(chunk, 0, chunk.capacity());
            c.send(chunk, 0, chunk.capacity());
        }

        @Override
        public void onClose(final Connection c, final CloseReason reason)
        {
            closes.record(c.id(), reason);
        }
    }

    @Test
    void aPeerWhosePendingBytesMakeNoProgressIsDroppedBelowTheCapAfterTheTimeout() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final CarefulProducer handler = new CarefulProducer();
        final EngineConfig config = EngineConfig.builder()
            .threadingMode(ThreadingMode.INVOKER)
            .clock(clock)
            .noProgressTimeout(1, TimeUnit.SECONDS)
            .socketSendBufferSize(8192)
            .build();
        try (Engine engine = Engine.start(config); LogCapture log = new LogCapture("dev.sluice.engine"))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address, 8192))
            {
                Loopback.pumpUntil(engine, () -> handler.connection != null, "accept");
                final byte[] request = new byte[8];
                for (int i = 0; i < 1000 && !handler.sawBackedUp; i++)
                {
                    client.send(request);
                    final long framesIn = engine.counters(0).framesIn.get();
                    Loopback.pumpUntil(engine, () -> engine.counters(0).framesIn.get() > framesIn, "request read");
                }
                assertTrue(handler.sawBackedUp, "the peer never backed up");
                final Connection c = handler.connection;
                final int pending = c.pendingBytes();
                assertTrue(pending > 0 && pending < config.sendCap(), "below the cap: " + pending);

                clock.advance(TimeUnit.MILLISECONDS.toNanos(900));
                for (int i = 0; i < 10; i++)
                {
                    engine.doWork(0);
                }
                assertEquals(0, handler.closes.total(), "not yet: 900 ms of a 1 s timeout");
                assertTrue(c.isBackedUp());

                clock.advance(TimeUnit.MILLISECONDS.toNanos(200));
                engine.doWork(0);
                assertEquals(1, handler.closes.count(CloseReason.SLOW_CONSUMER), handler.closes.toString());
                assertEquals(1, engine.counters(0).closes(CloseReason.SLOW_CONSUMER).get());
                assertTrue(client.awaitClosedByServer());
                final String line = log.find("slow consumer");
                assertTrue(line != null && line.contains("no progress") && line.contains("1100 ms") &&
                    line.contains(pending + " bytes pending") && line.contains("peer /127.0.0.1:"),
                    "the log names the rule, the peer and the bytes: " + log);
            }
        }
    }
}
