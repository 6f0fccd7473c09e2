package dev.sluice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class EngineConfigTest
{
    @Test
    void defaultsAreTheDocumentedOnes()
    {
        final EngineConfig c = EngineConfig.builder().build();
        assertEquals(1, c.loops());
        assertEquals(ThreadingMode.DEDICATED, c.threadingMode());
        assertEquals(IdleMode.BLOCKING, c.idleMode());
        assertEquals(PinningMode.NONE, c.pinningMode());
        assertEquals(1024, c.maxConnections());
        assertEquals(64 * 1024, c.sendCap());
        assertEquals(64 * 1024, c.receiveBufferSize());
        assertEquals(64 * 1024 - 4, c.codec().maxFrameLength());
        assertEquals(TimeUnit.SECONDS.toNanos(2), c.noProgressTimeoutNs());
        assertTrue(c.tcpNoDelay());
        assertTrue(c.reuseAddress());
    }

    @Test
    void settingsThatCannotWorkTogetherAreRefusedWithTheirName()
    {
        final IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
            () -> EngineConfig.builder().receiveBufferSize(1024).maxFrameLength(2000).build());
        assertTrue(tooLarge.getMessage().contains("receive buffer"), tooLarge.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().loops(0).build());
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().requirePinning(true).build());
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().maxFrameLength(1 << 20)
            .receiveBufferSize(2 << 20).build(), "a frame larger than the send cap could never be sent");
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder()
            .threadingMode(ThreadingMode.INVOKER).pinToAnyCore().build());
    }
}
