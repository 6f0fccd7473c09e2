package dev.sluice.engine;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

import dev.sluice.codec.FrameCodec;
import dev.sluice.config.EngineConfig;
import dev.sluice.push.PushLoop;
import dev.sluice.stats.LoopCounters;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Everything done to one connection of a loop: opening it on a reserved slot, finishing a connect, reading and
 * dispatching frames, writing its pending bytes, and closing it exactly once. Reads, dispatch and writes allocate
 * nothing; opening and closing may (the JDK does).
 * <p>
 * <b>Threading:</b> owned by the loop thread, like the connections it serves.
 */
final class ConnectionIo implements ReceiveBuffer.FrameSink
{
    private static final Logger LOG = System.getLogger("dev.sluice.engine");

    private final EventLoop loop;
    private final EngineConfig config;
    private final Selector selector;
    private final ConnectionTable table;
    private final PushLoop push;
    private final InboundBudget budget;
    private final Rejections rejections;
    private final MessageAssembler assembler;
    private final FragmentRouter assembly;
    private final FrameCodec codec;
    private final LoopCounters counters;
    private final RateLimitedLog closeLog;
    private Connection dispatching;
    private boolean kept;
    private long openSequence;

    ConnectionIo(final EventLoop loop, final EngineConfig config, final Selector selector, final ConnectionTable table,
        final PushLoop push, final LoopCounters counters, final RateLimitedLog closeLog, final InboundBudget budget)
    {
        this.push = push;
        this.budget = budget;
        this.rejections = new Rejections(loop, config.codec(), closeLog);
        this.assembler = config.codec().fragmentHeaderLength() > 0 ?
            new MessageAssembler(config.assemblySlots(), config.assemblyMaxMessage()) : null;
        this.assembly = assembler == null ? null : new FragmentRouter(this, loop, assembler, config, counters,
            rejections, budget);
        this.loop = loop;
        this.config = config;
        this.selector = selector;
        this.table = table;
        this.codec = config.codec();
        this.counters = counters;
        this.closeLog = closeLog;
    }

    /** Sets up a channel for which this loop holds a reservation. */
    void open(final SocketChannel channel, final ConnectionHandler handler, final boolean outbound)
    {
        try
        {
            SocketSetup.configure(channel, config);
        }
        catch (final IOException ex)
        {
            SocketSetup.closeQuietly(channel);
            table.unreserve();
            if (closeLog.tryAcquire(loop.nowNs()))
            {
                closeLog.log("loop " + loop.index() + ": cannot configure a new socket: " + ex);
            }
            return;
        }
        final boolean connecting = outbound && !channel.isConnected();
        final Connection c = table.take(config.sendCap());
        c.resetForOpen(ConnectionIds.compose(++openSequence, c.slot(), loop.index()), channel, handler);
        c.state = connecting ? Connection.State.CONNECTING : Connection.State.OPEN;
        counters.connectionsOpen.incrementRelease();
        try
        {
            c.key = channel.register(selector, connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_READ, c);
        }
        catch (final IOException ex)
        {
            close(c, connecting ? CloseReason.CONNECT_FAILED : CloseReason.IO_ERROR);
            return;
        }
        if (!connecting)
        {
            if (outbound)
            {
                counters.connected.incrementRelease();
            }
            notifyOpen(c);
        }
    }

    /** Closes a connection once: socket, counters, the handler's onClose, then the slot and buffers go back. */
    void close(final Connection c, final CloseReason reason)
    {
        if (c.state == Connection.State.FREE)
        {
            return;
        }
        c.state = Connection.State.FREE;
        loop.pauses().remove(c);
        if (assembler != null)
        {
            assembler.freeAll(c);
        }
        budget.release(c);
        push.close(c.slot()); // producers see "closed" from here on; queued frames go back to the pool
        if (c.key != null)
        {
            c.key.cancel();
        }
        counters.closes(reason).incrementRelease(); // before the peer can see the close
        counters.connectionsOpen.decrementRelease();
        SocketSetup.closeQuietly(c.channel);
        if (reason == CloseReason.SLOW_CONSUMER && closeLog.tryAcquire(loop.nowNs()))
        {
            closeLog.log("loop " + loop.index() + ": connection " + c.id + " dropped as a slow consumer with " +
                c.send.pending() + " bytes pending");
        }
        final int mark = loop.claims().mark();
        try
        {
            c.handler.onClose(c, reason);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(Level.ERROR, "loop " + loop.index() + ": onClose failed on connection " + c.id, ex);
        }
        loop.claims().abortSince(mark); // only claims opened by onClose: an outer callback's stay open
        table.give(c);
        c.clearAfterClose();
    }

    void finishConnect(final Connection c)
    {
        try
        {
            if (!c.channel.finishConnect())
            {
                return;
            }
        }
        catch (final IOException ex)
        {
            if (closeLog.tryAcquire(loop.nowNs()))
            {
                closeLog.log("loop " + loop.index() + ": connect failed: " + ex);
            }
            loop.close(c, CloseReason.CONNECT_FAILED);
            return;
        }
        c.state = Connection.State.OPEN;
        c.key.interestOps(SelectionKey.OP_READ);
        counters.connected.incrementRelease();
        notifyOpen(c);
    }

    void read(final Connection c)
    {
        int max = c.receive.free();
        if (budget.active())
        {
            max = budget.readLimit(c, max);
            if (max == 0)
            {
                if (budget.connectionFull(c))
                {
                    rejections.budgetExceeded(c, c.receive.buffered() + " bytes buffered without a complete message");
                }
                else
                {
                    pauseForBudget(c); // the engine-wide budget is full: wait a tick
                }
                return;
            }
        }
        final int bytes;
        try
        {
            bytes = c.channel.read(c.receive.prepareRead(max));
        }
        catch (final IOException ex)
        {
            loop.close(c, CloseReason.IO_ERROR);
            return;
        }
        if (bytes < 0)
        {
            loop.close(c, CloseReason.PEER_CLOSED);
            return;
        }
        if (bytes == 0)
        {
            return;
        }
        c.receive.wrote(bytes);
        c.lastReceiveNs = loop.nowNs();
        kept = false;
        counters.bytesIn.getAndAddRelease(bytes);
        dispatching = c;
        final int result = c.receive.decode(codec, this);
        dispatching = null;
        if (result < 0 && result != Integer.MIN_VALUE)
        {
            rejections.malformed(c, result);
        }
        else if (budget.active() && c.state == Connection.State.OPEN)
        {
            budget.account(c);
            if (!c.readPaused && budget.overSoftLimit(c))
            {
                pauseForBudget(c);
            }
        }
    }

    private void pauseForBudget(final Connection c)
    {
        c.readPaused = true;
        c.updateInterest();
        counters.budgetPauses.incrementRelease();
        loop.pauses().add(c);
    }

    @Override
    public int onFrame(final UnsafeBuffer buffer, final int offset, final int length)
    {
        final Connection c = dispatching;
        if (assembler == null)
        {
            return deliver(c, buffer, offset, length);
        }
        return assembly.onFragment(c, buffer, offset, length);
    }

    /** Hands one whole message to the application; the verdict tells the decode pass what to do next. */
    int deliver(final Connection c, final DirectBuffer buffer, final int offset, final int length)
    {
        if (budget.messageTooLarge(length))
        {
            rejections.budgetExceeded(c, "a message of " + length + " bytes is over the per-message budget");
            return STOP;
        }
        final int mark = loop.claims().mark();
        c.notNowRequested = false; // only a notNow() made during this very call counts
        try
        {
            c.handler.onFrame(c, buffer, offset, length);
        }
        catch (final RuntimeException ex)
        {
            loop.claims().abortSince(mark);
            counters.framesIn.incrementRelease();
            handlerFailed(c, ex);
            return STOP;
        }
        loop.claims().abortSince(mark);
        if (c.state != Connection.State.OPEN)
        {
            counters.framesIn.incrementRelease();
            return STOP;
        }
        if (c.notNowRequested)
        {
            c.notNowRequested = false;
            kept = true;
            if (!c.readPaused)
            {
                c.readPaused = true;
                c.updateInterest();
                counters.readPauses.incrementRelease();
                loop.pauses().add(c);
            }
            return KEEP;
        }
        counters.framesIn.incrementRelease();
        return NEXT;
    }

    /**
     * Delivers the frames a paused connection kept, in order; resumes reading if the application took them all
     * (called from the timer stage).
     *
     * @return true if the connection may read again.
     */
    boolean redeliver(final Connection c)
    {
        kept = false;
        dispatching = c;
        final int result = c.receive.decode(codec, this);
        dispatching = null;
        if (result < 0 && result != Integer.MIN_VALUE)
        {
            rejections.malformed(c, result);
            return false;
        }
        if (c.state == Connection.State.OPEN)
        {
            budget.account(c);
        }
        if (c.state == Connection.State.OPEN && !kept)
        {
            c.readPaused = false;
            c.lastReceiveNs = loop.nowNs(); // the pause was ours, not the peer's silence
            if (assembler != null)
            {
                assembler.touch(c, loop.nowNs());
            }
            c.updateInterest();
            return true;
        }
        return false;
    }

    void notifyOpen(final Connection c)
    {
        c.lastReceiveNs = loop.nowNs();
        c.lastAppendNs = loop.nowNs();
        c.pushHandle = push.open(c.slot(), c.id);
        final int mark = loop.claims().mark();
        try
        {
            c.handler.onOpen(c);
        }
        catch (final RuntimeException ex)
        {
            handlerFailed(c, ex);
        }
        loop.claims().abortSince(mark);
    }

    private void handlerFailed(final Connection c, final RuntimeException ex)
    {
        LOG.log(Level.ERROR, "loop " + loop.index() + ": handler failed on connection " + c.id + "; closing it", ex);
        loop.close(c, CloseReason.HANDLER_ERROR);
    }

    /** The timer stage: purges messages half-assembled for longer than the assembly timeout. */
    int purgeAssemblies(final long nowNs)
    {
        return assembly == null ? 0 : assembly.purge(nowNs);
    }

    /** Shutdown: one best-effort write of what is already encoded for each connection, then every one closed. */
    void flushAndCloseAll()
    {
        for (int i = table.activeCount() - 1; i >= 0; i--)
        {
            final Connection c = table.active(i);
            if (c.state == Connection.State.OPEN && c.send.pending() > 0)
            {
                try
                {
                    c.channel.write(c.send.prepareWrite());
                }
                catch (final IOException ignore)
                {
                    // Best effort: the connection is closing anyway.
                }
            }
        }
        while (table.activeCount() > 0)
        {
            close(table.active(table.activeCount() - 1), CloseReason.ENGINE_SHUTDOWN);
        }
    }
}
