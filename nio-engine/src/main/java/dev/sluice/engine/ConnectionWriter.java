package dev.sluice.engine;

import java.io.IOException;

import dev.sluice.stats.LoopCounters;

/**
 * Writes a connection's pending bytes to its socket (one {@code write} per flush), and keeps {@code OP_WRITE}
 * interest while a write was partial. Loop thread only; allocates nothing.
 */
final class ConnectionWriter
{
    private final EventLoop loop;
    private final LoopCounters counters;

    ConnectionWriter(final EventLoop loop, final LoopCounters counters)
    {
        this.loop = loop;
        this.counters = counters;
    }

    int flush(final Connection c)
    {
        if (c.send.pending() == 0)
        {
            setWriteInterest(c, false);
            return 0;
        }
        // A backed-up connection is written whenever it has new bytes too, not only when OP_WRITE fires: epoll reports
        // a socket writable only once a third of its buffer is free, and a lagging peer drains best when every bit
        // of room is used. The price is one write that may take nothing, in iterations that appended to it.
        final int bytes;
        try
        {
            bytes = c.channel.write(c.send.prepareWrite());
        }
        catch (final IOException ex)
        {
            loop.close(c, CloseReason.IO_ERROR);
            return 1;
        }
        if (bytes > 0)
        {
            counters.bytesOut.getAndAddRelease(bytes);
            c.lastSendProgressNs = loop.nowNs();
        }
        if (c.send.written(bytes))
        {
            setWriteInterest(c, false);
        }
        else if (!c.writeInterest)
        {
            c.lastSendProgressNs = loop.nowNs();
            setWriteInterest(c, true);
        }
        return 1;
    }

    private void setWriteInterest(final Connection c, final boolean on)
    {
        if (c.writeInterest != on)
        {
            c.writeInterest = on;
            c.updateInterest();
            loop.push().backedUp(c.slot(), on);
        }
    }
}
