package dev.sluice.internal.loop;

import java.util.List;

import dev.sluice.internal.connection.ConnectionTable;
import dev.sluice.internal.connection.ConnectionTimers;
import dev.sluice.internal.connection.IdleKeepAlive;
import dev.sluice.internal.connection.PeriodicHeartbeat;
import dev.sluice.internal.connection.LoopConnection;
import dev.sluice.internal.connection.SlowConsumerRule;
import dev.sluice.internal.gate.ResponseGate;
import dev.sluice.internal.inbound.InboundPath;

/**
 * Stage "timers", at a coarse cadence ({@code timerInterval}, default 10 ms), never per frame: the gate's idle
 * re-evaluation, read-pause resumes, the purge of half-assembled messages, re-arming a paused listener, and the
 * connections whose timer came due on the {@link ConnectionTimers} wheel: for each, the no-progress half of the
 * slow-consumer rule, the idle timeout, the periodic heartbeat, the application's own timer and the idle
 * keep-alive, then its timer is armed for the earliest of their next deadlines. A tick costs what comes due, not the
 * connection count.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
final class TimerStage implements LoopStage, ConnectionTimers.Handler
{
    private final long intervalNs;
    private final ConnectionTable table;
    private final ConnectionTimers connectionTimers;
    private final SlowConsumerRule slowConsumer;
    private final InboundPath inbound;
    private final IdleKeepAlive keepAlive;
    private final PeriodicHeartbeat heartbeat;
    private final ResponseGate gate;
    private final CommandStage commands;
    private Acceptor acceptor;
    private long nextTickNs;
    private int actions;

    TimerStage(final long intervalNs, final long nowNs, final ConnectionTable table,
        final ConnectionTimers connectionTimers, final SlowConsumerRule slowConsumer, final InboundPath inbound,
        final IdleKeepAlive keepAlive, final PeriodicHeartbeat heartbeat, final ResponseGate gate,
        final CommandStage commands)
    {
        this.intervalNs = intervalNs;
        this.nextTickNs = nowNs + intervalNs;
        this.table = table;
        this.connectionTimers = connectionTimers;
        this.slowConsumer = slowConsumer;
        this.inbound = inbound;
        this.keepAlive = keepAlive;
        this.heartbeat = heartbeat;
        this.gate = gate;
        this.commands = commands;
    }

    void acceptor(final Acceptor engineAcceptor)
    {
        acceptor = engineAcceptor;
    }

    @Override
    public int doWork(final long nowNs)
    {
        if (nowNs - nextTickNs < 0)
        {
            return 0;
        }
        nextTickNs = nowNs + intervalNs;
        int work = 0;
        if (gate != null)
        {
            gate.idleCheck(nowNs);
        }
        work += inbound.retryPaused(); // frames kept by "not now" or a soft limit are offered again
        work += inbound.purgeAssemblies(nowNs);
        final List<Listener> listeners = commands.listeners();
        for (int l = 0; l < listeners.size(); l++)
        {
            acceptor.resume(listeners.get(l));
        }
        actions = 0;
        connectionTimers.poll(nowNs, this); // a timer that fires early is no work: only what it leads to counts
        return work + actions;
    }

    @Override
    public long onDue(final int slot, final long nowNs)
    {
        final LoopConnection c = table.connection(slot);
        if (c.isClosing())
        {
            // only the no-progress rule still applies: it bounds how long a close waits for the peer
            if (slowConsumer.dropIfStalled(c, nowNs))
            {
                actions++;
                return ConnectionTimers.NONE;
            }
            return slowConsumer.deadline(c);
        }
        if (!c.isOpen())
        {
            return ConnectionTimers.NONE;
        }
        if (slowConsumer.dropIfStalled(c, nowNs) || inbound.closeIfIdle(c, nowNs))
        {
            actions++;
            return ConnectionTimers.NONE;
        }
        if (heartbeat.sendIfDue(c, nowNs)) // before the keep-alive: a heartbeat is traffic, and makes it needless
        {
            actions++;
        }
        if (c.fireTimerIfDue(nowNs)) // the application's own timer (it may send: before the keep-alive looks)
        {
            actions++;
        }
        if (c.isOpen() && keepAlive.sendIfQuiet(c, nowNs))
        {
            actions++;
        }
        if (!c.isOpen())
        {
            return ConnectionTimers.NONE;
        }
        return Math.min(Math.min(Math.min(slowConsumer.deadline(c), inbound.idleDeadline(c)),
            Math.min(keepAlive.deadline(c), heartbeat.deadline(c))), c.timerDeadline());
    }
}
