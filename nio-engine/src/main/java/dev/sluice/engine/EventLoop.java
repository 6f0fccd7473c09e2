package dev.sluice.engine;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

import dev.sluice.config.EngineConfig;
import dev.sluice.push.PushLoop;
import dev.sluice.push.SessionRegistry;
import dev.sluice.stats.LoopCounters;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * One event loop: a selector, the connections on it, and the stages one iteration runs, in this order: control
 * commands, high-priority pushes, ready keys (accept, connect, read, decode, dispatch, inline replies), low-priority
 * pushes, gated responses, timers, then one batched flush of every connection with bytes to send
 * ({@code docs/design.md}, "One loop iteration").
 * <p>
 * <b>Threading:</b> the loop thread (or, in invoker mode, the caller of {@link #doWork()}) owns everything here.
 * Other threads touch only {@link #enqueue} (a bounded MPSC queue), {@link ConnectionTable#tryReserve()},
 * {@link #wake()} and {@link #requestStop()}.
 */
final class EventLoop
{

    private final int index;
    private final EngineConfig config;
    private final NanoClock clock;
    private final Selector selector;
    private final Consumer<SelectionKey> readyKeyHandler = this::onReadyKey;
    private final ConnectionTable table;
    private final LoopCommands commands;
    private final LoopCounters counters;
    private final DirtyList dirty;
    private final UnsafeBuffer heartbeat;
    private final RateLimitedLog closeLog;
    private final ConnectionIo io;
    private final ConnectionWriter writer;
    private final PushLoop push;
    private final ResponseGate gate;
    private Acceptor acceptor;
    private LoopRunner runner;
    private volatile boolean running = true;
    private boolean stopped;
    private final OpenClaims claims = new OpenClaims();
    private final ReadPauses pauses;
    private long nowNs;
    private long nextTimerNs;

    EventLoop(
        final int index, final EngineConfig config, final int capacity, final LoopCounters counters,
        final SessionRegistry sessions, final OneToOneRingBuffer responses, final AtomicLongArray inFlight)
        throws IOException
    {
        this.index = index;
        this.config = config;
        this.clock = config.clock();
        this.selector = Selector.open();
        this.table = new ConnectionTable(this, capacity, config.receiveBufferSize(), config.sendCap(),
            config.codec());
        this.commands = new LoopCommands(config.commandQueueCapacity(), table);
        this.counters = counters;
        this.dirty = new DirtyList(capacity);
        this.pauses = new ReadPauses(capacity);
        this.heartbeat = new UnsafeBuffer(config.heartbeatPayload());
        this.closeLog = new RateLimitedLog(LoopLog.LOG, Level.WARNING, TimeUnit.SECONDS.toNanos(1));
        final int maxPayload =
            Math.min(config.codec().maxFrameLength(), config.sendCap() - config.codec().headerLength());
        this.push = new PushLoop(config.push(), capacity, maxPayload, clock, this::wake, this::appendPush, counters,
            sessions);
        this.writer = new ConnectionWriter(this, counters);
        this.io = new ConnectionIo(this, config, selector, table, push, counters, closeLog,
            new InboundBudget(index, config, inFlight));
        this.gate = responses == null ? null : new ResponseGate(responses, config.gate(), table, counters);
        this.nowNs = clock.nanoTime();
        this.nextTimerNs = nowNs + config.timerIntervalNs();
    }

    void acceptor(final Acceptor engineAcceptor)
    {
        acceptor = engineAcceptor;
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

    /** @return the clock reading taken at the start of this iteration (after a blocking select, when it ended). */
    long nowNs()
    {
        return nowNs;
    }

    ConnectionTable table()
    {
        return table;
    }

    LoopCounters counters()
    {
        return counters;
    }

    /** One iteration without blocking. @return the amount of work done (0 = idle). */
    int doWork()
    {
        return doWork(0);
    }

    /**
     * One iteration.
     *
     * @param selectTimeout 0 for {@code selectNow}, else the longest blocking select in milliseconds.
     * @return the amount of work done (0 = idle).
     */
    int doWork(final long selectTimeout)
    {
        if (stopped)
        {
            return 0;
        }
        nowNs = clock.nanoTime();
        int work = commands.drain(io, selector, index);
        work += push.drainHigh(nowNs);
        try
        {
            if (selectTimeout > 0)
            {
                work += selector.select(readyKeyHandler, selectTimeout);
                nowNs = clock.nanoTime();
            }
            else
            {
                work += selector.selectNow(readyKeyHandler);
            }
        }
        catch (final IOException ex)
        {
            LoopLog.selectFailed(index, ex);
        }
        work += push.drainLow();
        if (gate != null)
        {
            work += gate.drain(nowNs);
        }
        if (nowNs - nextTimerNs >= 0)
        {
            work += runTimers();
            nextTimerNs = nowNs + config.timerIntervalNs();
        }
        work += flush();
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
     * Hands a command to the loop (any thread); see {@link LoopCommands} for what happens once the loop stops.
     *
     * @return false only if the queue is full.
     */
    boolean enqueue(final Object command)
    {
        final int result = commands.offer(command);
        if (result > 0)
        {
            wake();
        }
        return result >= 0;
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

    /** @return true if a command or a pushed frame waits: the loop must not block in select. */
    boolean hasPendingWork()
    {
        return !commands.isEmpty() || push.hasReady() || (gate != null && gate.hasWork());
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

    /** Closes a connection (see {@link ConnectionIo#close}). */
    void close(final Connection c, final CloseReason reason)
    {
        io.close(c, reason);
    }

    ConnectionIo io()
    {
        return io;
    }

    PushLoop push()
    {
        return push;
    }

    /** The push path's sink: a pushed frame goes through the same send path (and send cap) as any other. */
    private boolean appendPush(final int slot, final DirectBuffer buffer, final int offset, final int length)
    {
        return table.connection(slot).send(buffer, offset, length);
    }

    private void onReadyKey(final SelectionKey key)
    {
        if (!key.isValid())
        {
            return;
        }
        final Object attachment = key.attachment();
        if (attachment instanceof Connection)
        {
            onConnectionReady((Connection)attachment, key);
        }
        else if (attachment instanceof Listener)
        {
            acceptor.accept((Listener)attachment, this);
        }
    }

    private void onConnectionReady(final Connection c, final SelectionKey key)
    {
        if (c.key != key)
        {
            return;
        }
        final int ops = key.readyOps();
        if ((ops & SelectionKey.OP_CONNECT) != 0)
        {
            io.finishConnect(c);
        }
        if ((ops & SelectionKey.OP_READ) != 0 && c.key == key && c.state == Connection.State.OPEN)
        {
            io.read(c);
        }
        if ((ops & SelectionKey.OP_WRITE) != 0 && c.key == key && c.state == Connection.State.OPEN)
        {
            markDirty(c);
        }
    }


    void frameAppended(final Connection c)
    {
        c.lastAppendNs = nowNs;
        counters.framesOut.incrementRelease();
        markDirty(c);
    }

    private void markDirty(final Connection c)
    {
        dirty.add(c);
    }

    private int flush()
    {
        int flushed = 0;
        Connection c;
        while ((c = dirty.poll()) != null)
        {
            if (c.state == Connection.State.OPEN)
            {
                flushed += writer.flush(c);
            }
        }
        return flushed;
    }

    OpenClaims claims()
    {
        return claims;
    }

    ReadPauses pauses()
    {
        return pauses;
    }

    /** Coarse-cadence checks over every connection: the no-progress slow-consumer rule. */
    private int runTimers()
    {
        int work = 0;
        if (gate != null)
        {
            gate.idleCheck(nowNs);
        }
        work += pauses.retry(io); // read-pause resumes: frames kept by "not now" are offered again
        work += io.purgeAssemblies(nowNs);
        final List<Listener> listeners = commands.listeners();
        for (int l = 0; l < listeners.size(); l++)
        {
            acceptor.resume(listeners.get(l));
        }
        final long timeoutNs = config.noProgressTimeoutNs();
        final long idleNs = config.idleTimeoutNs();
        final long heartbeatNs = config.heartbeatIntervalNs();
        // Backwards, re-clamped after every close: a close (and its onClose callback, which may close others) moves
        // connections within the active list.
        int i = table.activeCount() - 1;
        while (i >= 0)
        {
            final Connection c = table.active(i);
            if (c.writeInterest && nowNs - c.lastSendProgressNs >= timeoutNs)
            {
                io.close(c, CloseReason.SLOW_CONSUMER);
                work++;
            }
            else if (idleNs > 0 && c.isOpen() && !c.readPaused && nowNs - c.lastReceiveNs >= idleNs)
            {
                io.close(c, CloseReason.IDLE_TIMEOUT);
                work++;
            }
            else if (heartbeatNs > 0 && c.isOpen() && c.send.pending() == 0 && nowNs - c.lastAppendNs >= heartbeatNs &&
                c.send(heartbeat, 0, heartbeat.capacity()))
            {
                counters.heartbeatsSent.incrementRelease();
                work++;
            }
            i = Math.min(i - 1, table.activeCount() - 1);
        }
        return work;
    }

    /**
     * Stops for good: pending hand-overs are refused, every connection gets one best-effort write of what is
     * already encoded and is closed with {@link CloseReason#ENGINE_SHUTDOWN}, listeners and the selector close, and
     * the direct memory is freed. Idempotent.
     */
    void shutdown()
    {
        if (stopped)
        {
            return;
        }
        running = false;
        commands.close();
        io.flushAndCloseAll();
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
