package dev.sluice.push;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;

/**
 * Pushes frames to one connection from any thread, at high or low priority.
 * <p>
 * A push copies the payload into a pooled off-heap slot and offers the slot to the connection's queue for that
 * priority; the connection's loop sends it within an iteration or two. Pushing allocates nothing. Frames from one
 * producer arrive in the order pushed within one priority; an accepted frame is sent unless the connection closes
 * first.
 * <p>
 * The handle belongs to one connection for its whole life: once that connection closes, every push answers
 * {@link PushResult#CLOSED}, even after its slot serves another peer.
 */
public final class PushHandle
{
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long QUEUE_PARK_NS = TimeUnit.MICROSECONDS.toNanos(20);

    private final PushLoop loop;
    private final PushTarget target;
    private final long connectionId;
    /** The session this handle is registered under (0: none); written by registering threads, read by the loop. */
    volatile long sessionId;

    PushHandle(final PushLoop loop, final PushTarget target, final long connectionId)
    {
        this.loop = loop;
        this.target = target;
        this.connectionId = connectionId;
    }

    /** @return the id of the connection this handle pushes to. */
    public long connectionId()
    {
        return connectionId;
    }

    /** @return true while the connection is open. */
    public boolean isOpen()
    {
        return target.connectionId == connectionId;
    }

    /**
     * Whether the connection is behind: a write to its socket was partial and its pending bytes have not drained
     * since (the same state as {@code Connection#isBackedUp()}, readable from any thread). Frames pushed meanwhile
     * still go into its send buffer, and past the send cap the connection is dropped as a slow consumer; a producer
     * that would rather hold back (a fan-out thread serving many peers) skips the connection while this is true.
     *
     * @return true while the connection is open and backed up.
     */
    public boolean isBackedUp()
    {
        return target.backedUp && target.connectionId == connectionId;
    }

    /**
     * Non-blocking push with the engine's configured {@link PushPolicy}.
     *
     * @param src      payload bytes.
     * @param offset   where they start.
     * @param length   payload length.
     * @param priority queue to use.
     * @return what happened.
     */
    public PushResult push(final DirectBuffer src, final int offset, final int length, final Priority priority)
    {
        return push(src, offset, length, priority, loop.config().policy());
    }

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
    public PushResult push(
        final DirectBuffer src, final int offset, final int length, final Priority priority, final PushPolicy policy)
    {
        final PushResult result = loop.tryPush(target, connectionId, src, offset, length, priority);
        return loop.settle(result, policy);
    }

    /**
     * Blocking push: waits, up to the timeout, for a queue slot and a rate token.
     *
     * @param src      payload bytes.
     * @param offset   where they start.
     * @param length   payload length.
     * @param priority queue to use.
     * @param timeout  longest wait, measured on the engine's clock.
     * @param unit     its unit.
     * @return {@link PushResult#ACCEPTED}, or why not when the wait ended: {@link PushResult#QUEUE_FULL},
     *     {@link PushResult#RATE_LIMITED}, {@link PushResult#CLOSED} or {@link PushResult#FRAME_TOO_LARGE}.
     */
    public PushResult pushBlocking(
        final DirectBuffer src, final int offset, final int length, final Priority priority, final long timeout,
        final TimeUnit unit)
    {
        final long deadline = loop.clock().nanoTime() + unit.toNanos(timeout);
        while (true)
        {
            final PushResult result = loop.tryPush(target, connectionId, src, offset, length, priority);
            if (result == PushResult.ACCEPTED || result == PushResult.CLOSED ||
                result == PushResult.FRAME_TOO_LARGE || loop.clock().nanoTime() - deadline >= 0)
            {
                return loop.settle(result, PushPolicy.ERROR_IF_FULL);
            }
            final long park = result == PushResult.RATE_LIMITED ?
                Math.min(MAX_PARK_NS, Math.max(1_000, target.bucket.nanosUntilToken())) : QUEUE_PARK_NS;
            LockSupport.parkNanos(park);
        }
    }
}
