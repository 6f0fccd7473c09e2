package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;
import org.junit.jupiter.api.Test;

/** Broker-style fan-out: 4 threads push 1,000 frames to each of 1,000 connections; every frame arrives, in order. */
class PushFanOutTest
{
    @Test
    void thousandConnectionsThousandFramesFromFourThreadsAllDelivered() throws Exception
    {
        final int connections = 1000;
        final int frames = 1000;
        final int producers = 4;
        final PushDeliveryTest.Handles handles = new PushDeliveryTest.Handles(connections);
        try (Engine engine = Engine.start(EngineConfig.builder().loops(2).maxConnections(1024).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handles);
            final int[] next = new int[connections];
            final AtomicReference<String> disorder = new AtomicReference<>();
            try (FrameReceiver receiver = new FrameReceiver(address, connections, null, (connection, payload) ->
            {
                final int seq = payload.getInt(payload.position());
                if (seq != next[connection])
                {
                    disorder.compareAndSet(null, "connection " + connection + ": " + seq + " for " + next[connection]);
                }
                next[connection] = seq + 1;
            }))
            {
                handles.awaitAll(connections);
                assertNull(handles.pushSequences(producers, connections, frames), "every push accepted");
                receiver.awaitTotal((long)connections * frames, 120_000);
                assertNull(disorder.get());
                for (int c = 0; c < connections; c++)
                {
                    assertEquals(frames, receiver.count(c), "connection " + c);
                }
                final long sent = engine.counters(0).pushesSentLow.get() + engine.counters(1).pushesSentLow.get();
                assertEquals((long)connections * frames, sent);
            }
        }
    }
}
