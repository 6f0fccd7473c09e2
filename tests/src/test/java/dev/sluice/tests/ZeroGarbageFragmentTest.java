package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sluice.codec.FragmentingFrameCodec;
import dev.sluice.codec.FrameCodec;
import dev.sluice.config.EngineConfig;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Fragmented messages over 256 connections with budgets set: assembling, handing over and answering allocate
 * nothing on the loop thread. See {@link QuietWarmUp} for the method.
 */
class ZeroGarbageFragmentTest
{
    private static final int CONNECTIONS = 256;
    private static final FragmentingFrameCodec CODEC = new FragmentingFrameCodec(ByteOrder.BIG_ENDIAN, 4096);

    /** Answers each message (assembled or whole) with its length. */
    static final class Answer implements ConnectionHandler
    {
        private final UnsafeBuffer reply = new UnsafeBuffer(new byte[4]);

        @Override
        public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
        {
            reply.putInt(0, length, ByteOrder.BIG_ENDIAN);
            c.send(reply, 0, 4);
        }
    }

    @Test
    void loopThreadAllocatesZeroBytesAssemblingFragmentedMessages() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final EngineConfig config = EngineConfig.builder().maxConnections(CONNECTIONS + 16).codec(CODEC)
            .memoryBudgets(1024, 8192, 1 << 20).fragmentAssembly(CONNECTIONS, 1024, 1, TimeUnit.SECONDS).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new Answer());
            final List<FrameClient> clients = new ArrayList<>();
            try
            {
                for (int c = 0; c < CONNECTIONS; c++)
                {
                    clients.add(FrameClient.connect(address));
                }
                final byte[][] frames = fragments();
                final long loopThreadId = engine.loopThread(0).getId();
                QuietWarmUp.run(threads, new long[] {loopThreadId}, 4_000_000_000L, () -> rounds(clients, frames, 20));
                final StringBuilder windows = new StringBuilder();
                boolean clean = false;
                for (int window = 0; window < QuietWarmUp.MEASURED_WINDOWS && !clean; window++)
                {
                    final long framesBefore = engine.counters(0).framesIn.get();
                    final long before = threads.getThreadAllocatedBytes(loopThreadId);
                    rounds(clients, frames, 1_000_000 / (CONNECTIONS * frames.length) + 1);
                    final long allocated = threads.getThreadAllocatedBytes(loopThreadId) - before;
                    final long received = engine.counters(0).framesIn.get() - framesBefore;
                    assertTrue(received >= 1_000_000, "frames " + received);
                    windows.append(String.format("%n  %,d frames: %d bytes", received, allocated));
                    clean = allocated == 0;
                }
                assertTrue(engine.counters(0).messagesAssembled.get() > 100_000);
                assertTrue(clean, "no window of a million frames without allocation on the loop thread:" + windows);
            }
            finally
            {
                for (final FrameClient client : clients)
                {
                    client.close();
                }
            }
        }
    }

    /** Per round and connection: a message in three fragments (key 7) and one whole message: two answers. */
    private static byte[][] fragments()
    {
        final int[] kinds = {FrameCodec.FIRST, FrameCodec.MIDDLE, FrameCodec.LAST, FrameCodec.WHOLE};
        final byte[][] frames = new byte[kinds.length][];
        for (int i = 0; i < kinds.length; i++)
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[FragmentingFrameCodec.FRAGMENT_HEADER_LENGTH + 40]);
            CODEC.putFragmentHeader(payload, 0, kinds[i], 7);
            frames[i] = payload.byteArray();
        }
        return frames;
    }

    private static void rounds(final List<FrameClient> clients, final byte[][] frames, final int rounds)
        throws Exception
    {
        for (int r = 0; r < rounds; r++)
        {
            for (final FrameClient client : clients)
            {
                for (final byte[] frame : frames)
                {
                    client.write(frame);
                }
                client.flush();
            }
            for (final FrameClient client : clients)
            {
                final int assembled = java.nio.ByteBuffer.wrap(client.read()).getInt();
                final int whole = java.nio.ByteBuffer.wrap(client.read()).getInt();
                if (assembled != 120 || whole != 40)
                {
                    throw new AssertionError("answers " + assembled + " and " + whole);
                }
            }
        }
    }
}
