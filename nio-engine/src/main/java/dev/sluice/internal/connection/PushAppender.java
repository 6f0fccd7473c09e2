package dev.sluice.internal.connection;

import dev.sluice.internal.push.PushSink;
import org.agrona.DirectBuffer;

/**
 * The push path's way into the send path: pushed frames go into the connection's send buffer under the same send cap
 * and shed share as any other frame, and the per-connection bookkeeping (frames-out figures, the idle keep-alive's
 * clock, the flush list) is done once per run of frames rather than per frame.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
public final class PushAppender implements PushSink
{
    private ConnectionTable table;

    /**
     * The loop's connections, which are built after its push path.
     *
     * @param table the loop's connection table.
     */
    public void bind(final ConnectionTable table)
    {
        this.table = table;
    }

    @Override
    public boolean append(final int connectionSlot, final DirectBuffer buffer, final int offset, final int length)
    {
        return table.connection(connectionSlot).appendPushed(buffer, offset, length);
    }

    @Override
    public boolean appendFramed(final int connectionSlot, final DirectBuffer buffer, final int offset, final int bytes)
    {
        return table.connection(connectionSlot).appendPushedFrames(buffer, offset, bytes);
    }

    @Override
    public void runEnded(final int connectionSlot, final int frames)
    {
        table.connection(connectionSlot).pushRunEnded(frames);
    }
}
