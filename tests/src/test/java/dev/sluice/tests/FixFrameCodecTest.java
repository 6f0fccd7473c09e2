package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sluice.codec.FrameCodec;
import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.examples.fix.FixFrameCodec;
import dev.sluice.testkit.CloseLog;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import quickfix.Message;
import quickfix.field.ClOrdID;
import quickfix.field.EncryptMethod;
import quickfix.field.HeartBtInt;
import quickfix.field.MsgSeqNum;
import quickfix.field.OrdType;
import quickfix.field.OrderQty;
import quickfix.field.Price;
import quickfix.field.SenderCompID;
import quickfix.field.SendingTime;
import quickfix.field.Side;
import quickfix.field.Symbol;
import quickfix.field.TargetCompID;
import quickfix.field.TransactTime;
import quickfix.fix44.Logon;
import quickfix.fix44.NewOrderSingle;

/**
 * FIX 4.4 framing on the engine, against messages QuickFIX/J encodes (it computes BodyLength and CheckSum): whole
 * messages are found wherever the reads split them; garbled ones are dropped and counted and the connection goes on;
 * only a message past the maximum closes it.
 */
class FixFrameCodecTest
{
    private static final FixFrameCodec CODEC = new FixFrameCodec(4096);

    @Test
    void aMessageQuickFixJEncodedIsOneFrameWhereverTheBytesEnd()
    {
        final byte[] order = bytes(order(2, "EURUSD"));
        final UnsafeBuffer buffer = new UnsafeBuffer(order);
        assertEquals(order.length, CODEC.frameLength(buffer, 0, order.length));
        for (int available = 1; available < order.length; available++)
        {
            assertEquals(FrameCodec.NEED_MORE, CODEC.frameLength(buffer, 0, available), "with " + available + " bytes");
        }
        final byte[] two = concat(bytes(logon(1)), order);
        assertEquals(two.length - order.length, CODEC.frameLength(new UnsafeBuffer(two), 0, two.length));
    }

    @Test
    void garbledBytesAreSkippedUpToTheNextMessage()
    {
        final byte[] order = bytes(order(2, "EURUSD"));
        final byte[] junk = "garbage 8=FIX".getBytes(StandardCharsets.US_ASCII);
        final byte[] withJunk = concat(junk, order);
        assertEquals(FrameCodec.skip(junk.length), CODEC.frameLength(new UnsafeBuffer(withJunk), 0, withJunk.length));

        final byte[] badChecksum = order.clone();
        badChecksum[badChecksum.length - 2] = (byte)(badChecksum[badChecksum.length - 2] == '0' ? '1' : '0');
        assertEquals(FrameCodec.skip(order.length),
            CODEC.frameLength(new UnsafeBuffer(badChecksum), 0, badChecksum.length), "a wrong CheckSum: all of it");

        final String text = order(2, "EURUSD");
        final int bodyLength = Integer.parseInt(text.split("\u0001")[1].substring(2));
        final byte[] wrongLength = concat(bytes(text.replace("\u00019=" + bodyLength + "\u0001",
            "\u00019=" + (bodyLength - 3) + "\u0001")), order);
        final int firstLength = wrongLength.length - order.length;
        assertEquals(FrameCodec.skip(firstLength), CODEC.frameLength(new UnsafeBuffer(wrongLength), 0,
            wrongLength.length), "a BodyLength that misses the CheckSum field: up to the next message");

        final byte[] tail = "xx8=FI".getBytes(StandardCharsets.US_ASCII);
        assertEquals(FrameCodec.skip(2), CODEC.frameLength(new UnsafeBuffer(tail), 0, tail.length),
            "a tail that may start a message is kept");
    }

    @Test
    void aMessageLargerThanTheMaximumIsAnError()
    {
        final byte[] huge = "8=FIX.4.4\u00019=99999\u000135=D\u0001".getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer buffer = new UnsafeBuffer(huge);
        assertEquals(FixFrameCodec.TOO_LARGE, CODEC.frameLength(buffer, 0, huge.length));
        assertTrue(CODEC.describeError(FixFrameCodec.TOO_LARGE, buffer, 0).contains("4096"));
    }

    @Test
    void overTheEngineGarbledMessagesAreCountedAndTheSessionGoesOnUntilAMessageIsTooLarge() throws Exception
    {
        final List<String> received = new CopyOnWriteArrayList<>();
        final CloseLog closes = new CloseLog();
        final ConnectionHandler handler = new ConnectionHandler()
        {
            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
                received.add(buffer.getStringWithoutLengthAscii(offset, length));
            }

            @Override
            public void onClose(final Connection connection, final CloseReason reason)
            {
                closes.record(connection.id(), reason);
            }
        };
        try (Engine engine = Engine.start(EngineConfig.builder().codec(new FixFrameCodec(4096)).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handler);
            try (Socket socket = new Socket(address.getAddress(), address.getPort()))
            {
                final OutputStream out = socket.getOutputStream();
                final String logon = logon(1);
                final String order = order(2, "USDJPY");
                final byte[] badChecksum = bytes(order(3, "EURUSD"));
                badChecksum[badChecksum.length - 3] ^= 1;
                final ByteArrayOutputStream stream = new ByteArrayOutputStream();
                stream.write(bytes(logon));
                stream.write("noise".getBytes(StandardCharsets.US_ASCII));
                stream.write(badChecksum);
                stream.write(bytes(order));
                final byte[] all = stream.toByteArray();
                for (int i = 0; i < all.length; i += 7) // in small pieces: frames are found across reads
                {
                    out.write(all, i, Math.min(7, all.length - i));
                    out.flush();
                    Thread.sleep(1);
                }
                Loopback.awaitTrue(() -> received.size() == 2, "the two whole messages: " + received);
                assertEquals(logon, received.get(0));
                assertEquals(order, received.get(1));
                // The noise and the bad CheckSum; a garbled stretch that arrives in two reads is dropped in two steps.
                assertTrue(engine.counters(0).framesGarbled.get() >= 2, "garbled: " +
                    engine.counters(0).framesGarbled.get());
                assertEquals(0, closes.total(), "garbled messages do not close the session");

                out.write("8=FIX.4.4\u00019=99999\u000135=D\u0001".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertTrue(closes.await(CloseReason.MALFORMED_FRAME, 1, 10_000), closes.toString());
                assertEquals(-1, socket.getInputStream().read(), "the server closed the connection");
            }
        }
    }

    private static String logon(final int sequence)
    {
        final Logon logon = new Logon(new EncryptMethod(EncryptMethod.NONE_OTHER), new HeartBtInt(30));
        header(logon, sequence);
        return logon.toString();
    }

    private static String order(final int sequence, final String symbol)
    {
        final NewOrderSingle order = new NewOrderSingle(new ClOrdID("o-" + sequence), new Side(Side.BUY),
            new TransactTime(LocalDateTime.of(2026, 12, 2, 9, 30)), new OrdType(OrdType.LIMIT));
        order.set(new Symbol(symbol));
        order.set(new OrderQty(100));
        order.set(new Price(1.1));
        header(order, sequence);
        return order.toString();
    }

    private static void header(final Message message, final int sequence)
    {
        message.getHeader().setField(new SenderCompID("CLIENT"));
        message.getHeader().setField(new TargetCompID("GATEWAY"));
        message.getHeader().setField(new MsgSeqNum(sequence));
        message.getHeader().setField(new SendingTime(LocalDateTime.of(2026, 12, 2, 9, 30)));
    }

    private static byte[] bytes(final String message)
    {
        return message.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
