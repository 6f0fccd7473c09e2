package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.EchoHandler;
import dev.sluice.testkit.FrameClient;
import org.junit.jupiter.api.Test;

/** Budgets that are not set change nothing; budgets that are never reached change nothing either. */
class NoBudgetsTest
{
    private static List<byte[]> echoThrough(final EngineConfig config) throws Exception
    {
        final List<byte[]> echoed = new ArrayList<>();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new EchoHandler(new CloseLog()));
            try (FrameClient client = FrameClient.connect(address))
            {
                for (int i = 0; i < 500; i++)
                {
                    client.write(Loopback.bytes(1 + i * 7 % 3000, i));
                }
                client.flush();
                for (int i = 0; i < 500; i++)
                {
                    echoed.add(client.read());
                }
            }
        }
        return echoed;
    }

    @Test
    void unsetAndUnreachedBudgetsGiveTheSameFramesInTheSameOrder() throws Exception
    {
        final List<byte[]> plain = echoThrough(EngineConfig.builder().build());
        final List<byte[]> budgeted = echoThrough(EngineConfig.builder().memoryBudgets(60_000, 64 * 1024, 1 << 30)
            .build());
        assertEquals(500, plain.size());
        for (int i = 0; i < 500; i++)
        {
            org.junit.jupiter.api.Assertions.assertArrayEquals(plain.get(i), budgeted.get(i), "frame " + i);
            org.junit.jupiter.api.Assertions.assertArrayEquals(Loopback.bytes(1 + i * 7 % 3000, i), plain.get(i));
        }
    }
}
