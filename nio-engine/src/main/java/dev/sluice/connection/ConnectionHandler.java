package dev.sluice.connection;

import org.agrona.DirectBuffer;

/**
 * The application's side of a connection. All methods are called on the connection's loop thread, one at a time,
 * and must not block: a slow callback delays every connection of that loop.
 */
public interface ConnectionHandler
{
    /**
     * The connection is open (accepted, or an outbound connect completed). The connection object belongs to the
     * loop and is recycled after {@link #onClose}; keep {@link Connection#id()} rather than the object.
     *
     * @param connection the new connection.
     */
    default void onOpen(final Connection connection)
    {
    }

    /**
     * One whole inbound frame. The payload is a zero-copy view into the connection's receive buffer, valid only
     * until this method returns: copy what must outlive it. The handler may answer at once with
     * {@link Connection#send} or {@link Connection#claim}; replies are flushed at the end of the loop iteration.
     *
     * @param connection the connection the frame arrived on.
     * @param buffer     the receive buffer.
     * @param offset     where the payload starts.
     * @param length     payload bytes.
     */
    void onFrame(Connection connection, DirectBuffer buffer, int offset, int length);

    /**
     * The connection's writability changed: {@code writable} is false when a write to it was partial (it is backed
     * up: bytes wait in its send buffer for the peer, and {@link Connection#isBackedUp()} and
     * {@code PushHandle.isBackedUp()} say true), true again once everything pending has been written. Netty's
     * {@code channelWritabilityChanged}, for producers that would rather be told than poll: hand the change to them
     * here (a flag, a queue of your own). Called on the loop thread, right after the flag producers read has changed,
     * once per change, never per frame: it costs one call for each time a peer falls behind and catches up. The
     * handler may send, claim or close here as in any other callback.
     *
     * @param connection the connection.
     * @param writable   false when it became backed up, true when it drained.
     */
    default void onWritabilityChanged(final Connection connection, final boolean writable)
    {
    }

    /**
     * The connection's timer came due ({@link Connection#armTimer}); it is disarmed now, and may be armed again here.
     * Called on the loop thread; may send, claim or close as in any other callback.
     *
     * @param connection the connection.
     */
    default void onTimer(final Connection connection)
    {
    }

    /**
     * A durability-gated response for this connection was released by the gate ({@code ResponsePublisher}): write it.
     * The default sends the payload as one frame. A protocol that numbers its messages as they leave (FIX's
     * MsgSeqNum) encodes the message here instead, on the loop thread, in the order the gate releases responses; it
     * may send, claim or close as in any other callback.
     *
     * @param connection the connection.
     * @param sequence   the response's sequence, as published.
     * @param buffer     the payload as published, valid during the call.
     * @param offset     where it starts.
     * @param length     its length.
     * @return true if it was written (counted as a response sent), false if not (counted as dropped).
     */
    default boolean onResponse(final Connection connection, final long sequence, final DirectBuffer buffer,
        final int offset, final int length)
    {
        return connection.send(buffer, offset, length);
    }

    /**
     * The connection is closed; its buffers are released and its slot will be reused. Called exactly once per
     * opened connection (and once for an outbound connect that failed, with {@link CloseReason#CONNECT_FAILED}).
     *
     * @param connection the closed connection (its {@link Connection#id()} is still readable here).
     * @param reason     why it closed.
     */
    default void onClose(final Connection connection, final CloseReason reason)
    {
    }
}
