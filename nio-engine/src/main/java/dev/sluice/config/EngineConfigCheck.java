package dev.sluice.config;

import dev.sluice.codec.FrameCodec;
import dev.sluice.codec.LengthPrefixedFrameCodec;

/** Checks an {@link EngineConfig} as a whole when it is built; a setting that does not fit is refused with why. */
final class EngineConfigCheck
{
    private EngineConfigCheck()
    {
    }

    /**
     * @param c a configuration just built.
     * @throws IllegalArgumentException naming the setting that does not fit, and what to do.
     */
    static void validate(final EngineConfig c)
    {
        final int loops = c.loops();
        final int sendCap = c.sendCap();
        final FrameCodec codec = c.codec();
        require(c.errorHandler() != null, "errorHandler must not be null");
        require(loops >= 1 && loops <= EngineConfig.MAX_LOOPS,
            "loops must be 1.." + EngineConfig.MAX_LOOPS + ": " + loops);
        require(c.maxConnections() >= loops,
            "maxConnections must be at least the number of loops: " + c.maxConnections());
        require(c.maxConnections() / loops < (1 << 24),
            "at most 2^24 - 1 connections per loop: " + c.maxConnections());
        require(c.receiveBufferSize() >= 64, "receiveBufferSize must be at least 64: " + c.receiveBufferSize());
        require(sendCap >= 64, "sendCap must be at least 64: " + sendCap);
        final int largestFrame = codec.headerLength() + codec.maxFrameLength();
        require(largestFrame <= c.receiveBufferSize(),
            "the largest frame (" + largestFrame + " bytes with header) must fit the receive buffer (" +
            c.receiveBufferSize() + ")");
        require(largestFrame <= sendCap,
            "the largest frame (" + largestFrame + " bytes with header) must fit the send cap (" + sendCap + ")");
        c.sendCapBudget().check();
        require(c.noProgressTimeoutNs() > 0, "noProgressTimeout must be positive");
        final long heartbeatNs = c.periodicHeartbeatIntervalNs();
        require(c.idleTimeoutNs() >= 0 && c.keepAliveIntervalNs() >= 0 && heartbeatNs >= 0,
            "the idle timeout, the keep-alive interval and the heartbeat interval must be >= 0");
        require(c.bytesPerMessage() >= 0 && c.bytesPerConnection() >= 0 && c.bytesInFlight() >= 0,
            "budgets must be >= 0");
        require(c.assemblySlots() > 0 && c.assemblyMaxMessage() > 0 && c.assemblyTimeoutNs() > 0,
            "fragment assembly needs slots, a message size and a timeout");
        final byte[] keepAlive = c.keepAlivePayload();
        final byte[] heartbeat = c.periodicHeartbeatPayload();
        require(keepAlive.length <= codec.maxFrameLength() && heartbeat.length <= codec.maxFrameLength(),
            "the keep-alive and heartbeat payloads must fit a frame");
        require(c.timerIntervalNs() > 0, "timerInterval must be positive");
        require(heartbeatNs == 0 || heartbeatNs >= c.timerIntervalNs(),
            "the periodic heartbeat interval (" + heartbeatNs + " ns) must be at least the timerInterval (" +
            c.timerIntervalNs() + " ns), the cadence heartbeats are sent at: shorten timerInterval");
        require(c.pinningMode() != PinningMode.CORES || c.pinCores().length > 0, "pinning to CORES needs a core list");
        require(!c.requirePinning() || c.pinningMode() != PinningMode.NONE, "requirePinning needs a pinning mode");
        require(c.threadingMode() == ThreadingMode.DEDICATED || c.pinningMode() == PinningMode.NONE,
            "pinning applies to dedicated threads; in INVOKER mode pin your own threads");
        require(c.listenBacklog() > 0, "listenBacklog must be positive");
        require(c.commandQueueCapacity() >= 2, "commandQueueCapacity must be at least 2");
        require(c.gate() == null || c.gate().batchEndMaxLength() <= codec.maxFrameLength() &&
            2 * codec.headerLength() + c.gate().batchEndMaxLength() < sendCap,
            "the batch-end frame must be a valid frame and leave room for a response within the send cap");
        require(c.keepAliveIntervalNs() == 0 || keepAlive.length > 0 || allowsEmptyFrames(codec),
            "an empty keep-alive is a malformed frame for peers using this codec: give keep-alives a payload");
        require(heartbeatNs == 0 || heartbeat.length > 0 || allowsEmptyFrames(codec),
            "an empty heartbeat is a malformed frame for peers using this codec: give heartbeats a payload");
    }

    private static boolean allowsEmptyFrames(final FrameCodec codec)
    {
        return !(codec instanceof LengthPrefixedFrameCodec) || ((LengthPrefixedFrameCodec)codec).allowsZeroLength();
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
