package dev.sluice.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import dev.sluice.codec.FrameCodec;
import dev.sluice.push.PushHandle;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One TCP connection on an event loop: its socket, its preallocated receive and send buffers, and its state.
 * <p>
 * <b>Threading:</b> owned by its loop thread. Every method here is for that thread only, i.e. from inside a
 * {@link ConnectionHandler} callback. Connection objects are preallocated per loop and recycled: after
 * {@link ConnectionHandler#onClose} the same object serves another peer with another {@link #id()}.
 * <p>
 * <b>Sending:</b> frames are appended to the send buffer and written once per loop iteration, so many frames go
 * out in one {@code write}. If appending would make more than the send cap wait for this peer, the peer is a slow
 * consumer: it is closed with {@link CloseReason#SLOW_CONSUMER} and the append answers false; nobody else waits.
 */
public final class Connection
{
    enum State
    {
        FREE, CONNECTING, OPEN
    }

    private final EventLoop loop;
    private final int slot;
    private final FrameCodec codec;
    final ReceiveBuffer receive = new ReceiveBuffer();
    final SendBuffer send = new SendBuffer();

    State state = State.FREE;
    long id;
    SocketChannel channel;
    SelectionKey key;
    ConnectionHandler handler;
    int receiveChunk = -1;
    int sendChunk = -1;
    int activeIndex = -1;
    boolean dirty;
    boolean writeInterest;
    boolean readPaused;
    int pausedIndex = -1;
    int accountedBytes;
    int assemblingBytes;
    int assemblies;
    boolean notNowRequested;
    long lastSendProgressNs;
    long lastReceiveNs;
    long lastAppendNs;
    private int claimOffset = -1;
    private int claimLength;
    private Object attachment;
    PushHandle pushHandle;

    Connection(final EventLoop loop, final int slot, final FrameCodec codec)
    {
        this.loop = loop;
        this.slot = slot;
        this.codec = codec;
    }

    /**
     * Identifies this connection for its whole life and never again: safe to keep after the connection closed.
     *
     * @return the connection id, unique within the engine.
     */
    public long id()
    {
        return id;
    }

    /** @return the index of the loop that owns this connection. */
    public int loopIndex()
    {
        return loop.index();
    }

    /** @return true from {@link ConnectionHandler#onOpen} until the close begins. */
    public boolean isOpen()
    {
        return state == State.OPEN;
    }

    /**
     * Copies one frame's payload into the send buffer, behind a header from the codec.
     *
     * @param src    payload bytes.
     * @param offset where they start.
     * @param length payload length, at most the codec's maximum frame length.
     * @return true if appended; false if the connection is closed or was just dropped as a slow consumer.
     * @throws IllegalArgumentException if the payload is larger than the codec allows.
     * @throws IllegalStateException    if a {@link #claim} is open.
     */
    public boolean send(final DirectBuffer src, final int offset, final int length)
    {
        final int at = reserveFrame(length);
        if (at < 0)
        {
            return false;
        }
        final int header = codec.headerLength();
        codec.encodeHeader(send.buffer(), at, length);
        send.buffer().putBytes(at + header, src, offset, length);
        send.commit(at, header + length);
        loop.frameAppended(this);
        return true;
    }

    /**
     * Claims room for a payload of up to {@code maxLength} bytes to encode in place in {@link #sendBuffer()}, with
     * no intermediate copy. Finish with {@link #commit(int)} or {@link #abortClaim()} before anything else is sent
     * on this connection, and within the same callback: a claim still open when the callback returns is aborted.
     * Nothing claimed is sent until committed.
     *
     * @param maxLength most payload bytes that will be written.
     * @return the offset in {@link #sendBuffer()} where the payload goes, or -1 if the connection is closed or was
     *     just dropped as a slow consumer.
     * @throws IllegalArgumentException if {@code maxLength} is larger than the codec allows.
     * @throws IllegalStateException    if a claim is already open.
     */
    public int claim(final int maxLength)
    {
        final int at = reserveFrame(maxLength);
        if (at < 0)
        {
            return -1;
        }
        claimOffset = at;
        claimLength = maxLength;
        loop.claims().opened(this);
        return at + codec.headerLength();
    }

    /**
     * Completes the open claim: writes the header and makes the frame part of the pending bytes.
     *
     * @param length payload bytes actually written, at most the claimed length.
     * @throws IllegalStateException    if no claim is open.
     * @throws IllegalArgumentException if {@code length} exceeds the claim.
     */
    public void commit(final int length)
    {
        if (claimOffset < 0)
        {
            throw new IllegalStateException("no open claim on connection " + id);
        }
        if (length < 0 || length > claimLength)
        {
            throw new IllegalArgumentException("commit of " + length + " bytes exceeds the claim of " + claimLength);
        }
        codec.encodeHeader(send.buffer(), claimOffset, length);
        send.commit(claimOffset, codec.headerLength() + length);
        claimOffset = -1;
        loop.claims().closed(this);
        loop.frameAppended(this);
    }

    /** Drops the open claim, if any; nothing of it is sent. */
    public void abortClaim()
    {
        if (claimOffset >= 0)
        {
            claimOffset = -1;
            loop.claims().closed(this);
        }
    }

    /**
     * The send buffer, for encoding in place at the offset {@link #claim} returned.
     *
     * @return the send buffer of this connection.
     */
    public MutableDirectBuffer sendBuffer()
    {
        return send.buffer();
    }

    /**
     * Whether the peer is behind: a write was partial and the pending bytes have not drained since. An application
     * that checks this can stop producing for the peer before it becomes a slow consumer.
     *
     * @return true while backed up.
     */
    public boolean isBackedUp()
    {
        return writeInterest;
    }

    /** @return bytes waiting in the send buffer for this peer. */
    public int pendingBytes()
    {
        return state == State.FREE ? 0 : send.pending();
    }

    /**
     * Application back-pressure, from inside {@link ConnectionHandler#onFrame} for this connection only: "not now".
     * The frame stays in the receive buffer, reading from this connection pauses, and the frame (then the ones after
     * it) is delivered again at the next timer tick ({@code timerInterval}), in order, nothing lost or duplicated.
     * Meanwhile the peer's further bytes wait in the socket, so TCP flow control slows the peer down.
     */
    public void notNow()
    {
        notNowRequested = true;
    }

    /**
     * @return bytes received from the peer and not yet taken by the application: kept frames, a partial frame, and
     *     fragments of messages being assembled.
     */
    public int bufferedBytes()
    {
        return state == State.FREE ? 0 : receive.buffered() + assemblingBytes;
    }

    /** @return true while reading is paused because the application said "not now" or a budget's soft limit. */
    public boolean isReadPaused()
    {
        return readPaused;
    }

    /** Closes the connection with {@link CloseReason#CLOSED_LOCALLY}; what is pending is not sent. */
    public void close()
    {
        loop.close(this, CloseReason.CLOSED_LOCALLY);
    }

    /**
     * The handle through which any thread can push frames to this connection. Keep it (or register it in
     * {@code Engine.sessions()}); it answers {@link dev.sluice.push.PushResult#CLOSED} once this connection closes.
     *
     * @return this connection's push handle, or null before {@link ConnectionHandler#onOpen}.
     */
    public PushHandle pushHandle()
    {
        return pushHandle;
    }

    /** @param value an application object to keep with this connection until it closes. */
    public void attach(final Object value)
    {
        attachment = value;
    }

    /** @return the attached application object, or null. */
    public Object attachment()
    {
        return attachment;
    }

    /**
     * The peer's address (allocates: for logging and set-up, not per frame).
     *
     * @return the remote address, or null if unknown or closed.
     */
    public InetSocketAddress remoteAddress()
    {
        try
        {
            return channel == null ? null : (InetSocketAddress)channel.getRemoteAddress();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    int slot()
    {
        return slot;
    }

    /** Interest follows the state: read unless paused, write while backed up. */
    void updateInterest()
    {
        key.interestOps((readPaused ? 0 : SelectionKey.OP_READ) | (writeInterest ? SelectionKey.OP_WRITE : 0));
    }

    void resetForOpen(final long newId, final SocketChannel newChannel, final ConnectionHandler newHandler)
    {
        id = newId;
        channel = newChannel;
        handler = newHandler;
        writeInterest = false;
        readPaused = false;
        notNowRequested = false;
        claimOffset = -1;
        attachment = null;
    }

    void clearAfterClose()
    {
        state = State.FREE;
        pushHandle = null;
        channel = null;
        key = null;
        handler = null;
        attachment = null;
        abortClaim();
        writeInterest = false;
    }

    private int reserveFrame(final int length)
    {
        if (claimOffset >= 0)
        {
            throw new IllegalStateException("a claim is open on connection " + id + ": commit or abort it first");
        }
        if (length < 0 || length > codec.maxFrameLength())
        {
            throw new IllegalArgumentException(
                "frame of " + length + " bytes; the codec allows at most " + codec.maxFrameLength());
        }
        if (state != State.OPEN)
        {
            return -1;
        }
        final int at = send.reserve(codec.headerLength() + length);
        if (at < 0)
        {
            loop.close(this, CloseReason.SLOW_CONSUMER);
        }
        return at;
    }
}
