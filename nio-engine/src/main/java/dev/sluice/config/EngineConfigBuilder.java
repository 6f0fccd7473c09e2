package dev.sluice.config;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.sluice.codec.FrameCodec;
import dev.sluice.gate.GateConfig;
import dev.sluice.push.PushConfig;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Collects the settings of an {@link EngineConfig}; {@link #build()} validates them together. Every field
 * starts at its documented default.
 */
public final class EngineConfigBuilder
{
    int loops = 1;
    ThreadingMode threadingMode = ThreadingMode.DEDICATED;
    IdleMode idleMode = IdleMode.BLOCKING;
    PinningMode pinningMode = PinningMode.NONE;
    int[] pinCores = new int[0];
    boolean requirePinning;
    boolean requireZeroGarbage;
    ErrorHandler errorHandler = EngineConfig.LOGGING_ERROR_HANDLER;
    int maxConnections = EngineConfig.DEFAULT_MAX_CONNECTIONS;
    int receiveBufferSize = EngineConfig.DEFAULT_RECEIVE_BUFFER;
    int sendCap = EngineConfig.DEFAULT_SEND_CAP;
    FrameCodec codec;
    ByteOrder byteOrder = ByteOrder.BIG_ENDIAN;
    int maxFrameLength;
    boolean allowZeroLengthFrames;
    long noProgressTimeoutNs = TimeUnit.SECONDS.toNanos(2);
    long idleTimeoutNs;
    long bytesPerMessage;
    long bytesPerConnection;
    long bytesInFlight;
    int assemblySlots = 64;
    int assemblyMaxMessage = 256 * 1024;
    long assemblyTimeoutNs = TimeUnit.SECONDS.toNanos(1);
    long keepAliveIntervalNs;
    byte[] keepAlivePayload = new byte[0];
    long periodicHeartbeatIntervalNs;
    byte[] periodicHeartbeatPayload = new byte[0];
    long timerIntervalNs = TimeUnit.MILLISECONDS.toNanos(10);
    long backoffMaxParkNs = TimeUnit.MILLISECONDS.toNanos(1);
    boolean tcpNoDelay = true;
    int socketSendBufferSize;
    int socketReceiveBufferSize;
    boolean reuseAddress = true;
    int listenBacklog = 1024;
    boolean tcpQuickAck;
    NanoClock clock = SystemNanoClock.INSTANCE;
    Path countersFile;
    String threadNamePrefix = "sluice-loop-";
    int commandQueueCapacity = 4096;
    PushConfig push = PushConfig.builder().build();
    GateConfig gate;
    AdmissionConfig admission = AdmissionConfig.builder().build();

    EngineConfigBuilder()
    {
    }

    /** @param n number of event loops. @return this builder. */
    public EngineConfigBuilder loops(final int n)
    {
        loops = n;
        return this;
    }

    /** @param mode who runs the loops. @return this builder. */
    public EngineConfigBuilder threadingMode(final ThreadingMode mode)
    {
        threadingMode = mode;
        return this;
    }

    /** @param mode what an idle loop thread does. @return this builder. */
    public EngineConfigBuilder idleMode(final IdleMode mode)
    {
        idleMode = mode;
        return this;
    }

    /** Pins each loop to any free CPU. @return this builder. */
    public EngineConfigBuilder pinToAnyCore()
    {
        pinningMode = PinningMode.ANY_CORE;
        return this;
    }

    /** @param cores loop {@code i} is pinned to {@code cores[i % cores.length]}. @return this builder. */
    public EngineConfigBuilder pinToCores(final int... cores)
    {
        pinningMode = PinningMode.CORES;
        pinCores = cores.clone();
        return this;
    }

    /** @param required refuse to start when a loop cannot be pinned. @return this builder. */
    public EngineConfigBuilder requirePinning(final boolean required)
    {
        requirePinning = required;
        return this;
    }

    /**
     * @param required refuse to start when the JVM's Integer cache does not cover the socket descriptors the engine
     *                 may see (without {@code -XX:AutoBoxCacheMax}, the JDK's selector allocates per ready key).
     * @return this builder.
     */
    public EngineConfigBuilder requireZeroGarbage(final boolean required)
    {
        requireZeroGarbage = required;
        return this;
    }

    /**
     * @param handler receives every exception the engine catches on its threads and does not expect (e.g. a
     *                callback that threw); it runs on the loop thread and must not block.
     * @return this builder.
     */
    public EngineConfigBuilder errorHandler(final ErrorHandler handler)
    {
        errorHandler = handler;
        return this;
    }

    /** @param n most connections open at once. @return this builder. */
    public EngineConfigBuilder maxConnections(final int n)
    {
        maxConnections = n;
        return this;
    }

    /** @param bytes receive buffer per connection (multiple of 64). @return this builder. */
    public EngineConfigBuilder receiveBufferSize(final int bytes)
    {
        receiveBufferSize = bytes;
        return this;
    }

    /** @param bytes send cap per connection (multiple of 64). @return this builder. */
    public EngineConfigBuilder sendCap(final int bytes)
    {
        sendCap = bytes;
        return this;
    }

    /** @param frameCodec a custom codec; replaces the length-prefixed default. @return this builder. */
    public EngineConfigBuilder codec(final FrameCodec frameCodec)
    {
        codec = frameCodec;
        return this;
    }

    /** @param order byte order of the default codec's length prefix. @return this builder. */
    public EngineConfigBuilder byteOrder(final ByteOrder order)
    {
        byteOrder = order;
        return this;
    }

    /** @param bytes largest payload of the default codec (default: receive buffer minus 4). @return this. */
    public EngineConfigBuilder maxFrameLength(final int bytes)
    {
        maxFrameLength = bytes;
        return this;
    }

    /** @param allow whether the default codec accepts empty payloads (default false). @return this builder. */
    public EngineConfigBuilder allowZeroLengthFrames(final boolean allow)
    {
        allowZeroLengthFrames = allow;
        return this;
    }

    /** @param time how long pending bytes may make no progress. @param unit its unit. @return this builder. */
    public EngineConfigBuilder noProgressTimeout(final long time, final TimeUnit unit)
    {
        noProgressTimeoutNs = unit.toNanos(time);
        return this;
    }

    /** @param time how long a peer may send nothing before it is closed (0 = never). @param unit unit. @return this. */
    public EngineConfigBuilder idleTimeout(final long time, final TimeUnit unit)
    {
        idleTimeoutNs = unit.toNanos(time);
        return this;
    }

    /**
     * Inbound memory budgets (0 leaves one unset): see {@code docs/users-guide.md}, "Inbound memory budgets".
     *
     * @param perMessage    most payload bytes of one inbound message.
     * @param perConnection most bytes one connection may hold received and not yet taken by the application.
     * @param inFlight      most such bytes over all connections of the engine.
     * @return this builder.
     */
    public EngineConfigBuilder memoryBudgets(final long perMessage, final long perConnection, final long inFlight)
    {
        bytesPerMessage = perMessage;
        bytesPerConnection = perConnection;
        bytesInFlight = inFlight;
        return this;
    }

    /**
     * Assembly of fragmented messages (used when the codec has fragments, e.g. {@code FragmentingFrameCodec}).
     *
     * @param slotsPerLoop messages that may be half-assembled at once per loop.
     * @param maxMessage   bytes of the largest assembled message.
     * @param timeout      how long a message may stay half-assembled before it is purged.
     * @param unit         its unit.
     * @return this builder.
     */
    public EngineConfigBuilder fragmentAssembly(final int slotsPerLoop, final int maxMessage, final long timeout,
        final TimeUnit unit)
    {
        assemblySlots = slotsPerLoop;
        assemblyMaxMessage = maxMessage;
        assemblyTimeoutNs = unit.toNanos(timeout);
        return this;
    }

    /**
     * The idle keep-alive: sends a frame to a peer that has been sent nothing for the interval and has nothing
     * pending (checked at the timer cadence). Traffic to the peer postpones it, so it only keeps a quiet connection
     * alive; for a frame every interval whatever the traffic, see {@link #periodicHeartbeat}.
     *
     * @param time    the interval (0 = off).
     * @param unit    its unit.
     * @param payload the frame's payload (the codec adds its header); empty only with zero-length frames allowed.
     * @return this builder.
     */
    public EngineConfigBuilder idleKeepAlive(final long time, final TimeUnit unit, final byte[] payload)
    {
        keepAliveIntervalNs = unit.toNanos(time);
        keepAlivePayload = payload.clone();
        return this;
    }

    /**
     * The periodic heartbeat, as some venues require: every connection gets a frame every interval from its opening,
     * whatever else is sent to it. The loop appends it at the timer cadence (so within {@code timerInterval} of
     * its time) straight into the connection's send buffer, ahead of every queued push, as a high-priority frame
     * whatever the peer's pace.
     *
     * @param time    the interval (0 = off).
     * @param unit    its unit.
     * @param payload the frame's payload (the codec adds its header); empty only with zero-length frames allowed.
     * @return this builder.
     */
    public EngineConfigBuilder periodicHeartbeat(final long time, final TimeUnit unit, final byte[] payload)
    {
        periodicHeartbeatIntervalNs = unit.toNanos(time);
        periodicHeartbeatPayload = payload.clone();
        return this;
    }

    /** @param time timer stage cadence. @param unit its unit. @return this builder. */
    public EngineConfigBuilder timerInterval(final long time, final TimeUnit unit)
    {
        timerIntervalNs = unit.toNanos(time);
        return this;
    }

    /** @param time longest park in back-off mode. @param unit its unit. @return this builder. */
    public EngineConfigBuilder backoffMaxPark(final long time, final TimeUnit unit)
    {
        backoffMaxParkNs = unit.toNanos(time);
        return this;
    }

    /** @param on {@code TCP_NODELAY}. @return this builder. */
    public EngineConfigBuilder tcpNoDelay(final boolean on)
    {
        tcpNoDelay = on;
        return this;
    }

    /** @param bytes {@code SO_SNDBUF}, 0 for the OS default. @return this builder. */
    public EngineConfigBuilder socketSendBufferSize(final int bytes)
    {
        socketSendBufferSize = bytes;
        return this;
    }

    /** @param bytes {@code SO_RCVBUF}, 0 for the OS default. @return this builder. */
    public EngineConfigBuilder socketReceiveBufferSize(final int bytes)
    {
        socketReceiveBufferSize = bytes;
        return this;
    }

    /** @param on {@code SO_REUSEADDR} on listening sockets. @return this builder. */
    public EngineConfigBuilder reuseAddress(final boolean on)
    {
        reuseAddress = on;
        return this;
    }

    /** @param n listen backlog. @return this builder. */
    public EngineConfigBuilder listenBacklog(final int n)
    {
        listenBacklog = n;
        return this;
    }

    /** @param on set Linux {@code TCP_QUICKACK} on new connections where supported. @return this builder. */
    public EngineConfigBuilder tcpQuickAck(final boolean on)
    {
        tcpQuickAck = on;
        return this;
    }

    /** @param nanoClock clock for timers (inject a virtual one in tests). @return this builder. */
    public EngineConfigBuilder clock(final NanoClock nanoClock)
    {
        clock = nanoClock;
        return this;
    }

    /** @param file memory-map counters into this file so other processes can read them. @return this. */
    public EngineConfigBuilder countersFile(final Path file)
    {
        countersFile = file;
        return this;
    }

    /** @param prefix loop thread name prefix. @return this builder. */
    public EngineConfigBuilder threadNamePrefix(final String prefix)
    {
        threadNamePrefix = prefix;
        return this;
    }

    /** @param capacity control command queue capacity per loop. @return this builder. */
    public EngineConfigBuilder commandQueueCapacity(final int capacity)
    {
        commandQueueCapacity = capacity;
        return this;
    }

    /** @param settings push queues, slots, fairness, rate limit and policy. @return this builder. */
    public EngineConfigBuilder push(final PushConfig settings)
    {
        push = settings;
        return this;
    }

    /**
     * @param settings who may connect (address ranges, a filter) and how many connections one address may hold.
     * @return this builder.
     */
    public EngineConfigBuilder admission(final AdmissionConfig settings)
    {
        admission = settings;
        return this;
    }

    /** @param settings turns the durability gate on with these cursors, modes and sizes. @return this builder. */
    public EngineConfigBuilder gate(final GateConfig settings)
    {
        gate = settings;
        return this;
    }

    /**
     * Validates and freezes the settings.
     *
     * @return the configuration.
     * @throws IllegalArgumentException naming the first setting that is out of range.
     */
    public EngineConfig build()
    {
        return new EngineConfig(this);
    }
}
