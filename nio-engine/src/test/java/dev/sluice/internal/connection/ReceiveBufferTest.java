package dev.sluice.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.codec.FrameCodec;
import dev.sluice.codec.LengthPrefixedFrameCodec;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ReceiveBufferTest
{
    private static final LengthPrefixedFrameCodec CODEC =
        new LengthPrefixedFrameCodec(ByteOrder.BIG_ENDIAN, 256 - 4, false);

    /** A stream of frames with payload sizes 1..40 and recognisable bytes. */
    private static byte[] stream(final List<byte[]> payloads)
    {
        final ByteBuffer out = ByteBuffer.allocate(8192);
        for (int f = 0; f < 40; f++)
        {
            final byte[] p = new byte[1 + f * 5 % 97];
            for (int i = 0; i < p.length; i++)
            {
                p[i] = (byte)(f * 13 + i);
            }
            payloads.add(p);
            out.putInt(p.length).put(p);
        }
        final byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    private static List<byte[]> feed(final byte[] bytes, final int[] cuts)
    {
        final ByteBuffer memory = ByteBuffer.allocateDirect(256);
        final ReceiveBuffer receive = new ReceiveBuffer();
        receive.attach(memory, new UnsafeBuffer(memory));
        final List<byte[]> frames = new ArrayList<>();
        final ReceiveBuffer.FrameSink sink = (buffer, offset, length) ->
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            frames.add(copy);
            return ReceiveBuffer.FrameSink.NEXT;
        };
        int from = 0;
        for (int c = 0; c <= cuts.length; c++)
        {
            final int to = c < cuts.length ? cuts[c] : bytes.length;
            while (from < to)
            {
                // Like a socket read: never more than the free space.
                final ByteBuffer target = receive.prepareRead();
                final int n = Math.min(target.remaining(), to - from);
                target.put(bytes, from, n);
                receive.wrote(n);
                final int result = receive.decode(CODEC, sink);
                assertTrue(result >= 0, "decode error " + result);
                from += n;
            }
        }
        assertEquals(0, receive.buffered(), "bytes left over");
        return frames;
    }

    private static void assertSameFrames(final List<byte[]> expected, final List<byte[]> actual)
    {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++)
        {
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected.get(i), actual.get(i), "frame " + i);
        }
    }

    @Test
    void streamSplitAtEveryBoundaryDecodesIdentically()
    {
        final List<byte[]> expected = new ArrayList<>();
        final byte[] bytes = stream(expected);
        for (int cut = 1; cut < bytes.length; cut++)
        {
            assertSameFrames(expected, feed(bytes, new int[] {cut}));
        }
    }

    @Test
    void streamFedOneByteAtATimeDecodesIdentically()
    {
        final List<byte[]> expected = new ArrayList<>();
        final byte[] bytes = stream(expected);
        final int[] cuts = new int[bytes.length - 1];
        for (int i = 0; i < cuts.length; i++)
        {
            cuts[i] = i + 1;
        }
        assertSameFrames(expected, feed(bytes, cuts));
    }

    @Test
    void streamInChunksOfEverySizeDecodesIdentically()
    {
        final List<byte[]> expected = new ArrayList<>();
        final byte[] bytes = stream(expected);
        for (int chunk = 2; chunk <= 200; chunk++)
        {
            final int[] cuts = new int[(bytes.length - 1) / chunk];
            for (int i = 0; i < cuts.length; i++)
            {
                cuts[i] = (i + 1) * chunk;
            }
            assertSameFrames(expected, feed(bytes, cuts));
        }
    }

    @Test
    void manyFramesInOneReadAreAllDelivered()
    {
        final ByteBuffer memory = ByteBuffer.allocateDirect(256);
        final ReceiveBuffer receive = new ReceiveBuffer();
        receive.attach(memory, new UnsafeBuffer(memory));
        final ByteBuffer target = receive.prepareRead();
        for (int i = 0; i < 50; i++)
        {
            target.putInt(1).put((byte)i);
        }
        receive.wrote(250);
        final List<Integer> seen = new ArrayList<>();
        final int frames = receive.decode(CODEC, (buffer, offset, length) ->
        {
            seen.add((int)buffer.getByte(offset));
            return ReceiveBuffer.FrameSink.NEXT;
        });
        assertEquals(50, frames);
        for (int i = 0; i < 50; i++)
        {
            assertEquals(i, seen.get(i));
        }
    }

    @Test
    void aLargestFrameFitsAfterAPartialFrameIsCompacted()
    {
        final ByteBuffer memory = ByteBuffer.allocateDirect(256);
        final ReceiveBuffer receive = new ReceiveBuffer();
        receive.attach(memory, new UnsafeBuffer(memory));
        final List<Integer> lengths = new ArrayList<>();
        final ReceiveBuffer.FrameSink sink = (buffer, offset, length) ->
        {
            lengths.add(length);
            return ReceiveBuffer.FrameSink.NEXT;
        };
        ByteBuffer target = receive.prepareRead();
        target.putInt(100).put(new byte[100]).putInt(252).put(new byte[100]);
        receive.wrote(208);
        assertEquals(1, receive.decode(CODEC, sink));
        assertEquals(104, receive.buffered());
        target = receive.prepareRead();
        assertEquals(152, target.remaining(), "the partial frame moved to the front");
        target.put(new byte[152]);
        receive.wrote(152);
        assertEquals(1, receive.decode(CODEC, sink));
        assertEquals(List.of(100, 252), lengths);
    }

    @Test
    void malformedLengthIsReportedAndLeftUnread()
    {
        final ByteBuffer memory = ByteBuffer.allocateDirect(256);
        final ReceiveBuffer receive = new ReceiveBuffer();
        receive.attach(memory, new UnsafeBuffer(memory));
        receive.prepareRead().putInt(1).put((byte)7).putInt(-5);
        receive.wrote(9);
        final int result = receive.decode(CODEC, (buffer, offset, length) -> ReceiveBuffer.FrameSink.NEXT);
        assertEquals(LengthPrefixedFrameCodec.ERR_NEGATIVE_LENGTH, result);
        assertEquals(5, receive.readOffset());
    }

    @Test
    void aSinkThatStopsEndsThePassAtOnce()
    {
        final ByteBuffer memory = ByteBuffer.allocateDirect(256);
        final ReceiveBuffer receive = new ReceiveBuffer();
        receive.attach(memory, new UnsafeBuffer(memory));
        receive.prepareRead().putInt(1).put((byte)1).putInt(1).put((byte)2);
        receive.wrote(10);
        final List<Integer> seen = new ArrayList<>();
        final int result = receive.decode(CODEC, (buffer, offset, length) ->
        {
            seen.add(1);
            return ReceiveBuffer.FrameSink.STOP;
        });
        assertEquals(Integer.MIN_VALUE, result);
        assertEquals(1, seen.size());
    }

    @Test
    void aKeptFrameStaysFirstAndIsDeliveredAgainNextPass()
    {
        final ByteBuffer memory = ByteBuffer.allocateDirect(256);
        final ReceiveBuffer receive = new ReceiveBuffer();
        receive.attach(memory, new UnsafeBuffer(memory));
        receive.prepareRead().putInt(1).put((byte)1).putInt(1).put((byte)2).putInt(1).put((byte)3);
        receive.wrote(15);
        final List<Integer> seen = new ArrayList<>();
        final int[] keepAt = {2};
        final ReceiveBuffer.FrameSink sink = (buffer, offset, length) ->
        {
            final int value = buffer.getByte(offset);
            if (value == keepAt[0])
            {
                return ReceiveBuffer.FrameSink.KEEP;
            }
            seen.add(value);
            return ReceiveBuffer.FrameSink.NEXT;
        };
        assertEquals(1, receive.decode(CODEC, sink), "one delivered, the second kept");
        assertEquals(10, receive.buffered(), "the kept frame and the one after it stay");
        keepAt[0] = -1;
        assertEquals(2, receive.decode(CODEC, sink));
        assertEquals(List.of(1, 2, 3), seen, "in order, none twice");
        assertEquals(0, receive.buffered());
    }

    @Test
    void bytesTheCodecSaysToSkipAreDroppedAndDecodingGoesOn()
    {
        // A codec that calls a 0x7F byte garbage: skip it; anything else is length-prefixed.
        final FrameCodec skipping = new FrameCodec()
        {
            @Override
            public int headerLength()
            {
                return CODEC.headerLength();
            }

            @Override
            public int maxFrameLength()
            {
                return CODEC.maxFrameLength();
            }

            @Override
            public int frameLength(final org.agrona.DirectBuffer buffer, final int offset, final int available)
            {
                final byte first = buffer.getByte(offset);
                return first == 0x7F ? FrameCodec.skip(1) : first == 0x7E ? FrameCodec.skip(5) :
                    CODEC.frameLength(buffer, offset, available);
            }

            @Override
            public void encodeHeader(final org.agrona.MutableDirectBuffer buffer, final int offset, final int length)
            {
                CODEC.encodeHeader(buffer, offset, length);
            }

            @Override
            public String describeError(final int errorCode, final org.agrona.DirectBuffer buffer, final int offset)
            {
                return CODEC.describeError(errorCode, buffer, offset);
            }
        };
        final ByteBuffer memory = ByteBuffer.allocateDirect(256);
        final ReceiveBuffer receive = new ReceiveBuffer();
        receive.attach(memory, new UnsafeBuffer(memory));
        receive.prepareRead().put(new byte[] {0x7F, 0x7F, 0, 0, 0, 1, 42, 0x7F, 0, 0, 0, 1, 43});
        receive.wrote(13);
        final List<Integer> payloads = new ArrayList<>();
        final int[] garbled = {0};
        final int frames = receive.decode(skipping, sinkOf(payloads, garbled));
        assertEquals(2, frames);
        assertEquals(List.of(42, 43), payloads);
        assertEquals(3, garbled[0], "three garbage bytes dropped");
        assertEquals(0, receive.buffered());

        // A skip longer than what has arrived: the rest is dropped as it comes, not decoded as frames.
        receive.prepareRead().put(new byte[] {0x7E, 9, 9});
        receive.wrote(3);
        assertEquals(0, receive.decode(skipping, sinkOf(payloads, garbled)));
        receive.prepareRead().put(new byte[] {9, 9, 0, 0, 0, 1, 44});
        receive.wrote(7);
        assertEquals(1, receive.decode(skipping, sinkOf(payloads, garbled)));
        assertEquals(List.of(42, 43, 44), payloads, "the two late garbage bytes were not taken for a header");
        assertEquals(8, garbled[0]);
    }

    private static ReceiveBuffer.FrameSink sinkOf(final List<Integer> payloads, final int[] garbled)
    {
        return new ReceiveBuffer.FrameSink()
        {
            @Override
            public int onFrame(final UnsafeBuffer buffer, final int offset, final int length)
            {
                payloads.add((int)buffer.getByte(offset));
                return NEXT;
            }

            @Override
            public void onGarbled(final int bytes)
            {
                garbled[0] += bytes;
            }
        };
    }

    @Test
    void skipResultsAreToldApartFromErrorsAndFrames()
    {
        assertEquals(5, FrameCodec.skipped(FrameCodec.skip(5)));
        assertEquals(FrameCodec.MAX_SKIP, FrameCodec.skipped(FrameCodec.skip(FrameCodec.MAX_SKIP)));
        assertEquals(0, FrameCodec.skipped(-1), "an error code is not a skip");
        assertEquals(0, FrameCodec.skipped(FrameCodec.NEED_MORE));
        assertEquals(0, FrameCodec.skipped(100));
        assertEquals(0, FrameCodec.skipped(Integer.MIN_VALUE), "the decode pass's own stop result");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> FrameCodec.skip(0));
    }
}
