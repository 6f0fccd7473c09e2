package dev.sluice.push;

import org.agrona.DirectBuffer;

/**
 * Several frames for one connection, handed over with one claim: {@link #begin} claims room in the connection's queue
 * for that priority, {@link #add} copies frames into it, {@link #commit} hands them all over at once. The loop sends
 * them one after the other, each as a frame of its own, in the order added, and frames of the batch and single pushes
 * from the same thread keep their order within the priority.
 * <p>
 * Per frame, as for single pushes: the rate limit takes a token for each frame added, and the fairness counter and the
 * per-iteration budget count each frame; a batch is delivered whole, though, so it can carry its connection past them,
 * and a waiting low frame goes right after it. While a batch is open, later frames of that priority for its connection
 * wait behind it and its loop keeps checking for it, so commit promptly (or use try-with-resources, which aborts a
 * batch left open). A batch with no frames commits as an abort. A batch left open when its connection closes is
 * cleared when the slot serves its next connection.
 * <p>
 * <b>Threading:</b> one thread at a time. Get one from {@code Engine.newPushBatch()} per producing thread and reuse it
 * for any connection of that engine: using it allocates nothing.
 */
public interface PushBatch extends AutoCloseable
{
    /** Queue bytes a batch takes beside its frames (its frame count and length). */
    int OVERHEAD = 8;

    /**
     * Claims room for frames of up to {@code maxBytes} in all, each taking its payload plus the codec's header (4
     * bytes with the default codec), as it will on the wire. The batch takes {@link #OVERHEAD} bytes of the queue
     * more.
     *
     * @param handle   the connection's push handle.
     * @param priority the queue.
     * @param maxBytes room to claim for frames, at most an eighth of the queue less {@link #OVERHEAD}.
     * @return {@link PushResult#ACCEPTED} if the batch is open; else {@link PushResult#QUEUE_FULL},
     *     {@link PushResult#CLOSED}, {@link PushResult#SHED} (low priority) or {@link PushResult#FRAME_TOO_LARGE}
     *     ({@code maxBytes} is more than the queue takes at once).
     * @throws IllegalStateException    if this batch is already open.
     * @throws IllegalArgumentException if {@code maxBytes} is below the codec's header length.
     */
    PushResult begin(PushHandle handle, Priority priority, int maxBytes);

    /**
     * Copies one frame into the open batch.
     *
     * @param src    payload bytes.
     * @param offset where they start.
     * @param length payload length.
     * @return {@link PushResult#ACCEPTED}; {@link PushResult#QUEUE_FULL} if the claimed room has no space for it;
     *     {@link PushResult#RATE_LIMITED} if the rate limit has no token for it; {@link PushResult#FRAME_TOO_LARGE}.
     * @throws IllegalStateException if no batch is open.
     */
    PushResult add(DirectBuffer src, int offset, int length);

    /** @return frames added to the open batch. */
    int frames();

    /** Hands every frame added over to the connection's loop and closes the batch. */
    void commit();

    /** Drops the open batch, if any: none of its frames is sent. */
    void abort();

    /** Aborts the batch if it is still open, so that try-with-resources never leaves one holding its queue. */
    @Override
    void close();
}
