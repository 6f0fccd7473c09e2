package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.EchoHandler;
import dev.sluice.testkit.FrameClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MalformedFrameTest
{
    @ParameterizedTest(name = "length prefix {0}")
    @ValueSource(ints = {-1, Integer.MIN_VALUE, 1025, Integer.MAX_VALUE, 0})
    void badLengthPrefixClosesOnlyTheOffenderWhileTheNeighbourKeepsEchoing(final int lengthPrefix) throws Exception
    {
        final CloseLog closes = new CloseLog();
        final EngineConfig config = EngineConfig.builder().receiveBufferSize(2048).maxFrameLength(1024).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new EchoHandler(closes));
            try (FrameClient neighbour = FrameClient.connect(address);
                FrameClient offender = FrameClient.connect(address))
            {
                neighbour.send(Loopback.bytes(100, 1));
                assertArrayEquals(Loopback.bytes(100, 1), neighbour.read());

                offender.send(Loopback.bytes(10, 2));
                assertArrayEquals(Loopback.bytes(10, 2), offender.read(), "valid frames before the bad one echo");
                offender.writeRaw(ByteBuffer.allocate(8).putInt(lengthPrefix).putInt(42).array());
                offender.flush();

                assertTrue(offender.awaitClosedByServer(), "the offender is closed");
                assertTrue(closes.await(CloseReason.MALFORMED_FRAME, 1, 10_000));
                assertEquals(1, engine.counters(0).closes(CloseReason.MALFORMED_FRAME).get());

                for (int i = 0; i < 100; i++)
                {
                    neighbour.send(Loopback.bytes(1 + i, i));
                    assertArrayEquals(Loopback.bytes(1 + i, i), neighbour.read());
                }
                assertEquals(1, closes.total(), "nobody else was closed: " + closes);
                assertEquals(1, engine.counters(0).connectionsOpen.get());
            }
        }
    }
}
