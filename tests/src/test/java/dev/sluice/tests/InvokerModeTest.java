package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.stats.LoopCounters;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

/** The caller drives the loop; each stage is observed as it happens. */
class InvokerModeTest
{
    /** Records each callback in order and echoes frames. */
    static final class Recorder implements ConnectionHandler
    {
        final List<String> events = new ArrayList<>();

        @Override
        public void onOpen(final Connection connection)
        {
            events.add("open");
        }

        @Override
        public void onFrame(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
        {
            events.add("frame:" + length);
            connection.send(buffer, offset, length);
        }

        @Override
        public void onClose(final Connection connection, final CloseReason reason)
        {
            events.add("close:" + reason);
        }
    }

    @Test
    void callerDrivesAcceptReadDispatchAndFlushStepByStep() throws Exception
    {
        final Recorder recorder = new Recorder();
        try (Engine engine = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).build()))
        {
            assertNull(engine.loopThread(0), "no thread started");
            final LoopCounters counters = engine.counters(0);
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, recorder);
            assertEquals(1, engine.doWork(0), "the first iteration registers the listener");
            assertEquals(0, engine.doWork(0), "then nothing to do");

            try (FrameClient client = FrameClient.connect(address))
            {
                assertEquals(0, counters.accepted.get(), "nothing happens until the caller drives the loop");
                Loopback.pumpUntil(engine, () -> counters.accepted.get() == 1, "accept");
                assertEquals(List.of("open"), recorder.events);

                client.send(Loopback.bytes(24, 6));
                assertEquals(0, counters.framesIn.get());
                Loopback.pumpUntil(engine, () -> counters.framesIn.get() == 1, "read and dispatch");
                assertEquals(List.of("open", "frame:24"), recorder.events);
                assertEquals(1, counters.framesOut.get(), "the reply was appended during dispatch");
                assertEquals(28, counters.bytesOut.get(), "and flushed in the same iteration");
                assertArrayEquals(Loopback.bytes(24, 6), client.read());
            }
            Loopback.pumpUntil(engine, () -> recorder.events.size() == 3, "close seen");
            assertEquals("close:PEER_CLOSED", recorder.events.get(2));
            assertTrue(counters.busyIterations.get() > 0 && counters.idleIterations.get() > 0);
        }
    }

    @Test
    void doWorkIsRefusedWhenTheEngineRunsItsOwnThreads() throws Exception
    {
        try (Engine engine = Engine.start(EngineConfig.builder().build()))
        {
            assertThrows(IllegalStateException.class, () -> engine.doWork(0));
        }
    }
}
