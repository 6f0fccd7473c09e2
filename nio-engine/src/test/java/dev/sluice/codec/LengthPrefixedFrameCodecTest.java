package dev.sluice.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class LengthPrefixedFrameCodecTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);

    @Test
    void wholeFrameIsReportedWithItsHeader()
    {
        final LengthPrefixedFrameCodec codec = new LengthPrefixedFrameCodec(ByteOrder.BIG_ENDIAN, 32, false);
        codec.encodeHeader(buffer, 0, 10);
        assertEquals(FrameCodec.NEED_MORE, codec.frameLength(buffer, 0, 3));
        assertEquals(FrameCodec.NEED_MORE, codec.frameLength(buffer, 0, 13));
        assertEquals(14, codec.frameLength(buffer, 0, 14));
        assertEquals(14, codec.frameLength(buffer, 0, 64));
    }

    @Test
    void byteOrderIsHonoured()
    {
        final LengthPrefixedFrameCodec little = new LengthPrefixedFrameCodec(ByteOrder.LITTLE_ENDIAN, 32, false);
        little.encodeHeader(buffer, 0, 5);
        assertEquals(5, buffer.getByte(0));
        assertEquals(9, little.frameLength(buffer, 0, 9));
        final LengthPrefixedFrameCodec big = new LengthPrefixedFrameCodec(ByteOrder.BIG_ENDIAN, 32, false);
        big.encodeHeader(buffer, 0, 5);
        assertEquals(5, buffer.getByte(3));
        assertEquals(9, big.frameLength(buffer, 0, 9));
    }

    @Test
    void badLengthsAreErrorsAsSoonAsTheHeaderIsIn()
    {
        final LengthPrefixedFrameCodec codec = new LengthPrefixedFrameCodec(ByteOrder.BIG_ENDIAN, 32, false);
        buffer.putInt(0, -1, ByteOrder.BIG_ENDIAN);
        assertEquals(LengthPrefixedFrameCodec.ERR_NEGATIVE_LENGTH, codec.frameLength(buffer, 0, 4));
        assertTrue(codec.describeError(LengthPrefixedFrameCodec.ERR_NEGATIVE_LENGTH, buffer, 0).contains("-1"));
        buffer.putInt(0, 33, ByteOrder.BIG_ENDIAN);
        assertEquals(LengthPrefixedFrameCodec.ERR_TOO_LARGE, codec.frameLength(buffer, 0, 4));
        assertTrue(codec.describeError(LengthPrefixedFrameCodec.ERR_TOO_LARGE, buffer, 0).contains("33"));
        buffer.putInt(0, 0, ByteOrder.BIG_ENDIAN);
        assertEquals(LengthPrefixedFrameCodec.ERR_ZERO_LENGTH, codec.frameLength(buffer, 0, 4));
    }

    @Test
    void zeroLengthFramesWhenAllowed()
    {
        final LengthPrefixedFrameCodec codec = new LengthPrefixedFrameCodec(ByteOrder.BIG_ENDIAN, 32, true);
        buffer.putInt(0, 0, ByteOrder.BIG_ENDIAN);
        assertEquals(4, codec.frameLength(buffer, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> new LengthPrefixedFrameCodec(ByteOrder.BIG_ENDIAN, 0, true));
    }
}
