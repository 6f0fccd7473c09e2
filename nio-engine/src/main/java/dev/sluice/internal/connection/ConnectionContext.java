package dev.sluice.internal.connection;

import dev.sluice.codec.FrameCodec;
import dev.sluice.internal.push.PushLoop;
import dev.sluice.stats.LoopCounters;

/**
 * What every connection of one loop shares: the loop's codec, time, counters, flush list, open claims, push path
 * and slow-consumer rule, plus the two collaborators above this package that the loop binds once it has built them
 * (how to close a connection, and what the inbound unit knows about one). A connection reaches nothing else.
 * <p>
 * <b>Threading:</b> the loop thread only; bound once, before the loop's first iteration.
 */
public final class ConnectionContext
{
    final int loopIndex;
    final FrameCodec codec;
    final LoopTime time;
    final LoopCounters counters;
    final DirtyList dirty;
    final OpenClaims claims = new OpenClaims();
    final LoopOwner owner = new LoopOwner();
    final PushLoop push;
    final SlowConsumerRule slowConsumer;
    final ConnectionTimers timers;
    ConnectionCloser closer;
    InboundState inbound;
    /** Set once a shutdown drains the loop: no connection reads any more. */
    boolean readsStopped;

    /**
     * @param loopIndex    the loop's index.
     * @param codec        the engine's frame codec.
     * @param time         the loop's time.
     * @param counters     the loop's counters.
     * @param capacity     connection slots of the loop.
     * @param push         the loop's push path (told when a connection backs up or drains).
     * @param slowConsumer the loop's slow-consumer rule.
     * @param timers       the loop's connection timers.
     */
    public ConnectionContext(final int loopIndex, final FrameCodec codec, final LoopTime time,
        final LoopCounters counters, final int capacity, final PushLoop push, final SlowConsumerRule slowConsumer,
        final ConnectionTimers timers)
    {
        this.loopIndex = loopIndex;
        this.codec = codec;
        this.time = time;
        this.counters = counters;
        this.dirty = new DirtyList(capacity);
        this.push = push;
        this.slowConsumer = slowConsumer;
        this.timers = timers;
    }

    /**
     * Binds the collaborators built after the connections.
     *
     * @param connectionCloser how the loop closes a connection.
     * @param inboundState     the inbound unit's view of a connection.
     */
    public void bind(final ConnectionCloser connectionCloser, final InboundState inboundState)
    {
        this.closer = connectionCloser;
        this.inbound = inboundState;
        slowConsumer.bind(connectionCloser);
    }

    /** A shutdown drains the loop: from now on no connection reads (each one's interest is updated by the caller). */
    public void stopReads()
    {
        readsStopped = true;
    }

    /** @return the claims opened during callbacks on this loop. */
    public OpenClaims claims()
    {
        return claims;
    }

    /** @return which thread drives the loop. */
    public LoopOwner owner()
    {
        return owner;
    }

    /** @return the loop's time. */
    public LoopTime time()
    {
        return time;
    }

    /** @return connections with bytes to flush at the end of this iteration. */
    public DirtyList dirty()
    {
        return dirty;
    }
}
