package dev.sluice.internal.loop;

import java.io.IOException;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.internal.connection.ConnectionContext;
import dev.sluice.internal.connection.ConnectionTable;
import dev.sluice.internal.connection.ConnectionTimers;
import dev.sluice.internal.connection.ConnectionWriter;
import dev.sluice.internal.connection.IdleKeepAlive;
import dev.sluice.internal.connection.PeriodicHeartbeat;
import dev.sluice.internal.connection.PushAppender;
import dev.sluice.internal.connection.LoopOwner;
import dev.sluice.internal.connection.LoopTime;
import dev.sluice.internal.connection.SlowConsumerRule;
import dev.sluice.internal.gate.ResponseGate;
import dev.sluice.internal.inbound.InboundPath;
import dev.sluice.internal.log.ErrorReporter;
import dev.sluice.internal.log.RateLimitedLog;
import dev.sluice.internal.push.ConcurrentSessionRegistry;
import dev.sluice.internal.push.LoopGroups;
import dev.sluice.internal.push.PushLoop;
import dev.sluice.stats.LoopCounters;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * One event loop: a selector, the connections on it, and the stages one iteration runs, in this order
 * ({@code docs/design.md}, "One loop iteration"):
 * <ol>
 * <li>control commands ({@link CommandStage}),</li>
 * <li>high-priority pushes ({@link PushStages.High}),</li>
 * <li>ready keys: accept, connect, read, decode, dispatch, inline replies ({@link ReadyKeyStage}),</li>
 * <li>low-priority pushes ({@link PushStages.Low}),</li>
 * <li>gated responses ({@link ResponseGate}),</li>
 * <li>timers ({@link TimerStage}),</li>
 * <li>flush: one write per connection with bytes to send ({@link FlushStage}).</li>
 * </ol>
 * <b>Threading:</b> the loop thread (or, in invoker mode, the caller of {@link #doWork()}) owns everything here.
 * Other threads touch only {@link #enqueue} and {@link #closeConnection} (a bounded MPSC queue),
 * {@link ConnectionTable#tryReserve()}, {@link #wake()} and {@link #requestStop()}.
 */
final class EventLoop
{
    /** Ticks in one turn of the connection timer wheel: 10.24 s at the default 10 ms timer interval. */
    private static final int TIMER_WHEEL_SPOKES = 1024;

    private final int index;
    private final EngineConfig config;
    private final LoopTime time;
    private final LoopOwner owner;
    private final Selector selector;
    private final ConnectionTable table;
    private final LoopCounters counters;
    private final PushLoop push;
    private final LoopGroups groups;
    private final ErrorReporter errors;
    private final ConnectionLifecycle lifecycle;
    private final ConnectionWriter writer;
    private final CommandStage commands;
    private final PushStages.High highPushes;
    private final ReadyKeyStage readyKeys;
    private final PushStages.Low lowPushes;
    private final ResponseGate gate;
    private final TimerStage timers;
    private final FlushStage flush;
    private final LoopDrain drain;
    private LoopRunner runner;
    private volatile boolean running = true;
    private boolean stopped;

    EventLoop(final int index, final EngineConfig config, final int capacity, final LoopCounters counters,
        final ConcurrentSessionRegistry sessions, final OneToOneRingBuffer responses, final AtomicLongArray inFlight,
        final RateLimitedLog log) throws IOException
    {
        this.index = index;
        this.config = config;
        this.counters = counters;
        this.time = new LoopTime(config.clock());
        this.selector = Selector.open();
        this.errors = new ErrorReporter(config.errorHandler(), counters.errors, log, config.clock());
        final int maxPayload =
            Math.min(config.codec().maxFrameLength(), config.sendCap() - config.codec().headerLength());
        final PushAppender appender = new PushAppender();
        this.push = new PushLoop(config.push(), config.codec(), capacity, maxPayload, config.clock(), this::wake,
            appender, counters, sessions, log);
        final ConnectionTimers connectionTimers =
            new ConnectionTimers(capacity, TIMER_WHEEL_SPOKES, config.timerIntervalNs(), time.nowNs());
        final SlowConsumerRule slowConsumer =
            new SlowConsumerRule(config.sendCap(), config.lowPriorityShedBytes(),
                config.noProgressTimeoutNs(), time, connectionTimers);
        final ConnectionContext context = new ConnectionContext(index, config.codec(), time, counters, capacity, push,
            slowConsumer, connectionTimers);
        this.owner = context.owner();
        this.table = new ConnectionTable(context, capacity, config.receiveBufferSize(), config.sendCap());
        appender.bind(table);
        this.groups = new LoopGroups(push, capacity, config.push().maxPushGroups(),
            config.push().groupHighQueueBytes(), config.push().groupLowQueueBytes(),
            new GroupMemberSink(table, config.groupHighRoom(), config.groupLowRoom(), config.codec().headerLength()),
            counters, this::wake);
        this.lifecycle = new ConnectionLifecycle(index, config, selector, table, time, context.claims(), push,
            groups, counters, errors, log, connectionTimers);
        final InboundPath inbound = new InboundPath(index, capacity, config, inFlight, time, counters,
            context.claims(), lifecycle, errors, log, connectionTimers);
        lifecycle.bind(inbound);
        context.bind(lifecycle, inbound);
        this.writer = new ConnectionWriter(context, slowConsumer, counters);
        this.gate = responses == null ? null : new ResponseGate(responses, config.gate(), table, counters, log, errors);
        this.commands = new CommandStage(config.commandQueueCapacity(), table, selector, lifecycle, errors);
        this.highPushes = new PushStages.High(push, groups);
        this.readyKeys = new ReadyKeyStage(selector, time, lifecycle, inbound, errors);
        this.lowPushes = new PushStages.Low(push, groups);
        this.timers = new TimerStage(config.timerIntervalNs(), time.nowNs(), table, connectionTimers, slowConsumer,
            inbound, new IdleKeepAlive(config.keepAliveIntervalNs(), config.keepAlivePayload(), counters),
            new PeriodicHeartbeat(config.periodicHeartbeatIntervalNs(), config.periodicHeartbeatPayload(), counters),
            gate, commands);
        this.flush = new FlushStage(context.dirty(), writer);
        this.drain = new LoopDrain(table, context, commands, push, groups, gate, counters, lifecycle);
    }

    void acceptor(final Acceptor engineAcceptor)
    {
        readyKeys.acceptor(engineAcceptor, this);
        lifecycle.addressLimits(engineAcceptor.addressLimits());
        timers.acceptor(engineAcceptor);
    }

    /** @return the runner for a dedicated thread; from then on producers wake this loop when it parks. */
    LoopRunner newRunner()
    {
        runner = new LoopRunner(this, config);
        return runner;
    }

    int index()
    {
        return index;
    }

    ConnectionTable table()
    {
        return table;
    }

    LoopCounters counters()
    {
        return counters;
    }

    PushLoop push()
    {
        return push;
    }

    /** One iteration without blocking. @return the amount of work done (0 = idle). */
    int doWork()
    {
        return doWork(0);
    }

    /**
     * One iteration: the stages in order.
     *
     * @param parkTimeoutMs 0 for {@code selectNow}, else the longest blocking select in milliseconds.
     * @return the amount of work done (0 = idle).
     */
    int doWork(final long parkTimeoutMs)
    {
        if (stopped)
        {
            return 0;
        }
        owner.claim();
        final long startNs = time.advance();
        int work = commands.doWork(startNs);
        work += highPushes.doWork(startNs);
        work += parkTimeoutMs > 0 ? readyKeys.park(parkTimeoutMs) : readyKeys.doWork(startNs);
        final long nowNs = time.nowNs(); // later than startNs only after a blocking select
        work += lowPushes.doWork(nowNs);
        if (gate != null)
        {
            work += gate.doWork(nowNs);
        }
        work += timers.doWork(nowNs);
        work += flush.doWork(nowNs);
        if (drain.isRequested())
        {
            work += drain.doWork(nowNs);
            if (drain.isFinished())
            {
                running = false; // drained, or past the deadline: the runner (or the invoker's close) shuts it down
            }
        }
        if (work > 0)
        {
            counters.busyIterations.incrementRelease();
        }
        else
        {
            counters.idleIterations.incrementRelease();
        }
        return work;
    }

    /**
     * Hands a command to the loop (any thread); see {@link CommandStage} for what happens once the loop stops.
     *
     * @return false only if the queue is full.
     */
    boolean enqueue(final LoopCommand command)
    {
        final int result = commands.offer(command);
        if (result > 0)
        {
            wake();
        }
        return result >= 0;
    }

    /**
     * Closes a connection of this loop after delivering what was sent to it (any thread). On the loop thread it closes
     * within the call, like {@code Connection.close()}; from any other thread a command carries it to the loop.
     *
     * @param connectionId the connection's id; a stale one does nothing.
     * @return false if the loop is stopping or stopped, or its command queue is full.
     */
    boolean closeConnection(final long connectionId)
    {
        if (owner.isCurrentThread())
        {
            if (stopped)
            {
                return false;
            }
            lifecycle.closeAfterFlush(connectionId);
            return true;
        }
        final int result = commands.offer(new ConnectionClose(connectionId));
        if (result > 0)
        {
            wake();
        }
        return result > 0; // 0: refused, the loop is stopping and closes every connection itself
    }

    /** Sets up a channel this loop accepted for itself (loop thread, ready-key stage). */
    void openHere(final SocketChannel channel, final ConnectionHandler handler)
    {
        lifecycle.open(channel, handler, false);
    }

    /** @param error what ended the loop thread (already logged): counted and handed to the error handler. */
    void reportError(final Throwable error)
    {
        errors.reportFatal(error);
    }

    /** Wakes a parked dedicated loop thread; a no-op in invoker mode, where the caller decides when to iterate. */
    void wake()
    {
        if (runner != null)
        {
            runner.wake();
        }
    }

    void wakeSelector()
    {
        selector.wakeup();
    }

    /** @return true if a command, a pushed frame or a response waits: the loop must not block in select. */
    boolean hasPendingWork()
    {
        return !commands.isEmpty() || push.hasReady() || groups.hasReady() || (gate != null && gate.hasWork());
    }

    boolean isRunning()
    {
        return running;
    }

    void requestStop()
    {
        running = false;
        selector.wakeup();
    }

    /**
     * Asks the loop to drain before it stops ({@link LoopDrain}); any thread.
     *
     * @param deadlineNs when to give up, on the engine's clock.
     */
    void requestDrain(final long deadlineNs)
    {
        drain.request(deadlineNs);
        selector.wakeup();
    }

    /** @return the push groups' side of this loop. */
    LoopGroups groups()
    {
        return groups;
    }

    /**
     * Stops for good: pending hand-overs are refused, every connection gets one best-effort write of what is
     * already encoded and is closed with {@code ENGINE_SHUTDOWN}, listeners and the selector close, and the direct
     * memory is freed. Idempotent.
     */
    void shutdown()
    {
        if (stopped)
        {
            return;
        }
        owner.claim();
        running = false;
        drain.giveUp(); // a drain cut short (by the closing thread's own deadline) counts what it leaves
        commands.close();
        lifecycle.flushAndCloseAll(writer);
        try
        {
            selector.close();
        }
        catch (final IOException ex)
        {
            LoopLog.selectorCloseFailed(index, ex);
        }
        stopped = true;
        table.free();
    }
}
