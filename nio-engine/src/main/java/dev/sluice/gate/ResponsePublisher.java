package dev.sluice.gate;

import org.agrona.DirectBuffer;

/**
 * Where the application's matching thread publishes responses for the durability gate. A response goes to its
 * connection's loop, which sends it once the durability position reaches its sequence. Publishing copies the payload
 * (no object per response) and wakes the loop only if it is parked.
 * <p>
 * <b>Threading:</b> exactly one thread publishes (each loop's ring is single-producer: a second publishing thread
 * would corrupt it, and nothing can detect it). {@link #cursorsMoved()} may be called from any thread. Responses not
 * yet sent when the engine closes are not sent.
 */
public interface ResponsePublisher
{
    /**
     * Publishes one response.
     *
     * @param connectionId the connection to answer.
     * @param sequence     its wire sequence, from 1; the gate sends it once the durability position reaches it.
     * @param endsRequest  whether a batch-end terminator follows it.
     * @param bypass       whether it may pass a closed gate (only if its whole batch is bypass).
     * @param src          payload bytes.
     * @param offset       where they start.
     * @param length       payload length.
     * @return false if the loop's ring is full (back-pressure: try again later), or the engine is closed.
     * @throws IllegalArgumentException if the payload is larger than a frame may be, or the sequence is below 1.
     */
    boolean publish(long connectionId, long sequence, boolean endsRequest, boolean bypass, DirectBuffer src,
        int offset, int length);

    /** Tells parked loops that positions moved, so a waiting batch is re-checked now rather than at the next tick. */
    void cursorsMoved();
}
