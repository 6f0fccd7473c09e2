package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sluice.connection.Connection;
import dev.sluice.examples.fix.FixEncoder;
import dev.sluice.examples.fix.FixFrameCodec;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** What the gateway's encoder writes is a whole FIX message, and one too large for it is not written at all. */
class FixEncoderTest
{
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[8192]);
    private final AtomicInteger committed = new AtomicInteger(-1);
    private final AtomicInteger claims = new AtomicInteger();
    /** Just the send-buffer part of a connection: claim at 0, commit records the length. */
    private final Connection connection = (Connection)Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName())
        {
            case "claim" ->
            {
                claims.incrementAndGet();
                yield 0;
            }
            case "sendBuffer" -> out;
            case "commit" ->
            {
                committed.set((Integer)args[0]);
                yield null;
            }
            default -> throw new UnsupportedOperationException(method.getName());
        });

    @Test
    void aMessageHasTheBodyLengthAndCheckSumTheFramingChecksAndUtcTimestamps()
    {
        final long time = Instant.parse("2100-03-01T23:59:58.007Z").toEpochMilli();
        final FixEncoder encoder = new FixEncoder(4096);
        encoder.begin(new byte[] {'0'}).put(34, 7).put(49, bytes("GATEWAY")).putTimestamp(52, time)
            .put(56, bytes("CLIENT"));
        assertTrue(encoder.sendTo(connection));
        final int length = committed.get();
        assertEquals(length, new FixFrameCodec(4096).frameLength(out, 0, length), "a whole, valid FIX message");
        final String message = out.getStringWithoutLengthAscii(0, length);
        assertTrue(message.contains("\u000152=" + DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss.SSS")
            .format(Instant.ofEpochMilli(time).atOffset(ZoneOffset.UTC)) + "\u0001"), message);
        assertTrue(message.startsWith("8=FIX.4.4\u00019=") && message.contains("\u000135=0\u000134=7\u0001"), message);
    }

    @Test
    void aMessageLargerThanTheScratchBufferIsNotSent()
    {
        final FixEncoder encoder = new FixEncoder(64);
        encoder.begin(new byte[] {'1'}).put(112, new byte[100]);
        assertFalse(encoder.sendTo(connection));
        assertEquals(0, claims.get(), "nothing claimed");
        encoder.begin(new byte[] {'0'}).put(34, 1);
        assertTrue(encoder.sendTo(connection), "the next message, small, goes");
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void decimalsAreWrittenAsTheShortestValueOfTheirUnits()
    {
        final FixEncoder encoder = new FixEncoder(256);
        encoder.begin(new byte[] {'8'}).putDecimal(44, 102_500, 4).putDecimal(31, 100_000, 4).putDecimal(38, 7, 0)
            .putDecimal(6, 5, 4);
        assertTrue(encoder.sendTo(connection));
        final String message = out.getStringWithoutLengthAscii(0, committed.get());
        assertTrue(message.contains("\u000144=10.25\u000131=10\u000138=7\u00016=0.0005\u0001"), message);
    }
}
