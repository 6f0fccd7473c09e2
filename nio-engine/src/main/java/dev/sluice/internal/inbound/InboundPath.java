package dev.sluice.internal.inbound;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.sluice.codec.FrameCodec;
import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.internal.connection.ConnectionCloser;
import dev.sluice.internal.connection.ConnectionTimers;
import dev.sluice.internal.connection.InboundState;
import dev.sluice.internal.connection.LoopConnection;
import dev.sluice.internal.connection.LoopTime;
import dev.sluice.internal.connection.OpenClaims;
import dev.sluice.internal.connection.ReceiveBuffer;
import dev.sluice.internal.log.EngineLog;
import dev.sluice.internal.log.ErrorReporter;
import dev.sluice.internal.log.RateLimitedLog;
import dev.sluice.stats.LoopCounters;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The inbound unit of one loop: reading a connection's socket, decoding and dispatching its frames, the inbound
 * memory budgets ({@link InboundBudget}), read pauses for "not now" and the soft limit ({@link ReadPauses}),
 * rejections of what a peer must not send ({@link Rejections}), fragment assembly ({@link FragmentRouter}), and the
 * idle timeout ({@link IdleTimeout}). It owns every piece of a connection's inbound state: budget accounting, pause
 * membership, bytes in assembly, the last time the peer sent anything and its idle timeout, and the "not now" of the
 * callback in progress.
 * <p>
 * Reads, decoding and dispatch allocate nothing.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
public final class InboundPath implements InboundState, ReceiveBuffer.FrameSink
{
    private final int loop;
    private final FrameCodec codec;
    private final LoopTime time;
    private final LoopCounters counters;
    private final OpenClaims claims;
    private final ConnectionCloser closer;
    private final ErrorReporter errors;
    private final RateLimitedLog log;
    private final InboundBudget budget;
    private final ReadPauses pauses;
    private final Rejections rejections;
    private final MessageAssembler assembler;
    private final FragmentRouter assembly;
    private final IdleTimeout idle;
    private LoopConnection dispatching;
    private boolean notNowRequested;
    private boolean kept;

    /**
     * @param loop     the loop's index.
     * @param capacity connection slots of the loop.
     * @param config   the engine's configuration.
     * @param inFlight every loop's buffered total (the engine-wide budget).
     * @param time     the loop's time.
     * @param counters the loop's counters.
     * @param claims   the loop's open claims.
     * @param closer   how the loop closes a connection.
     * @param errors   the loop's error path.
     * @param log      the engine's rate-limited log.
     * @param timers   the loop's connection timers (for idle deadlines).
     */
    public InboundPath(final int loop, final int capacity, final EngineConfig config, final AtomicLongArray inFlight,
        final LoopTime time, final LoopCounters counters, final OpenClaims claims, final ConnectionCloser closer,
        final ErrorReporter errors, final RateLimitedLog log, final ConnectionTimers timers)
    {
        this.loop = loop;
        this.codec = config.codec();
        this.time = time;
        this.counters = counters;
        this.claims = claims;
        this.closer = closer;
        this.errors = errors;
        this.log = log;
        this.idle = new IdleTimeout(capacity, config.idleTimeoutNs(), timers, closer);
        this.budget = new InboundBudget(loop, capacity, config, inFlight);
        this.pauses = new ReadPauses(capacity);
        this.rejections = new Rejections(loop, codec, time, closer, log);
        this.assembler = codec.fragmentHeaderLength() > 0 ?
            new MessageAssembler(config.assemblySlots(), config.assemblyMaxMessage(), capacity) : null;
        this.assembly = assembler == null ? null :
            new FragmentRouter(this, time, assembler, config, counters, rejections, budget);
    }

    @Override
    public int assemblingBytes(final LoopConnection connection)
    {
        return assembler == null ? 0 : assembler.assemblingBytes(connection);
    }

    @Override
    public boolean isReadPaused(final LoopConnection connection)
    {
        return pauses.contains(connection);
    }

    @Override
    public void notNow(final LoopConnection connection)
    {
        if (connection == dispatching) // only during this connection's own onFrame
        {
            notNowRequested = true;
        }
    }

    @Override
    public void idleTimeout(final LoopConnection connection, final long timeoutNs)
    {
        idle.set(connection.slot(), timeoutNs, pauses.contains(connection));
    }

    /**
     * A connection opened: the engine's idle timeout applies to it, and the peer's silence is measured from now.
     *
     * @param c the connection.
     */
    public void opened(final LoopConnection c)
    {
        idle.opened(c.slot(), time.nowNs());
    }

    /**
     * A connection is closing: its pause, half-assembled messages and budget share are released.
     *
     * @param c the connection.
     */
    public void release(final LoopConnection c)
    {
        pauses.remove(c);
        if (assembler != null)
        {
            assembler.freeAll(c);
        }
        budget.release(c);
    }

    /**
     * Reads what the socket has (sized to the budgets), then decodes and dispatches every whole frame.
     *
     * @param c a connection whose socket is readable.
     */
    public void read(final LoopConnection c)
    {
        final ReceiveBuffer receive = c.receiveBuffer();
        int max = receive.free();
        if (budget.active())
        {
            max = budget.readLimit(c, max);
            if (max == 0)
            {
                if (budget.connectionFull(c))
                {
                    rejections.budgetExceeded(c, "its whole per-connection budget is buffered without a message",
                        c.bufferedBytes());
                }
                else
                {
                    pauseForBudget(c); // the engine-wide budget is full: wait a tick
                }
                return;
            }
        }
        final int bytes;
        try
        {
            bytes = c.channel().read(receive.prepareRead(max));
        }
        catch (final IOException ex)
        {
            closer.close(c, CloseReason.IO_ERROR);
            return;
        }
        if (bytes < 0)
        {
            closer.close(c, CloseReason.PEER_CLOSED);
            return;
        }
        if (bytes == 0)
        {
            return;
        }
        receive.wrote(bytes);
        idle.received(c.slot(), time.nowNs());
        counters.bytesIn.getAndAddRelease(bytes);
        c.countReceived(0, bytes);
        final int result = decode(c);
        if (result < 0 && result != Integer.MIN_VALUE)
        {
            rejections.malformed(c, result);
        }
        else if (budget.active() && c.isOpen())
        {
            budget.account(c);
            if (!pauses.contains(c) && budget.overSoftLimit(c))
            {
                pauseForBudget(c);
            }
        }
    }

    @Override
    public int onFrame(final UnsafeBuffer buffer, final int offset, final int length)
    {
        final LoopConnection c = dispatching;
        if (assembler == null)
        {
            return deliver(c, buffer, offset, length);
        }
        return assembly.onFragment(c, buffer, offset, length);
    }

    @Override
    public void onGarbled(final int bytes)
    {
        counters.framesGarbled.incrementRelease();
    }

    /** Hands one whole message to the application; the verdict tells the decode pass what to do next. */
    int deliver(final LoopConnection c, final DirectBuffer buffer, final int offset, final int length)
    {
        if (budget.messageTooLarge(length))
        {
            rejections.budgetExceeded(c, "a message is over the per-message budget", length);
            return STOP;
        }
        final int mark = claims.mark();
        notNowRequested = false; // only a notNow() made during this very call counts
        try
        {
            c.handler().onFrame(c, buffer, offset, length);
        }
        catch (final RuntimeException ex)
        {
            claims.abortSince(mark);
            frameIn(c);
            handlerFailed(c, ex);
            return STOP;
        }
        claims.abortSince(mark);
        if (!c.isOpen())
        {
            frameIn(c);
            return STOP;
        }
        if (notNowRequested)
        {
            notNowRequested = false;
            kept = true;
            if (!pauses.contains(c))
            {
                counters.readPauses.incrementRelease();
                pauses.add(c);
            }
            return KEEP;
        }
        frameIn(c);
        return NEXT;
    }

    /** Counts one frame received, for the loop and for the connection. */
    void frameIn(final LoopConnection c)
    {
        counters.framesIn.incrementRelease();
        c.countReceived(1, 0);
    }

    /**
     * The application's callback threw: the error path gets the exception and the connection is closed with
     * {@link CloseReason#HANDLER_ERROR}.
     *
     * @param c  the connection whose callback threw.
     * @param ex what it threw.
     */
    @Override
    public void handlerFailed(final LoopConnection c, final RuntimeException ex)
    {
        errors.report(ex);
        if (log.tryAcquire(time.nowNs()))
        {
            log.log(EngineLog.LOG, Level.WARNING, "loop " + loop + ": handler failed on connection " + c.id() +
                " (" + ex + "); closing it");
        }
        closer.close(c, CloseReason.HANDLER_ERROR);
    }

    /**
     * The timer stage: redelivers the frames paused connections kept; those whose frames are all taken read again.
     *
     * @return connections retried.
     */
    public int retryPaused()
    {
        return pauses.retry(this);
    }

    /**
     * The timer stage: purges messages half-assembled for longer than the assembly timeout.
     *
     * @param nowNs the loop's time.
     * @return messages purged.
     */
    public int purgeAssemblies(final long nowNs)
    {
        return assembly == null ? 0 : assembly.purge(nowNs);
    }

    /**
     * The idle timeout, from the timer stage: a peer that sent nothing for its connection's idle timeout is closed with
     * {@link CloseReason#IDLE_TIMEOUT}. A connection we paused waits on the application, not on its peer: never idle.
     *
     * @param c     an open connection.
     * @param nowNs the loop's time.
     * @return true if it was closed.
     */
    public boolean closeIfIdle(final LoopConnection c, final long nowNs)
    {
        return idle.closeIfIdle(c, nowNs, pauses.contains(c));
    }

    /**
     * @param c an open connection.
     * @return when it is closed as idle if its peer sends nothing until then, or {@link ConnectionTimers#NONE} (no
     *     idle timeout, or reading is paused: the wait is ours, not the peer's).
     */
    public long idleDeadline(final LoopConnection c)
    {
        return idle.deadline(c.slot(), pauses.contains(c));
    }

    /**
     * Delivers the frames a paused connection kept, in order.
     *
     * @return true if the application took them all: the connection may read again.
     */
    boolean redeliver(final LoopConnection c)
    {
        final int result = decode(c);
        if (result < 0 && result != Integer.MIN_VALUE)
        {
            rejections.malformed(c, result);
            return false;
        }
        if (c.isOpen())
        {
            budget.account(c);
        }
        if (c.isOpen() && !kept)
        {
            idle.resumed(c.slot(), time.nowNs()); // the pause was ours, not the peer's silence
            if (assembler != null)
            {
                assembler.touch(c, time.nowNs());
            }
            return true;
        }
        return false;
    }

    private int decode(final LoopConnection c)
    {
        kept = false;
        dispatching = c;
        final int result = c.receiveBuffer().decode(codec, this);
        dispatching = null;
        return result;
    }

    private void pauseForBudget(final LoopConnection c)
    {
        counters.budgetPauses.incrementRelease();
        pauses.add(c);
    }
}
