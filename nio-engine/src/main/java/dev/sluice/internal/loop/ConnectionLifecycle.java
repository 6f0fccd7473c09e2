package dev.sluice.internal.loop;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.connection.ConnectionIds;
import dev.sluice.internal.connection.ConnectionCloser;
import dev.sluice.internal.connection.ConnectionTable;
import dev.sluice.internal.connection.ConnectionTimers;
import dev.sluice.internal.connection.ConnectionWriter;
import dev.sluice.internal.connection.LoopConnection;
import dev.sluice.internal.connection.LoopTime;
import dev.sluice.internal.connection.OpenClaims;
import dev.sluice.internal.connection.SocketSetup;
import dev.sluice.internal.inbound.InboundPath;
import dev.sluice.internal.log.EngineLog;
import dev.sluice.internal.log.ErrorReporter;
import dev.sluice.internal.log.RateLimitedLog;
import dev.sluice.internal.push.LoopGroups;
import dev.sluice.internal.push.PushLoop;
import dev.sluice.stats.LoopCounters;

/**
 * Opening and closing the connections of one loop: a handed-over channel takes a reserved slot, is registered and
 * announced to the application; an outbound connect completes; and every close happens exactly once, in one order:
 * the connection stops being open, its inbound state and queued pushes are released, the socket closes and is
 * counted, the application's {@code onClose} runs, and the slot and buffers go back to the table. Opening and closing
 * may allocate (the JDK does); nothing here runs per frame.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
final class ConnectionLifecycle implements ConnectionCloser
{
    private final int loop;
    private final EngineConfig config;
    private final Selector selector;
    private final ConnectionTable table;
    private final LoopTime time;
    private final OpenClaims claims;
    private final PushLoop push;
    private final LoopGroups groups;
    private final LoopCounters counters;
    private final ErrorReporter errors;
    private final RateLimitedLog log;
    private final ConnectionTimers timers;
    private InboundPath inbound;
    private AddressLimits addressLimits;
    private long openSequence;

    ConnectionLifecycle(final int loop, final EngineConfig config, final Selector selector, final ConnectionTable table,
        final LoopTime time, final OpenClaims claims, final PushLoop push, final LoopGroups groups,
        final LoopCounters counters, final ErrorReporter errors, final RateLimitedLog log,
        final ConnectionTimers timers)
    {
        this.groups = groups;
        this.timers = timers;
        this.loop = loop;
        this.config = config;
        this.selector = selector;
        this.table = table;
        this.time = time;
        this.claims = claims;
        this.push = push;
        this.counters = counters;
        this.errors = errors;
        this.log = log;
    }

    void bind(final InboundPath inboundPath)
    {
        inbound = inboundPath;
    }

    void addressLimits(final AddressLimits limits)
    {
        addressLimits = limits;
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
            errors.report(ex);
            return;
        }
        InetAddress admittedFrom = null;
        if (!outbound && addressLimits != null && addressLimits.limited())
        {
            final InetSocketAddress remote = SocketSetup.remoteAddress(channel);
            if (remote == null || !addressLimits.acquire(remote.getAddress()))
            {
                counters.rejectedPerAddress.incrementRelease(); // before the peer can see the close
                SocketSetup.closeQuietly(channel);
                table.unreserve();
                if (log.tryAcquire(time.nowNs()))
                {
                    log.log(EngineLog.LOG, Level.WARNING, "loop " + loop + ": rejected a new connection from " +
                        remote + ": maxConnectionsPerAddress reached");
                }
                return;
            }
            admittedFrom = remote.getAddress();
        }
        final boolean connecting = outbound && !channel.isConnected();
        final LoopConnection c = table.take();
        c.open(ConnectionIds.compose(++openSequence, c.slot(), loop), channel, handler, connecting);
        c.admittedFrom(admittedFrom);
        counters.connectionsOpen.incrementRelease();
        try
        {
            c.registered(channel.register(selector, connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_READ, c));
        }
        catch (final IOException ex)
        {
            close(c, connecting ? CloseReason.CONNECT_FAILED : CloseReason.IO_ERROR);
            return;
        }
        if (!connecting)
        {
            c.updateInterest(); // no reads if a shutdown's drain has stopped them
            if (outbound)
            {
                counters.connected.incrementRelease();
            }
            notifyOpen(c);
        }
    }

    void finishConnect(final LoopConnection c)
    {
        try
        {
            if (!c.channel().finishConnect())
            {
                return;
            }
        }
        catch (final IOException ex)
        {
            if (log.tryAcquire(time.nowNs()))
            {
                log.log(EngineLog.LOG, Level.WARNING, "loop " + loop + ": connect failed: " + ex);
            }
            close(c, CloseReason.CONNECT_FAILED);
            return;
        }
        c.connected();
        counters.connected.incrementRelease();
        notifyOpen(c);
    }

    @Override
    public void close(final LoopConnection c, final CloseReason reason)
    {
        if (!c.beginClose())
        {
            return;
        }
        inbound.release(c);
        timers.cancel(c.slot());
        push.close(c.slot()); // producers see "closed" from here on; its queued frames are discarded
        groups.closed(c.slot()); // and it leaves every push group
        counters.closes(reason).incrementRelease(); // before the peer can see the close
        counters.connectionsOpen.decrementRelease();
        if (c.admittedFrom() != null)
        {
            addressLimits.release(c.admittedFrom());
            c.admittedFrom(null);
        }
        final String slowReport = reason == CloseReason.SLOW_CONSUMER && log.tryAcquire(time.nowNs()) ?
            "loop " + loop + ": connection " + c.id() + " (peer " + c.remoteAddress() + ") dropped as a slow " +
            "consumer: " + c.slowConsumerReport() : null; // the peer's address while the channel is open
        SocketSetup.closeQuietly(c.channel());
        if (slowReport != null)
        {
            log.log(EngineLog.LOG, Level.WARNING, slowReport);
        }
        final int mark = claims.mark();
        try
        {
            c.handler().onClose(c, reason);
        }
        catch (final RuntimeException ex)
        {
            errors.report(ex);
        }
        claims.abortSince(mark); // only claims opened by onClose: an outer callback's stay open
        table.give(c);
        c.clearAfterClose();
    }

    @Override
    public void closeAfterFlush(final LoopConnection c, final CloseReason reason)
    {
        if (c.isClosing())
        {
            return; // delivering already
        }
        if (!c.isOpen() || c.unsentBytes() == 0)
        {
            close(c, reason);
            return;
        }
        c.abortClaim(); // a claim still open is not committed after the close
        c.beginClosing(reason); // not open from here: no reads, sends, pushes, timers or handler calls but onClose
        inbound.release(c);
        push.close(c.slot()); // producers see "closed" from here on; its queued frames are discarded
        groups.closed(c.slot());
        c.writable(); // this iteration's flush writes it, and closes it if that drains it
    }

    /**
     * Closes a connection by its id, after delivering what was sent to it ({@code Engine.closeConnection}). An id
     * whose connection has closed finds another id on its slot, or a free slot, and does nothing.
     *
     * @param connectionId the connection's id.
     */
    void closeAfterFlush(final long connectionId)
    {
        final int slot = ConnectionIds.slotOf(connectionId);
        if (slot < table.capacity())
        {
            final LoopConnection c = table.connection(slot);
            if (c.id() == connectionId)
            {
                closeAfterFlush(c, CloseReason.CLOSED_LOCALLY); // nothing if it is closed or closing already
            }
        }
    }

    private void notifyOpen(final LoopConnection c)
    {
        inbound.opened(c);
        c.ready(push.open(c.slot(), c.id()));
        timers.arm(c.slot(), time.nowNs()); // the timer stage's next tick works out the connection's deadlines
        final int mark = claims.mark();
        try
        {
            c.handler().onOpen(c);
        }
        catch (final RuntimeException ex)
        {
            inbound.handlerFailed(c, ex);
        }
        claims.abortSince(mark);
    }

    /** Shutdown: one best-effort write of what is already encoded for each connection, then every one closed. */
    void flushAndCloseAll(final ConnectionWriter writer)
    {
        for (int i = table.activeCount() - 1; i >= 0; i--)
        {
            final LoopConnection c = table.active(i);
            if (c.isFlushable())
            {
                writer.writeOnce(c);
            }
        }
        while (table.activeCount() > 0)
        {
            close(table.active(table.activeCount() - 1), CloseReason.ENGINE_SHUTDOWN);
        }
    }
}
