package dev.sluice.internal.push;

import java.lang.invoke.VarHandle;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/** Written once, when the lane is built. */
abstract class GroupLaneFinalFields
{
    final FanOutGroup group;
    /** The loop this lane belongs to: a member's push handle names it. */
    final PushLoop loop;
    /** Frames and membership changes, in the order offered. */
    final ManyToOneRingBuffer high;
    final ManyToOneRingBuffer low;

    GroupLaneFinalFields(final FanOutGroup group, final PushLoop loop, final int highBytes, final int lowBytes)
    {
        this.group = group;
        this.loop = loop;
        this.high = new ManyToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(highBytes + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        this.low = new ManyToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(lowBytes + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    }
}

/** Two cache lines between the final fields and the producers'. */
abstract class GroupLanePad1 extends GroupLaneFinalFields
{
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;

    GroupLanePad1(final FanOutGroup group, final PushLoop loop, final int highBytes, final int lowBytes)
    {
        super(group, loop, highBytes, lowBytes);
    }
}

/** Written by producers (and cleared or counted down by the loop). */
abstract class GroupLaneProducerFields extends GroupLanePad1
{
    /** 1 while the lane is on its loop's ready list. */
    volatile int scheduled;
    /** Joins offered and not yet applied by the loop: while above 0, pushes hand frames to this lane. */
    volatile int pendingJoins;

    GroupLaneProducerFields(final FanOutGroup group, final PushLoop loop, final int highBytes, final int lowBytes)
    {
        super(group, loop, highBytes, lowBytes);
    }
}

/** Two cache lines between the producers' fields and the loop's. */
abstract class GroupLanePad2 extends GroupLaneProducerFields
{
    long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15, q16;

    GroupLanePad2(final FanOutGroup group, final PushLoop loop, final int highBytes, final int lowBytes)
    {
        super(group, loop, highBytes, lowBytes);
    }
}

/** Written by the loop on membership changes only; read by every push. */
abstract class GroupLaneMembersField extends GroupLanePad2
{
    /** Members, as applied (a volatile write per change, read by pushes and {@code size()}). */
    volatile int members;

    GroupLaneMembersField(final FanOutGroup group, final PushLoop loop, final int highBytes, final int lowBytes)
    {
        super(group, loop, highBytes, lowBytes);
    }
}

/** Two cache lines between the members count and the loop's per-frame fields. */
abstract class GroupLanePad3 extends GroupLaneMembersField
{
    long r01, r02, r03, r04, r05, r06, r07, r08, r09, r10, r11, r12, r13, r14, r15, r16;

    GroupLanePad3(final FanOutGroup group, final PushLoop loop, final int highBytes, final int lowBytes)
    {
        super(group, loop, highBytes, lowBytes);
    }
}

/** Written by the loop; the volatile ones are read by any thread. */
abstract class GroupLaneLoopFields extends GroupLanePad3
{
    /** Counted per frame, one ordered write each: read by any thread. */
    volatile long delivered;
    volatile long missed;
    volatile long dropped;
    /** The member list: slots and connection ids, the first {@link #count} in use; 0 ids are left by a close. */
    int[] slots = new int[4];
    long[] ids = new long[4];
    int count;
    /** True while the loop walks the member list for a frame: a close meanwhile leaves a 0 id instead of moving. */
    boolean delivering;
    boolean holes;
    boolean onLowList;
    boolean onAgainList;
    boolean dismissed;
    int lowBytesLeft;

    GroupLaneLoopFields(final FanOutGroup group, final PushLoop loop, final int highBytes, final int lowBytes)
    {
        super(group, loop, highBytes, lowBytes);
    }
}

/**
 * One push group's part on one loop: its two queues (frames written in place by producers, as in a connection's
 * {@link PushTarget}; membership changes travel in the high one), the flag that keeps it on the loop's ready list at
 * most once, and the members on that loop.
 * <p>
 * <b>Threading:</b> final fields shared; {@code scheduled} and {@code pendingJoins} written by producers (the loop
 * clears and counts them down); {@code members} written by the loop on joins and leaves and read by every push; the
 * member list and per-frame counters written by the loop only. The groups are two cache lines apart.
 */
final class GroupLane extends GroupLaneLoopFields
{
    private static final VarHandle SCHEDULED = FieldHandles.find(GroupLaneProducerFields.class, "scheduled", int.class);
    private static final VarHandle PENDING_JOINS =
        FieldHandles.find(GroupLaneProducerFields.class, "pendingJoins", int.class);
    private static final VarHandle DELIVERED = FieldHandles.find(GroupLaneLoopFields.class, "delivered", long.class);
    private static final VarHandle MISSED = FieldHandles.find(GroupLaneLoopFields.class, "missed", long.class);
    private static final VarHandle DROPPED = FieldHandles.find(GroupLaneLoopFields.class, "dropped", long.class);

    GroupLane(final FanOutGroup group, final PushLoop loop, final int highBytes, final int lowBytes)
    {
        super(group, loop, highBytes, lowBytes);
    }

    /** @return true if this call moved the lane from not scheduled to scheduled. */
    boolean casScheduled()
    {
        return scheduled == 0 && SCHEDULED.compareAndSet(this, 0, 1);
    }

    /** The loop took the lane off the ready list: a volatile write, before its reads of the queues. */
    void svUnscheduled()
    {
        scheduled = 0;
    }

    void addPendingJoins(final int delta)
    {
        PENDING_JOINS.getAndAdd(this, delta);
    }

    /** @return true if a frame pushed now must be handed to this lane: it has members, or a join is on its way. */
    boolean wantsFrames()
    {
        return pendingJoins > 0 || members > 0; // in this order: the loop adds a member before it counts a join down
    }

    /** Loop thread: adds per-frame counts with one ordered write each (single writer). */
    void count(final int deliveredNow, final int missedNow, final int droppedNow)
    {
        if (deliveredNow != 0)
        {
            DELIVERED.setRelease(this, delivered + deliveredNow);
        }
        if (missedNow != 0)
        {
            MISSED.setRelease(this, missed + missedNow);
        }
        if (droppedNow != 0)
        {
            DROPPED.setRelease(this, dropped + droppedNow);
        }
    }
}
