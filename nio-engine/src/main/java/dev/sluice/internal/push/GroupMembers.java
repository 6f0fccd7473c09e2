package dev.sluice.internal.push;

import java.util.Arrays;

/**
 * Who belongs to which push group on one loop: each lane's member list (slots and connection ids, in the lane) and,
 * per connection slot, the lanes it belongs to, so that a connection that closes leaves them all. While a lane's
 * members are being walked for a frame ({@code GroupLane.delivering}), a member that leaves leaves a hole (id 0) that
 * the walk skips, closed up by {@link #compact} after it.
 * <p>
 * <b>Threading:</b> the loop thread only. Joins may allocate (a list that grows); nothing else does.
 */
final class GroupMembers
{
    /** Per connection slot: the lanes it is a member of. */
    private final GroupLane[][] memberOf;
    private final int[] memberOfCount;

    GroupMembers(final int connections)
    {
        this.memberOf = new GroupLane[connections][];
        this.memberOfCount = new int[connections];
    }

    /** Adds the connection on {@code slot} to a lane, unless it is a member already. */
    void join(final GroupLane lane, final int slot, final long connectionId)
    {
        if (isMember(slot, lane))
        {
            return;
        }
        if (lane.count == lane.slots.length)
        {
            lane.slots = Arrays.copyOf(lane.slots, lane.count * 2); // joins may allocate; frames do not
            lane.ids = Arrays.copyOf(lane.ids, lane.count * 2);
        }
        lane.slots[lane.count] = slot;
        lane.ids[lane.count] = connectionId;
        lane.count++;
        lane.members = lane.members + 1;
        GroupLane[] lanes = memberOf[slot];
        if (lanes == null || memberOfCount[slot] == lanes.length)
        {
            lanes = lanes == null ? new GroupLane[4] : Arrays.copyOf(lanes, lanes.length * 2);
            memberOf[slot] = lanes;
        }
        lanes[memberOfCount[slot]++] = lane;
    }

    /** Takes the connection on {@code slot} out of a lane, if it is a member. */
    void leave(final GroupLane lane, final int slot)
    {
        removeMember(lane, slot);
        removeLane(slot, lane);
    }

    /** The connection on {@code slot} closed: it leaves every lane it belongs to. */
    void closed(final int slot)
    {
        final GroupLane[] lanes = memberOf[slot];
        for (int i = memberOfCount[slot] - 1; i >= 0; i--)
        {
            removeMember(lanes[i], slot);
            lanes[i] = null;
        }
        memberOfCount[slot] = 0;
    }

    /** The lane's group closed: every member leaves it. */
    void dismissAll(final GroupLane lane)
    {
        for (int i = 0; i < lane.count; i++)
        {
            if (lane.ids[i] != 0)
            {
                removeLane(lane.slots[i], lane);
            }
            lane.ids[i] = 0;
        }
        lane.count = 0;
        lane.members = 0;
    }

    /** Closes up the holes members that left during a walk over the list left. */
    static void compact(final GroupLane lane)
    {
        int to = 0;
        for (int i = 0; i < lane.count; i++)
        {
            if (lane.ids[i] != 0)
            {
                lane.slots[to] = lane.slots[i];
                lane.ids[to] = lane.ids[i];
                to++;
            }
        }
        for (int i = to; i < lane.count; i++)
        {
            lane.ids[i] = 0;
        }
        lane.count = to;
        lane.holes = false;
    }

    private boolean isMember(final int slot, final GroupLane lane)
    {
        final GroupLane[] lanes = memberOf[slot];
        for (int i = memberOfCount[slot] - 1; i >= 0; i--)
        {
            if (lanes[i] == lane)
            {
                return true;
            }
        }
        return false;
    }

    /** Takes a slot out of a lane's member list (a hole while the list is being walked). */
    private static void removeMember(final GroupLane lane, final int slot)
    {
        for (int i = 0; i < lane.count; i++)
        {
            if (lane.slots[i] == slot && lane.ids[i] != 0)
            {
                if (lane.delivering)
                {
                    lane.ids[i] = 0;
                    lane.holes = true;
                }
                else
                {
                    final int last = --lane.count;
                    lane.slots[i] = lane.slots[last];
                    lane.ids[i] = lane.ids[last];
                    lane.ids[last] = 0;
                }
                lane.members = lane.members - 1;
                return;
            }
        }
    }

    private void removeLane(final int slot, final GroupLane lane)
    {
        final GroupLane[] lanes = memberOf[slot];
        final int last = memberOfCount[slot] - 1;
        for (int i = last; i >= 0; i--)
        {
            if (lanes[i] == lane)
            {
                lanes[i] = lanes[last];
                lanes[last] = null;
                memberOfCount[slot] = last;
                return;
            }
        }
    }
}
