package dev.sluice.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One connection of a {@link LoadClient}: its channel, its reused direct buffers (both in fill mode between calls),
 * its write interest, and the sequence numbers of the pushes it has received so far.
 * <p>
 * <b>Threading:</b> the client's thread only (set up by the thread that adds it, before the client starts).
 */
final class ClientPeer
{
    final SocketChannel channel;
    final ByteBuffer in;
    final ByteBuffer out;
    SelectionKey key;
    private boolean open = true;
    private boolean writeInterest;
    private long lastHigh;
    private long lastLow;

    /**
     * @param channel the connected channel, non-blocking.
     * @param bytes   size of each of the two buffers: at least the largest frame.
     */
    ClientPeer(final SocketChannel channel, final int bytes)
    {
        this.channel = channel;
        this.in = ByteBuffer.allocateDirect(bytes);
        this.out = ByteBuffer.allocateDirect(bytes);
    }

    /** @return true until {@link #close()}. */
    boolean isOpen()
    {
        return open;
    }

    /**
     * Takes a push's sequence number.
     *
     * @param high     whether the push is high priority.
     * @param sequence its sequence number.
     * @return true if it is the next one for its priority (1 for the first); false if one is missing or repeated.
     */
    boolean inSequence(final boolean high, final long sequence)
    {
        if (sequence != (high ? lastHigh : lastLow) + 1)
        {
            return false;
        }
        if (high)
        {
            lastHigh = sequence;
        }
        else
        {
            lastLow = sequence;
        }
        return true;
    }

    /**
     * Writes as much of the out buffer as the socket takes, and asks for write readiness while some is left.
     *
     * @return false on an I/O error (the out buffer is emptied then).
     */
    boolean flush()
    {
        if (out.position() > 0)
        {
            out.flip();
            try
            {
                channel.write(out);
            }
            catch (final IOException ex)
            {
                out.clear();
                return false;
            }
            out.compact();
        }
        final boolean wantWrite = out.position() > 0;
        if (wantWrite != writeInterest)
        {
            writeInterest = wantWrite;
            key.interestOps(wantWrite ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
        return true;
    }

    /** @return true if this call closed the connection, false if it was closed already. */
    boolean close()
    {
        if (!open)
        {
            return false;
        }
        open = false;
        key.cancel();
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // Closing anyway.
        }
        return true;
    }
}
