package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.EchoHandler;
import dev.sluice.testkit.FrameClient;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Well-behaved connections beside misbehaving ones lose and reorder nothing: while other peers, in the middle of the
 * well-behaved client's traffic, send valid frames and never read the echoes, stop in the middle of a frame, send
 * impossible lengths or arbitrary bytes, and then reset, half-close, close or stay, a client whose frames reach the
 * engine in arbitrary pieces gets every echo back, in order.
 */
class MisbehavingPeersFuzzTest
{
    private static final int MAX_FRAME = 1024;
    private static final int FRAMES = 20;

    /** What one peer sends, and how it ends; it acts before the good client's frame number {@code at}. */
    record Peer(byte[] bytes, int ending, int at)
    {
    }

    @Provide
    Arbitrary<Peer> peer()
    {
        final Arbitrary<byte[]> bytes = Arbitraries.oneOf(
            Arbitraries.bytes().array(byte[].class).ofMaxSize(300).list().ofMaxSize(5)
                .map(MisbehavingPeersFuzzTest::frames), // valid frames whose echoes it never reads
            Arbitraries.integers().between(1, MAX_FRAME).map(n -> truncated(n)), // stops in the middle of a frame
            Arbitraries.of(-1, 0, MAX_FRAME + 1, Integer.MAX_VALUE, Integer.MIN_VALUE).map(n -> length(n)),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(600)); // anything
        return Combinators.combine(bytes, Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, FRAMES - 1)).as(Peer::new);
    }

    @Property(tries = 15)
    void aWellBehavedClientGetsEveryEchoInOrderBesideMisbehavingPeers(
        @ForAll @Size(min = 1, max = 4) final List<@net.jqwik.api.From("peer") Peer> peers,
        @ForAll @Size(max = 8) final List<@IntRange(min = 1, max = 40) Integer> pieces) throws Exception
    {
        try (Engine engine = Engine.start(EngineConfig.builder().maxFrameLength(MAX_FRAME).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new EchoHandler(new CloseLog()));
            final Socket[] bad = new Socket[peers.size()];
            try (FrameClient good = FrameClient.connect(address))
            {
                for (int i = 0; i < bad.length; i++)
                {
                    bad[i] = new Socket(address.getAddress(), address.getPort());
                }
                final byte[][] sent = new byte[FRAMES][];
                int piece = 0;
                for (int f = 0; f < FRAMES; f++)
                {
                    for (int i = 0; i < bad.length; i++)
                    {
                        if (peers.get(i).at() == f) // in the middle of the good client's traffic
                        {
                            misbehave(bad[i], peers.get(i));
                        }
                    }
                    sent[f] = Loopback.bytes(1 + f * 13, f);
                    final byte[] frame = frame(sent[f]);
                    for (int at = 0; at < frame.length; ) // the frame in pieces, each flushed on its own
                    {
                        final int n = Math.min(frame.length - at, pieces.isEmpty() ? frame.length :
                            pieces.get(piece++ % pieces.size()));
                        good.writeRaw(Arrays.copyOfRange(frame, at, at + n));
                        good.flush();
                        at += n;
                    }
                }
                for (final byte[] payload : sent)
                {
                    assertArrayEquals(payload, good.read());
                }
            }
            finally
            {
                for (final Socket socket : bad)
                {
                    if (socket != null)
                    {
                        socket.close();
                    }
                }
            }
        }
    }

    private static void misbehave(final Socket socket, final Peer peer)
    {
        try
        {
            socket.getOutputStream().write(peer.bytes());
            switch (peer.ending())
            {
                case 0 ->
                {
                    socket.setSoLinger(true, 0);
                    socket.close(); // a reset
                }
                case 1 -> socket.shutdownOutput(); // half-closed: it still reads
                case 2 -> socket.close();
                default ->
                {
                    // stays, reading nothing
                }
            }
        }
        catch (final java.io.IOException ex)
        {
            // the engine closed it first (an impossible length): that is its answer
        }
    }

    private static byte[] frames(final List<byte[]> payloads)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] payload : payloads)
        {
            out.writeBytes(frame(payload.length == 0 ? new byte[] {0} : payload));
        }
        return out.toByteArray();
    }

    /** A length prefix of {@code n} and fewer than {@code n} bytes after it. */
    private static byte[] truncated(final int n)
    {
        return Arrays.copyOf(length(n), 4 + n / 2);
    }

    private static byte[] length(final int n)
    {
        return new byte[] {(byte)(n >>> 24), (byte)(n >>> 16), (byte)(n >>> 8), (byte)n};
    }

    private static byte[] frame(final byte[] payload)
    {
        final byte[] frame = Arrays.copyOf(length(payload.length), 4 + payload.length);
        System.arraycopy(payload, 0, frame, 4, payload.length);
        return frame;
    }
}
