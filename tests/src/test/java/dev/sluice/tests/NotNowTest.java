package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

/**
 * Application back-pressure: a handler that answers "not now" keeps its frame, reading pauses, and delivery resumes
 * at a timer tick, in order, each frame once. Invoker mode on a virtual clock.
 */
class NotNowTest
{
    /** Takes frames only while {@link #accepting}; records the sequence numbers it took. */
    static final class Busy implements ConnectionHandler
    {
        boolean accepting;
        final List<Integer> taken = new ArrayList<>();
        Connection connection;

        @Override
        public void onOpen(final Connection c)
        {
            connection = c;
        }

        @Override
        public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
        {
            if (!accepting)
            {
                c.notNow();
                return;
            }
            taken.add(buffer.getInt(offset, ByteOrder.BIG_ENDIAN));
        }
    }

    private static byte[] frame(final int seq)
    {
        return java.nio.ByteBuffer.allocate(4).putInt(seq).array();
    }

    @Test
    void notNowKeepsTheFramePausesReadingAndDeliversEverythingOnceInOrderLater() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final Busy handler = new Busy();
        try (Engine engine = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock)
            .timerInterval(10, TimeUnit.MILLISECONDS).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> handler.connection != null, "open");
                for (int i = 0; i < 50; i++)
                {
                    client.write(frame(i));
                }
                client.flush();
                Loopback.pumpUntil(engine, () -> engine.counters(0).readPauses.get() == 1, "paused");
                assertTrue(handler.connection.isReadPaused());
                assertEquals(0, handler.taken.size());
                assertEquals(0, engine.counters(0).framesIn.get(), "a kept frame is not counted as delivered");

                for (int i = 50; i < 100; i++)
                {
                    client.write(frame(i)); // arrives while reading is paused
                }
                client.flush();
                clock.advance(20_000_000L);
                engine.doWork(0);
                assertEquals(0, handler.taken.size(), "retried at the tick, still not now");
                assertEquals(1, engine.counters(0).readPauses.get(), "one pause, however many retries");

                handler.accepting = true;
                clock.advance(20_000_000L);
                Loopback.pumpUntil(engine, () -> handler.taken.size() == 100, "all delivered after resuming");
                for (int i = 0; i < 100; i++)
                {
                    assertEquals(i, handler.taken.get(i), "in order, each once");
                }
                assertEquals(100, engine.counters(0).framesIn.get());
                assertTrue(!handler.connection.isReadPaused());
            }
        }
    }
}
