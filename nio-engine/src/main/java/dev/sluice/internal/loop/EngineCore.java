package dev.sluice.internal.loop;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.connection.ConnectionIds;
import dev.sluice.gate.ResponsePublisher;
import dev.sluice.internal.gate.ResponseGate;
import dev.sluice.internal.gate.ResponseRings;
import dev.sluice.internal.log.EngineLog;
import dev.sluice.internal.log.RateLimitedLog;
import dev.sluice.internal.push.ConcurrentSessionRegistry;
import dev.sluice.internal.push.FanOutGroup;
import dev.sluice.internal.push.LoopGroups;
import dev.sluice.push.GroupPolicy;
import dev.sluice.push.PushGroup;
import dev.sluice.push.SessionRegistry;
import dev.sluice.stats.CountersFile;
import dev.sluice.stats.LoopCounters;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * What an {@code Engine} is made of: its loops (with their counters, push paths and response rings), the acceptor
 * that spreads new channels over them, the session registry, the response publisher, the engine's one rate-limited
 * log, and the loop threads in dedicated mode.
 * <p>
 * <b>Threading:</b> built and started by one thread; {@link #listen}, {@link #connect}, {@link #closeConnection},
 * {@link #stop}, {@link #drainAndStop} and {@link #awaitLoops} from any thread; {@link #doWork(int)} from the one
 * thread that drives that loop.
 */
public final class EngineCore
{
    private static final long LOG_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final EngineConfig config;
    private final EventLoop[] loops;
    private final Thread[] threads;
    private final Acceptor acceptor;
    private final CountersReader countersReader;
    private final ConcurrentSessionRegistry sessions = new ConcurrentSessionRegistry();
    private final ResponseRings responses;
    /** Push groups open: bounded so that every loop's ready list of groups has room for all of them. */
    private final AtomicInteger openGroups = new AtomicInteger();

    /**
     * Builds every loop (no thread starts yet).
     *
     * @param config the configuration.
     * @throws IOException if a selector cannot be opened or the counters file cannot be created.
     */
    public EngineCore(final EngineConfig config) throws IOException
    {
        this.config = config;
        final int n = config.loops();
        final CountersFile storage = CountersFile.create(config.countersFile(), n * LoopCounters.countersPerLoop());
        final CountersManager manager = new CountersManager(storage.metaData(), storage.values());
        this.countersReader = manager;
        final RateLimitedLog log = new RateLimitedLog(LOG_INTERVAL_NS);
        this.loops = new EventLoop[n];
        final OneToOneRingBuffer[] rings = new OneToOneRingBuffer[n];
        final AtomicLongArray inFlight = new AtomicLongArray(n);
        for (int i = 0; i < n; i++)
        {
            final int capacity = config.maxConnections() / n + (i < config.maxConnections() % n ? 1 : 0);
            rings[i] = config.gate() == null ? null : ResponseGate.newRing(config.gate());
            loops[i] = new EventLoop(i, config, capacity, new LoopCounters(manager, i), sessions, rings[i],
                inFlight, log);
        }
        if (config.gate() != null)
        {
            final Runnable[] wakers = new Runnable[n];
            for (int i = 0; i < n; i++)
            {
                wakers[i] = loops[i]::wake;
            }
            final int header = config.codec().headerLength();
            final int maxPayload = Math.min(Math.min(config.codec().maxFrameLength(),
                config.sendCap() - 2 * header - config.gate().batchEndMaxLength()),
                Math.min(config.gate().batchArenaBytes(), rings[0].maxMsgLength() - ResponseRings.PAYLOAD_OFFSET));
            responses = new ResponseRings(rings, wakers, maxPayload);
        }
        else
        {
            responses = null;
        }
        this.acceptor = new Acceptor(loops, log, config.clock(), config.admission());
        for (final EventLoop loop : loops)
        {
            loop.acceptor(acceptor);
        }
        this.threads = new Thread[n];
    }

    /**
     * Starts and (if configured) pins one thread per loop; returns once every loop thread is running.
     *
     * @return null, or why the loops could not start as configured (they have been stopped then).
     * @throws InterruptedException if interrupted while waiting for the threads.
     */
    public String startThreads() throws InterruptedException
    {
        final CountDownLatch started = new CountDownLatch(loops.length);
        final AtomicReference<String> pinFailure = new AtomicReference<>();
        for (int i = 0; i < loops.length; i++)
        {
            final EventLoop loop = loops[i];
            final LoopRunner runner = loop.newRunner();
            threads[i] = new Thread(() -> LoopPinning.runPinned(config, loop, runner, started, pinFailure),
                config.threadNamePrefix() + i);
            threads[i].start();
        }
        started.await();
        return pinFailure.get();
    }

    /**
     * Creates a push group with a lane on every loop.
     *
     * @param name   its name.
     * @param policy what it does with members that are behind.
     * @return the group.
     * @throws IllegalStateException if {@code maxPushGroups} groups are open.
     */
    public PushGroup newPushGroup(final String name, final GroupPolicy policy)
    {
        final int max = config.push().maxPushGroups();
        int open;
        do
        {
            open = openGroups.get();
            if (open >= max)
            {
                throw new IllegalStateException("maxPushGroups (" + max + ") groups are open: close one first");
            }
        }
        while (!openGroups.compareAndSet(open, open + 1));
        try
        {
            final LoopGroups[] sides = new LoopGroups[loops.length];
            for (int i = 0; i < loops.length; i++)
            {
                sides[i] = loops[i].groups();
            }
            final int header = config.codec().headerLength();
            final int maxPayload = Math.min(config.codec().maxFrameLength(),
                Math.min(config.sendCap(), config.groupLowRoom()) - header);
            return new FanOutGroup(name, policy, sides, config.push(), maxPayload, openGroups::decrementAndGet);
        }
        catch (final RuntimeException | Error ex)
        {
            openGroups.decrementAndGet(); // e.g. no direct memory for its queues
            throw ex;
        }
    }

    /**
     * Hands a bound listening socket to loop 0, which accepts.
     *
     * @param server  the listening socket.
     * @param handler the application side of every accepted connection.
     * @return false if loop 0's command queue is full.
     */
    public boolean listen(final ServerSocketChannel server, final ConnectionHandler handler)
    {
        return loops[0].enqueue(new Listener(server, handler));
    }

    /**
     * Hands a connecting socket to a loop with a free slot.
     *
     * @param channel the socket, connect started.
     * @param handler the application side of the connection.
     * @return null if handed over, else why not.
     */
    public String connect(final SocketChannel channel, final ConnectionHandler handler)
    {
        final EventLoop loop = acceptor.reserveLoop();
        if (loop == null)
        {
            return "maxConnections (" + config.maxConnections() + ") reached";
        }
        if (!loop.enqueue(new ChannelHandover(channel, handler, true)))
        {
            loop.table().unreserve();
            return "loop " + loop.index() + " command queue full";
        }
        return null;
    }

    /**
     * Closes a connection after delivering what was sent to it: on its loop's thread at once, from any other thread
     * through the loop's command queue. A stale id finds another id on its slot and does nothing.
     *
     * @param connectionId the connection's id.
     * @return false if the id names no loop, the loop is stopping, or its command queue is full.
     */
    public boolean closeConnection(final long connectionId)
    {
        final int loop = ConnectionIds.loopOf(connectionId);
        return loop < loops.length && loops[loop].closeConnection(connectionId);
    }

    /**
     * One iteration of a loop on the calling thread (invoker mode).
     *
     * @param loop loop index.
     * @return the work done.
     */
    public int doWork(final int loop)
    {
        return loops[loop].doWork();
    }

    /** @return the response publisher, or null without a gate. */
    public ResponsePublisher responses()
    {
        return responses;
    }

    /** @return the session registry. */
    public SessionRegistry sessions()
    {
        return sessions;
    }

    /** @return number of loops. */
    public int loopCount()
    {
        return loops.length;
    }

    /**
     * @param loop loop index.
     * @return its counters.
     */
    public LoopCounters counters(final int loop)
    {
        return loops[loop].counters();
    }

    /** @return a reader over every counter. */
    public CountersReader countersReader()
    {
        return countersReader;
    }

    /**
     * @param loop loop index.
     * @return its thread, or null in invoker mode.
     */
    public Thread loopThread(final int loop)
    {
        return threads[loop];
    }

    /**
     * Stops every loop after draining it ({@link LoopDrain}) until the deadline: dedicated threads are asked to drain
     * and then stop by themselves; invoker loops are driven here, on the calling thread, until they are drained or
     * the deadline passes (on the engine's clock, or, for a clock that does not move, after as long on the system's).
     *
     * @param timeoutNs how long the drain may take.
     */
    public void drainAndStop(final long timeoutNs)
    {
        if (responses != null)
        {
            responses.close(); // publishing ends here; what was published is still delivered
        }
        final long deadlineNs = config.clock().nanoTime() + timeoutNs;
        for (int i = 0; i < loops.length; i++)
        {
            loops[i].requestDrain(deadlineNs);
        }
        final long systemDeadlineNs = System.nanoTime() + timeoutNs;
        try
        {
            boolean running = true;
            while (running && System.nanoTime() - systemDeadlineNs < 0)
            {
                running = false;
                for (int i = 0; i < loops.length; i++)
                {
                    if (threads[i] == null && loops[i].isRunning())
                    {
                        loops[i].doWork();
                        running |= loops[i].isRunning();
                    }
                }
            }
        }
        finally
        {
            for (int i = 0; i < loops.length; i++)
            {
                if (threads[i] == null)
                {
                    loops[i].shutdown(); // counts what a drain cut short leaves
                }
            }
        }
    }

    /**
     * Waits, uninterruptibly, until every dedicated loop thread but the caller's has ended; a second, concurrent
     * close also returns only when the loops ended. Logs a loop that takes more than 10 s to finish its shutdown.
     */
    public void awaitLoops()
    {
        for (final Thread thread : threads)
        {
            if (thread != null && thread != Thread.currentThread())
            {
                joinUninterruptibly(thread);
            }
        }
    }

    private static void joinUninterruptibly(final Thread thread)
    {
        boolean interrupted = false;
        while (thread.isAlive())
        {
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(10));
                if (thread.isAlive())
                {
                    EngineLog.LOG.log(Level.WARNING, thread.getName() + " is still finishing its shutdown");
                }
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops every loop: dedicated threads are asked to stop (they shut their loop down); invoker loops now. */
    public void stop()
    {
        if (responses != null)
        {
            responses.close();
        }
        for (int i = 0; i < loops.length; i++)
        {
            if (threads[i] != null)
            {
                loops[i].requestStop();
            }
            else
            {
                loops[i].shutdown();
            }
        }
    }
}
