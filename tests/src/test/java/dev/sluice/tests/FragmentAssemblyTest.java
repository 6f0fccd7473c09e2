package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sluice.codec.FragmentingFrameCodec;
import dev.sluice.codec.FrameCodec;
import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Multi-frame messages: assembled within their budget, handed over once, purged when incomplete. */
class FragmentAssemblyTest
{
    private static final FragmentingFrameCodec CODEC = new FragmentingFrameCodec(ByteOrder.BIG_ENDIAN, 4096);

    private final CachedNanoClock clock = new CachedNanoClock();
    private final List<String> messages = new ArrayList<>();
    private final CloseLog closes = new CloseLog();
    private Engine engine;
    private FrameClient client;

    @BeforeEach
    void start() throws Exception
    {
        engine = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock).codec(CODEC)
            .memoryBudgets(100, 0, 0).fragmentAssembly(4, 1024, 1, TimeUnit.SECONDS).build());
        final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new ConnectionHandler()
        {
            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
                messages.add(buffer.getStringWithoutLengthAscii(offset, length));
            }

            @Override
            public void onClose(final Connection c, final CloseReason reason)
            {
                closes.record(c.id(), reason);
            }
        });
        client = FrameClient.connect(address);
        Loopback.pumpUntil(engine, () -> engine.counters(0).connectionsOpen.get() == 1, "open");
    }

    @AfterEach
    void stop() throws Exception
    {
        client.close();
        engine.close();
    }

    private void fragment(final int kind, final long key, final String data) throws Exception
    {
        final byte[] bytes = data.getBytes(StandardCharsets.US_ASCII);
        final int header = FragmentingFrameCodec.FRAGMENT_HEADER_LENGTH;
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[header + bytes.length]);
        CODEC.putFragmentHeader(payload, 0, kind, key);
        payload.putBytes(header, bytes);
        client.write(payload.byteArray());
    }

    private void send() throws Exception
    {
        client.flush();
        for (int i = 0; i < 20; i++)
        {
            engine.doWork(0);
        }
    }

    @Test
    void aMessageSplitIntoFragmentsAtEveryPlaceIsHandedOverWholeOnce() throws Exception
    {
        final String message = "0123456789abcdefghijklmnopqrstuvwxyz";
        int expected = 0;
        for (int cut = 1; cut < message.length(); cut++)
        {
            fragment(FrameCodec.FIRST, cut, message.substring(0, cut));
            fragment(FrameCodec.LAST, cut, message.substring(cut));
            expected++;
        }
        for (int cut = 1; cut + 5 < message.length(); cut += 3)
        {
            fragment(FrameCodec.FIRST, 1000 + cut, message.substring(0, cut));
            fragment(FrameCodec.MIDDLE, 1000 + cut, message.substring(cut, cut + 5));
            fragment(FrameCodec.LAST, 1000 + cut, message.substring(cut + 5));
            expected++;
        }
        send();
        assertEquals(expected, messages.size());
        for (final String m : messages)
        {
            assertEquals(message, m);
        }
        assertEquals(expected, engine.counters(0).messagesAssembled.get());
    }

    @Test
    void interleavedKeysAreAssembledIndependentlyAndWholeFramesPassStraightThrough() throws Exception
    {
        fragment(FrameCodec.FIRST, 1, "one-");
        fragment(FrameCodec.FIRST, 2, "two-");
        fragment(FrameCodec.WHOLE, 0, "whole");
        fragment(FrameCodec.MIDDLE, 2, "b-");
        fragment(FrameCodec.LAST, 1, "end");
        fragment(FrameCodec.LAST, 2, "end");
        send();
        assertEquals(List.of("whole", "one-end", "two-b-end"), messages);
    }

    @Test
    void aMessageMissingItsLastFragmentIsPurgedAfterTheTimeoutAndCounted() throws Exception
    {
        fragment(FrameCodec.FIRST, 7, "never finished");
        send();
        clock.advance(900_000_000L);
        send();
        assertEquals(0, engine.counters(0).assembliesPurged.get(), "0.9 s: still waiting");
        clock.advance(200_000_000L);
        send();
        assertEquals(1, engine.counters(0).assembliesPurged.get());
        fragment(FrameCodec.FIRST, 8, "later ");
        fragment(FrameCodec.LAST, 8, "message");
        send();
        assertEquals(List.of("later message"), messages, "the connection goes on");
    }

    @Test
    void aFragmentWithoutAFirstIsMalformed() throws Exception
    {
        fragment(FrameCodec.LAST, 9, "orphan");
        send();
        assertEquals(1, closes.count(CloseReason.MALFORMED_FRAME), closes.toString());
    }

    @Test
    void anAssembledMessageOverItsBudgetIsRejected() throws Exception
    {
        fragment(FrameCodec.FIRST, 3, "x".repeat(60));
        fragment(FrameCodec.LAST, 3, "y".repeat(60)); // 120 bytes > the 100-byte message budget
        send();
        assertEquals(1, closes.count(CloseReason.BUDGET_EXCEEDED), closes.toString());
        assertEquals(0, messages.size());
    }

    @Test
    void aConnectionOverItsShareOfAssemblyBuffersIsRejected() throws Exception
    {
        for (int key = 1; key <= 5; key++)
        {
            fragment(FrameCodec.FIRST, key, "k"); // a fifth message in assembly is over the per-connection share
        }
        send();
        assertEquals(1, closes.count(CloseReason.BUDGET_EXCEEDED), closes.toString());
        assertEquals(0, engine.counters(0).connectionsOpen.get());
    }
}
