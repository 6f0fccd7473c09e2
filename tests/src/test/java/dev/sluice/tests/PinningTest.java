package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.EchoHandler;
import dev.sluice.testkit.FrameClient;
import org.junit.jupiter.api.Test;

/**
 * Pinning that cannot be applied. CPU 4095 exists on no machine this runs on, so OpenHFT affinity refuses it
 * (quietly, with an unallocated lock): the engine must notice and say so.
 */
class PinningTest
{
    private static final int NO_SUCH_CPU = 4095;

    @Test
    void refusedAffinityStillServesAndReportsNotPinned() throws Exception
    {
        try (Engine engine = Engine.start(EngineConfig.builder().pinToCores(NO_SUCH_CPU).build()))
        {
            assertFalse(engine.isPinned(0));
            assertEquals(0, engine.counters(0).pinned.get());
            assertEquals(-1, engine.counters(0).pinnedCpu.get());
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new EchoHandler(new CloseLog()));
            try (FrameClient client = FrameClient.connect(address))
            {
                client.send(Loopback.bytes(20, 4));
                assertArrayEquals(Loopback.bytes(20, 4), client.read());
            }
        }
    }

    @Test
    void requirePinningRefusesToStartWithAClearMessageAndLeavesNoThread() throws Exception
    {
        final EngineConfig config = EngineConfig.builder()
            .pinToCores(NO_SUCH_CPU).requirePinning(true).threadNamePrefix("must-pin-").build();
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Engine.start(config));
        assertTrue(refused.getMessage().contains("could not be pinned"), refused.getMessage());
        assertTrue(refused.getMessage().contains("requirePinning"), refused.getMessage());
        Loopback.awaitTrue(() -> Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().startsWith("must-pin-")), "loop thread ended");
    }
}
