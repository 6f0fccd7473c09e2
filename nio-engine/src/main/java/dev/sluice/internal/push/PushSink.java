package dev.sluice.internal.push;

import org.agrona.DirectBuffer;

/**
 * Where the loop puts pushed frames: the connection's send path. A read of one connection's queue appends its
 * frames one record at a time, then ends the run once.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
public interface PushSink
{
    /**
     * Appends one frame to a connection's send buffer, behind the header the codec writes.
     *
     * @param connectionSlot the connection's slot.
     * @param buffer         where the payload is.
     * @param offset         its offset.
     * @param length         its length.
     * @return false if the connection is closed or was just closed (e.g. as a slow consumer).
     */
    boolean append(int connectionSlot, DirectBuffer buffer, int offset, int length);

    /**
     * Appends frames already in wire format, each behind its header (a batch), to a connection's send buffer.
     *
     * @param connectionSlot the connection's slot.
     * @param buffer         where the frames are.
     * @param offset         where the first one's header starts.
     * @param bytes          bytes the frames take.
     * @return false if the connection is closed or was just closed (e.g. as a slow consumer).
     */
    boolean appendFramed(int connectionSlot, DirectBuffer buffer, int offset, int bytes);

    /**
     * The frames appended by one read of a connection's queue: the bookkeeping done once per run.
     *
     * @param connectionSlot the connection's slot.
     * @param frames         frames appended since the run began (the connection may have closed since).
     */
    void runEnded(int connectionSlot, int frames);
}
