package dev.sluice.internal.push;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.sluice.push.ConnectionStats;
import dev.sluice.push.Priority;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushPolicy;
import dev.sluice.push.PushResult;
import org.agrona.DirectBuffer;

/**
 * The {@link PushHandle} of one connection: the connection's {@link PushTarget} and the id it was opened with. A
 * push compares the id with the target's current one, so a handle kept past its connection's close never reaches the
 * slot's next occupant.
 * <p>
 * <b>Threading:</b> any thread; {@link #sessionId} is written by registering threads and read by the loop at close.
 */
public final class TargetPushHandle implements PushHandle
{
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long QUEUE_PARK_NS = TimeUnit.MICROSECONDS.toNanos(20);

    private final PushLoop loop;
    private final PushTarget target;
    private final long connectionId;
    /** What this connection's frames carry in its queues ({@link PushOffers#typeId}). */
    private final int typeId;
    private final StatsTable.View stats;
    /** The session this handle is registered under (0: none); written by registering threads, read by the loop. */
    volatile long sessionId;

    PushLoop loop()
    {
        return loop;
    }

    PushTarget target()
    {
        return target;
    }

    TargetPushHandle(final PushLoop loop, final PushTarget target, final long connectionId,
        final StatsTable.View stats)
    {
        this.loop = loop;
        this.target = target;
        this.connectionId = connectionId;
        this.stats = stats;
        this.typeId = PushOffers.typeId(connectionId);
    }

    int typeId()
    {
        return typeId;
    }

    @Override
    public ConnectionStats stats()
    {
        return stats;
    }

    StatsTable.View statsView()
    {
        return stats;
    }

    @Override
    public long connectionId()
    {
        return connectionId;
    }

    @Override
    public boolean isOpen()
    {
        return target.connectionId == connectionId;
    }

    @Override
    public boolean isBackedUp()
    {
        return target.backedUp && target.connectionId == connectionId;
    }

    @Override
    public PushResult push(final DirectBuffer src, final int offset, final int length, final Priority priority)
    {
        return push(src, offset, length, priority, loop.config().policy());
    }

    @Override
    public PushResult push(
        final DirectBuffer src, final int offset, final int length, final Priority priority, final PushPolicy policy)
    {
        final PushResult result = loop.offers().tryPush(target, connectionId, typeId, src, offset, length, priority);
        return result == PushResult.ACCEPTED ? result : loop.outcomes().settle(stats, result, policy);
    }

    @Override
    public PushResult pushBlocking(
        final DirectBuffer src, final int offset, final int length, final Priority priority, final long timeout,
        final TimeUnit unit)
    {
        final long deadline = loop.clock().nanoTime() + unit.toNanos(timeout);
        while (true)
        {
            final PushResult result =
                loop.offers().tryPush(target, connectionId, typeId, src, offset, length, priority);
            if (result == PushResult.ACCEPTED || result == PushResult.CLOSED ||
                result == PushResult.FRAME_TOO_LARGE || loop.clock().nanoTime() - deadline >= 0)
            {
                return loop.outcomes().settle(stats, result, PushPolicy.ERROR_IF_FULL);
            }
            final long park = result == PushResult.RATE_LIMITED ?
                Math.min(MAX_PARK_NS, Math.max(1_000, target.bucket.nanosUntilToken())) : QUEUE_PARK_NS;
            LockSupport.parkNanos(park);
        }
    }
}
