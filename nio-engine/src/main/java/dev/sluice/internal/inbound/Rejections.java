package dev.sluice.internal.inbound;

import java.lang.System.Logger.Level;

import dev.sluice.codec.FrameCodec;
import dev.sluice.connection.CloseReason;
import dev.sluice.internal.connection.ConnectionCloser;
import dev.sluice.internal.connection.LoopConnection;
import dev.sluice.internal.connection.LoopTime;
import dev.sluice.internal.log.EngineLog;
import dev.sluice.internal.log.RateLimitedLog;

/**
 * Closing a connection for what its peer sent: a malformed frame, or more than an inbound memory budget allows. One
 * clear, rate-limited log line and a close reason the application sees; nobody else is affected. These are the close
 * paths: messages are built only once the rate limit allows a line.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
final class Rejections
{
    private final int loop;
    private final FrameCodec codec;
    private final LoopTime time;
    private final ConnectionCloser closer;
    private final RateLimitedLog log;

    Rejections(final int loop, final FrameCodec codec, final LoopTime time, final ConnectionCloser closer,
        final RateLimitedLog log)
    {
        this.loop = loop;
        this.codec = codec;
        this.time = time;
        this.closer = closer;
        this.log = log;
    }

    void malformed(final LoopConnection c, final int error)
    {
        if (log.tryAcquire(time.nowNs()))
        {
            log.log(EngineLog.LOG, Level.WARNING, "loop " + loop + ": connection " + c.id() + " from " +
                c.remoteAddress() + " sent a malformed frame: " +
                codec.describeError(error, c.receiveBuffer().buffer(), c.receiveBuffer().readOffset()) +
                "; closing it");
        }
        closer.close(c, CloseReason.MALFORMED_FRAME);
    }

    /**
     * @param why   a few words on which budget (a constant).
     * @param bytes the size that broke it, for the log line.
     */
    void budgetExceeded(final LoopConnection c, final String why, final long bytes)
    {
        if (log.tryAcquire(time.nowNs()))
        {
            log.log(EngineLog.LOG, Level.WARNING, "loop " + loop + ": connection " + c.id() +
                " exceeded an inbound memory budget: " + why + " (" + bytes + " bytes); closing it");
        }
        closer.close(c, CloseReason.BUDGET_EXCEEDED);
    }

    void fragmentWithoutFirst(final LoopConnection c, final long key)
    {
        if (log.tryAcquire(time.nowNs()))
        {
            log.log(EngineLog.LOG, Level.WARNING, "loop " + loop + ": connection " + c.id() +
                " sent a fragment of message " + key + " without its first fragment; closing it");
        }
        closer.close(c, CloseReason.MALFORMED_FRAME);
    }
}
