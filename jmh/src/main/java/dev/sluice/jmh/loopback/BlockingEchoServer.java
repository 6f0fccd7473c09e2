package dev.sluice.jmh.loopback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The floor: a plain blocking socket and one thread per connection that reads a whole frame and writes it back.
 * No selector, no framing library, no queue: what the kernel's loopback path costs with the least work a server can
 * do. Meant for the one-connection ping-pong.
 */
final class BlockingEchoServer implements EchoServer
{
    private final ServerSocketChannel listener;
    private final ServerThreads threads = new ServerThreads();
    private final Thread acceptor;
    private final int cpu;

    /** @param cpu the CPU to pin each connection's thread to, or {@link Cpus#ANY}. */
    BlockingEchoServer(final int cpu)
    {
        this.cpu = cpu;
        try
        {
            listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        acceptor = new Thread(this::accept, "blocking-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept()
    {
        try
        {
            while (true)
            {
                final SocketChannel channel = listener.accept();
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                final Thread thread = new Thread(() -> echo(channel), "blocking-echo-" + threads.count());
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }
        catch (final IOException ex)
        {
            // closed: the run is over
        }
    }

    private void echo(final SocketChannel channel)
    {
        Cpus.pinCurrentThread(cpu);
        ByteBuffer frame = ByteBuffer.allocateDirect(Wire.FRAME);
        try (channel)
        {
            while (true)
            {
                // One read for a whole small frame, as a server that knows its frame size would; more only if it came
                // in pieces.
                frame.clear();
                do
                {
                    if (channel.read(frame) < 0)
                    {
                        return;
                    }
                }
                while (frame.position() < Wire.HEADER);
                final int length = frame.getInt(0);
                if (length < 0 || length > 1 << 20)
                {
                    return;
                }
                if (frame.capacity() < Wire.HEADER + length)
                {
                    final ByteBuffer larger = ByteBuffer.allocateDirect(Wire.HEADER + length);
                    frame.flip();
                    frame = larger.put(frame);
                }
                frame.limit(Wire.HEADER + length);
                if (!Blocking.readFully(channel, frame))
                {
                    return;
                }
                frame.flip();
                Blocking.writeFully(channel, frame);
            }
        }
        catch (final IOException ex)
        {
            // the client went away
        }
    }

    @Override
    public InetSocketAddress address()
    {
        try
        {
            return (InetSocketAddress)listener.getLocalAddress();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public ServerThreads threads()
    {
        return threads;
    }

    @Override
    public String describe()
    {
        return "two blocking sockets, a thread per connection, " +
            (cpu == Cpus.ANY ? "not pinned" : "pinned to CPU " + cpu);
    }

    @Override
    public void close()
    {
        try
        {
            listener.close();
            acceptor.join(1000);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
