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
    /** How the send cap is shared between a connection's pushes, shedding and push groups. */
    private final SendCapBudget sendCapBudget;
    private final GateConfig gate;
    private final AdmissionConfig admission;

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
        admission = b.admission;
        sendCapBudget = new SendCapBudget(sendCap, push, codec.headerLength());
        EngineConfigCheck.validate(this);
    }

    SendCapBudget sendCapBudget()
    {
        return sendCapBudget;
    }

    /**
     * @return unsent bytes past which low-priority pushes to a connection are shed: {@code lowPriorityShedShare} of
     *     the send cap (the whole cap when the share is 1).
     */
    public int lowPriorityShedBytes()
    {
        return sendCapBudget.shedBytes();
    }

    /**
     * @return unsent bytes up to which a push group's high-priority frames still go to a member under
     *     {@code SKIP_SLOW}: the send cap less what the member's own pushes may still add once its writes turn partial
     *     (twice its high queue, and without shedding twice its low queue too; see "Backed-up peers" in the users'
     *     guide), so group traffic never drops a member there, nor takes it so close to its cap that its own pushes
     *     would.
     */
    public int groupHighRoom()
    {
        return sendCapBudget.groupHighRoom();
    }

    /**
     * @return unsent bytes up to which a push group's low-priority frames still go to a member under
     *     {@code SKIP_SLOW}: the shed share (where its own low pushes stop too), or {@link #groupHighRoom()} if less.
     */
    public int groupLowRoom()
    {
        return sendCapBudget.groupLowRoom();
    }

    /** @return the durability gate settings, or null when the gate is off (the default). */
    public GateConfig gate()
    {
        return gate;
    }

    /** @return who may connect, and how many connections an address may hold (default: anyone, no limit). */
    public AdmissionConfig admission()
    {
        return admission;
    }

    /** @return the push settings (default {@code PushConfig.builder().build()}). */
    public PushConfig push()
    {
        return push;
    }

    /** @return a new builder with every default set. */
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
