package dev.sluice.internal.connection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.push.ConnectionStats;
import dev.sluice.push.PushHandle;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The engine's {@link Connection}: one slot of a loop's {@link ConnectionTable}, with its socket, its preallocated
 * receive and send buffers, and the state of the connection now on the slot ({@link LoopConnectionState}).
 * Preallocated and recycled. This class is what the application calls: sends and claims, "not now", the idle timeout,
 * close, the push handle, the figures, the timer.
 * <p>
 * <b>Threading:</b> the loop thread only. With assertions on ({@code -ea}) the methods the application calls check
 * that they run on the thread that owns the loop.
 */
public final class LoopConnection extends LoopConnectionState
{
    private InetAddress admittedFrom;
    LoopConnection(final ConnectionContext context, final int slot)
    {
        super(context, slot);
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
    public void idleTimeout(final long timeout, final TimeUnit unit)
    {
        assert onLoopThread();
        if (timeout < 0)
        {
            throw new IllegalArgumentException("idle timeout " + timeout + " " + unit + " is negative");
        }
        if (state == State.OPEN) // a closing connection is no longer read; a free slot gets the default when it opens
        {
            context.inbound.idleTimeout(this, unit.toNanos(timeout));
        }
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
        context.closer.closeAfterFlush(this, CloseReason.CLOSED_LOCALLY);
    }

    @Override
    public void abort()
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

    /**
     * @param address the peer's address an accepted connection was counted against, for its close to give back;
     *     null for connections not counted (outbound, or no per-address limit).
     */
    public void admittedFrom(final InetAddress address)
    {
        admittedFrom = address;
    }

    /** @return the address this connection was counted against, or null. */
    public InetAddress admittedFrom()
    {
        return admittedFrom;
    }

    @Override
    public InetSocketAddress remoteAddress()
    {
        return SocketSetup.remoteAddress(channel);
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

    /**
     * Appends one pushed frame, its header encoded here; the bookkeeping waits for {@link #pushRunEnded}. The push
     * path checked the payload's length against the codec when the frame was pushed.
     *
     * @return false if the connection is closed or was just closed (e.g. as a slow consumer).
     */
    boolean appendPushed(final DirectBuffer src, final int offset, final int length)
    {
        final int header = context.codec.headerLength();
        final int at = reservePushed(header + length);
        if (at < 0)
        {
            return false;
        }
        context.codec.encodeHeader(send.buffer(), at, length);
        send.buffer().putBytes(at + header, src, offset, length);
        send.commit(at, header + length);
        context.slowConsumer.appended(this);
        return true;
    }

    /**
     * Appends pushed frames already in wire format (each behind its header) with one copy; the bookkeeping waits for
     * {@link #pushRunEnded}.
     *
     * @return false if the connection is closed or was just closed (e.g. as a slow consumer).
     */
    boolean appendPushedFrames(final DirectBuffer src, final int offset, final int bytes)
    {
        final int at = reservePushed(bytes);
        if (at < 0)
        {
            return false;
        }
        send.buffer().putBytes(at, src, offset, bytes);
        send.commit(at, bytes);
        context.slowConsumer.appended(this);
        return true;
    }

    /**
     * A run of pushed frames was appended: what {@code frameAppended} does per frame for the application's sends,
     * done once for the run. The frames count even if the connection was closed since (they were appended).
     *
     * @param frames frames the run appended.
     */
    void pushRunEnded(final int frames)
    {
        lastAppendNs = context.time.nowNs();
        context.counters.framesOut.getAndAddRelease(frames);
        context.push.stats().appended(slot, frames);
        if (state == State.OPEN)
        {
            context.dirty.add(this);
        }
    }

    private int reservePushed(final int bytes)
    {
        assert onLoopThread();
        if (claimOffset >= 0)
        {
            throw new IllegalStateException("a claim is open on connection " + id + " while the loop drains pushes: " +
                "commit or abort it within the callback that opened it");
        }
        return state == State.OPEN ? context.slowConsumer.reserve(this, bytes) : -1;
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
}
