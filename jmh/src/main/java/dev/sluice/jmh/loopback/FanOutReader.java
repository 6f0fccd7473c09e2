package dev.sluice.jmh.loopback;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The receiving side of the fan-out benchmark: one thread, one selector, many connections; it counts whole frames
 * and checks every length prefix (a frame is 4 bytes of length, then the payload; it may arrive split anywhere).
 * The same reader for every server.
 * <p>
 * <b>Threading:</b> {@link #connect} then {@link #start()} from one thread; {@link #frames()} from any thread.
 */
final class FanOutReader implements Runnable
{
    private final Selector selector;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
    private final AtomicLong frames = new AtomicLong();
    private final Consumer<SelectionKey> onKey = this::onKey;
    private final Thread thread = new Thread(this, "fanout-reader");
    private volatile boolean running = true;
    private volatile Throwable failure;

    private final int cpu;

    /** @param cpu the reader thread's CPU, or {@link Cpus#ANY}. */
    FanOutReader(final int cpu) throws IOException
    {
        this.cpu = cpu;
        selector = Selector.open();
    }

    /** Opens {@code count} connections to {@code address}. */
    void connect(final InetSocketAddress address, final int count) throws IOException
    {
        for (int i = 0; i < count; i++)
        {
            final SocketChannel channel = SocketChannel.open(address);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, new Parse());
        }
    }

    void start()
    {
        thread.setDaemon(true);
        thread.start();
    }

    /** @return whole frames received so far. */
    long frames()
    {
        return frames.get();
    }

    /** @return why the reader stopped early, or null. */
    Throwable failure()
    {
        return failure;
    }

    void stop() throws InterruptedException, IOException
    {
        running = false;
        selector.wakeup();
        thread.join(5000);
        for (final SelectionKey key : selector.keys())
        {
            key.channel().close();
        }
        selector.close();
    }

    @Override
    public void run()
    {
        try
        {
            Cpus.pinCurrentThread(cpu);
            while (running)
            {
                selector.select(onKey, 100);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            failure = ex;
        }
    }

    private void onKey(final SelectionKey key)
    {
        final Parse parse = (Parse)key.attachment();
        try
        {
            buffer.clear();
            final int n = ((SocketChannel)key.channel()).read(buffer);
            if (n < 0)
            {
                throw new IllegalStateException("a server closed a fan-out connection");
            }
            final long whole = parse.consume(buffer, n);
            if (whole > 0)
            {
                frames.getAndAdd(whole);
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Where one connection's byte stream is: inside a length prefix or inside a payload. */
    private static final class Parse
    {
        private int headerBytes;
        private int length;
        private int payloadLeft;

        /** @return frames completed by these {@code n} bytes. */
        long consume(final ByteBuffer bytes, final int n)
        {
            long whole = 0;
            int i = 0;
            while (i < n)
            {
                if (payloadLeft > 0)
                {
                    final int take = Math.min(payloadLeft, n - i);
                    payloadLeft -= take;
                    i += take;
                    if (payloadLeft == 0)
                    {
                        whole++;
                    }
                    continue;
                }
                length = (length << 8) | (bytes.get(i++) & 0xFF);
                if (++headerBytes == Wire.HEADER)
                {
                    if (length != Wire.PAYLOAD)
                    {
                        throw new IllegalStateException("bad length prefix " + length);
                    }
                    payloadLeft = length;
                    headerBytes = 0;
                    length = 0;
                }
            }
            return whole;
        }
    }
}
