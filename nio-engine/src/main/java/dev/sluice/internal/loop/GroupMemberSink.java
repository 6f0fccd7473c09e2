package dev.sluice.internal.loop;

import dev.sluice.internal.connection.ConnectionTable;
import dev.sluice.internal.connection.LoopConnection;
import dev.sluice.internal.push.LoopGroups;
import org.agrona.DirectBuffer;

/**
 * Where a loop delivers push-group frames: each member's send path, through the same send cap as everything else.
 * Under {@code SKIP_SLOW} a member that is backed up (a write to it was partial and has not drained), or whose
 * unsent bytes would pass its send cap with the frame, misses it: group traffic never drops a member there.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
final class GroupMemberSink implements LoopGroups.MemberSink
{
    private final ConnectionTable table;
    private final int room;
    private final int header;

    /**
     * @param table  the loop's connections.
     * @param room   unsent bytes a member may have with a frame under {@code SKIP_SLOW}: the send cap.
     * @param header the codec's header length.
     */
    GroupMemberSink(final ConnectionTable table, final int room, final int header)
    {
        this.table = table;
        this.room = room;
        this.header = header;
    }

    @Override
    public int offer(final int slot, final DirectBuffer buffer, final int offset, final int length,
        final boolean dropSlow)
    {
        final LoopConnection c = table.connection(slot);
        if (!dropSlow && (c.isBackedUp() || c.pendingBytes() + header + length > room))
        {
            return MISSED;
        }
        return c.send(buffer, offset, length) ? SENT : DROPPED;
    }

    @Override
    public boolean isOpen(final int slot, final long connectionId)
    {
        final LoopConnection c = table.connection(slot);
        return c.isOpen() && c.id() == connectionId;
    }
}
