package dev.sluice.jmh.loopback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** Whole-buffer reads and writes on a blocking channel, shared by the floor server and the ping-pong client. */
final class Blocking
{
    private Blocking()
    {
    }

    /** Reads until {@code buffer} is full. @return false if the peer closed first. */
    static boolean readFully(final SocketChannel channel, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer) < 0)
            {
                return false;
            }
        }
        return true;
    }

    /** Writes all of {@code buffer}. */
    static void writeFully(final SocketChannel channel, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }
}
