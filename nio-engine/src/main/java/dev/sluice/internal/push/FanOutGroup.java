package dev.sluice.internal.push;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

import dev.sluice.push.GroupPolicy;
import dev.sluice.push.Priority;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushGroup;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

/**
 * A {@link PushGroup}: one {@link GroupLane} per loop. A push copies the frame once into the lane of each loop that
 * has members (or a join on its way) and schedules the lane; each loop delivers it to its members
 * ({@link LoopGroups}).
 * <p>
 * <b>Threading:</b> any thread. {@code closed} is set once, by the first {@link #close}.
 */
public final class FanOutGroup implements PushGroup
{
    private final String name;
    private final GroupPolicy policy;
    private final boolean dropSlow;
    private final GroupLane[] lanes;
    private final LoopGroups[] loops;
    private final int maxPayload;
    private final Runnable onClose;
    /** Lanes not yet dismissed by their loop after the close: the group's place in the limit is given back at 0. */
    private final AtomicInteger lanesOpen;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Creates the group with a lane on every loop (allocates the lanes' queues).
     *
     * @param name    the group's name.
     * @param policy  what to do with members that are behind.
     * @param loops   the engine's loops' group sides.
     * @param config     push settings (queue sizes).
     * @param maxPayload largest payload the codec and the loops' room for group frames allow.
     * @param onClose    run once when every loop has let the group go after its close (the engine's count of open
     *                   groups: the group's lanes stay on the loops' ready lists until then).
     */
    public FanOutGroup(final String name, final GroupPolicy policy, final LoopGroups[] loops, final PushConfig config,
        final int maxPayload, final Runnable onClose)
    {
        this.name = name;
        this.policy = policy;
        this.dropSlow = policy == GroupPolicy.DROP_SLOW;
        this.loops = loops;
        this.onClose = onClose;
        this.maxPayload = Math.min(config.maxGroupPayload(), maxPayload);
        this.lanesOpen = new AtomicInteger(loops.length);
        this.lanes = new GroupLane[loops.length];
        for (int i = 0; i < loops.length; i++)
        {
            lanes[i] = new GroupLane(this, loops[i].push(), config.groupHighQueueBytes(), config.groupLowQueueBytes());
        }
    }

    boolean isClosed()
    {
        return closed.get();
    }

    boolean dropSlow()
    {
        return dropSlow;
    }

    /** A loop let the closed group's lane go (loop thread, once per lane). */
    void laneDismissed()
    {
        if (lanesOpen.decrementAndGet() == 0)
        {
            onClose.run();
        }
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public GroupPolicy policy()
    {
        return policy;
    }

    @Override
    public PushResult join(final PushHandle member)
    {
        return membership(member, LoopGroups.JOIN);
    }

    @Override
    public PushResult leave(final PushHandle member)
    {
        return membership(member, LoopGroups.LEAVE);
    }

    private PushResult membership(final PushHandle member, final int type)
    {
        if (closed.get())
        {
            return PushResult.CLOSED;
        }
        if (!(member instanceof TargetPushHandle))
        {
            throw new IllegalArgumentException("not a push handle of this engine: " + member);
        }
        final TargetPushHandle handle = (TargetPushHandle)member;
        final int lane = laneOf(handle);
        if (lane < 0 || !handle.isOpen())
        {
            return PushResult.CLOSED;
        }
        final GroupLane target = lanes[lane];
        final ManyToOneRingBuffer queue = target.high;
        if (type == LoopGroups.JOIN)
        {
            target.addPendingJoins(1); // before the record can be read: the loop counts it down when it applies it
        }
        final int index = queue.tryClaim(type, LoopGroups.MEMBERSHIP_LENGTH);
        if (index < 0)
        {
            if (type == LoopGroups.JOIN)
            {
                target.addPendingJoins(-1);
            }
            return PushResult.QUEUE_FULL;
        }
        queue.buffer().putInt(index, handle.target().slot);
        queue.buffer().putLong(index + Long.BYTES, handle.connectionId());
        queue.commit(index);
        loops[lane].offer(target);
        return PushResult.ACCEPTED;
    }

    private int laneOf(final TargetPushHandle handle)
    {
        final PushLoop loop = handle.loop();
        for (int i = 0; i < lanes.length; i++)
        {
            if (lanes[i].loop == loop)
            {
                return i;
            }
        }
        return -1;
    }

    @Override
    public PushResult push(final DirectBuffer src, final int offset, final int length, final Priority priority)
    {
        if (length < 0 || length > maxPayload)
        {
            return PushResult.FRAME_TOO_LARGE;
        }
        if (closed.get())
        {
            return PushResult.CLOSED;
        }
        return pushFrom(0, src, offset, length, priority == Priority.HIGH);
    }

    /**
     * All or nothing: claims and fills the frame in the queue of every lane from {@code i} on that wants frames, and
     * commits them only once all are claimed; if one is full, the claims made are aborted, so a push answered
     * {@code QUEUE_FULL} reached nobody and may simply be made again. The pending claims live on the stack, one call
     * per lane (a lane per loop), so nothing is allocated.
     */
    private PushResult pushFrom(
        final int from, final DirectBuffer src, final int offset, final int length, final boolean high)
    {
        int i = from;
        while (i < lanes.length && !lanes[i].wantsFrames())
        {
            i++;
        }
        if (i == lanes.length)
        {
            return PushResult.ACCEPTED;
        }
        final GroupLane lane = lanes[i];
        final ManyToOneRingBuffer queue = high ? lane.high : lane.low;
        final int index = queue.tryClaim(LoopGroups.FRAME, length);
        if (index < 0)
        {
            return PushResult.QUEUE_FULL;
        }
        queue.buffer().putBytes(index, src, offset, length);
        PushResult rest = PushResult.QUEUE_FULL;
        try
        {
            rest = pushFrom(i + 1, src, offset, length, high);
        }
        finally
        {
            if (rest != PushResult.ACCEPTED)
            {
                queue.abort(index); // a later lane was full (or threw): this claim must not block the queue
            }
        }
        if (rest != PushResult.ACCEPTED)
        {
            return rest;
        }
        queue.commit(index);
        loops[i].offer(lane);
        return PushResult.ACCEPTED;
    }

    @Override
    public int size()
    {
        return (int)sum(lane -> lane.members);
    }

    @Override
    public long delivered()
    {
        return sum(lane -> lane.delivered);
    }

    @Override
    public long missed()
    {
        return sum(lane -> lane.missed);
    }

    @Override
    public long membersDropped()
    {
        return sum(lane -> lane.dropped);
    }

    /** @return a figure summed over the lanes (each read on its own). */
    private long sum(final ToLongFunction<GroupLane> figure)
    {
        long total = 0;
        for (final GroupLane lane : lanes)
        {
            total += figure.applyAsLong(lane);
        }
        return total;
    }

    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        for (int i = 0; i < lanes.length; i++)
        {
            loops[i].offer(lanes[i]); // each loop sees the close, lets its members go and then counts the lane down
        }
    }

    @Override
    public String toString()
    {
        return "PushGroup[" + name + ", " + policy + ", " + size() + " members]";
    }
}
