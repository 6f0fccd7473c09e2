package dev.sluice.internal.loop;

import dev.sluice.internal.connection.ConnectionWriter;
import dev.sluice.internal.connection.DirtyList;
import dev.sluice.internal.connection.LoopConnection;

/**
 * Stage "flush": one {@code write} per connection that has bytes to send, with everything appended to it during the
 * iteration. Sends made from callbacks during the flush itself (e.g. {@code onClose} after a failed write) join the
 * same pass.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
final class FlushStage implements LoopStage
{
    private final DirtyList dirty;
    private final ConnectionWriter writer;

    FlushStage(final DirtyList dirty, final ConnectionWriter writer)
    {
        this.dirty = dirty;
        this.writer = writer;
    }

    @Override
    public int doWork(final long nowNs)
    {
        int flushed = 0;
        LoopConnection c;
        while ((c = dirty.poll()) != null)
        {
            if (c.isFlushable())
            {
                flushed += writer.flush(c);
            }
        }
        return flushed;
    }
}
