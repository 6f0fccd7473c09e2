package dev.sluice.gate;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Where the application's matching thread publishes responses for the durability gate: one single-producer ring per
 * loop; a response goes to the ring of its connection's loop. Publishing copies the payload into the ring (no object
 * per response) and wakes the loop only if it is parked.
 * <p>
 * <b>Threading:</b> exactly one thread publishes (the rings are one-to-one). {@link #cursorsMoved()} may be called
 * from any thread.
 */
public final class ResponsePublisher
{
    /** Record layout in a ring: connection id, wire sequence, flags, then the payload. */
    public static final int ID_OFFSET = 0;
    /** Offset of the wire sequence in a record. */
    public static final int SEQUENCE_OFFSET = 8;
    /** Offset of the flags in a record. */
    public static final int FLAGS_OFFSET = 16;
    /** Offset of the payload in a record. */
    public static final int PAYLOAD_OFFSET = 20;
    /** Flag: this response ends its request (a batch-end terminator follows it). */
    public static final int ENDS_REQUEST = 1;
    /** Flag: this response may bypass the gate (e.g. a halt notice). */
    public static final int BYPASS = 2;
    /** Message type of a response record. */
    public static final int RESPONSE_TYPE = 1;

    private final RingBuffer[] rings;
    private final Runnable[] wakers;
    private final int maxPayload;

    /**
     * Created by the engine.
     *
     * @param rings      one ring per loop.
     * @param wakers     one waker per loop.
     * @param maxPayload largest payload the codec, the send cap and the batch arena allow.
     */
    public ResponsePublisher(final OneToOneRingBuffer[] rings, final Runnable[] wakers, final int maxPayload)
    {
        this.rings = rings.clone();
        this.wakers = wakers.clone();
        this.maxPayload = maxPayload;
    }

    /**
     * Publishes one response.
     *
     * @param connectionId the connection to answer.
     * @param sequence     its wire sequence; the gate sends it once the durability position reaches it.
     * @param endsRequest  whether a batch-end terminator follows it.
     * @param bypass       whether it may pass a closed gate (only if its whole batch is bypass).
     * @param src          payload bytes.
     * @param offset       where they start.
     * @param length       payload length.
     * @return false if the loop's ring is full (back-pressure: try again later).
     * @throws IllegalArgumentException if the payload is larger than a frame may be.
     */
    public boolean publish(final long connectionId, final long sequence, final boolean endsRequest,
        final boolean bypass, final DirectBuffer src, final int offset, final int length)
    {
        if (length < 0 || length > maxPayload)
        {
            throw new IllegalArgumentException("response of " + length + " bytes; at most " + maxPayload);
        }
        final int loop = (int)(connectionId & 0xFF);
        final RingBuffer ring = rings[loop];
        final int index = ring.tryClaim(RESPONSE_TYPE, PAYLOAD_OFFSET + length);
        if (index < 0)
        {
            return false;
        }
        final MutableDirectBuffer buffer = ring.buffer();
        buffer.putLong(index + ID_OFFSET, connectionId);
        buffer.putLong(index + SEQUENCE_OFFSET, sequence);
        buffer.putInt(index + FLAGS_OFFSET, (endsRequest ? ENDS_REQUEST : 0) | (bypass ? BYPASS : 0));
        buffer.putBytes(index + PAYLOAD_OFFSET, src, offset, length);
        ring.commit(index);
        wakers[loop].run();
        return true;
    }

    /** Tells parked loops that positions moved, so a waiting batch is re-checked now rather than at the next tick. */
    public void cursorsMoved()
    {
        for (final Runnable waker : wakers)
        {
            waker.run();
        }
    }
}
