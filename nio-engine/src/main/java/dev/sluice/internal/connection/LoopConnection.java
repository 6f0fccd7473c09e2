package dev.sluice.internal.connection;

import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.push.ConnectionStats;
import dev.sluice.push.PushHandle;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The engine's {@link Connection}: one slot of a loop's {@link ConnectionTable}, with its socket, its preallocated
 * receive and send buffers, and the state of the connection now on the slot. Preallocated and recycled.
 * <p>
 * <b>Who writes what.</b> Identity and lifecycle ({@code state}, id, channel, key, handler, push handle) change only
 * through {@link #open}, {@link #connected}, {@link #beginClose} and {@link #clearAfterClose}, called by the loop's
 * lifecycle; the backed-up flag and the last-progress time only by {@link SlowConsumerRule}; the table, dirty-list
 * and claim bookkeeping only by {@link ConnectionTable}, {@link DirtyList} and this class. Read pauses, budgets and
 * assembly belong to the inbound unit ({@link InboundState}). Interest in the selector is derived in one place,
 * {@link #updateInterest()}: read unless paused, write while backed up.
 * <p>
 * <b>Threading:</b> the loop thread only. With assertions on ({@code -ea}) the methods the application calls check
 * that they run on the thread that owns the loop.
 */
public final class LoopConnection implements Connection
{
    private enum State
    {
        FREE, CONNECTING, OPEN
    }

    private final ConnectionContext context;
    private final int slot;
    final ReceiveBuffer receive = new ReceiveBuffer();
    final SendBuffer send = new SendBuffer();

    private State state = State.FREE;
    private long id;
    private SocketChannel channel;
    private SelectionKey key;
    private ConnectionHandler handler;
    private PushHandle pushHandle;
    private Object attachment;

    int receiveChunk = -1;
    int sendChunk = -1;
    int activeIndex = -1;
    boolean dirty;
    private boolean backedUp;
    private boolean shedding;
    long lastSendProgressNs;
    private long lastAppendNs;
    /** Which half of the slow-consumer rule dropped this connection (0: neither), and its figures, set at the drop. */
    int slowConsumerRule;
    long slowConsumerFigure1;
    long slowConsumerFigure2;
    /** When the application's timer is due ({@link #armTimer}), or {@link ConnectionTimers#NONE}. */
    private long timerNs = ConnectionTimers.NONE;
    /** When the last periodic heartbeat was due, or when the connection opened ({@link PeriodicHeartbeat}). */
    long heartbeatBaseNs;
    private int claimOffset = -1;
    private int claimLength;

    LoopConnection(final ConnectionContext context, final int slot)
    {
        this.context = context;
        this.slot = slot;
    }

    @Override
    public long id()
    {
        return id;
    }

    @Override
    public int loopIndex()
    {
        return context.loopIndex;
    }

    @Override
    public boolean isOpen()
    {
        return state == State.OPEN;
    }

    @Override
    public boolean send(final DirectBuffer src, final int offset, final int length)
    {
        final int at = reserveFrame(length);
        if (at < 0)
        {
            return false;
        }
        final int header = context.codec.headerLength();
        context.codec.encodeHeader(send.buffer(), at, length);
        send.buffer().putBytes(at + header, src, offset, length);
        send.commit(at, header + length);
        frameAppended();
        return true;
    }

    @Override
    public int claim(final int maxLength)
    {
        final int at = reserveFrame(maxLength);
        if (at < 0)
        {
            return -1;
        }
        claimOffset = at;
        claimLength = maxLength;
        context.claims.opened(this);
        return at + context.codec.headerLength();
    }

    @Override
    public void commit(final int length)
    {
        assert onLoopThread();
        if (claimOffset < 0)
        {
            throw new IllegalStateException("no open claim on connection " + id);
        }
        if (length < 0 || length > claimLength)
        {
            throw new IllegalArgumentException("commit of " + length + " bytes exceeds the claim of " + claimLength);
        }
        context.codec.encodeHeader(send.buffer(), claimOffset, length);
        send.commit(claimOffset, context.codec.headerLength() + length);
        claimOffset = -1;
        context.claims.closed(this);
        frameAppended();
    }

    @Override
    public void abortClaim()
    {
        if (claimOffset >= 0)
        {
            claimOffset = -1;
            context.claims.closed(this);
        }
    }

    @Override
    public MutableDirectBuffer sendBuffer()
    {
        return send.buffer();
    }

    @Override
    public boolean isBackedUp()
    {
        return backedUp;
    }

    @Override
    public int pendingBytes()
    {
        return state == State.FREE ? 0 : send.pending();
    }

    @Override
    public void notNow()
    {
        assert onLoopThread();
        context.inbound.notNow(this);
    }

    @Override
    public int bufferedBytes()
    {
        return state == State.FREE ? 0 : receive.buffered() + context.inbound.assemblingBytes(this);
    }

    @Override
    public boolean isReadPaused()
    {
        return state != State.FREE && context.inbound.isReadPaused(this);
    }

    @Override
    public void close()
    {
        assert onLoopThread();
        context.closer.close(this, CloseReason.CLOSED_LOCALLY);
    }

    @Override
    public PushHandle pushHandle()
    {
        return pushHandle;
    }

    @Override
    public ConnectionStats stats()
    {
        return pushHandle == null ? null : pushHandle.stats();
    }

    @Override
    public void attach(final Object value)
    {
        attachment = value;
    }

    @Override
    public Object attachment()
    {
        return attachment;
    }

    @Override
    public InetSocketAddress remoteAddress()
    {
        return SocketSetup.remoteAddress(channel);
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
        return context.slowConsumer.report(this);
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

    /** Derives selector interest from the state: read unless paused, write while backed up. */
    public void updateInterest()
    {
        if (key != null && state == State.OPEN)
        {
            key.interestOps((context.inbound.isReadPaused(this) ? 0 : SelectionKey.OP_READ) |
                (backedUp ? SelectionKey.OP_WRITE : 0));
        }
    }

    /** The selector reported the socket writable: flush what is pending in this iteration's flush stage. */
    public void writable()
    {
        context.dirty.add(this);
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

    @Override
    public void armTimer(final long delay, final TimeUnit unit)
    {
        assert onLoopThread();
        if (state != State.OPEN)
        {
            return; // a closed connection (or one still connecting) has no timer; its slot may serve another peer
        }
        // At least a nanosecond (a timer re-armed with 0 in onTimer fires at the next tick, not in a loop), and
        // short of the wheel's NONE however large the delay.
        final long delayNs = Math.min(Math.max(1, unit.toNanos(delay)), Long.MAX_VALUE / 4);
        timerNs = context.time.nowNs() + delayNs;
        context.timers.armNoLaterThan(slot, timerNs);
    }

    @Override
    public void disarmTimer()
    {
        assert onLoopThread();
        timerNs = ConnectionTimers.NONE; // the wheel's timer, if it fires, finds nothing due
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
            context.inbound.handlerFailed(this, ex);
        }
        context.claims.abortSince(mark);
        return true;
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
            context.inbound.handlerFailed(this, ex);
        }
        context.claims.abortSince(mark);
    }

    private void frameAppended()
    {
        lastAppendNs = context.time.nowNs();
        context.counters.framesOut.incrementRelease();
        context.push.stats().appended(slot);
        context.slowConsumer.appended(this);
        context.dirty.add(this);
    }

    private int reserveFrame(final int length)
    {
        assert onLoopThread();
        if (claimOffset >= 0)
        {
            throw new IllegalStateException("a claim is open on connection " + id + ": commit or abort it first");
        }
        if (length < 0 || length > context.codec.maxFrameLength())
        {
            throw new IllegalArgumentException(
                "frame of " + length + " bytes; the codec allows at most " + context.codec.maxFrameLength());
        }
        if (state != State.OPEN)
        {
            return -1;
        }
        return context.slowConsumer.reserve(this, context.codec.headerLength() + length);
    }

    private boolean onLoopThread()
    {
        return context.owner.isOwner();
    }
}
