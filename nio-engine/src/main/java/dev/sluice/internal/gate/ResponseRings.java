package dev.sluice.internal.gate;

import java.lang.invoke.VarHandle;

import dev.sluice.gate.ResponsePublisher;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The engine's {@link ResponsePublisher}: one Agrona single-producer ring per loop; a response goes to the ring of
 * its connection's loop, written in place ({@code tryClaim}/{@code commit}: no object per response), and the loop is
 * woken only if it is parked. The record layout is below; {@link ResponseGate} reads it.
 * <p>
 * <b>Threading:</b> one publishing thread; {@link #cursorsMoved()} and {@link #close()} from any thread.
 */
public final class ResponseRings implements ResponsePublisher
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
    private volatile boolean closed;

    /**
     * @param rings      one ring per loop.
     * @param wakers     one waker per loop.
     * @param maxPayload largest payload the codec, the send cap and the batch arena allow.
     */
    public ResponseRings(final OneToOneRingBuffer[] rings, final Runnable[] wakers, final int maxPayload)
    {
        this.rings = rings.clone();
        this.wakers = wakers.clone();
        this.maxPayload = maxPayload;
    }

    @Override
    public boolean publish(final long connectionId, final long sequence, final boolean endsRequest,
        final boolean bypass, final DirectBuffer src, final int offset, final int length)
    {
        if (length < 0 || length > maxPayload)
        {
            throw new IllegalArgumentException("response of " + length + " bytes; at most " + maxPayload);
        }
        if (sequence < 1)
        {
            throw new IllegalArgumentException("wire sequences start at 1 (0 is the position of nothing): " + sequence);
        }
        if (closed)
        {
            return false;
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
        // commit is a release store; the waker reads the loop's park state. Without a full fence that read could
        // happen before the record is visible, while the loop, having announced it parks, finds the ring empty.
        VarHandle.fullFence();
        wakers[loop].run();
        return true;
    }

    /** Called by the engine when it closes: publishing answers false from then on. */
    public void close()
    {
        closed = true;
    }

    @Override
    public void cursorsMoved()
    {
        VarHandle.fullFence(); // the positions were published before the loops' park state is read
        for (final Runnable waker : wakers)
        {
            waker.run();
        }
    }
}
