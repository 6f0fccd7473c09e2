package dev.sluice.engine;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.connection.ConnectionIds;
import dev.sluice.gate.ResponsePublisher;
import dev.sluice.internal.connection.SocketSetup;
import dev.sluice.internal.loop.EngineCore;
import dev.sluice.internal.push.QueueBatch;
import dev.sluice.push.GroupPolicy;
import dev.sluice.push.PushBatch;
import dev.sluice.push.PushGroup;
import dev.sluice.push.SessionRegistry;
import dev.sluice.stats.CountersPrinter;
import dev.sluice.stats.LoopCounters;
import org.agrona.concurrent.status.CountersReader;

/**
 * The engine: N event loops, each with its own selector, connections and queues, on its own thread (or driven by
 * the caller in {@link ThreadingMode#INVOKER} mode).
 * <pre>{@code
 * try (Engine engine = Engine.start(EngineConfig.builder().build()))
 * {
 *     engine.listen(new InetSocketAddress("127.0.0.1", 9000), (connection, buffer, offset, length) ->
 *         connection.send(buffer, offset, length)); // echo
 *     ...
 * }
 * }</pre>
 * <b>Threading:</b> {@link #listen}, {@link #connect}, {@link #closeConnection} and {@link #close} may be called from
 * any thread; {@link #doWork(int)} only from the one thread that drives that loop.
 */
public final class Engine implements AutoCloseable
{
    /** The JVM flag every process running an engine needs. */
    public static final String REQUIRED_JVM_FLAG = "--add-opens java.base/jdk.internal.misc=ALL-UNNAMED";

    private final EngineConfig config;
    private final EngineCore core;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Engine(final EngineConfig config) throws IOException
    {
        this.config = config;
        this.core = new EngineCore(config);
    }

    /**
     * Builds the engine and, in {@link ThreadingMode#DEDICATED} mode, starts and (if configured) pins one thread
     * per loop; returns once every loop thread is running.
     *
     * @param config the configuration.
     * @return the running engine.
     * @throws IOException           if a selector cannot be opened.
     * @throws IllegalStateException if {@code requirePinning} is set and a loop could not be pinned, if
     *     {@code requireZeroGarbage} is set and the JVM's Integer cache is too small, if the JVM lacks
     *     {@link #REQUIRED_JVM_FLAG}, or if its direct memory limit cannot hold the connection slots (the message
     *     names {@code -XX:MaxDirectMemorySize}).
     */
    public static Engine start(final EngineConfig config) throws IOException
    {
        if (!Object.class.getModule().isOpen("jdk.internal.misc", Engine.class.getModule()))
        {
            throw new IllegalStateException("Sluice needs the JVM flag " + REQUIRED_JVM_FLAG +
                " (Agrona 2.x buffers use jdk.internal.misc.Unsafe); see docs/users-guide.md, 'JVM flags'");
        }
        IntegerCacheCheck.check(config);
        ZoneId.systemDefault(); // loaded now: log lines need it, and out of descriptors it could not be read later
        final Engine engine;
        try
        {
            engine = new Engine(config);
        }
        catch (final OutOfMemoryError error)
        {
            if (DirectMemoryCheck.isDirectMemoryLimit(error))
            {
                throw DirectMemoryCheck.tooSmall(config, error);
            }
            throw error;
        }
        if (config.threadingMode() == ThreadingMode.DEDICATED)
        {
            engine.startThreads();
        }
        return engine;
    }

    private void startThreads()
    {
        final String failure;
        try
        {
            failure = core.startThreads();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting loops", ex);
        }
        if (failure != null)
        {
            close();
            throw new IllegalStateException(failure);
        }
    }

    /**
     * Starts listening; accepted connections are spread over the loops and served by {@code handler}.
     *
     * @param address where to listen (port 0 picks a free port).
     * @param handler the application side of every accepted connection.
     * @return the address actually bound.
     * @throws BindException if the address is in use or cannot be bound.
     * @throws IOException   on other socket errors.
     */
    public InetSocketAddress listen(final InetSocketAddress address, final ConnectionHandler handler)
        throws IOException
    {
        checkOpen();
        final ServerSocketChannel server = ServerSocketChannel.open();
        try
        {
            SocketSetup.configure(server, config);
            server.bind(address, config.listenBacklog());
        }
        catch (final BindException ex)
        {
            SocketSetup.closeQuietly(server);
            final BindException clear = new BindException(
                "cannot listen on " + address + ": " + ex.getMessage() + " (is another process using the port?)");
            clear.initCause(ex);
            throw clear;
        }
        catch (final IOException ex)
        {
            SocketSetup.closeQuietly(server);
            throw ex;
        }
        final InetSocketAddress bound = (InetSocketAddress)server.getLocalAddress();
        if (!core.listen(server, handler))
        {
            SocketSetup.closeQuietly(server);
            throw new IllegalStateException("loop 0 command queue is full");
        }
        return bound;
    }

    /**
     * Opens an outbound connection on one of the loops. Completion is reported to {@code handler}:
     * {@link ConnectionHandler#onOpen} when connected, or {@link ConnectionHandler#onClose} with
     * {@link CloseReason#CONNECT_FAILED}.
     *
     * @param address the peer.
     * @param handler the application side of the connection.
     * @throws IOException if the socket cannot be opened or {@code maxConnections} are already open.
     */
    public void connect(final InetSocketAddress address, final ConnectionHandler handler) throws IOException
    {
        checkOpen();
        final SocketChannel channel = SocketChannel.open();
        final String refused;
        try
        {
            SocketSetup.configure(channel, config);
            channel.connect(address);
            refused = core.connect(channel, handler);
        }
        catch (final IOException | RuntimeException ex)
        {
            SocketSetup.closeQuietly(channel);
            throw ex;
        }
        if (refused != null)
        {
            SocketSetup.closeQuietly(channel);
            throw new IOException("cannot connect to " + address + ": " + refused);
        }
    }

    /**
     * Closes a connection by its id, from any thread, the way {@link Connection#close()} does on the loop thread:
     * what was sent to it before is delivered, then it closes with {@link CloseReason#CLOSED_LOCALLY}. For closing a
     * connection from outside its callbacks, or from another loop: an MQTT broker disconnecting the session a new
     * connection with the same client id takes over, an admin tool. From another thread the close is handed to the
     * connection's loop through its command queue and happens there, soon after this returns (bytes the loop appends
     * meanwhile are delivered too); this allocates the command (closes are rare), nothing else does. On the
     * connection's own loop thread it happens within the call, as {@code Connection.close()} does. An id whose
     * connection has closed does nothing, even when its slot serves another connection by then: ids are never reused.
     *
     * @param connectionId the id ({@link Connection#id()}).
     * @return true if the close was handed to the loop or done; true does not say the connection was still open.
     *     False if the engine is closed or stopping, if the id names no loop of this engine
     *     ({@link ConnectionIds#loopOf}), or if the loop's command queue is full ({@code commandQueueCapacity}:
     *     try again).
     */
    public boolean closeConnection(final long connectionId)
    {
        return !closed.get() && core.closeConnection(connectionId);
    }

    /**
     * Runs one iteration of a loop on the calling thread ({@link ThreadingMode#INVOKER} mode only).
     *
     * @param loop loop index.
     * @return the work done; 0 means the loop was idle and the caller may back off.
     * @throws IllegalStateException in {@link ThreadingMode#DEDICATED} mode.
     */
    public int doWork(final int loop)
    {
        if (core.loopThread(loop) != null || config.threadingMode() != ThreadingMode.INVOKER)
        {
            throw new IllegalStateException("doWork is for INVOKER mode; this engine runs its own threads");
        }
        return core.doWork(loop);
    }

    /**
     * Where the matching thread publishes responses for the durability gate (one publishing thread only).
     *
     * @return the publisher.
     * @throws IllegalStateException if the engine was built without {@code gate(...)}.
     */
    public ResponsePublisher responses()
    {
        final ResponsePublisher responses = core.responses();
        if (responses == null)
        {
            throw new IllegalStateException("the durability gate is off: configure EngineConfig.builder().gate(...)");
        }
        return responses;
    }

    /**
     * A reusable batch for pushing several frames to a connection with one hand-over (see {@link PushBatch}). Get one
     * per producing thread, at set-up: this allocates; using it does not.
     *
     * @return a new batch, usable with the push handle of any connection of this engine.
     */
    public PushBatch newPushBatch()
    {
        return new QueueBatch();
    }

    /**
     * A push group with the default policy, {@link GroupPolicy#SKIP_SLOW} (see {@link PushGroup}). Creating one
     * allocates its queues on every loop ({@code PushConfig.groupQueueBytes}); pushing to it does not.
     *
     * @param name a name for logs and dumps.
     * @return the group, empty.
     * @throws IllegalStateException if {@code PushConfig.maxPushGroups} groups are open.
     */
    public PushGroup newPushGroup(final String name)
    {
        return newPushGroup(name, GroupPolicy.SKIP_SLOW);
    }

    /**
     * A push group (see {@link PushGroup}).
     *
     * @param name   a name for logs and dumps.
     * @param policy what the group does with a member that is behind.
     * @return the group, empty.
     * @throws IllegalStateException if {@code PushConfig.maxPushGroups} groups are open.
     */
    public PushGroup newPushGroup(final String name, final GroupPolicy policy)
    {
        return core.newPushGroup(name, policy);
    }

    /**
     * Prints every counter of every loop, one {@code label value} line each, from the calling thread while the loops
     * run (each value read on its own). For a log line or a health page; it allocates.
     *
     * @param out where to print, e.g. {@code System.out}.
     */
    public void printCounters(final PrintStream out)
    {
        CountersPrinter.print(core.countersReader(), out);
    }

    /** @return the registry mapping application session ids to push handles, usable from any thread. */
    public SessionRegistry sessions()
    {
        return core.sessions();
    }

    /** @return the configuration the engine was built from. */
    public EngineConfig config()
    {
        return config;
    }

    /** @return number of loops. */
    public int loopCount()
    {
        return core.loopCount();
    }

    /**
     * The counters of one loop (readable from any thread, and after {@link #close()}).
     *
     * @param loop loop index.
     * @return its counters.
     */
    public LoopCounters counters(final int loop)
    {
        return core.counters(loop);
    }

    /** @return a reader over every counter of this engine. */
    public CountersReader countersReader()
    {
        return core.countersReader();
    }

    /**
     * Whether a loop thread is pinned to a CPU.
     *
     * @param loop loop index.
     * @return true if pinned.
     */
    public boolean isPinned(final int loop)
    {
        return core.counters(loop).pinned.get() == 1;
    }

    /**
     * The thread running a loop, e.g. to measure its allocations.
     *
     * @param loop loop index.
     * @return the thread, or null in {@link ThreadingMode#INVOKER} mode.
     */
    public Thread loopThread(final int loop)
    {
        return core.loopThread(loop);
    }

    /**
     * Stops every loop: no new work, a best-effort flush of what is already encoded, sockets closed
     * ({@link CloseReason#ENGINE_SHUTDOWN}), direct memory freed; returns when every loop thread has ended. In
     * {@link ThreadingMode#INVOKER} mode call it from the thread that drives the loops, or after it stopped. Closing
     * twice is harmless.
     */
    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            core.stop();
        }
        core.awaitLoops();
    }

    /**
     * Stops every loop after delivering what it holds, for up to {@code timeout}: listeners close and connections
     * stop reading at once; pushes already queued and gated responses already published are delivered (publishing
     * ends with the call); then every connection closes after its unsent bytes are written, with
     * {@link CloseReason#ENGINE_SHUTDOWN}. What is still held when the time is up is dropped and counted (the loop
     * counters {@code shutdownBytesDropped}, {@code shutdownResponsesDropped}, and {@code pushesDiscarded} for queued
     * pushes), and the loops stop as {@link #close()} stops them. Stop producers first: pushes that keep coming keep
     * the drain going until the deadline. Returns when every loop thread has ended; in
     * {@link ThreadingMode#INVOKER} mode it drives the loops itself, on the calling thread (which must be the one that
     * drives them). Closing twice is harmless.
     *
     * @param timeout longest drain, measured on the engine's clock.
     * @param unit    its unit.
     */
    public void close(final long timeout, final TimeUnit unit)
    {
        if (closed.compareAndSet(false, true))
        {
            core.drainAndStop(unit.toNanos(timeout));
        }
        core.awaitLoops();
    }

    private void checkOpen()
    {
        if (closed.get())
        {
            throw new IllegalStateException("engine is closed");
        }
    }
}
