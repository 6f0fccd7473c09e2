package dev.sluice.engine;

import dev.sluice.codec.FrameCodec;

/**
 * Closing a connection for what its peer sent: a malformed frame, or more than an inbound memory budget allows. One
 * clear, rate-limited log line and a close reason the application sees; nobody else is affected. Loop thread only;
 * these are the close paths, so they may build strings.
 */
final class Rejections
{
    private final EventLoop loop;
    private final FrameCodec codec;
    private final RateLimitedLog closeLog;

    Rejections(final EventLoop loop, final FrameCodec codec, final RateLimitedLog closeLog)
    {
        this.loop = loop;
        this.codec = codec;
        this.closeLog = closeLog;
    }

    void malformed(final Connection c, final int error)
    {
        if (closeLog.tryAcquire(loop.nowNs()))
        {
            closeLog.log("loop " + loop.index() + ": connection " + c.id + " from " + c.remoteAddress() +
                " sent a malformed frame: " + codec.describeError(error, c.receive.buffer(), c.receive.readOffset()) +
                "; closing it");
        }
        loop.close(c, CloseReason.MALFORMED_FRAME);
    }

    void budgetExceeded(final Connection c, final String why)
    {
        if (closeLog.tryAcquire(loop.nowNs()))
        {
            closeLog.log("loop " + loop.index() + ": connection " + c.id + " exceeded an inbound memory budget: " +
                why + "; closing it");
        }
        loop.close(c, CloseReason.BUDGET_EXCEEDED);
    }

    void fragmentWithoutFirst(final Connection c, final long key)
    {
        if (closeLog.tryAcquire(loop.nowNs()))
        {
            closeLog.log("loop " + loop.index() + ": connection " + c.id + " sent a fragment of message " + key +
                " without its first fragment; closing it");
        }
        loop.close(c, CloseReason.MALFORMED_FRAME);
    }
}
