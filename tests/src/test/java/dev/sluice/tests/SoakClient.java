package dev.sluice.tests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The soak's client side, on one thread: many connections that each keep one echo in flight and check that every
 * frame the server sends them (echoes, high and low pushes, gated responses) arrives in sequence, while a share of
 * them is closed and replaced all the time (churn). Each connection learns its server-side id from the first frame.
 * <p>
 * Frames are the default codec's: a 4-byte big-endian length, then a type byte and a long sequence.
 */
final class SoakClient implements Runnable
{
    static final byte ID = 0;
    static final byte ECHO = 1;
    static final byte HIGH = 2;
    static final byte LOW = 3;
    static final byte RESPONSE = 4;
    static final int FRAME = 4 + 1 + Long.BYTES;

    /** One client connection. */
    private static final class Peer
    {
        final SocketChannel channel;
        final byte[] partial = new byte[FRAME];
        int partialLength;
        long serverId = -1;
        long echoSent;
        final long[] received = new long[5];

        Peer(final SocketChannel channel)
        {
            this.channel = channel;
        }
    }

    private final InetSocketAddress server;
    private final int connections;
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer out = ByteBuffer.allocateDirect(FRAME);
    private final List<Peer> peers = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final AtomicBoolean churning = new AtomicBoolean(true);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile Map<Long, long[]> expected;
    private volatile boolean complete;
    private volatile String missing = "";
    private volatile long missingId = -1;
    private volatile long opened;
    private volatile long echoes;

    SoakClient(final InetSocketAddress server, final int connections) throws IOException
    {
        this.server = server;
        this.connections = connections;
        this.selector = Selector.open();
    }

    @Override
    public void run()
    {
        try
        {
            for (int i = 0; i < connections; i++)
            {
                open();
            }
            long nextChurnNs = System.nanoTime();
            long nextCheckNs = System.nanoTime();
            while (running.get())
            {
                selector.select(this::readable, 1);
                final long now = System.nanoTime();
                if (churning.get() && now - nextChurnNs >= 0)
                {
                    nextChurnNs = now + 5_000_000L; // one connection replaced every 5 ms
                    final Peer victim = peers.remove(ThreadLocalRandom.current().nextInt(peers.size()));
                    victim.channel.close();
                    open();
                }
                if (expected != null && now - nextCheckNs >= 0)
                {
                    nextCheckNs = now + 100_000_000L;
                    complete = allReceived(expected);
                }
            }
            for (final Peer peer : peers)
            {
                peer.channel.close();
            }
            peers.clear();
            selector.selectNow(); // deregisters the closed channels, which closes their descriptors
            selector.close();
        }
        catch (final IOException | RuntimeException ex)
        {
            fail("client failed: " + ex);
        }
    }

    private void open() throws IOException
    {
        final SocketChannel channel = SocketChannel.open(server);
        channel.configureBlocking(false);
        final Peer peer = new Peer(channel);
        channel.register(selector, SelectionKey.OP_READ, peer);
        peers.add(peer);
        opened++;
        sendEcho(peer);
    }

    private void readable(final SelectionKey key)
    {
        final Peer peer = (Peer)key.attachment();
        try
        {
            in.clear();
            if (peer.channel.read(in) < 0)
            {
                fail("the server closed connection " + peer.serverId);
                key.cancel();
                return;
            }
            in.flip();
            if (peer.partialLength > 0) // the rest of a frame cut by the previous read
            {
                final int n = Math.min(FRAME - peer.partialLength, in.remaining());
                in.get(peer.partial, peer.partialLength, n);
                peer.partialLength += n;
                if (peer.partialLength < FRAME)
                {
                    return;
                }
                frame(peer, peer.partial[4], getLong(peer.partial, 5));
                peer.partialLength = 0;
            }
            while (in.remaining() >= FRAME)
            {
                final int at = in.position();
                frame(peer, in.get(at + 4), in.getLong(at + 5));
                in.position(at + FRAME);
            }
            peer.partialLength = in.remaining();
            in.get(peer.partial, 0, peer.partialLength);
        }
        catch (final IOException ex)
        {
            fail("connection " + peer.serverId + ": " + ex);
        }
    }

    private void frame(final Peer peer, final byte type, final long sequence) throws IOException
    {
        if (type == ID)
        {
            peer.serverId = sequence;
            return;
        }
        if (type < ECHO || type > RESPONSE)
        {
            fail("connection " + peer.serverId + ": unknown frame type " + type);
            return;
        }
        final long want = type == ECHO ? peer.echoSent - 1 : peer.received[type];
        if (sequence != want)
        {
            fail("connection " + peer.serverId + ", type " + type + ": expected " + want + ", got " + sequence);
        }
        peer.received[type]++;
        if (type == ECHO)
        {
            echoes++;
            sendEcho(peer);
        }
    }

    private void sendEcho(final Peer peer) throws IOException
    {
        out.clear();
        out.putInt(FRAME - 4).put(ECHO).putLong(peer.echoSent++).flip();
        while (out.hasRemaining())
        {
            peer.channel.write(out); // one frame in flight per connection: the socket always has room
        }
    }

    private boolean allReceived(final Map<Long, long[]> accepted)
    {
        for (final Peer peer : peers)
        {
            final long[] sent = accepted.get(peer.serverId);
            if (peer.serverId < 0 || (sent != null && (peer.received[HIGH] < sent[HIGH] ||
                peer.received[LOW] < sent[LOW] || peer.received[RESPONSE] < sent[RESPONSE])))
            {
                missingId = peer.serverId;
                missing = "connection " + peer.serverId + " received " + java.util.Arrays.toString(peer.received) +
                    " of " + (sent == null ? "nothing" : java.util.Arrays.toString(sent));
                return false;
            }
        }
        return true;
    }

    private static long getLong(final byte[] bytes, final int at)
    {
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++)
        {
            value = value << 8 | (bytes[at + i] & 0xFF);
        }
        return value;
    }

    private void fail(final String failure)
    {
        synchronized (failures)
        {
            if (failures.size() < 10)
            {
                failures.add(failure);
            }
        }
    }

    /** Stops replacing connections. */
    void stopChurn()
    {
        churning.set(false);
    }

    /** @param accepted per server-side id, frames the server accepted per type: checked until all have arrived. */
    void expect(final Map<Long, long[]> accepted)
    {
        expected = accepted;
    }

    /** @return true once every live connection has every frame {@link #expect} named. */
    boolean complete()
    {
        return complete;
    }

    /** @return the first connection found missing frames at the latest check, for a failure message. */
    String missing()
    {
        return missing;
    }

    long missingId()
    {
        return missingId;
    }

    /** Closes every connection and ends the thread. */
    void stop()
    {
        running.set(false);
    }

    List<String> failures()
    {
        synchronized (failures)
        {
            return new ArrayList<>(failures);
        }
    }

    long opened()
    {
        return opened;
    }

    long echoes()
    {
        return echoes;
    }
}
