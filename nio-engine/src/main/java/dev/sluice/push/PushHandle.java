package dev.sluice.push;

import java.util.concurrent.TimeUnit;

import org.agrona.DirectBuffer;

/**
 * Pushes frames to one connection from any thread, at high or low priority.
 * <p>
 * A push copies the payload off-heap and hands it to the connection's queue for that priority; the connection's loop
 * sends it within an iteration or two. Pushing allocates nothing. Frames from one producer arrive in the order pushed
 * within one priority; an accepted frame is sent unless the connection closes first.
 * <p>
 * The handle belongs to one connection for its whole life: once that connection closes, every push answers
 * {@link PushResult#CLOSED}, even after its slot serves another peer.
 * <p>
 * <b>Threading:</b> every method may be called from any thread, by any number of threads at once.
 */
public interface PushHandle
{
    /** @return the id of the connection this handle pushes to. */
    long connectionId();

    /** @return true while the connection is open. */
    boolean isOpen();

    /** @return the connection's figures, readable from any thread (see {@link ConnectionStats}). */
    ConnectionStats stats();

    /**
     * Whether the connection is behind: a write to its socket was partial and its pending bytes have not drained
     * since (the same state as {@code Connection#isBackedUp()}, readable from any thread). Frames pushed meanwhile
     * still go into its send buffer, and past the send cap the connection is dropped as a slow consumer; a producer
     * that would rather hold back (a fan-out thread serving many peers) skips the connection while this is true.
     *
     * @return true while the connection is open and backed up.
     */
    boolean isBackedUp();

    /**
     * Non-blocking push with the engine's configured {@link PushPolicy}.
     *
     * @param src      payload bytes.
     * @param offset   where they start.
     * @param length   payload length.
     * @param priority queue to use.
     * @return what happened.
     */
    PushResult push(DirectBuffer src, int offset, int length, Priority priority);

    /**
     * Non-blocking push with an explicit policy.
     *
     * @param src      payload bytes.
     * @param offset   where they start.
     * @param length   payload length.
     * @param priority queue to use.
     * @param policy   what to do if the queue is full or the rate limit reached.
     * @return what happened.
     */
    PushResult push(DirectBuffer src, int offset, int length, Priority priority, PushPolicy policy);

    /**
     * Blocking push: waits, up to the timeout, for room in the queue, a rate token, and (low priority) for the
     * connection to stop shedding, so a producer streaming to a slow peer is paced by it.
     *
     * @param src      payload bytes.
     * @param offset   where they start.
     * @param length   payload length.
     * @param priority queue to use.
     * @param timeout  longest wait, measured on the engine's clock.
     * @param unit     its unit.
     * @return {@link PushResult#ACCEPTED}, or why not when the wait ended: {@link PushResult#QUEUE_FULL},
     *     {@link PushResult#RATE_LIMITED}, {@link PushResult#SHED}, {@link PushResult#CLOSED} or
     *     {@link PushResult#FRAME_TOO_LARGE}.
     */
    PushResult pushBlocking(DirectBuffer src, int offset, int length, Priority priority, long timeout, TimeUnit unit);
}
