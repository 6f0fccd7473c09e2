package dev.sluice.config;

import java.nio.file.Path;

import dev.sluice.codec.FrameCodec;
import dev.sluice.codec.LengthPrefixedFrameCodec;
import dev.sluice.gate.GateConfig;
import dev.sluice.push.PushConfig;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;

/**
 * Everything an engine is built from, fixed at construction. Obtain one from {@link #builder()}; every setting has
 * a documented default (see {@code docs/users-guide.md}, "Configuration").
 */
public final class EngineConfig
{
    /** Default send cap per connection: 64 KiB. */
    public static final int DEFAULT_SEND_CAP = 64 * 1024;
    /** Default receive buffer per connection: 64 KiB. */
    public static final int DEFAULT_RECEIVE_BUFFER = 64 * 1024;
    /** Default maximum number of connections across all loops. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    /**
     * The default error handler: the exception is logged with its stack trace at ERROR on {@code dev.sluice.engine},
     * within the engine's one-line-a-second limit for lines a peer could trigger (the engine recognises this handler
     * and logs through that limit).
     */
    public static final ErrorHandler LOGGING_ERROR_HANDLER = error -> System.getLogger("dev.sluice.engine")
        .log(System.Logger.Level.ERROR, "unexpected error on an engine thread", error);
    /** Most loops an engine may run (connection ids keep the loop in 8 bits). */
    public static final int MAX_LOOPS = 256;

    private final int loops;
    private final ThreadingMode threadingMode;
    private final IdleMode idleMode;
    private final PinningMode pinningMode;
    private final int[] pinCores;
    private final boolean requirePinning;
    private final boolean requireZeroGarbage;
    private final ErrorHandler errorHandler;
    private final int maxConnections;
    private final int receiveBufferSize;
    private final int sendCap;
    private final FrameCodec codec;
    private final long noProgressTimeoutNs;
    private final long idleTimeoutNs;
    private final long bytesPerMessage;
    private final long bytesPerConnection;
    private final long bytesInFlight;
    private final int assemblySlots;
    private final int assemblyMaxMessage;
    private final long assemblyTimeoutNs;
    private final long keepAliveIntervalNs;
    private final byte[] keepAlivePayload;
    private final long periodicHeartbeatIntervalNs;
    private final byte[] periodicHeartbeatPayload;
    private final long timerIntervalNs;
    private final long backoffMaxParkNs;
    private final boolean tcpNoDelay;
    private final int socketSendBufferSize;
    private final int socketReceiveBufferSize;
    private final boolean reuseAddress;
    private final int listenBacklog;
    private final boolean tcpQuickAck;
    private final NanoClock clock;
    private final Path countersFile;
    private final String threadNamePrefix;
    private final int commandQueueCapacity;
    private final PushConfig push;
    private final GateConfig gate;

    EngineConfig(final EngineConfigBuilder b)
    {
        loops = b.loops;
        threadingMode = b.threadingMode;
        idleMode = b.idleMode;
        pinningMode = b.pinningMode;
        pinCores = b.pinCores.clone();
        requirePinning = b.requirePinning;
        requireZeroGarbage = b.requireZeroGarbage;
        errorHandler = b.errorHandler;
        maxConnections = b.maxConnections;
        receiveBufferSize = b.receiveBufferSize;
        sendCap = b.sendCap;
        codec = b.codec != null ? b.codec :
            new LengthPrefixedFrameCodec(b.byteOrder, b.maxFrameLength > 0 ? b.maxFrameLength :
                b.receiveBufferSize - LengthPrefixedFrameCodec.HEADER_LENGTH, b.allowZeroLengthFrames);
        noProgressTimeoutNs = b.noProgressTimeoutNs;
        idleTimeoutNs = b.idleTimeoutNs;
        bytesPerMessage = b.bytesPerMessage;
        bytesPerConnection = b.bytesPerConnection;
        bytesInFlight = b.bytesInFlight;
        assemblySlots = b.assemblySlots;
        assemblyMaxMessage = b.assemblyMaxMessage;
        assemblyTimeoutNs = b.assemblyTimeoutNs;
        keepAliveIntervalNs = b.keepAliveIntervalNs;
        keepAlivePayload = b.keepAlivePayload.clone();
        periodicHeartbeatIntervalNs = b.periodicHeartbeatIntervalNs;
        periodicHeartbeatPayload = b.periodicHeartbeatPayload.clone();
        timerIntervalNs = b.timerIntervalNs;
        backoffMaxParkNs = b.backoffMaxParkNs;
        tcpNoDelay = b.tcpNoDelay;
        socketSendBufferSize = b.socketSendBufferSize;
        socketReceiveBufferSize = b.socketReceiveBufferSize;
        reuseAddress = b.reuseAddress;
        listenBacklog = b.listenBacklog;
        tcpQuickAck = b.tcpQuickAck;
        clock = b.clock;
        countersFile = b.countersFile;
        threadNamePrefix = b.threadNamePrefix;
        commandQueueCapacity = b.commandQueueCapacity;
        push = b.push;
        gate = b.gate;
        validate();
    }

    private void validate()
    {
        require(errorHandler != null, "errorHandler must not be null");
        require(loops >= 1 && loops <= MAX_LOOPS, "loops must be 1.." + MAX_LOOPS + ": " + loops);
        require(maxConnections >= loops, "maxConnections must be at least the number of loops: " + maxConnections);
        require(maxConnections / loops < (1 << 24), "at most 2^24 - 1 connections per loop: " + maxConnections);
        require(receiveBufferSize >= 64, "receiveBufferSize must be at least 64: " + receiveBufferSize);
        require(sendCap >= 64, "sendCap must be at least 64: " + sendCap);
        final int largestFrame = codec.headerLength() + codec.maxFrameLength();
        require(largestFrame <= receiveBufferSize,
            "the largest frame (" + largestFrame + " bytes with header) must fit the receive buffer (" +
            receiveBufferSize + ")");
        require(largestFrame <= sendCap,
            "the largest frame (" + largestFrame + " bytes with header) must fit the send cap (" + sendCap + ")");
        // Shedding is checked per queue record: the largest low record (a push, or a batch of an eighth of the queue)
        // must fit above the share, so low-priority traffic alone never takes a peer to its cap.
        final int shedBytes = (int)(sendCap * push.lowPriorityShedShare());
        final long largestLowRecord = wireBytes(push.lowQueueBytes() / 8) + codec.headerLength();
        require(push.lowPriorityShedShare() == 1 || sendCap - shedBytes >= largestLowRecord,
            "low-priority traffic taken just below the shed share must still fit under the send cap: sendCap (" +
            sendCap + ") minus the shed share (" + shedBytes + ") is less than the largest low-priority push or " +
            "batch (" + largestLowRecord + " bytes on the wire); lower lowPriorityShedShare or the low queue size, " +
            "or raise sendCap");
        final long skipperBound = backedUpBound(shedBytes, largestLowRecord);
        require(skipperBound <= sendCap,
            "the push queues are too large for the send cap: a producer that skips backed-up peers could still see " +
            "one dropped, since up to " + skipperBound + " bytes may reach a peer's send buffer after its writes " +
            "turn partial (twice the high queue of " + push.highQueueBytes() + " bytes, plus " +
            (push.lowPriorityShedShare() == 1 ? "twice the low queue" : "the shed share and one low record") +
            ") and sendCap is " + sendCap + "; lower the queue sizes or raise sendCap");
        require(noProgressTimeoutNs > 0, "noProgressTimeout must be positive");
        require(idleTimeoutNs >= 0 && keepAliveIntervalNs >= 0 && periodicHeartbeatIntervalNs >= 0,
            "the idle timeout, the keep-alive interval and the heartbeat interval must be >= 0");
        require(bytesPerMessage >= 0 && bytesPerConnection >= 0 && bytesInFlight >= 0, "budgets must be >= 0");
        require(assemblySlots > 0 && assemblyMaxMessage > 0 && assemblyTimeoutNs > 0,
            "fragment assembly needs slots, a message size and a timeout");
        require(keepAlivePayload.length <= codec.maxFrameLength() &&
            periodicHeartbeatPayload.length <= codec.maxFrameLength(),
            "the keep-alive and heartbeat payloads must fit a frame");
        require(timerIntervalNs > 0, "timerInterval must be positive");
        require(periodicHeartbeatIntervalNs == 0 || periodicHeartbeatIntervalNs >= timerIntervalNs,
            "the periodic heartbeat interval (" + periodicHeartbeatIntervalNs + " ns) must be at least the " +
            "timerInterval (" + timerIntervalNs + " ns), the cadence heartbeats are sent at: shorten timerInterval");
        require(pinningMode != PinningMode.CORES || pinCores.length > 0, "pinning to CORES needs a core list");
        require(!requirePinning || pinningMode != PinningMode.NONE, "requirePinning needs a pinning mode");
        require(threadingMode == ThreadingMode.DEDICATED || pinningMode == PinningMode.NONE,
            "pinning applies to dedicated threads; in INVOKER mode pin your own threads");
        require(listenBacklog > 0, "listenBacklog must be positive");
        require(commandQueueCapacity >= 2, "commandQueueCapacity must be at least 2");
        require(gate == null || gate.batchEndMaxLength() <= codec.maxFrameLength() &&
            2 * codec.headerLength() + gate.batchEndMaxLength() < sendCap,
            "the batch-end frame must be a valid frame and leave room for a response within the send cap");
        require(keepAliveIntervalNs == 0 || keepAlivePayload.length > 0 || allowsEmptyFrames(),
            "an empty keep-alive is a malformed frame for peers using this codec: give keep-alives a payload");
        require(periodicHeartbeatIntervalNs == 0 || periodicHeartbeatPayload.length > 0 || allowsEmptyFrames(),
            "an empty heartbeat is a malformed frame for peers using this codec: give heartbeats a payload");
    }

    /**
     * Most bytes that pushes can put in a connection's send buffer from the start of the loop iteration in which its
     * writes turn partial, if producers push nothing once they see {@code isBackedUp()}: the loop moves at most one
     * queue's worth of each priority per connection per iteration, so the high queue contributes what it handed over
     * in that iteration and what it held when the flag turned; low frames are appended only while the unsent bytes
     * are at or below the shed share, so they add at most one record above it (or, without shedding, twice the low
     * queue like the high one).
     */
    private long backedUpBound(final int shedBytes, final long largestLowRecord)
    {
        final long high = 2 * wireBytes(push.highQueueBytes());
        final long lowUnshed = 2 * wireBytes(push.lowQueueBytes());
        return high + (push.lowPriorityShedShare() == 1 ? lowUnshed :
            Math.min(lowUnshed, (long)shedBytes + largestLowRecord));
    }

    /**
     * Unsent bytes up to which a push group's high-priority frames still go to a member under {@code SKIP_SLOW}: the
     * send cap less what the member's own pushes may still add once its writes turn partial (twice its high queue,
     * and without shedding twice its low queue too; see "Backed-up peers" in the users' guide). So group traffic
     * never drops a member there, nor takes a member so close to its cap that its own pushes would.
     *
     * @return bytes.
     */
    public int groupHighRoom()
    {
        final long own = 2 * wireBytes(push.highQueueBytes()) +
            (push.lowPriorityShedShare() == 1 ? 2 * wireBytes(push.lowQueueBytes()) : 0);
        return (int)Math.max(0, sendCap - own);
    }

    /**
     * Unsent bytes up to which a push group's low-priority frames still go to a member under {@code SKIP_SLOW}: the
     * shed share, where the member's own low-priority pushes stop too, or {@link #groupHighRoom()} if that is less.
     *
     * @return bytes.
     */
    public int groupLowRoom()
    {
        return Math.min((int)(sendCap * push.lowPriorityShedShare()), groupHighRoom());
    }

    /**
     * Most bytes on the wire for frames taking {@code queueBytes} in a push queue: a frame there takes its payload
     * and at least 4 bytes (an 8-byte record header, or a 4-byte length inside a batch), so only a codec header
     * longer than 4 bytes makes the wire form larger.
     */
    private long wireBytes(final int queueBytes)
    {
        return queueBytes + (long)(queueBytes / Integer.BYTES) * Math.max(0, codec.headerLength() - Integer.BYTES);
    }

    private boolean allowsEmptyFrames()
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

    /** @return the durability gate settings, or null when the gate is off (the default). */
    public GateConfig gate()
    {
        return gate;
    }

    /** @return the push settings (default {@code PushConfig.builder().build()}). */
    public PushConfig push()
    {
        return push;
    }

    /**
     * A builder with every default set.
     *
     * @return a new builder.
     */
    public static EngineConfigBuilder builder()
    {
        return new EngineConfigBuilder();
    }

    /** @return number of event loops (default 1). */
    public int loops()
    {
        return loops;
    }

    /** @return who runs the loops (default {@link ThreadingMode#DEDICATED}). */
    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    /** @return what an idle loop thread does (default {@link IdleMode#BLOCKING}). */
    public IdleMode idleMode()
    {
        return idleMode;
    }

    /** @return pinning mode (default {@link PinningMode#NONE}). */
    public PinningMode pinningMode()
    {
        return pinningMode;
    }

    /** @return a copy of the CPU list for {@link PinningMode#CORES}. */
    public int[] pinCores()
    {
        return pinCores.clone();
    }

    /** @return whether the engine refuses to start when a loop cannot be pinned (default false). */
    public boolean requirePinning()
    {
        return requirePinning;
    }

    /**
     * @return whether the engine refuses to start when the JVM's Integer cache is too small for the socket
     *     descriptors it may see (default false: it logs a warning naming the flag and starts).
     */
    public boolean requireZeroGarbage()
    {
        return requireZeroGarbage;
    }

    /** @return where unexpected exceptions on engine threads go (default: logged at ERROR on dev.sluice.engine). */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /** @return most connections open at once across all loops (default 1024). */
    public int maxConnections()
    {
        return maxConnections;
    }

    /** @return receive buffer bytes per connection (default 64 KiB). */
    public int receiveBufferSize()
    {
        return receiveBufferSize;
    }

    /** @return most bytes that may wait to be sent to one connection before it is a slow consumer (64 KiB). */
    public int sendCap()
    {
        return sendCap;
    }

    /** @return the frame codec (default 4-byte big-endian length prefix). */
    public FrameCodec codec()
    {
        return codec;
    }

    /** @return how long pending bytes may make no progress before a slow-consumer drop (default 2 s). */
    public long noProgressTimeoutNs()
    {
        return noProgressTimeoutNs;
    }

    /** @return the most payload bytes one inbound message may have, 0 = unset (default). */
    public long bytesPerMessage()
    {
        return bytesPerMessage;
    }

    /** @return the most bytes one connection may hold received and not yet taken, 0 = unset (default). */
    public long bytesPerConnection()
    {
        return bytesPerConnection;
    }

    /** @return the most bytes all connections together may hold received and not yet taken, 0 = unset (default). */
    public long bytesInFlight()
    {
        return bytesInFlight;
    }

    /** @return buffers per loop for assembling fragmented messages (default 64; used with a fragmenting codec). */
    public int assemblySlots()
    {
        return assemblySlots;
    }

    /** @return bytes of one assembly buffer, the largest fragmented message (default 256 KiB). */
    public int assemblyMaxMessage()
    {
        return assemblyMaxMessage;
    }

    /** @return how long a message may stay half-assembled before it is purged (default 1 s). */
    public long assemblyTimeoutNs()
    {
        return assemblyTimeoutNs;
    }

    /** @return how long a peer may send nothing before it is closed, 0 = never (default 0). */
    public long idleTimeoutNs()
    {
        return idleTimeoutNs;
    }

    /** @return silence towards a peer after which it gets an idle keep-alive frame, 0 = off (default 0). */
    public long keepAliveIntervalNs()
    {
        return keepAliveIntervalNs;
    }

    /** @return a copy of the idle keep-alive frame's payload (default empty). */
    public byte[] keepAlivePayload()
    {
        return keepAlivePayload.clone();
    }

    /** @return how often every connection gets a periodic heartbeat frame, 0 = off (default 0). */
    public long periodicHeartbeatIntervalNs()
    {
        return periodicHeartbeatIntervalNs;
    }

    /** @return a copy of the periodic heartbeat frame's payload (default empty). */
    public byte[] periodicHeartbeatPayload()
    {
        return periodicHeartbeatPayload.clone();
    }

    /** @return cadence of the timer stage and longest blocking select (default 10 ms). */
    public long timerIntervalNs()
    {
        return timerIntervalNs;
    }

    /** @return longest park of the back-off idle mode (default 1 ms). */
    public long backoffMaxParkNs()
    {
        return backoffMaxParkNs;
    }

    /** @return {@code TCP_NODELAY} (default on). */
    public boolean tcpNoDelay()
    {
        return tcpNoDelay;
    }

    /** @return {@code SO_SNDBUF} in bytes, 0 = the operating system's default (default 0). */
    public int socketSendBufferSize()
    {
        return socketSendBufferSize;
    }

    /** @return {@code SO_RCVBUF} in bytes, 0 = the operating system's default (default 0). */
    public int socketReceiveBufferSize()
    {
        return socketReceiveBufferSize;
    }

    /** @return {@code SO_REUSEADDR} on listening sockets (default on). */
    public boolean reuseAddress()
    {
        return reuseAddress;
    }

    /** @return listen backlog (default 1024; Linux caps it at {@code somaxconn}). */
    public int listenBacklog()
    {
        return listenBacklog;
    }

    /** @return whether Linux {@code TCP_QUICKACK} is set on each new connection (default off). */
    public boolean tcpQuickAck()
    {
        return tcpQuickAck;
    }

    /** @return the clock used for timers and timeouts (default the system nano clock). */
    public NanoClock clock()
    {
        return clock;
    }

    /** @return the memory-mapped counters file, or null for in-process counters (default null). */
    public Path countersFile()
    {
        return countersFile;
    }

    /** @return loop thread name prefix (default {@code sluice-loop-}). */
    public String threadNamePrefix()
    {
        return threadNamePrefix;
    }

    /** @return capacity of each loop's control command queue (default 4096). */
    public int commandQueueCapacity()
    {
        return commandQueueCapacity;
    }
}
