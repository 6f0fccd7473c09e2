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
            EngineConfig.builder().idleKeepAlive(1, TimeUnit.SECONDS, new byte[0]).build());
        assertTrue(empty.getMessage().contains("keep-alive"), empty.getMessage());
        EngineConfig.builder().allowZeroLengthFrames(true).idleKeepAlive(1, TimeUnit.SECONDS, new byte[0]).build();
        final IllegalArgumentException emptyHeartbeat = assertThrows(IllegalArgumentException.class, () ->
            EngineConfig.builder().periodicHeartbeat(1, TimeUnit.SECONDS, new byte[0]).build());
        assertTrue(emptyHeartbeat.getMessage().contains("heartbeat"), emptyHeartbeat.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().maxFrameLength(16)
            .periodicHeartbeat(1, TimeUnit.SECONDS, new byte[17]).build(), "a heartbeat must fit a frame");
        final IllegalArgumentException tooFast = assertThrows(IllegalArgumentException.class, () ->
            EngineConfig.builder().periodicHeartbeat(5, TimeUnit.MILLISECONDS, new byte[] {1}).build());
        assertTrue(tooFast.getMessage().contains("timerInterval"), "sent at the timer's cadence: " + tooFast);
        EngineConfig.builder().timerInterval(5, TimeUnit.MILLISECONDS)
            .periodicHeartbeat(5, TimeUnit.MILLISECONDS, new byte[] {1}).build();

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
        final dev.sluice.push.PushConfig.Builder smallHigh =
            dev.sluice.push.PushConfig.builder().queueBytes(1024, 32768);
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () ->
            EngineConfig.builder().sendCap(32768).maxFrameLength(2048)
                .push(smallHigh.lowPriorityShedShare(0.9).build()).build());
        assertTrue(refused.getMessage().contains("lowPriorityShedShare"), refused.getMessage());
        // 9,831 bytes above the share: a batch of the 32 KiB low queue (4,096 bytes + a header) fits.
        EngineConfig.builder().sendCap(32768).maxFrameLength(2048)
            .push(smallHigh.lowPriorityShedShare(0.7).build()).build();
    }

    @Test
    void queuesThatCouldTakeAPeerPastTheCapAfterItsProducersHeldBackAreRefused()
    {
        // Defaults: twice the 8 KiB high queue + the 32 KiB shed share + one 4 KiB low batch = 53,252 <= 65,536.
        EngineConfig.builder().build();
        final IllegalArgumentException bigHigh = assertThrows(IllegalArgumentException.class, () ->
            EngineConfig.builder().push(dev.sluice.push.PushConfig.builder().queueBytes(16384, 32768).build()).build());
        assertTrue(bigHigh.getMessage().contains("skips backed-up peers") &&
            bigHigh.getMessage().contains("69636"), bigHigh.getMessage()); // 32,768 + 32,768 + 4,100
        // Without shedding, the low queue counts like the high one: 16 KiB + 64 KiB.
        final IllegalArgumentException noShedding = assertThrows(IllegalArgumentException.class, () ->
            EngineConfig.builder().push(dev.sluice.push.PushConfig.builder().lowPriorityShedShare(1).build()).build());
        assertTrue(noShedding.getMessage().contains("twice the low queue"), noShedding.getMessage());
        EngineConfig.builder().push(dev.sluice.push.PushConfig.builder().lowPriorityShedShare(1)
            .queueBytes(8192, 16384).build()).build();
        // A codec header longer than 4 bytes makes every queued frame longer on the wire.
        assertThrows(IllegalArgumentException.class, () -> EngineConfig.builder().sendCap(16384)
            .push(dev.sluice.push.PushConfig.builder().queueBytes(2048, 4096).build())
            .codec(new TwelveByteHeaders()).build());
        EngineConfig.builder().sendCap(32768)
            .push(dev.sluice.push.PushConfig.builder().queueBytes(2048, 4096).build())
            .codec(new TwelveByteHeaders()).build();
    }

    @Test
    void groupFramesLeaveRoomForAMembersOwnPushes()
    {
        final EngineConfig defaults = EngineConfig.builder().build();
        assertEquals(65536 - 2 * 8192, defaults.groupHighRoom(), "the cap less twice the high queue");
        assertEquals(32768, defaults.groupLowRoom(), "the shed share, where the member's own low pushes stop");
        final EngineConfig noShedding = EngineConfig.builder().push(dev.sluice.push.PushConfig.builder()
            .lowPriorityShedShare(1).queueBytes(8192, 16384).build()).build();
        assertEquals(65536 - 2 * 8192 - 2 * 16384, noShedding.groupHighRoom(), "and twice the low queue without it");
        assertEquals(noShedding.groupHighRoom(), noShedding.groupLowRoom());
    }

    /** A codec with a 12-byte header: a frame queued in 4 + payload bytes takes 12 + payload on the wire. */
    private static final class TwelveByteHeaders implements dev.sluice.codec.FrameCodec
    {
        @Override
        public int headerLength()
        {
            return 12;
        }

        @Override
        public int maxFrameLength()
        {
            return 1024;
        }

        @Override
        public int frameLength(final org.agrona.DirectBuffer buffer, final int offset, final int available)
        {
            return available < 12 ? NEED_MORE : 12 + buffer.getInt(offset);
        }

        @Override
        public void encodeHeader(final org.agrona.MutableDirectBuffer buffer, final int offset, final int length)
        {
            buffer.putInt(offset, length);
            buffer.putLong(offset + 4, 0);
        }

        @Override
        public String describeError(final int errorCode, final org.agrona.DirectBuffer buffer, final int offset)
        {
            return "never";
        }
    }
}
