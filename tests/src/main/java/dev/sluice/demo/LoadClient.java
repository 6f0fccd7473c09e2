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
 * A request/response load client on one thread: it drives its connections with a single non-blocking selector,
 * keeps a fixed number of requests in flight on each, records the round-trip time of every echo, and counts and
 * checks the frames a server pushes in between. Any server that echoes each frame back byte for byte can serve it;
 * with no pushes arriving it is a pure echo client. Buffers are direct and reused; reads and writes may be partial.
 * <p>
 * <b>Wire format.</b> Every frame is a 4-byte big-endian length, then the payload. The payload's first byte says
 * what the frame is, so a push can never be taken for an echo:
 * <ul>
 * <li>{@link #TYPE_ECHO}: a request, and its echo. {@code payload} bytes: the type, the sender's
 *     {@link System#nanoTime()} at send (8 bytes), then filler. An echo must come back with the same length.</li>
 * <li>{@link #TYPE_PUSH_HIGH} and {@link #TYPE_PUSH_LOW}: a server push at that priority. {@link #PUSH_PAYLOAD}
 *     bytes: the type, then the push's sequence number on this connection and priority (8 bytes), counting 1, 2,
 *     3, ... in the order pushed (accepted pushes only, so any gap means a push was lost).</li>
 * </ul>
 * A frame with another type or length, or a push out of sequence, is a bad frame: it is counted and the connection
 * closed.
 * <p>
 * <b>Threading:</b> {@link #add} and {@link #start} from one thread, then {@link #stop()} from that thread;
 * {@link #echoed()}, {@link #pushesHigh()}, {@link #pushesLow()} and {@link #intervalHistogram} from any thread;
 * the rest after {@link #stop()}.
 */
public final class LoadClient
{
    /** Largest round trip recorded; longer ones count as this. */
    public static final long HIGHEST_NS = TimeUnit.MINUTES.toNanos(1);
    /** First payload byte of a request and its echo. */
    public static final byte TYPE_ECHO = 'E';
    /** First payload byte of a high-priority push. */
    public static final byte TYPE_PUSH_HIGH = 'H';
    /** First payload byte of a low-priority push. */
    public static final byte TYPE_PUSH_LOW = 'L';
    /** Payload bytes of a push: the type and an 8-byte sequence number. */
    public static final int PUSH_PAYLOAD = 1 + 8;
    /** Smallest request payload: the type and the 8-byte send time. */
    public static final int MIN_PAYLOAD = 1 + 8;
    private static final int HEADER = 4;

    private final Selector selector;
    private final Recorder recorder = new Recorder(HIGHEST_NS, 3);
    private final AtomicLong echoed = new AtomicLong();
    private final AtomicLong pushesHigh = new AtomicLong();
    private final AtomicLong pushesLow = new AtomicLong();
    private final List<ClientPeer> peers = new ArrayList<>();
    private final Consumer<SelectionKey> onKey = this::onKey;
    private final int payload;
    private final int inflight;
    private final byte[] filler;
    private Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private long echoCount;
    private long highCount;
    private long lowCount;
    private int lost;
    private int badFrames;

    /**
     * Creates a client with no connections yet.
     *
     * @param payload  request payload bytes, at least {@link #MIN_PAYLOAD}.
     * @param inflight requests kept in flight per connection, at least 1.
     * @throws IOException if the selector cannot be opened.
     */
    public LoadClient(final int payload, final int inflight) throws IOException
    {
        if (payload < MIN_PAYLOAD || inflight < 1)
        {
            throw new IllegalArgumentException("payload must be at least " + MIN_PAYLOAD + " and inflight at least " +
                "1: " + payload + ", " + inflight);
        }
        this.payload = payload;
        this.inflight = inflight;
        this.filler = new byte[payload - MIN_PAYLOAD];
        for (int i = 0; i < filler.length; i++)
        {
            filler[i] = (byte)('a' + i % 26);
        }
        this.selector = Selector.open();
    }

    /**
     * Connects one more connection (blocking connect, then non-blocking use); before {@link #start}.
     *
     * @param address the server.
     * @throws IOException if the connect fails (nothing is left open then).
     */
    public void add(final InetSocketAddress address) throws IOException
    {
        final SocketChannel channel = SocketChannel.open();
        try
        {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(address);
            channel.configureBlocking(false);
            final int bytes = Math.max(8192, inflight * (HEADER + payload));
            final ClientPeer peer = new ClientPeer(channel, bytes);
            peer.key = channel.register(selector, SelectionKey.OP_READ, peer);
            peers.add(peer);
        }
        catch (final IOException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /**
     * Starts the client thread, which sends the first requests on every connection at once.
     *
     * @param threadName name of the thread.
     */
    public void start(final String threadName)
    {
        thread = new Thread(this::runLoop, threadName);
        thread.start();
    }

    /**
     * Stops the thread, which closes its connections on the way out, and waits for it (3 s at most).
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void stop() throws InterruptedException
    {
        running = false;
        selector.wakeup();
        if (thread != null)
        {
            thread.join(TimeUnit.SECONDS.toMillis(3));
        }
    }

    /** @return echoes received so far, over the whole run. */
    public long echoed()
    {
        return echoed.get();
    }

    /** @return high-priority pushes received so far, over the whole run. */
    public long pushesHigh()
    {
        return pushesHigh.get();
    }

    /** @return low-priority pushes received so far, over the whole run. */
    public long pushesLow()
    {
        return pushesLow.get();
    }

    /**
     * Round trips recorded since the last call.
     *
     * @param recycle the histogram the previous call returned, to reuse, or null.
     * @return the interval's histogram, in nanoseconds.
     */
    public Histogram intervalHistogram(final Histogram recycle)
    {
        return recorder.getIntervalHistogram(recycle);
    }

    /** @return connections the server closed while the client was running. */
    public int lost()
    {
        return lost;
    }

    /** @return frames with an unknown type, an unexpected length, or a push sequence number out of order. */
    public int badFrames()
    {
        return badFrames;
    }

    /** @return what stopped the thread early, or null. */
    public Throwable failure()
    {
        return failure;
    }

    private void runLoop()
    {
        try
        {
            final long now = System.nanoTime();
            for (final ClientPeer peer : peers)
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
            for (final ClientPeer peer : peers)
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

    private void onKey(final SelectionKey key)
    {
        final ClientPeer peer = (ClientPeer)key.attachment();
        if (!key.isValid() || !peer.isOpen())
        {
            return;
        }
        final int ops = key.readyOps();
        if ((ops & SelectionKey.OP_READ) != 0)
        {
            read(peer);
        }
        if ((ops & SelectionKey.OP_WRITE) != 0 && peer.isOpen())
        {
            flush(peer);
        }
    }

    private void read(final ClientPeer peer)
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
        while (end - at >= HEADER + 1)
        {
            final int length = in.getInt(at);
            final byte type = in.get(at + HEADER);
            if (!expected(type, length))
            {
                bad(peer);
                return;
            }
            if (end - at < HEADER + length)
            {
                break;
            }
            if (type == TYPE_ECHO)
            {
                final long rtt = now - in.getLong(at + HEADER + 1);
                recorder.recordValue(Math.max(0, Math.min(rtt, HIGHEST_NS)));
                replies++;
            }
            else if (!pushInSequence(peer, type, in.getLong(at + HEADER + 1)))
            {
                bad(peer);
                return;
            }
            at += HEADER + length;
        }
        if (at > 0)
        {
            in.limit(end).position(at);
            in.compact();
        }
        if (replies > 0)
        {
            echoCount += replies;
            echoed.lazySet(echoCount);
            appendRequests(peer, replies, System.nanoTime());
            flush(peer);
        }
    }

    private boolean expected(final byte type, final int length)
    {
        return type == TYPE_ECHO ? length == payload :
            (type == TYPE_PUSH_HIGH || type == TYPE_PUSH_LOW) && length == PUSH_PAYLOAD;
    }

    /** Counts a push if its sequence number is the next one for its connection and priority. */
    private boolean pushInSequence(final ClientPeer peer, final byte type, final long sequence)
    {
        final boolean high = type == TYPE_PUSH_HIGH;
        if (!peer.inSequence(high, sequence))
        {
            return false;
        }
        if (high)
        {
            pushesHigh.lazySet(++highCount);
        }
        else
        {
            pushesLow.lazySet(++lowCount);
        }
        return true;
    }

    private void bad(final ClientPeer peer)
    {
        badFrames++;
        drop(peer);
    }

    /** Appends requests; the out buffer holds {@code inflight} frames and never more are outstanding. */
    private void appendRequests(final ClientPeer peer, final int n, final long stampNs)
    {
        final ByteBuffer out = peer.out;
        for (int i = 0; i < n; i++)
        {
            out.putInt(payload);
            out.put(TYPE_ECHO);
            out.putLong(stampNs);
            out.put(filler, 0, filler.length);
        }
    }

    private void flush(final ClientPeer peer)
    {
        if (!peer.flush())
        {
            drop(peer);
        }
    }

    private void drop(final ClientPeer peer)
    {
        if (peer.close() && running)
        {
            lost++;
        }
    }
}
