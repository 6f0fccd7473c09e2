package dev.sluice.tests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test client that reads many connections from one thread with a selector and hands each whole frame (default
 * framing) to a check. Independent of the engine. Connections listed in {@code paused} are not read at all.
 */
final class FrameReceiver implements AutoCloseable
{
    /** Sees every frame of every connection, on the receiver thread. */
    interface FrameCheck
    {
        void onFrame(int connection, ByteBuffer payload);
    }

    final List<SocketChannel> channels = new ArrayList<>();
    final AtomicLong total = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final long[] perConnection;
    private final Selector selector;
    private final FrameCheck check;
    private final Thread thread;
    private volatile boolean running = true;

    FrameReceiver(final InetSocketAddress address, final int connections, final boolean[] paused,
        final FrameCheck check) throws IOException
    {
        this.check = check;
        this.perConnection = new long[connections];
        this.selector = Selector.open();
        for (int i = 0; i < connections; i++)
        {
            final SocketChannel channel = SocketChannel.open(address);
            channel.configureBlocking(false);
            channels.add(channel);
            if (paused == null || !paused[i])
            {
                channel.register(selector, SelectionKey.OP_READ, new Reader(i));
            }
        }
        thread = new Thread(this::run, "frame-receiver");
        thread.start();
    }

    long count(final int connection)
    {
        synchronized (perConnection)
        {
            return perConnection[connection];
        }
    }

    /** Waits until {@code frames} frames were received in all. */
    void awaitTotal(final long frames, final long millis) throws InterruptedException
    {
        final long deadline = System.nanoTime() + millis * 1_000_000L;
        while (total.get() < frames && failure.get() == null)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("received " + total.get() + " of " + frames + " frames");
            }
            Thread.sleep(2);
        }
        if (failure.get() != null)
        {
            throw new AssertionError("receiver failed", failure.get());
        }
    }

    private final class Reader
    {
        final int index;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);

        Reader(final int index)
        {
            this.index = index;
        }

        void read(final SocketChannel channel) throws IOException
        {
            if (channel.read(buffer) < 0)
            {
                channel.keyFor(selector).cancel();
                return;
            }
            buffer.flip();
            int frames = 0;
            while (buffer.remaining() >= 4)
            {
                final int length = buffer.getInt(buffer.position());
                if (buffer.remaining() < 4 + length)
                {
                    break;
                }
                final ByteBuffer payload = buffer.duplicate();
                payload.position(buffer.position() + 4).limit(buffer.position() + 4 + length);
                check.onFrame(index, payload);
                buffer.position(buffer.position() + 4 + length);
                frames++;
            }
            buffer.compact();
            synchronized (perConnection)
            {
                perConnection[index] += frames;
            }
            total.addAndGet(frames);
        }
    }

    private void run()
    {
        try
        {
            while (running)
            {
                selector.select(50);
                for (final SelectionKey key : selector.selectedKeys())
                {
                    if (key.isValid() && key.isReadable())
                    {
                        ((Reader)key.attachment()).read((SocketChannel)key.channel());
                    }
                }
                selector.selectedKeys().clear();
            }
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            failure.compareAndSet(null, ex);
        }
    }

    @Override
    public void close() throws IOException
    {
        running = false;
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        for (final SocketChannel channel : channels)
        {
            channel.close();
        }
        selector.close();
    }
}
