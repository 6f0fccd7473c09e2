package dev.sluice.internal.loop;

import java.util.List;

import dev.sluice.internal.connection.ConnectionTable;
import dev.sluice.internal.connection.IdleHeartbeat;
import dev.sluice.internal.connection.LoopConnection;
import dev.sluice.internal.connection.SlowConsumerRule;
import dev.sluice.internal.gate.ResponseGate;
import dev.sluice.internal.inbound.InboundPath;

/**
 * Stage "timers", at a coarse cadence ({@code timerInterval}, default 10 ms), never per frame: the gate's idle
 * re-evaluation, read-pause resumes, the purge of half-assembled messages, re-arming a paused listener, and over the
 * active connections the no-progress half of the slow-consumer rule, the idle timeout and the idle keep-alive.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
final class TimerStage implements LoopStage
{
    private final long intervalNs;
    private final ConnectionTable table;
    private final SlowConsumerRule slowConsumer;
    private final InboundPath inbound;
    private final IdleHeartbeat heartbeat;
    private final ResponseGate gate;
    private final CommandStage commands;
    private Acceptor acceptor;
    private long nextTickNs;

    TimerStage(final long intervalNs, final long nowNs, final ConnectionTable table,
        final SlowConsumerRule slowConsumer, final InboundPath inbound, final IdleHeartbeat heartbeat,
        final ResponseGate gate, final CommandStage commands)
    {
        this.intervalNs = intervalNs;
        this.nextTickNs = nowNs + intervalNs;
        this.table = table;
        this.slowConsumer = slowConsumer;
        this.inbound = inbound;
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
        // Backwards, re-clamped after every close: a close (and its onClose callback, which may close others) moves
        // connections within the active list.
        int i = table.activeCount() - 1;
        while (i >= 0)
        {
            final LoopConnection c = table.active(i);
            if (c.isOpen() && (slowConsumer.dropIfStalled(c, nowNs) || inbound.closeIfIdle(c, nowNs) ||
                heartbeat.sendIfQuiet(c, nowNs)))
            {
                work++;
            }
            i = Math.min(i - 1, table.activeCount() - 1);
        }
        return work;
    }
}
