package dev.sluice.engine;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.sluice.codec.FrameCodec;
import dev.sluice.config.EngineConfig;
import dev.sluice.config.IdleMode;
import dev.sluice.stats.LoopCounters;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One event loop: a selector, the connections on it, and the stages one iteration runs, in this order:
 * control commands, ready keys (accept, connect, read, decode, dispatch, inline replies), timers, then one batched
 * flush of every connection with bytes to send. Later stages (pushes, gated responses) slot in between as the
 * design in {@code docs/design.md} describes.
 * <p>
 * <b>Threading:</b> the loop thread (or, in invoker mode, the caller of {@link #doWork()}) owns everything here.
 * Other threads touch only {@link #enqueue} (a bounded MPSC queue), {@link ConnectionTable#tryReserve()},
 * {@link #wake()} and {@link #requestStop()}.
 */
final class EventLoop implements ReceiveBuffer.FrameSink
{
    private static final Logger LOG = System.getLogger("dev.sluice.engine");
    private static final int AWAKE = 0;
    private static final int PARKED = 1;
    private static final int WOKEN = 2;

    private final int index;
    private final EngineConfig config;
    private final FrameCodec codec;
    private final NanoClock clock;
    private final Selector selector;
    private final Consumer<SelectionKey> readyKeyHandler = this::onReadyKey;
    private final ConnectionTable table;
    private final ManyToOneConcurrentArrayQueue<Object> commands;
    private final LoopCounters counters;
    private final Connection[] dirty;
    private final AtomicInteger wakeState = new AtomicInteger(AWAKE);
    private final IdleStrategy backoff;
    private final RateLimitedLog closeLog;
    private final List<Listener> listeners = new ArrayList<>();
    private final int sendCap;
    private final long selectTimeoutMs;
    private Acceptor acceptor;
    private volatile boolean running = true;
    private boolean stopped;
    private int dirtyCount;
    private long nowNs;
    private long nextTimerNs;
    private long openSequence;
    private Connection dispatching;

    EventLoop(final int index, final EngineConfig config, final int capacity, final LoopCounters counters)
        throws IOException
    {
        this.index = index;
        this.config = config;
        this.codec = config.codec();
        this.clock = config.clock();
        this.selector = Selector.open();
        this.table = new ConnectionTable(this, capacity, config.receiveBufferSize(), config.sendCap(), codec);
        this.commands = new ManyToOneConcurrentArrayQueue<>(config.commandQueueCapacity());
        this.counters = counters;
        this.dirty = new Connection[capacity];
        this.sendCap = config.sendCap();
        this.selectTimeoutMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(config.timerIntervalNs()));
        this.backoff = new BackoffIdleStrategy(64, 16, TimeUnit.MICROSECONDS.toNanos(1), config.backoffMaxParkNs());
        this.closeLog = new RateLimitedLog(LOG, Level.WARNING, TimeUnit.SECONDS.toNanos(1));
        this.nowNs = clock.nanoTime();
        this.nextTimerNs = nowNs + config.timerIntervalNs();
    }

    void acceptor(final Acceptor engineAcceptor)
    {
        acceptor = engineAcceptor;
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

    /** One iteration without blocking. @return the amount of work done (0 = idle). */
    int doWork()
    {
        return iterate(0);
    }

    private int iterate(final long selectTimeout)
    {
        if (stopped)
        {
            return 0;
        }
        nowNs = clock.nanoTime();
        int work = drainCommands();
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
            LOG.log(Level.ERROR, "loop " + index + ": select failed", ex);
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

    /** What a dedicated loop thread does after an iteration with no work. */
    void idle()
    {
        final IdleMode mode = config.idleMode();
        if (mode == IdleMode.BUSY_SPIN)
        {
            Thread.onSpinWait();
        }
        else if (mode == IdleMode.BACKOFF)
        {
            backoff.idle();
        }
        else
        {
            park();
        }
    }

    void resetIdle()
    {
        backoff.reset();
    }

    /**
     * Blocks in select until a key is ready, the timer interval passes, or a producer wakes the loop. The state flag
     * is set before the last look at the command queue, and producers offer before they read the flag, so one of the
     * two always sees the other: a command is never left waiting for a whole timeout.
     */
    private void park()
    {
        wakeState.set(PARKED);
        if (commands.isEmpty() && running)
        {
            iterate(selectTimeoutMs);
        }
        wakeState.set(AWAKE);
    }

    /** Wakes the loop if, and only if, it is parked: one {@code wakeup()} per park, whoever calls. */
    void wake()
    {
        if (wakeState.get() == PARKED && wakeState.compareAndSet(PARKED, WOKEN))
        {
            selector.wakeup();
        }
    }

    boolean enqueue(final Object command)
    {
        if (commands.offer(command))
        {
            wake();
            return true;
        }
        return false;
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

    private int drainCommands()
    {
        int work = 0;
        Object command;
        while ((command = commands.poll()) != null)
        {
            work++;
            if (command instanceof ChannelHandover)
            {
                final ChannelHandover h = (ChannelHandover)command;
                openChannel(h.channel, h.handler, h.outbound);
            }
            else if (command instanceof Listener)
            {
                register((Listener)command);
            }
        }
        return work;
    }

    private void register(final Listener listener)
    {
        try
        {
            listener.channel.register(selector, SelectionKey.OP_ACCEPT, listener);
            listeners.add(listener);
        }
        catch (final IOException ex)
        {
            LOG.log(Level.ERROR, "loop " + index + ": cannot register listener " + listener, ex);
            SocketSetup.closeQuietly(listener.channel);
        }
    }

    /** Sets up a channel for which this loop holds a reservation. */
    void openChannel(final SocketChannel channel, final ConnectionHandler handler, final boolean outbound)
    {
        try
        {
            SocketSetup.configure(channel, config);
        }
        catch (final IOException ex)
        {
            SocketSetup.closeQuietly(channel);
            table.unreserve();
            if (closeLog.tryAcquire(nowNs))
            {
                closeLog.log("loop " + index + ": cannot configure a new socket: " + ex);
            }
            return;
        }
        final boolean connecting = outbound && !channel.isConnected();
        final Connection c = table.take(sendCap);
        c.resetForOpen(((++openSequence) << 8) | index, channel, handler);
        c.state = connecting ? Connection.State.CONNECTING : Connection.State.OPEN;
        counters.connectionsOpen.incrementRelease();
        try
        {
            c.key = channel.register(selector, connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_READ, c);
        }
        catch (final IOException ex)
        {
            close(c, connecting ? CloseReason.CONNECT_FAILED : CloseReason.IO_ERROR);
            return;
        }
        if (!connecting)
        {
            if (outbound)
            {
                counters.connected.incrementRelease();
            }
            notifyOpen(c);
        }
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
            finishConnect(c);
        }
        if ((ops & SelectionKey.OP_READ) != 0 && c.key == key && c.state == Connection.State.OPEN)
        {
            read(c);
        }
        if ((ops & SelectionKey.OP_WRITE) != 0 && c.key == key && c.state == Connection.State.OPEN)
        {
            markDirty(c);
        }
    }

    private void finishConnect(final Connection c)
    {
        try
        {
            if (!c.channel.finishConnect())
            {
                return;
            }
        }
        catch (final IOException ex)
        {
            if (closeLog.tryAcquire(nowNs))
            {
                closeLog.log("loop " + index + ": connect failed: " + ex);
            }
            close(c, CloseReason.CONNECT_FAILED);
            return;
        }
        c.state = Connection.State.OPEN;
        c.key.interestOps(SelectionKey.OP_READ);
        counters.connected.incrementRelease();
        notifyOpen(c);
    }

    private void read(final Connection c)
    {
        final int bytes;
        try
        {
            bytes = c.channel.read(c.receive.prepareRead());
        }
        catch (final IOException ex)
        {
            close(c, CloseReason.IO_ERROR);
            return;
        }
        if (bytes < 0)
        {
            close(c, CloseReason.PEER_CLOSED);
            return;
        }
        if (bytes == 0)
        {
            return;
        }
        c.receive.wrote(bytes);
        counters.bytesIn.getAndAddRelease(bytes);
        dispatching = c;
        final int result = c.receive.decode(codec, this);
        dispatching = null;
        if (result < 0 && result != Integer.MIN_VALUE)
        {
            malformed(c, result);
        }
    }

    @Override
    public boolean onFrame(final UnsafeBuffer buffer, final int offset, final int length)
    {
        final Connection c = dispatching;
        counters.framesIn.incrementRelease();
        try
        {
            c.handler.onFrame(c, buffer, offset, length);
        }
        catch (final RuntimeException ex)
        {
            handlerFailed(c, ex);
            return false;
        }
        return c.state == Connection.State.OPEN;
    }

    private void malformed(final Connection c, final int error)
    {
        if (closeLog.tryAcquire(nowNs))
        {
            closeLog.log("loop " + index + ": connection " + c.id + " from " + c.remoteAddress() +
                " sent a malformed frame: " + codec.describeError(error, c.receive.buffer(), c.receive.readOffset()) +
                "; closing it");
        }
        close(c, CloseReason.MALFORMED_FRAME);
    }

    private void notifyOpen(final Connection c)
    {
        try
        {
            c.handler.onOpen(c);
        }
        catch (final RuntimeException ex)
        {
            handlerFailed(c, ex);
        }
    }

    private void handlerFailed(final Connection c, final RuntimeException ex)
    {
        LOG.log(Level.ERROR, "loop " + index + ": handler failed on connection " + c.id + "; closing it", ex);
        close(c, CloseReason.HANDLER_ERROR);
    }

    void frameAppended(final Connection c)
    {
        counters.framesOut.incrementRelease();
        markDirty(c);
    }

    private void markDirty(final Connection c)
    {
        // The flag means "is in the dirty list" and only flush() clears it, so a slot closed and reopened within one
        // iteration is never listed twice and the list never outgrows the slot count.
        if (!c.dirty)
        {
            c.dirty = true;
            dirty[dirtyCount++] = c;
        }
    }

    private int flush()
    {
        int flushed = 0;
        for (int i = 0; i < dirtyCount; i++)
        {
            final Connection c = dirty[i];
            dirty[i] = null;
            c.dirty = false;
            if (c.state == Connection.State.OPEN)
            {
                flushed += flushOne(c);
            }
        }
        dirtyCount = 0;
        return flushed;
    }

    private int flushOne(final Connection c)
    {
        if (c.send.pending() == 0)
        {
            setWriteInterest(c, false);
            return 0;
        }
        final int bytes;
        try
        {
            bytes = c.channel.write(c.send.prepareWrite());
        }
        catch (final IOException ex)
        {
            close(c, CloseReason.IO_ERROR);
            return 1;
        }
        if (bytes > 0)
        {
            counters.bytesOut.getAndAddRelease(bytes);
            c.lastSendProgressNs = nowNs;
        }
        if (c.send.written(bytes))
        {
            setWriteInterest(c, false);
        }
        else if (!c.writeInterest)
        {
            c.lastSendProgressNs = nowNs;
            setWriteInterest(c, true);
        }
        return 1;
    }

    private static void setWriteInterest(final Connection c, final boolean on)
    {
        if (c.writeInterest != on)
        {
            c.writeInterest = on;
            c.key.interestOps(on ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    /** Coarse-cadence checks over every connection: the no-progress slow-consumer rule. */
    private int runTimers()
    {
        int work = 0;
        final long timeoutNs = config.noProgressTimeoutNs();
        for (int i = table.activeCount() - 1; i >= 0; i--)
        {
            final Connection c = table.active(i);
            if (c.writeInterest && nowNs - c.lastSendProgressNs >= timeoutNs)
            {
                if (closeLog.tryAcquire(nowNs))
                {
                    closeLog.log("loop " + index + ": connection " + c.id + " made no send progress for " +
                        TimeUnit.NANOSECONDS.toMillis(nowNs - c.lastSendProgressNs) + " ms with " +
                        c.send.pending() + " bytes pending; dropping it as a slow consumer");
                }
                close(c, CloseReason.SLOW_CONSUMER);
                work++;
            }
        }
        return work;
    }

    /** Closes a connection once: socket, counters, the handler's onClose, then the slot and buffers go back. */
    void close(final Connection c, final CloseReason reason)
    {
        if (c.state == Connection.State.FREE)
        {
            return;
        }
        c.state = Connection.State.FREE;
        if (c.key != null)
        {
            c.key.cancel();
        }
        SocketSetup.closeQuietly(c.channel);
        counters.closes(reason).incrementRelease();
        counters.connectionsOpen.decrementRelease();
        if (reason == CloseReason.SLOW_CONSUMER && closeLog.tryAcquire(nowNs))
        {
            closeLog.log("loop " + index + ": connection " + c.id + " dropped as a slow consumer");
        }
        try
        {
            c.handler.onClose(c, reason);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(Level.ERROR, "loop " + index + ": onClose failed on connection " + c.id, ex);
        }
        table.give(c);
        c.clearAfterClose();
    }

    /** Runs the loop on the current thread until {@link #requestStop()}, then shuts it down. */
    void run()
    {
        try
        {
            while (running)
            {
                if (iterate(0) == 0)
                {
                    idle();
                }
                else
                {
                    resetIdle();
                }
            }
        }
        catch (final RuntimeException | Error ex)
        {
            LOG.log(Level.ERROR, "loop " + index + " failed; shutting it down", ex);
        }
        finally
        {
            shutdown();
        }
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
        Object command;
        while ((command = commands.poll()) != null)
        {
            if (command instanceof ChannelHandover)
            {
                SocketSetup.closeQuietly(((ChannelHandover)command).channel);
                table.unreserve();
            }
            else if (command instanceof Listener)
            {
                SocketSetup.closeQuietly(((Listener)command).channel);
            }
        }
        for (int i = table.activeCount() - 1; i >= 0; i--)
        {
            final Connection c = table.active(i);
            if (c.state == Connection.State.OPEN && c.send.pending() > 0)
            {
                try
                {
                    c.channel.write(c.send.prepareWrite());
                }
                catch (final IOException ignore)
                {
                    // Best effort: the connection is closing anyway.
                }
            }
        }
        while (table.activeCount() > 0)
        {
            close(table.active(table.activeCount() - 1), CloseReason.ENGINE_SHUTDOWN);
        }
        for (final Listener listener : listeners)
        {
            SocketSetup.closeQuietly(listener.channel);
        }
        try
        {
            selector.close();
        }
        catch (final IOException ex)
        {
            LOG.log(Level.WARNING, "loop " + index + ": selector close failed", ex);
        }
        stopped = true;
        table.free();
    }
}
