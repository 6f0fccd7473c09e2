package dev.sluice.internal.connection;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.push.PushHandle;
import org.agrona.DirectBuffer;

/**
 * A connection slot's state and lifecycle, as the loop sees it: identity, socket, buffers, flags and deadlines, and
 * the calls the loop makes on them ({@link #open}, {@link #connected}, {@link #beginClose}, {@link #clearAfterClose},
 * the backed-up and shedding flags, the application timer). {@link LoopConnection} adds the API the application
 * calls.
 * <p>
 * <b>Who writes what.</b> Identity and lifecycle ({@code state}, id, channel, key, handler, push handle) change only
 * through {@link #open}, {@link #connected}, {@link #beginClose} and {@link #clearAfterClose}, called by the loop's
 * lifecycle; the backed-up flag and the last-progress time only by {@link SlowConsumerRule}; the table, dirty-list
 * and claim bookkeeping only by {@link ConnectionTable}, {@link DirtyList} and this class. Read pauses, budgets and
 * assembly belong to the inbound unit ({@link InboundState}). Interest in the selector is derived in one place,
 * {@link #updateInterest()}: read unless paused, write while backed up.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
abstract class LoopConnectionState implements Connection
{
    enum State
    {
        /** The slot serves no connection. */
        FREE,
        /** An outbound connect is in progress. */
        CONNECTING,
        /** Open: reads, sends, pushes. */
        OPEN,
        /** Closed by the application and delivering what it sent before: nothing is read, sent or pushed. */
        CLOSING
    }

    final ConnectionContext context;
    final int slot;
    final ReceiveBuffer receive = new ReceiveBuffer();
    final SendBuffer send = new SendBuffer();
    State state = State.FREE;
    long id;
    SocketChannel channel;
    SelectionKey key;
    ConnectionHandler handler;
    PushHandle pushHandle;
    Object attachment;
    int receiveChunk = -1;
    int sendChunk = -1;
    int activeIndex = -1;
    boolean dirty;
    boolean backedUp;
    boolean shedding;
    long lastSendProgressNs;
    long lastAppendNs;
    /** Which half of the slow-consumer rule dropped this connection (0: neither), and its figures, set at the drop. */
    int slowConsumerRule;
    long slowConsumerFigure1;
    long slowConsumerFigure2;
    /** When the application's timer is due ({@link #armTimer}), or {@link ConnectionTimers#NONE}. */
    long timerNs = ConnectionTimers.NONE;
    /** When the last periodic heartbeat was due, or when the connection opened ({@link PeriodicHeartbeat}). */
    long heartbeatBaseNs;
    int claimOffset = -1;
    int claimLength;
    /** What a {@code CLOSING} connection's close will say. */
    CloseReason closingReason;

    LoopConnectionState(final ConnectionContext context, final int slot)
    {
        this.context = context;
        this.slot = slot;
    }

    /** @return the slot of the loop's table this connection object serves. */
    public int slot()
    {
        return slot;
    }

    /** @return the application's handler of this connection (null while the slot is free). */
    public ConnectionHandler handler()
    {
        return handler;
    }

    /** @return the socket (null while the slot is free). */
    public SocketChannel channel()
    {
        return channel;
    }

    /** @return the selection key (null until registered, and while the slot is free). */
    public SelectionKey key()
    {
        return key;
    }

    /** @return the receive buffer, for the inbound unit. */
    public ReceiveBuffer receiveBuffer()
    {
        return receive;
    }

    /** @return bytes in the send buffer, whatever the state (for the close path's log line). */
    public int unsentBytes()
    {
        return send.pending();
    }

    /**
     * Says why the slow-consumer rule dropped this connection: which half fired, with its figures. Called in the close
     * path, and only when the line will be logged: it allocates.
     *
     * @return the explanation, or null if the rule did not drop it.
     */
    public String slowConsumerReport()
    {
        return context.slowConsumer.report(self());
    }

    /** @return when a frame was last appended for this peer (the idle keep-alive's clock). */
    public long lastAppendNs()
    {
        return lastAppendNs;
    }

    /**
     * Lifecycle: a channel takes this slot (the table has attached the buffers).
     *
     * @param newId      the connection id.
     * @param newChannel the socket.
     * @param newHandler the application's handler.
     * @param connecting true for an outbound connect still in progress.
     */
    public void open(final long newId, final SocketChannel newChannel, final ConnectionHandler newHandler,
        final boolean connecting)
    {
        id = newId;
        channel = newChannel;
        handler = newHandler;
        state = connecting ? State.CONNECTING : State.OPEN;
        backedUp = false;
        shedding = false;
        claimOffset = -1;
        attachment = null;
        timerNs = ConnectionTimers.NONE;
        lastAppendNs = context.time.nowNs();
        heartbeatBaseNs = lastAppendNs;
        slowConsumerRule = 0;
    }

    /** @param selectionKey lifecycle: the key the selector registered the channel with. */
    public void registered(final SelectionKey selectionKey)
    {
        key = selectionKey;
    }

    /** Lifecycle: an outbound connect completed; from now on the connection reads. */
    public void connected()
    {
        state = State.OPEN;
        updateInterest();
    }

    /** @param handle lifecycle: the connection's push handle, just before it is announced open. */
    public void ready(final PushHandle handle)
    {
        pushHandle = handle;
        lastAppendNs = context.time.nowNs();
        heartbeatBaseNs = lastAppendNs; // an outbound connection's heartbeats count from its connect, not its start
    }

    /**
     * Lifecycle: an open connection with bytes still to deliver is closing; it stops reading and is written until
     * they are out ({@link ConnectionCloser#closeAfterFlush}).
     *
     * @param reason the reason its close will carry.
     */
    public void beginClosing(final CloseReason reason)
    {
        state = State.CLOSING;
        closingReason = reason;
        updateInterest();
    }

    /** @return the reason a closing connection's close will carry once its bytes are out. */
    public CloseReason closingReason()
    {
        return closingReason;
    }

    /** @return true while a close waits for the connection's unsent bytes to go out. */
    public boolean isClosing()
    {
        return state == State.CLOSING;
    }

    /** @return true if the flush stage writes this connection: open, or closing. */
    public boolean isFlushable()
    {
        return state == State.OPEN || state == State.CLOSING;
    }

    /**
     * Lifecycle: starts the close; from here on the connection is not open.
     *
     * @return false if it was closed already (a close happens once).
     */
    public boolean beginClose()
    {
        if (state == State.FREE)
        {
            return false;
        }
        state = State.FREE;
        if (key != null)
        {
            key.cancel();
        }
        return true;
    }

    /** Lifecycle: the close is complete and the table has the slot back. */
    public void clearAfterClose()
    {
        pushHandle = null;
        channel = null;
        key = null;
        handler = null;
        attachment = null;
        abortClaim();
        backedUp = false;
        shedding = false;
        timerNs = ConnectionTimers.NONE;
    }

    /** Derives selector interest from the state: read unless paused or closing, write while backed up. */
    public void updateInterest()
    {
        if (key != null && (state == State.OPEN || state == State.CLOSING))
        {
            final boolean read = state == State.OPEN && !context.readsStopped && !context.inbound.isReadPaused(self());
            key.interestOps((read ? SelectionKey.OP_READ : 0) | (backedUp ? SelectionKey.OP_WRITE : 0));
        }
    }

    /** The selector reported the socket writable: flush what is pending in this iteration's flush stage. */
    public void writable()
    {
        context.dirty.add(self());
    }

    boolean isShedding()
    {
        return shedding;
    }

    void shedding(final boolean on)
    {
        if (shedding != on)
        {
            shedding = on;
            context.push.shedding(slot, on);
        }
    }

    void backedUp(final boolean on)
    {
        if (backedUp != on)
        {
            backedUp = on;
            updateInterest();
            context.push.backedUp(slot, on);
            context.push.stats().backedUp(slot, on);
        }
    }

    /**
     * Counts what was received for this connection's {@link ConnectionStats}.
     *
     * @param frames whole frames handed over.
     * @param bytes  bytes read.
     */
    public void countReceived(final int frames, final int bytes)
    {
        context.push.stats().received(slot, frames, bytes);
    }

    /** Counts a periodic heartbeat or idle keep-alive appended for this connection's {@link ConnectionStats}. */
    void countHeartbeat()
    {
        context.push.stats().heartbeat(slot);
    }

    /** @return when the application's timer is due, or {@link ConnectionTimers#NONE}. */
    public long timerDeadline()
    {
        return timerNs;
    }

    /**
     * The timer stage: calls the application's {@code onTimer} if its timer is due (once: it is disarmed first).
     *
     * @param nowNs the loop's time.
     * @return true if it was called.
     */
    public boolean fireTimerIfDue(final long nowNs)
    {
        if (state != State.OPEN || timerNs == ConnectionTimers.NONE || nowNs - timerNs < 0)
        {
            return false;
        }
        timerNs = ConnectionTimers.NONE;
        final int mark = context.claims.mark();
        try
        {
            handler.onTimer(this);
        }
        catch (final RuntimeException ex)
        {
            context.inbound.handlerFailed(self(), ex);
        }
        context.claims.abortSince(mark);
        return true;
    }

    /**
     * The gate released a response for this open connection: the handler writes it ({@code onResponse}).
     *
     * @return true if written.
     */
    public boolean deliverResponse(final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        final int mark = context.claims.mark();
        boolean written = false;
        try
        {
            written = handler.onResponse(this, sequence, buffer, offset, length);
        }
        catch (final RuntimeException ex)
        {
            context.inbound.handlerFailed(self(), ex);
        }
        context.claims.abortSince(mark);
        return written;
    }

    /** Tells the application that {@link #isBackedUp()} changed (loop thread; after every state change is made). */
    void writabilityChanged()
    {
        if (state != State.OPEN)
        {
            return;
        }
        final int mark = context.claims.mark();
        try
        {
            handler.onWritabilityChanged(this, !backedUp);
        }
        catch (final RuntimeException ex)
        {
            context.inbound.handlerFailed(self(), ex);
        }
        context.claims.abortSince(mark);
    }

    void frameAppended()
    {
        lastAppendNs = context.time.nowNs();
        context.counters.framesOut.incrementRelease();
        context.push.stats().appended(slot);
        context.slowConsumer.appended(self());
        context.dirty.add(self());
    }

    boolean onLoopThread()
    {
        return context.owner.isOwner();
    }

    /** @return this, as the one concrete class the loop's collaborators take. */
    private LoopConnection self()
    {
        return (LoopConnection)this;
    }
}
