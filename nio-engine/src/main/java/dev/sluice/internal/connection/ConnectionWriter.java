package dev.sluice.internal.connection;

import java.io.IOException;

import dev.sluice.connection.CloseReason;
import dev.sluice.stats.LoopCounters;

/**
 * Writes a connection's pending bytes to its socket, one {@code write} per flush, and tells the
 * {@link SlowConsumerRule} what the socket took. Allocates nothing.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
public final class ConnectionWriter
{
    private final LoopCounters counters;
    private final SlowConsumerRule slowConsumer;
    private final ConnectionContext context;

    /**
     * @param context      what the loop's connections share.
     * @param slowConsumer the loop's slow-consumer rule.
     * @param counters     the loop's counters.
     */
    public ConnectionWriter(final ConnectionContext context, final SlowConsumerRule slowConsumer,
        final LoopCounters counters)
    {
        this.context = context;
        this.slowConsumer = slowConsumer;
        this.counters = counters;
    }

    /**
     * Writes what is pending for an open or closing connection; a closing one closes once it has nothing pending.
     *
     * @param c the connection.
     * @return 1 if a write was made (or failed and closed the connection), 0 if nothing was pending.
     */
    public int flush(final LoopConnection c)
    {
        if (c.send.pending() == 0)
        {
            slowConsumer.drained(c);
            return 0;
        }
        // A backed-up connection is written whenever it has new bytes too, not only when OP_WRITE fires: epoll reports
        // a socket writable only once a third of its buffer is free, and a lagging peer drains best when every bit
        // of room is used. The price is one write that may take nothing, in iterations that appended to it.
        final int bytes;
        try
        {
            bytes = c.channel().write(c.send.prepareWrite());
        }
        catch (final IOException ex)
        {
            context.closer.close(c, CloseReason.IO_ERROR);
            return 1;
        }
        if (bytes > 0)
        {
            counters.bytesOut.getAndAddRelease(bytes);
        }
        final boolean drained = c.send.written(bytes);
        context.push.stats().written(c.slot(), bytes, c.send.pending());
        slowConsumer.written(c, bytes, drained);
        if (drained && c.isClosing())
        {
            discardArrivedInput(c);
            context.closer.close(c, c.closingReason()); // everything sent before the close is out
        }
        return 1;
    }

    /**
     * Reads and drops what a closing connection's peer has sent meanwhile (a few reads at most): closing a socket
     * with unread input makes the kernel reset the connection instead of ending it, and a peer that receives the
     * reset before it has read the goodbye may lose it.
     */
    private static void discardArrivedInput(final LoopConnection c)
    {
        try
        {
            for (int i = 0; i < 4 && c.channel().read(c.receive.prepareDiscard()) > 0; i++)
            {
                // dropped
            }
        }
        catch (final IOException ignore)
        {
            // The peer is gone: nothing to protect.
        }
    }

    /**
     * Shutdown: one write of what is already encoded, whatever the socket takes; errors are ignored because the
     * connection is closing anyway.
     *
     * @param c an open or closing connection.
     */
    public void writeOnce(final LoopConnection c)
    {
        if (c.send.pending() > 0)
        {
            try
            {
                c.channel().write(c.send.prepareWrite());
            }
            catch (final IOException ignore)
            {
                // Best effort: the connection is closing.
            }
        }
    }
}
