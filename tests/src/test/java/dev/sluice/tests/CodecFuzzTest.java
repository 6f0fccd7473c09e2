package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.sluice.codec.FragmentingFrameCodec;
import dev.sluice.codec.FrameCodec;
import dev.sluice.codec.LengthPrefixedFrameCodec;
import dev.sluice.examples.fix.FixFrameCodec;
import dev.sluice.examples.mqtt.MqttFrameCodec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Every codec fed byte streams cut at arbitrary points, the way reads split them: valid frames come out exactly as
 * sent wherever the cuts fall; arbitrary bytes never make a codec throw, claim more bytes than have arrived, or hand
 * over a frame longer than its maximum; garbage in front of FIX messages is dropped and the messages still come out;
 * MQTT packets come out whole, fixed header included.
 * The decoding here does what the engine's receive buffer does with a codec's answers.
 */
class CodecFuzzTest
{
    private static final int MAX_FRAME = 512;

    /** What a stream decoded to: the payloads handed over, and whether a codec error ended it. */
    private record Decoded(List<byte[]> frames, boolean error, int garbled)
    {
    }

    /** Decodes {@code stream} arriving in pieces that end at {@code cuts}, checking every answer of the codec. */
    private static Decoded decode(final FrameCodec codec, final byte[] stream, final List<Integer> cuts)
    {
        final int[] ends = cuts.stream().mapToInt(c -> Math.floorMod(c, stream.length + 1)).sorted().toArray();
        final List<byte[]> frames = new ArrayList<>();
        int read = 0;
        int garbled = 0;
        long skipPending = 0;
        for (int piece = 0; piece <= ends.length; piece++)
        {
            final int arrived = piece < ends.length ? ends[piece] : stream.length;
            // only what has arrived: a codec reading past it fails the bounds check instead of seeing later bytes
            final UnsafeBuffer buffer = new UnsafeBuffer(stream, 0, arrived);
            while (read < arrived)
            {
                final int available = arrived - read;
                if (skipPending > 0)
                {
                    final int dropped = (int)Math.min(skipPending, available);
                    read += dropped;
                    skipPending -= dropped;
                    continue;
                }
                final int result = codec.frameLength(buffer, read, available);
                if (result == FrameCodec.NEED_MORE)
                {
                    break;
                }
                if (result < 0)
                {
                    final int skipped = FrameCodec.skipped(result);
                    if (skipped == 0)
                    {
                        return new Decoded(frames, true, garbled);
                    }
                    garbled++;
                    final int dropped = Math.min(skipped, available);
                    read += dropped;
                    skipPending = skipped - dropped;
                    continue;
                }
                assertTrue(result <= available, "a frame of " + result + " bytes claimed with " + available + " here");
                assertTrue(result >= codec.headerLength(), "a frame shorter than its header: " + result);
                assertTrue(result - codec.headerLength() <= codec.maxFrameLength(), "over the maximum: " + result);
                frames.add(Arrays.copyOfRange(stream, read + codec.headerLength(), read + result));
                read += result;
            }
        }
        return new Decoded(frames, false, garbled);
    }

    @Provide
    Arbitrary<List<byte[]>> payloads()
    {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(MAX_FRAME).list().ofMaxSize(20);
    }

    @Property(tries = 300)
    void lengthPrefixedFramesComeOutAsSentWhereverReadsCutThem(
        @ForAll("payloads") final List<byte[]> payloads, @ForAll @Size(max = 12) final List<Integer> cuts,
        @ForAll final boolean littleEndian)
    {
        final ByteOrder order = littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        final LengthPrefixedFrameCodec codec = new LengthPrefixedFrameCodec(order, MAX_FRAME, false);
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (final byte[] payload : payloads)
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[codec.headerLength() + payload.length]);
            codec.encodeHeader(frame, 0, payload.length);
            frame.putBytes(codec.headerLength(), payload);
            stream.writeBytes(frame.byteArray());
        }
        final Decoded decoded = decode(codec, stream.toByteArray(), cuts);
        assertTrue(!decoded.error(), "valid frames raised an error");
        assertSameFrames(payloads, decoded.frames());
    }

    @Property(tries = 300)
    void mqttPacketsComeOutAsSentWhereverReadsCutThem(
        @ForAll("payloads") final List<byte[]> bodies, @ForAll @Size(max = 12) final List<Integer> cuts,
        @ForAll @IntRange(min = 0, max = 255) final int firstByte)
    {
        final MqttFrameCodec codec = new MqttFrameCodec(MAX_FRAME + 5);
        final List<byte[]> packets = new ArrayList<>();
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (final byte[] body : bodies)
        {
            final UnsafeBuffer packet = new UnsafeBuffer(new byte[1 + MqttFrameCodec.remainingLengthBytes(body.length) +
                body.length]);
            packet.putByte(0, (byte)firstByte);
            final int header = 1 + MqttFrameCodec.putRemainingLength(packet, 1, body.length);
            packet.putBytes(header, body);
            packets.add(packet.byteArray());
            stream.writeBytes(packet.byteArray());
        }
        final Decoded decoded = decode(codec, stream.toByteArray(), cuts);
        assertTrue(!decoded.error(), "valid packets raised an error");
        assertSameFrames(packets, decoded.frames());
    }

    @Property(tries = 500)
    void noCodecThrowsOrOverreachesOnArbitraryBytes(
        @ForAll @Size(max = 3000) final byte[] stream, @ForAll @Size(max = 12) final List<Integer> cuts,
        @ForAll @IntRange(min = 0, max = 4) final int which)
    {
        final FrameCodec codec = switch (which)
        {
            case 0 -> new LengthPrefixedFrameCodec(ByteOrder.BIG_ENDIAN, MAX_FRAME, false);
            case 1 -> new LengthPrefixedFrameCodec(ByteOrder.LITTLE_ENDIAN, MAX_FRAME, true);
            case 2 -> new FragmentingFrameCodec(ByteOrder.BIG_ENDIAN, MAX_FRAME);
            case 3 -> new MqttFrameCodec(MAX_FRAME);
            default -> new FixFrameCodec(MAX_FRAME);
        };
        decode(codec, stream, cuts); // its checks are the property: no exception, no frame past what arrived
    }

    @Property(tries = 300)
    void fixMessagesBehindGarbageStillComeOutWhereverReadsCutThem(
        @ForAll @Size(min = 1, max = 8) final List<@IntRange(min = 0, max = 200) Integer> bodySizes,
        @ForAll("garbage") final String garbage, @ForAll @Size(max = 12) final List<Integer> cuts)
    {
        final List<byte[]> messages = new ArrayList<>();
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(garbage.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < bodySizes.size(); i++)
        {
            final byte[] message = fixMessage(i + 1, bodySizes.get(i));
            messages.add(message);
            stream.writeBytes(message);
        }
        final Decoded decoded = decode(new FixFrameCodec(4096), stream.toByteArray(), cuts);
        assertTrue(!decoded.error());
        assertSameFrames(messages, decoded.frames());
        assertEquals(garbage.isEmpty() ? 0 : 1, Math.min(decoded.garbled(), 1), "the garbage was dropped as such");
    }

    @Provide
    Arbitrary<String> garbage()
    {
        // anything but what starts a message ('8'), including field delimiters
        return Arbitraries.strings().withChars("0123456790=ABCFIX.|\u0001 ").ofMaxLength(60);
    }

    /** A Heartbeat with a text field of {@code size} bytes, with its BodyLength and CheckSum. */
    private static byte[] fixMessage(final int sequence, final int size)
    {
        final char[] text = new char[size];
        Arrays.fill(text, 'x');
        final String body = "35=0\u000134=" + sequence + "\u000149=A\u000156=B\u000152=20261202-12:00:00.000\u0001" +
            (size > 0 ? "58=" + new String(text) + "\u0001" : "");
        final String head = "8=FIX.4.4\u00019=" + body.length() + "\u0001";
        int sum = 0;
        for (final byte b : (head + body).getBytes(StandardCharsets.US_ASCII))
        {
            sum += b;
        }
        return (head + body + String.format("10=%03d\u0001", sum & 0xFF)).getBytes(StandardCharsets.US_ASCII);
    }

    private static void assertSameFrames(final List<byte[]> expected, final List<byte[]> actual)
    {
        assertEquals(expected.size(), actual.size(), "frames out");
        for (int i = 0; i < expected.size(); i++)
        {
            assertTrue(Arrays.equals(expected.get(i), actual.get(i)), "frame " + i + " as sent");
        }
    }
}
