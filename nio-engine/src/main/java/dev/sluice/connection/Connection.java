package dev.sluice.connection;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import dev.sluice.push.ConnectionStats;
import dev.sluice.push.PushHandle;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One TCP connection on an event loop, as the application sees it from inside a {@link ConnectionHandler} callback.
 * <p>
 * <b>Threading:</b> owned by its loop thread. Every method here is for that thread only, i.e. from inside a
 * {@link ConnectionHandler} callback; other threads reach the connection through its {@link #pushHandle()}, and close
 * it by its {@link #id()} with {@code Engine.closeConnection}.
 * Connection objects are preallocated per loop and recycled: after {@link ConnectionHandler#onClose} the same object
 * serves another peer with another {@link #id()}.
 * <p>
 * <b>Sending:</b> frames are appended to the send buffer and written once per loop iteration, so many frames go out
 * in one {@code write}. If appending would make more than the send cap wait for this peer, the peer is a slow
 * consumer: it is closed with {@link CloseReason#SLOW_CONSUMER} and the append answers false; nobody else waits.
 */
public interface Connection
{
    /**
     * Identifies this connection for its whole life and never again: safe to keep after the connection closed.
     *
     * @return the connection id, unique within the engine.
     */
    long id();

    /** @return the index of the loop that owns this connection. */
    int loopIndex();

    /** @return true from {@link ConnectionHandler#onOpen} until the close begins. */
    boolean isOpen();

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
    boolean send(DirectBuffer src, int offset, int length);

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
    int claim(int maxLength);

    /**
     * Completes the open claim: writes the header and makes the frame part of the pending bytes.
     *
     * @param length payload bytes actually written, at most the claimed length.
     * @throws IllegalStateException    if no claim is open.
     * @throws IllegalArgumentException if {@code length} exceeds the claim.
     */
    void commit(int length);

    /** Drops the open claim, if any; nothing of it is sent. */
    void abortClaim();

    /**
     * The send buffer, for encoding in place at the offset {@link #claim} returned.
     *
     * @return the send buffer of this connection.
     */
    MutableDirectBuffer sendBuffer();

    /**
     * Whether the peer is behind: a write was partial and the pending bytes have not drained since. An application
     * that checks this can stop producing for the peer before it becomes a slow consumer.
     *
     * @return true while backed up.
     */
    boolean isBackedUp();

    /** @return bytes waiting in the send buffer for this peer. */
    int pendingBytes();

    /**
     * Application back-pressure, from inside {@link ConnectionHandler#onFrame} for this connection only: "not now".
     * The frame stays in the receive buffer, reading from this connection pauses, and the frame (then the ones after
     * it) is delivered again at the next timer tick ({@code timerInterval}), in order, nothing lost or duplicated.
     * Meanwhile the peer's further bytes wait in the socket, so TCP flow control slows the peer down.
     */
    void notNow();

    /**
     * @return bytes received from the peer and not yet taken by the application: kept frames, a partial frame, and
     *     fragments of messages being assembled.
     */
    int bufferedBytes();

    /** @return true while reading is paused because the application said "not now" or a budget's soft limit. */
    boolean isReadPaused();

    /**
     * Sets this connection's idle timeout, in place of the engine's ({@code EngineConfig.idleTimeoutNs()}) for this
     * connection alone: a peer that sends nothing for {@code timeout} is closed with
     * {@link CloseReason#IDLE_TIMEOUT}; 0 turns the idle timeout off for this connection, even if the engine has one.
     * For a protocol whose peers announce their own keep-alive: an MQTT server closes a client that sent nothing for
     * one and a half times the keep-alive it gave in its CONNECT. Silence counts from the last bytes received (or the
     * opening), as for the engine's timeout, so a timeout shorter than the silence so far closes the connection at
     * the next timer tick; it is checked at the timer stage's cadence (within {@code timerInterval}), and never while
     * reading is paused. Setting it again replaces it. Every new connection starts with the engine's value. Loop
     * thread only; allocates nothing; does nothing on a connection that is not open.
     *
     * @param timeout how long the peer may stay silent, on the engine's clock; 0 for no limit.
     * @param unit    its unit.
     * @throws IllegalArgumentException if {@code timeout} is negative.
     */
    void idleTimeout(long timeout, TimeUnit unit);

    /**
     * Closes the connection after delivering what was sent before: from this call on the connection is not open (no
     * more frames are read or handed to the handler, sends and pushes are refused, queued pushes are discarded), its
     * unsent bytes are written as the socket takes them, and then the socket closes and {@code onClose} runs with
     * {@link CloseReason#CLOSED_LOCALLY}. A peer that takes nothing for the no-progress timeout is dropped as a
     * {@link CloseReason#SLOW_CONSUMER} instead, and a failed write ends it as an {@link CloseReason#IO_ERROR}. With
     * nothing to send, the connection closes within the call. Calling it again, or on a closed connection, does
     * nothing.
     */
    void close();

    /**
     * Closes the connection at once with {@link CloseReason#CLOSED_LOCALLY}: what is not yet written is dropped
     * (for a peer that must not get another byte, or a close that must not wait). Also ends a {@link #close()} that
     * is still delivering.
     */
    void abort();

    /**
     * The handle through which any thread can push frames to this connection. Keep it (or register it in
     * {@code Engine.sessions()}); it answers {@link dev.sluice.push.PushResult#CLOSED} once this connection closes.
     *
     * @return this connection's push handle, or null before {@link ConnectionHandler#onOpen}.
     */
    PushHandle pushHandle();

    /**
     * Arms this connection's timer: {@link ConnectionHandler#onTimer} is called once, on the loop thread, no earlier
     * than {@code delay} from now, at the timer stage's cadence (within {@code timerInterval} of it). Arming again
     * moves it; there is one timer per connection, and the close disarms it (arming a connection that is not open
     * does nothing). For a protocol's own timers (a FIX session's heartbeats and TestRequests, say). Loop thread only;
     * allocates nothing.
     *
     * @param delay how long from now, on the engine's clock.
     * @param unit  its unit.
     */
    void armTimer(long delay, TimeUnit unit);

    /** Disarms this connection's timer, if armed. Loop thread only. */
    void disarmTimer();

    /**
     * This connection's figures (frames and bytes in and out, pushes sent and refused, bytes pending, time backed
     * up), readable from any thread while the loop runs, and kept as they were once it closes. The same object as
     * {@code pushHandle().stats()}: keep it rather than this connection, which is recycled after the close.
     *
     * @return the figures, or null before {@link ConnectionHandler#onOpen}.
     */
    ConnectionStats stats();

    /** @param value an application object to keep with this connection until it closes. */
    void attach(Object value);

    /** @return the attached application object, or null. */
    Object attachment();

    /**
     * The peer's address (allocates: for logging and set-up, not per frame).
     *
     * @return the remote address, or null if unknown or closed.
     */
    InetSocketAddress remoteAddress();
}
