package dev.sluice.internal.loop;

import dev.sluice.internal.connection.ConnectionTable;
import dev.sluice.internal.connection.LoopConnection;
import dev.sluice.internal.push.LoopGroups;
import org.agrona.DirectBuffer;

/**
 * Where a loop delivers push-group frames: each member's send path, through the same send cap as everything else.
 * Under {@code SKIP_SLOW} a member that is backed up (a write to it was partial and has not drained), or whose unsent
 * bytes would pass the group frames' room with the frame, misses it. The rooms keep group traffic below what the
 * member's own pushes may still need ({@code EngineConfig.groupHighRoom} and {@code groupLowRoom}): group frames never
 * drop a member under {@code SKIP_SLOW}, and never make a producer that skips backed-up peers see one dropped.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
final class GroupMemberSink implements LoopGroups.MemberSink
{
    private final ConnectionTable table;
    private final int highRoom;
    private final int lowRoom;
    private final int header;

    /**
     * @param table    the loop's connections.
     * @param highRoom unsent bytes a member may have with a high group frame under {@code SKIP_SLOW}.
     * @param lowRoom  unsent bytes a member may have with a low group frame under {@code SKIP_SLOW}.
     * @param header   the codec's header length.
     */
    GroupMemberSink(final ConnectionTable table, final int highRoom, final int lowRoom, final int header)
    {
        this.table = table;
        this.highRoom = highRoom;
        this.lowRoom = lowRoom;
        this.header = header;
    }

    @Override
    public int offer(final int slot, final DirectBuffer buffer, final int offset, final int length,
        final boolean dropSlow, final boolean high)
    {
        final LoopConnection c = table.connection(slot);
        if (!dropSlow && (c.isBackedUp() || c.pendingBytes() + header + length > (high ? highRoom : lowRoom)))
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
