package dev.sluice.tests;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The client side of {@link StressTest}, in its own process (one JVM cannot hold both ends of 10,000 connections
 * within the machine's 20,000-descriptor limit). Opens the connections, prints "CONNECTED", reads until every
 * connection has its frames (each frame's first 4 bytes count up from 0 per connection), prints "OK total" and exits
 * 0; exits 1 on disorder or after the time limit.
 */
final class StressClientMain
{
    private StressClientMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
        final int connections = Integer.parseInt(args[1]);
        final int frames = Integer.parseInt(args[2]);
        final long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
        final Selector selector = Selector.open();
        final int[] next = new int[connections];
        final ByteBuffer[] buffers = new ByteBuffer[connections];
        for (int i = 0; i < connections; i++)
        {
            final SocketChannel channel = SocketChannel.open(address);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, i);
            buffers[i] = ByteBuffer.allocate(4096);
        }
        System.out.println("CONNECTED");
        System.out.flush();
        long total = 0;
        final long expected = (long)connections * frames;
        while (total < expected)
        {
            if (System.nanoTime() > deadline)
            {
                System.out.println("TIMEOUT " + total + " of " + expected);
                System.exit(1);
            }
            selector.select(100);
            for (final SelectionKey key : selector.selectedKeys())
            {
                final int c = (Integer)key.attachment();
                final ByteBuffer buffer = buffers[c];
                if (((SocketChannel)key.channel()).read(buffer) < 0)
                {
                    System.out.println("CLOSED connection " + c + " after " + next[c] + " frames");
                    System.exit(1);
                }
                buffer.flip();
                while (buffer.remaining() >= 4 && buffer.remaining() >= 4 + buffer.getInt(buffer.position()))
                {
                    final int length = buffer.getInt();
                    final int seq = buffer.getInt(buffer.position());
                    if (seq != next[c])
                    {
                        System.out.println("DISORDER connection " + c + ": " + seq + " for " + next[c]);
                        System.exit(1);
                    }
                    next[c]++;
                    total++;
                    buffer.position(buffer.position() + length);
                }
                buffer.compact();
            }
            selector.selectedKeys().clear();
        }
        System.out.println("OK " + total);
        System.exit(0);
    }
}
