package dev.sluice.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One load-generating client thread of {@link EchoDemo}: it drives its share of the connections with a single
 * non-blocking selector, keeps a fixed number of request frames in flight on each, and records the round-trip
 * time of every echo. A request is a 4-byte big-endian length, then the payload, whose first 8 bytes carry
 * {@link System#nanoTime()} at send. Buffers are direct and reused; reads and writes may be partial.
 * <p>
 * <b>Threading:</b> {@link #add} and {@link #start} from one thread, then {@link #stop()} from that thread;
 * {@link #echoed()} and {@link #intervalHistogram} from any thread; the rest after {@link #stop()}.
 */
final class LoadClient implements Runnable
{
    /** Largest round trip recorded; longer ones count as this. */
    static final long HIGHEST_NS = TimeUnit.MINUTES.toNanos(1);
    private static final int HEADER = 4;
    private static final int STAMP = 8;

    private final Selector selector;
    private final Recorder recorder = new Recorder(HIGHEST_NS, 3);
    private final AtomicLong echoed = new AtomicLong();
    private final List<Peer> peers = new ArrayList<>();
    private final Consumer<SelectionKey> onKey = this::onKey;
    private final int payload;
    private final int inflight;
    private final byte[] padding;
    private Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private long count;
    private int lost;
    private int badFrames;

    LoadClient(final int payload, final int inflight) throws IOException
    {
        this.payload = payload;
        this.inflight = inflight;
        this.padding = new byte[payload - STAMP];
        for (int i = 0; i < padding.length; i++)
        {
            padding[i] = (byte)('a' + i % 26);
        }
        this.selector = Selector.open();
    }

    /** Connects one more connection (blocking connect, then non-blocking use); before the thread starts. */
    void add(final InetSocketAddress address) throws IOException
    {
        final SocketChannel channel = SocketChannel.open();
        try
        {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(address);
            channel.configureBlocking(false);
            final int bytes = Math.max(8192, inflight * (HEADER + payload));
            final Peer peer = new Peer(channel, ByteBuffer.allocateDirect(bytes), ByteBuffer.allocateDirect(bytes));
            peer.key = channel.register(selector, SelectionKey.OP_READ, peer);
            peers.add(peer);
        }
        catch (final IOException ex)
        {
            channel.close();
            throw ex;
        }
    }

    @Override
    public void run()
    {
        try
        {
            final long now = System.nanoTime();
            for (final Peer peer : peers)
            {
                appendRequests(peer, inflight, now);
                flush(peer);
            }
            while (running)
            {
                selector.select(onKey, 100);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            failure = ex;
        }
        finally
        {
            for (final Peer peer : peers)
            {
                drop(peer);
            }
            try
            {
                selector.close();
            }
            catch (final IOException ignore)
            {
                // Shutting down anyway.
            }
        }
    }

    /** Starts the client thread. */
    void start(final String name)
    {
        thread = new Thread(this, name);
        thread.start();
    }

    /** Stops the thread, which closes its connections on the way out, and waits for it (3 s at most). */
    void stop() throws InterruptedException
    {
        running = false;
        selector.wakeup();
        if (thread != null)
        {
            thread.join(TimeUnit.SECONDS.toMillis(3));
        }
    }

    /** @return echoes received so far, over the whole run. */
    long echoed()
    {
        return echoed.get();
    }

    /** @return round trips recorded since the last call, in a histogram from the previous call (or null). */
    Histogram intervalHistogram(final Histogram recycle)
    {
        return recorder.getIntervalHistogram(recycle);
    }

    /** @return connections the server closed while the client was running. */
    int lost()
    {
        return lost;
    }

    /** @return echoes whose length prefix was not the payload length sent. */
    int badFrames()
    {
        return badFrames;
    }

    /** @return what stopped the thread early, or null. */
    Throwable failure()
    {
        return failure;
    }

    private void onKey(final SelectionKey key)
    {
        final Peer peer = (Peer)key.attachment();
        if (!key.isValid() || !peer.open)
        {
            return;
        }
        final int ops = key.readyOps();
        if ((ops & SelectionKey.OP_READ) != 0)
        {
            read(peer);
        }
        if ((ops & SelectionKey.OP_WRITE) != 0 && peer.open)
        {
            flush(peer);
        }
    }

    private void read(final Peer peer)
    {
        final ByteBuffer in = peer.in;
        final int bytes;
        try
        {
            bytes = peer.channel.read(in);
        }
        catch (final IOException ex)
        {
            drop(peer);
            return;
        }
        if (bytes < 0)
        {
            drop(peer);
            return;
        }
        final long now = System.nanoTime();
        final int end = in.position();
        int at = 0;
        int replies = 0;
        while (end - at >= HEADER)
        {
            final int length = in.getInt(at);
            if (length != payload)
            {
                badFrames++;
                drop(peer);
                return;
            }
            if (end - at < HEADER + length)
            {
                break;
            }
            final long rtt = now - in.getLong(at + HEADER);
            recorder.recordValue(Math.max(0, Math.min(rtt, HIGHEST_NS)));
            at += HEADER + length;
            replies++;
        }
        if (at > 0)
        {
            in.limit(end).position(at);
            in.compact();
        }
        if (replies > 0)
        {
            count += replies;
            echoed.lazySet(count);
            appendRequests(peer, replies, System.nanoTime());
            flush(peer);
        }
    }

    /** Appends requests; the out buffer holds {@code inflight} frames and never more are outstanding. */
    private void appendRequests(final Peer peer, final int n, final long stampNs)
    {
        final ByteBuffer out = peer.out;
        for (int i = 0; i < n; i++)
        {
            out.putInt(payload);
            out.putLong(stampNs);
            out.put(padding, 0, padding.length);
        }
    }

    private void flush(final Peer peer)
    {
        final ByteBuffer out = peer.out;
        if (out.position() > 0)
        {
            out.flip();
            try
            {
                peer.channel.write(out);
            }
            catch (final IOException ex)
            {
                out.clear();
                drop(peer);
                return;
            }
            out.compact();
        }
        final boolean wantWrite = out.position() > 0;
        if (wantWrite != peer.writeInterest)
        {
            peer.writeInterest = wantWrite;
            peer.key.interestOps(wantWrite ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    private void drop(final Peer peer)
    {
        if (!peer.open)
        {
            return;
        }
        peer.open = false;
        if (running)
        {
            lost++;
        }
        peer.key.cancel();
        try
        {
            peer.channel.close();
        }
        catch (final IOException ignore)
        {
            // Closing anyway.
        }
    }

    /** One connection's channel and reused buffers (both in fill mode between calls). */
    private static final class Peer
    {
        private final SocketChannel channel;
        private final ByteBuffer in;
        private final ByteBuffer out;
        private SelectionKey key;
        private boolean open = true;
        private boolean writeInterest;

        Peer(final SocketChannel channel, final ByteBuffer in, final ByteBuffer out)
        {
            this.channel = channel;
            this.in = in;
            this.out = out;
        }
    }
}
