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

    @Test
    void heartbeatsAndTheGateAreCheckedAgainstTheCodecAndTheSendCap()
    {
        final IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () ->
            EngineConfig.builder().heartbeats(1, TimeUnit.SECONDS, new byte[0]).build());
        assertTrue(empty.getMessage().contains("heartbeat"), empty.getMessage());
        EngineConfig.builder().allowZeroLengthFrames(true).heartbeats(1, TimeUnit.SECONDS, new byte[0]).build();

        final dev.sluice.gate.DurabilityModes modes = dev.sluice.gate.DurabilityModes.standard(
            new java.util.concurrent.atomic.AtomicInteger(0));
        final dev.sluice.gate.AtomicClusterCursors cursors = new dev.sluice.gate.AtomicClusterCursors(1);
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().sendCap(1024).receiveBufferSize(1024)
            .gate(new dev.sluice.gate.GateConfig(cursors, modes, 1 << 16, 1024,
                dev.sluice.gate.BatchEndEncoder.SEQUENCE, 1020, 1_000_000L)).build(),
            "a terminator that cannot leave room for a response in the send cap");
    }

    @Test
    void aShedShareThatLeavesNoRoomForTheLargestLowPriorityPushOrBatchIsRefused()
    {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () ->
            EngineConfig.builder().sendCap(16384).maxFrameLength(2048)
                .push(dev.sluice.push.PushConfig.builder().lowPriorityShedShare(0.9).build()).build());
        assertTrue(refused.getMessage().contains("lowPriorityShedShare"), refused.getMessage());
        // 4,915 bytes above the share: a batch of the default 32 KiB low queue (4,096 bytes + a header) fits.
        EngineConfig.builder().sendCap(16384).maxFrameLength(2048)
            .push(dev.sluice.push.PushConfig.builder().lowPriorityShedShare(0.7).build()).build();
    }
}
