package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.List;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;
import dev.sluice.examples.BrokerFanOutExample;
import dev.sluice.examples.HeartbeatDuringStreamExample;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushHandle;
import dev.sluice.testkit.FrameClient;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The push examples of the users' guide, run as written. */
class PushExamplesTest
{
    @Test
    void heartbeatsArriveWhileALongStreamIsStillGoing() throws Exception
    {
        final PushDeliveryTest.Handles handles = new PushDeliveryTest.Handles(1);
        try (Engine engine = Engine.start(EngineConfig.builder().sendCap(1 << 20).maxConnections(4).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handles);
            try (FrameClient client = FrameClient.connect(address))
            {
                handles.awaitAll(1);
                final PushHandle handle = handles.byOrder.get(0);
                final Thread heartbeats = HeartbeatDuringStreamExample.heartbeats(handle, 1);
                final int frames = 200_000;
                final Thread streamer = new Thread(() -> HeartbeatDuringStreamExample.stream(handle, frames));
                streamer.start();
                int streamed = 0;
                int heartbeatsDuringStream = 0;
                while (streamed < frames)
                {
                    final byte[] frame = client.read();
                    if (frame[0] == 'S')
                    {
                        streamed++;
                    }
                    else if (streamed > 0)
                    {
                        heartbeatsDuringStream++;
                    }
                }
                heartbeats.interrupt();
                streamer.join();
                assertTrue(heartbeatsDuringStream > 0, "heartbeats interleaved with the stream");
                assertTrue(engine.counters(0).pushesSentHigh.get() >= heartbeatsDuringStream);
            }
        }
    }

    @Test
    void fanOutWithDropIfFullNeverBlocksThePublisher() throws Exception
    {
        final PushConfig smallQueues = PushConfig.builder().queueBytes(128, 128).build(); // eight 5-byte frames
        try (PushHarness first = new PushHarness(smallQueues); PushHarness second = new PushHarness(smallQueues))
        {
            final List<PushHandle> subscribers = List.of(first.handle, second.handle);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[] {'q', 'u', 'o', 't', 'e'});
            int queued = 0;
            for (int i = 0; i < 100; i++)
            {
                queued += BrokerFanOutExample.publish(subscribers, message, 0, 5); // the loops are not running
            }
            assertEquals(16, queued, "a queue's worth each");
            assertEquals(92, first.engine.counters(0).pushesDropped.get());
            assertEquals(92, second.engine.counters(0).pushesDropped.get());
            first.runLoop();
            second.runLoop();
            assertEquals(Collections.nCopies(8, "quote"), first.read(8));
            assertEquals(Collections.nCopies(8, "quote"), second.read(8));
        }
    }
}
