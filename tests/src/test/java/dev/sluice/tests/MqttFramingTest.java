package dev.sluice.tests;

import dev.sluice.codec.FrameCodec;
import dev.sluice.examples.mqtt.MqttFrameCodec;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The MQTT Remaining Length framing, at its boundaries. */
class MqttFramingTest
{
    private final MqttFrameCodec codec = new MqttFrameCodec(300_000);

    @ParameterizedTest(name = "remaining length {0}")
    @CsvSource({"0, 1", "127, 1", "128, 2", "16383, 2", "16384, 3", "2097151, 3", "2097152, 4", "268435455, 4"})
    void aRemainingLengthTakesOneToFourBytesAndReadsBack(final int length, final int bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        assertEquals(bytes, MqttFrameCodec.putRemainingLength(buffer, 1, length));
        assertEquals(bytes, MqttFrameCodec.remainingLengthBytes(length));
        final long total = 1L + bytes + length;
        final int result = new MqttFrameCodec(Integer.MAX_VALUE).frameLength(buffer, 0, 1 + bytes);
        assertEquals(length == 0 ? 2 : FrameCodec.NEED_MORE, result, "the header alone is a whole packet only empty");
        if (total <= Integer.MAX_VALUE && length > 0)
        {
            assertEquals((int)total, new MqttFrameCodec(Integer.MAX_VALUE).frameLength(buffer, 0, (int)total));
        }
    }

    @Test
    void aPacketIsWholeOnlyOnceAllItsBytesAreThere()
    {
        final byte[] packet = {0x30, 5, 0, 1, 'a', 'h', 'i', 0x30};
        final UnsafeBuffer buffer = new UnsafeBuffer(packet);
        for (int available = 0; available < 7; available++)
        {
            assertEquals(FrameCodec.NEED_MORE, codec.frameLength(buffer, 0, available), available + " bytes");
        }
        assertEquals(7, codec.frameLength(buffer, 0, 7));
        assertEquals(7, codec.frameLength(buffer, 0, 8), "the next packet's first byte is not this one's");
    }

    @Test
    void aFifthLengthByteAndAnOversizedPacketAreErrors()
    {
        final UnsafeBuffer five = new UnsafeBuffer(new byte[] {0x30, -1, -1, -1, -1, 1});
        assertEquals(MqttFrameCodec.BAD_LENGTH, codec.frameLength(five, 0, 6));
        final UnsafeBuffer big = new UnsafeBuffer(new byte[8]);
        MqttFrameCodec.putRemainingLength(big, 1, 300_000);
        assertEquals(MqttFrameCodec.TOO_LARGE, codec.frameLength(big, 0, 4), "known too large before it arrives");
        assertEquals("MQTT packet larger than 300000 bytes", codec.describeError(MqttFrameCodec.TOO_LARGE, big, 0));
        assertEquals("MQTT Remaining Length longer than four bytes",
            codec.describeError(MqttFrameCodec.BAD_LENGTH, five, 0));
    }
}
