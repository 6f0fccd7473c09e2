package dev.sluice.internal.push;

import dev.sluice.stats.LoopCounters;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.jctools.queues.MpscArrayQueue;

/**
 * The push groups' side of one event loop: the ready list of group lanes with frames or membership changes waiting,
 * and the stages that deliver a lane's frames to its members on this loop; who the members are is
 * {@link GroupMembers}'s.
 * <p>
 * A frame read from a lane goes to every member in turn through {@link MemberSink}: the loop copies it into each
 * member's send buffer, or the group's policy skips the member (counted). Per iteration a lane gives up at most one
 * queue's worth of each priority, as a connection's queues do. Membership changes are records in the lane's high
 * queue, applied when read, so they keep their order with the frames around them.
 * <p>
 * Ready-list hand-over and its ordering argument are those of {@link PushOffers}: producers claim (a CAS), commit,
 * then schedule the lane if its flag was clear; the loop clears the flag before reading and looks at the queues'
 * tails after.
 * <p>
 * <b>Threading:</b> {@link #offer} on producer threads; everything else on the loop thread.
 */
public final class LoopGroups implements ControlledMessageHandler
{
    /** Where a group frame goes: one member's send path. */
    public interface MemberSink
    {
        /** The frame went into the member's send buffer. */
        int SENT = 0;
        /** The policy skipped the member: it is backed up, or has no room for the frame (see {@link #offer}). */
        int MISSED = 1;
        /** The frame passed the member's send cap, and the member was closed as a slow consumer. */
        int DROPPED = 2;

        /**
         * Delivers one group frame to one member.
         *
         * @param slot     the member's connection slot.
         * @param buffer   where the payload is.
         * @param offset   its offset.
         * @param length   its length.
         * @param dropSlow true to send whatever the member's pace (the send cap may then close it); false to skip a
         *                 member that is backed up, or whose unsent bytes would pass the group frames' room for that
         *                 priority with the frame.
         * @param high     whether the frame is a high-priority one.
         * @return {@link #SENT}, {@link #MISSED} or {@link #DROPPED}.
         */
        int offer(int slot, DirectBuffer buffer, int offset, int length, boolean dropSlow, boolean high);

        /**
         * @param slot         a connection slot.
         * @param connectionId a connection id.
         * @return true if that connection is open on that slot.
         */
        boolean isOpen(int slot, long connectionId);
    }

    /** Record types in a lane's queues. */
    static final int FRAME = 1;
    static final int JOIN = 2;
    static final int LEAVE = 3;
    /** A join or leave record: the slot, then (8-aligned) the connection id. */
    static final int MEMBERSHIP_LENGTH = 16;

    private final PushLoop push;
    private final MemberSink sink;
    private final LoopCounters counters;
    private final Runnable waker;
    private final int highBytes;
    private final int lowBytes;
    private final MpscArrayQueue<GroupLane> ready;
    private final GroupLane[] lowList;
    private final GroupLane[] againList;
    private int lowCount;
    private int againCount;
    private final GroupMembers members;
    private GroupLane reading;
    private boolean readingLow;
    private boolean discarding;
    private int bytesRead;
    private int byteLimit;

    /**
     * @param push        the loop's push path (a member's push handle names it).
     * @param connections connection slots of the loop.
     * @param maxGroups   groups that may be open at once.
     * @param highBytes   bytes of each lane's high queue: also what a lane gives up per iteration.
     * @param lowBytes    bytes of each lane's low queue: likewise.
     * @param sink        the loop's send path for members.
     * @param counters    the loop's counters.
     * @param waker       wakes the loop if it is parked.
     */
    public LoopGroups(final PushLoop push, final int connections, final int maxGroups, final int highBytes,
        final int lowBytes, final MemberSink sink, final LoopCounters counters, final Runnable waker)
    {
        this.push = push;
        this.sink = sink;
        this.counters = counters;
        this.waker = waker;
        this.highBytes = highBytes;
        this.lowBytes = lowBytes;
        this.ready = new MpscArrayQueue<>(Math.max(2, maxGroups));
        this.lowList = new GroupLane[maxGroups];
        this.againList = new GroupLane[maxGroups];
        this.members = new GroupMembers(connections);
    }

    PushLoop push()
    {
        return push;
    }

    /** Producer side, after a claim's CAS and commit: puts the lane on the ready list unless it is there already. */
    void offer(final GroupLane lane)
    {
        if (lane.casScheduled())
        {
            enqueue(lane);
            waker.run();
        }
    }

    private void enqueue(final GroupLane lane)
    {
        // At most one entry per lane, and at most maxPushGroups lanes per loop: a closed group keeps its place in the
        // limit until every loop has dismissed its lane.
        if (!ready.offer(lane))
        {
            throw new IllegalStateException("the ready list of push groups is full: " + lane.group);
        }
    }

    /** @return true if a lane with frames or membership changes is on the ready list (the loop must not block). */
    public boolean hasReady()
    {
        return !ready.isEmpty();
    }

    /**
     * Stage "high-priority pushes", after the connections' own: membership changes and high frames of every ready
     * lane, up to a queue's worth each.
     *
     * @return records handled.
     */
    public int drainHigh()
    {
        int work = 0;
        for (int n = ready.size(); n > 0; n--)
        {
            final GroupLane lane = ready.poll();
            if (lane == null)
            {
                break;
            }
            lane.svUnscheduled(); // before reading the queues: a later claim schedules the lane again
            if (lane.group.isClosed())
            {
                dismiss(lane);
                continue;
            }
            lane.lowBytesLeft = lowBytes;
            work += read(lane, lane.high, highBytes);
            listForLater(lane);
        }
        return work;
    }

    /**
     * Stage "low-priority pushes", after the connections' own: low frames of lanes whose high queue is empty, then
     * lanes with records left go back on the ready list for the next iteration.
     *
     * @return records handled, plus one per lane left for the next iteration.
     */
    public int drainLow()
    {
        int work = 0;
        for (int i = 0; i < lowCount; i++)
        {
            final GroupLane lane = lowList[i];
            lowList[i] = null;
            lane.onLowList = false;
            if (!lane.group.isClosed() && PushTarget.isEmpty(lane.high))
            {
                readingLow = true;
                final int read = read(lane, lane.low, lane.lowBytesLeft);
                readingLow = false;
                lane.lowBytesLeft -= bytesRead;
                work += read;
            }
            again(lane);
        }
        lowCount = 0;
        for (int i = 0; i < againCount; i++)
        {
            final GroupLane lane = againList[i];
            againList[i] = null;
            lane.onAgainList = false;
            if (lane.casScheduled())
            {
                enqueue(lane);
            }
            work++;
        }
        againCount = 0;
        return work;
    }

    private void listForLater(final GroupLane lane)
    {
        if (!PushTarget.isEmpty(lane.high))
        {
            again(lane);
        }
        else if (!PushTarget.isEmpty(lane.low) && !lane.onLowList)
        {
            lane.onLowList = true;
            lowList[lowCount++] = lane;
        }
    }

    private void again(final GroupLane lane)
    {
        if ((lane.group.isClosed() || !PushTarget.isEmpty(lane.high) || !PushTarget.isEmpty(lane.low)) &&
            !lane.onAgainList)
        {
            lane.onAgainList = true;
            againList[againCount++] = lane;
        }
    }

    /**
     * A connection on a slot closed (loop thread): it leaves every group it was a member of.
     *
     * @param slot the connection slot.
     */
    public void closed(final int slot)
    {
        members.closed(slot);
    }

    private int read(final GroupLane lane, final ManyToOneRingBuffer queue, final int limit)
    {
        reading = lane;
        bytesRead = 0;
        byteLimit = limit;
        int records = queue.controlledRead(this);
        if (bytesRead < limit && !PushTarget.isEmpty(queue))
        {
            records += queue.controlledRead(this); // the first read stopped at the end of the queue's memory
        }
        reading = null;
        return records;
    }

    @Override
    public Action onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int recordBytes = PushOffers.recordBytes(length);
        if (!discarding && recordBytes > byteLimit - bytesRead)
        {
            return Action.ABORT; // this iteration's share of the queue is used up
        }
        if (readingLow && !discarding && !PushTarget.isEmpty(reading.high))
        {
            // A join or leave (or a high frame) came meanwhile: it goes first. A low frame pushed after a join or
            // leave returned was claimed after it, so it is still unread here and waits for it.
            return Action.ABORT;
        }
        bytesRead += recordBytes;
        final GroupLane lane = reading;
        if (typeId == FRAME)
        {
            if (!discarding)
            {
                deliver(lane, buffer, index, length);
            }
        }
        else
        {
            final int slot = buffer.getInt(index);
            final long connectionId = buffer.getLong(index + Long.BYTES);
            if (typeId == JOIN)
            {
                if (!discarding && sink.isOpen(slot, connectionId))
                {
                    members.join(lane, slot, connectionId);
                }
                lane.addPendingJoins(-1); // after the member is in: see GroupLane.wantsFrames
            }
            else if (!discarding && lane.members > 0 && sink.isOpen(slot, connectionId))
            {
                members.leave(lane, slot);
            }
        }
        return Action.CONTINUE;
    }

    private void deliver(final GroupLane lane, final DirectBuffer buffer, final int index, final int length)
    {
        final boolean dropSlow = lane.group.dropSlow();
        int sent = 0;
        int missed = 0;
        int dropped = 0;
        lane.delivering = true;
        for (int i = 0; i < lane.count; i++)
        {
            if (lane.ids[i] == 0)
            {
                continue; // closed during this walk (by the send cap, or by an onClose)
            }
            final int outcome = sink.offer(lane.slots[i], buffer, index, length, dropSlow, !readingLow);
            if (outcome == MemberSink.SENT)
            {
                sent++;
            }
            else if (outcome == MemberSink.MISSED)
            {
                missed++;
            }
            else
            {
                dropped++;
            }
        }
        lane.delivering = false;
        if (lane.holes)
        {
            GroupMembers.compact(lane);
        }
        lane.count(sent, missed, dropped);
        counters.groupDeliveries.getAndAddRelease(sent);
        if (missed != 0)
        {
            counters.groupMisses.getAndAddRelease(missed);
        }
    }

    /**
     * The group was closed: every member on this loop leaves it, and what is queued is discarded (again on later
     * polls: a producer racing the close may still commit). The first time, the lane is counted down.
     */
    private void dismiss(final GroupLane lane)
    {
        members.dismissAll(lane);
        discarding = true;
        try
        {
            readAll(lane, lane.high);
            readAll(lane, lane.low);
        }
        finally
        {
            discarding = false;
        }
        if (!lane.dismissed)
        {
            lane.dismissed = true;
            lane.group.laneDismissed();
        }
    }

    private void readAll(final GroupLane lane, final ManyToOneRingBuffer queue)
    {
        long head;
        do
        {
            head = queue.consumerPosition();
            read(lane, queue, Integer.MAX_VALUE);
        }
        while (queue.consumerPosition() != head);
    }
}
