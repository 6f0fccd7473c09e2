package dev.sluice.push;

/**
 * One connection's figures, readable from any thread while the loop runs: frames and bytes in and out, pushes sent
 * and refused by reason, bytes pending and time spent backed up. The loop keeps them as it goes (one ordered store
 * per figure it changes, no lock, nothing allocated); producers add their refusals. Once the connection closes, the
 * figures stay as they were (see {@link #isOpen()}).
 * <p>
 * Get it from {@link PushHandle#stats()} (any thread) or {@code Connection.stats()}; the object belongs to that one
 * connection. <b>Threading:</b> every method may be called from any thread; each figure is read on its own, so two
 * figures read one after the other may be a few frames apart.
 */
public interface ConnectionStats
{
    /** @return the connection these figures are about. */
    long connectionId();

    /**
     * @return true while the connection is open; false once it closed. Pushes discarded in the iteration of the close
     *     may still be counted after it; the figures are final once its slot serves the next connection.
     */
    boolean isOpen();

    /**
     * @return frames received, as on the wire: each fragment of a message in several counts, and a frame the
     *     application kept with "not now" counts once it is taken.
     */
    long framesIn();

    /** @return bytes read from the socket. */
    long bytesIn();

    /** @return frames appended for the peer: sends, pushes, group frames, heartbeats, responses. */
    long framesOut();

    /** @return bytes the socket took. */
    long bytesOut();

    /**
     * @return pushed frames (both priorities, through its push handle) sent into the connection's send buffer. Every
     *     accepted push is sent, or discarded at the close ({@link #pushesDiscarded()}), or still queued.
     */
    long pushesSent();

    /** @return accepted pushes discarded because the connection closed before they were sent. */
    long pushesDiscarded();

    /**
     * @param reason {@link PushResult#QUEUE_FULL}, {@link PushResult#RATE_LIMITED}, {@link PushResult#SHED},
     *               {@link PushResult#FRAME_TOO_LARGE} or {@link PushResult#DROPPED} (which also counts under the
     *               first two, as the loop counters do).
     * @return pushes to this connection refused for that reason; 0 for any other result.
     */
    long pushesRefused(PushResult reason);

    /** @return periodic heartbeats and idle keep-alives appended for the peer. */
    long heartbeatsSent();

    /** @return bytes waiting in the connection's send buffer after its latest write (0 when it has drained). */
    long pendingBytes();

    /** @return nanoseconds the connection has spent backed up, the current stretch included. */
    long backedUpNanos();
}
