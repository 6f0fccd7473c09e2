package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.EchoHandler;
import dev.sluice.testkit.FrameClient;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Well-behaved connections beside misbehaving ones lose and reorder nothing: while peers send arbitrary bytes, stop
 * mid-frame, reset or half-close, a client whose frames reach the engine in arbitrary pieces gets every echo back, in
 * order.
 */
class MisbehavingPeersFuzzTest
{
    @Property(tries = 15)
    void aWellBehavedClientGetsEveryEchoInOrderBesideMisbehavingPeers(
        @ForAll @Size(min = 1, max = 4) final List<@Size(max = 600) byte[]> garbage,
        @ForAll @Size(max = 8) final List<@IntRange(min = 1, max = 40) Integer> pieces,
        @ForAll @IntRange(min = 0, max = 3) final int ending) throws Exception
    {
        try (Engine engine = Engine.start(EngineConfig.builder().maxFrameLength(1024).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new EchoHandler(new CloseLog()));
            final Socket[] bad = new Socket[garbage.size()];
            try (FrameClient good = FrameClient.connect(address))
            {
                for (int i = 0; i < bad.length; i++)
                {
                    bad[i] = new Socket(address.getAddress(), address.getPort());
                    bad[i].getOutputStream().write(garbage.get(i)); // anything: lengths, halves, nonsense
                    misbehave(bad[i], ending);
                }
                final byte[][] sent = new byte[20][];
                int piece = 0;
                for (int f = 0; f < sent.length; f++)
                {
                    sent[f] = Loopback.bytes(1 + f * 13, f);
                    final byte[] frame = frame(sent[f]);
                    for (int at = 0; at < frame.length; ) // the frame in pieces, each flushed on its own
                    {
                        final int n = Math.min(frame.length - at, pieces.isEmpty() ? frame.length :
                            pieces.get(piece++ % pieces.size()));
                        good.writeRaw(java.util.Arrays.copyOfRange(frame, at, at + n));
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

    private static void misbehave(final Socket socket, final int how) throws Exception
    {
        switch (how)
        {
            case 0 -> socket.setSoLinger(true, 0); // its close resets the connection
            case 1 -> socket.shutdownOutput(); // half-closed: it still reads
            case 2 -> socket.close(); // gone at once
            default ->
            {
                final OutputStream out = socket.getOutputStream();
                out.write(new byte[] {0, 0, 1}); // stops in the middle of a length prefix, and stays
            }
        }
    }

    private static byte[] frame(final byte[] payload)
    {
        final byte[] frame = new byte[4 + payload.length];
        frame[0] = (byte)(payload.length >>> 24);
        frame[1] = (byte)(payload.length >>> 16);
        frame[2] = (byte)(payload.length >>> 8);
        frame[3] = (byte)payload.length;
        System.arraycopy(payload, 0, frame, 4, payload.length);
        return frame;
    }
}
