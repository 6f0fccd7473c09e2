package dev.sluice.internal.inbound;

import dev.sluice.connection.CloseReason;
import dev.sluice.internal.connection.ConnectionCloser;
import dev.sluice.internal.connection.ConnectionTimers;
import dev.sluice.internal.connection.LoopConnection;

/**
 * The idle timeout: a peer that sends nothing for its connection's timeout is closed with
 * {@link CloseReason#IDLE_TIMEOUT}. Each slot has its own timeout: the engine's {@code idleTimeout} when a connection
 * opens (slots are reused, so every opening sets it again), replaced by the application's
 * {@code Connection.idleTimeout} for that connection alone, e.g. with the keep-alive its peer announced; 0 turns it
 * off. Silence counts from the last bytes received, and a connection whose reading we paused is never idle: the wait
 * is ours, not the peer's. Timeouts and receive times live in arrays indexed by slot, so neither setting nor checking
 * allocates.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
final class IdleTimeout
{
    /** Longest timeout kept: a deadline, the last receive time plus the timeout, must not overflow. */
    private static final long MAX_NS = Long.MAX_VALUE / 4;

    private final long defaultNs;
    private final long[] timeoutNs;
    private final long[] lastReceiveNs;
    private final ConnectionTimers timers;
    private final ConnectionCloser closer;

    /**
     * @param capacity  connection slots of the loop.
     * @param defaultNs the engine's idle timeout, 0 for none.
     * @param timers    the loop's connection timers.
     * @param closer    how the loop closes a connection.
     */
    IdleTimeout(final int capacity, final long defaultNs, final ConnectionTimers timers, final ConnectionCloser closer)
    {
        this.defaultNs = Math.min(defaultNs, MAX_NS);
        this.timeoutNs = new long[capacity];
        this.lastReceiveNs = new long[capacity];
        this.timers = timers;
        this.closer = closer;
    }

    /** A connection opened on {@code slot}: the engine's timeout, and silence measured from now. */
    void opened(final int slot, final long nowNs)
    {
        timeoutNs[slot] = defaultNs;
        lastReceiveNs[slot] = nowNs;
    }

    /** The peer on {@code slot} sent bytes: its deadline moves lazily, when its timer next fires. */
    void received(final int slot, final long nowNs)
    {
        lastReceiveNs[slot] = nowNs;
    }

    /**
     * The application's timeout for one connection. A deadline earlier than the timer armed is armed at once: with
     * the engine's timeout off, or longer, the connection's timer may be armed late or not at all. A later one needs
     * nothing: the timer that fires early finds the connection not yet due and arms it for the real deadline.
     *
     * @param slot   the connection's slot.
     * @param ns     the timeout, 0 for none.
     * @param paused true if its reading is paused (no idle deadline until it resumes).
     */
    void set(final int slot, final long ns, final boolean paused)
    {
        timeoutNs[slot] = Math.min(ns, MAX_NS);
        if (ns > 0 && !paused)
        {
            timers.armNoLaterThan(slot, lastReceiveNs[slot] + timeoutNs[slot]);
        }
    }

    /** A paused connection resumes: the pause was ours, so silence counts from now, and it gets its deadline back. */
    void resumed(final int slot, final long nowNs)
    {
        lastReceiveNs[slot] = nowNs;
        if (timeoutNs[slot] > 0)
        {
            timers.armNoLaterThan(slot, nowNs + timeoutNs[slot]);
        }
    }

    /** @return true if the connection was closed: its peer sent nothing for its timeout. */
    boolean closeIfIdle(final LoopConnection c, final long nowNs, final boolean paused)
    {
        final int slot = c.slot();
        if (timeoutNs[slot] > 0 && !paused && nowNs - lastReceiveNs[slot] >= timeoutNs[slot])
        {
            closer.close(c, CloseReason.IDLE_TIMEOUT);
            return true;
        }
        return false;
    }

    /** @return when the connection on {@code slot} is idle, or {@link ConnectionTimers#NONE}. */
    long deadline(final int slot, final boolean paused)
    {
        return timeoutNs[slot] > 0 && !paused ? lastReceiveNs[slot] + timeoutNs[slot] : ConnectionTimers.NONE;
    }
}
