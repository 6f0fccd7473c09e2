package dev.sluice.internal.gate;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

import dev.sluice.connection.ConnectionIds;
import dev.sluice.gate.DurabilityPolicy;
import dev.sluice.gate.GateConfig;
import dev.sluice.internal.connection.ConnectionTable;
import dev.sluice.internal.connection.LoopConnection;
import dev.sluice.internal.log.EngineLog;
import dev.sluice.internal.log.ErrorReporter;
import dev.sluice.internal.log.RateLimitedLog;
import dev.sluice.stats.LoopCounters;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The "gated responses" stage of a loop: takes up to {@value #MAX_BATCH} responses from the loop's ring into a batch
 * and sends the batch only when the durability position has reached its highest sequence (or when every response in
 * it may bypass the gate). A waiting batch never blocks the loop: the stage answers "no work" and the loop goes on
 * serving everything else; later responses stay in the ring, so nothing overtakes the batch.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
public final class ResponseGate implements ControlledMessageHandler
{
    static final int MAX_BATCH = 1024;

    private static final MessageHandler IGNORE = (msgTypeId, buffer, index, length) -> { };

    private final OneToOneRingBuffer ring;
    private final GateConfig config;
    private final ConnectionTable table;
    private final LoopCounters counters;
    private final RateLimitedLog log;
    private final ErrorReporter errors;
    private final PolicyEvaluator evaluator;
    private final DegradationMonitor degradation;
    private final UnsafeBuffer arena;
    private final long[] ids = new long[MAX_BATCH];
    private final long[] sequences = new long[MAX_BATCH];
    private final int[] flags = new int[MAX_BATCH];
    private final int[] offsets = new int[MAX_BATCH];
    private final int[] lengths = new int[MAX_BATCH];
    private int count;
    private int arenaUsed;
    private long highestSequence;
    private boolean bypassOnly;
    private boolean waitCounted;
    private long nextIdleCheckNs;

    /**
     * @param ring     the loop's response ring.
     * @param config   the gate's settings.
     * @param table    the loop's connections.
     * @param counters the loop's counters.
     * @param log      the engine's rate-limited log.
     * @param errors   the loop's error path (a terminator encoder that throws).
     */
    public ResponseGate(final OneToOneRingBuffer ring, final GateConfig config, final ConnectionTable table,
        final LoopCounters counters, final RateLimitedLog log, final ErrorReporter errors)
    {
        this.ring = ring;
        this.config = config;
        this.table = table;
        this.counters = counters;
        this.log = log;
        this.errors = errors;
        this.evaluator = new PolicyEvaluator(config.cursors().replicaSlots());
        this.degradation = new DegradationMonitor(counters.gateDegraded);
        this.arena = new UnsafeBuffer(new byte[config.batchArenaBytes()]);
    }

    /**
     * @param config the gate's settings.
     * @return a loop's response ring, sized by them.
     */
    public static OneToOneRingBuffer newRing(final GateConfig config)
    {
        return new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(config.ringCapacity() + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /**
     * Checked by a parking loop after it has announced it parks: a waiting batch that the positions now allow must
     * not wait for the timer (a {@code cursorsMoved()} that came just before the park found the loop awake).
     *
     * @return true if there are responses to take or a waiting batch may go now.
     */
    public boolean hasWork()
    {
        if (count == 0)
        {
            return ring.size() > 0;
        }
        return bypassOnly || evaluator.position(config.modes().current(), config.cursors()) >= highestSequence;
    }

    /** @return true if no response waits: the ring is empty and no batch is held. */
    public boolean isIdle()
    {
        return count == 0 && ring.size() == 0;
    }

    /**
     * Shutdown past its deadline: drops the held batch and what is still in the ring.
     *
     * @return responses dropped.
     */
    public int discardHeld()
    {
        int dropped = count;
        count = 0;
        arenaUsed = 0;
        int read;
        while ((read = ring.read(IGNORE, Integer.MAX_VALUE)) > 0) // a read stops at the end of the ring's memory
        {
            dropped += read;
        }
        return dropped;
    }

    /**
     * The stage: fill a batch if none waits, then send it if the gate is open.
     *
     * @param nowNs the loop's time.
     * @return responses sent.
     */
    public int doWork(final long nowNs)
    {
        if (count == 0)
        {
            ring.controlledRead(this, MAX_BATCH);
            if (count == 0)
            {
                return 0;
            }
        }
        final long position = position(nowNs); // evaluated for bypass batches too: the degraded flag stays current
        if (!bypassOnly && position < highestSequence)
        {
            if (!waitCounted)
            {
                waitCounted = true;
                counters.gateWaits.incrementRelease();
            }
            (evaluator.bottleneck() == PolicyEvaluator.Bottleneck.JOURNAL ?
                counters.gateWaitsOnJournal : counters.gateWaitsOnReplication).incrementRelease();
            return 0;
        }
        final int sent = count;
        for (int i = 0; i < sent; i++)
        {
            deliver(i, nowNs);
        }
        count = 0;
        arenaUsed = 0;
        waitCounted = false;
        return sent;
    }

    /**
     * The slow timer: re-evaluates with no traffic, so the degraded flag is right even when nothing is sent.
     *
     * @param nowNs the loop's time.
     */
    public void idleCheck(final long nowNs)
    {
        if (nowNs - nextIdleCheckNs >= 0)
        {
            nextIdleCheckNs = nowNs + config.idleCheckNs();
            position(nowNs);
        }
    }

    private long position(final long nowNs)
    {
        final DurabilityPolicy policy = config.modes().current();
        final long position = evaluator.position(policy, config.cursors());
        degradation.update(evaluator.isDegraded(), nowNs, policy);
        return position;
    }

    @Override
    public Action onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int payload = length - ResponseRings.PAYLOAD_OFFSET;
        if (count == MAX_BATCH || arenaUsed + payload > arena.capacity())
        {
            return Action.ABORT; // the batch is full: this response stays in the ring for the next batch
        }
        final long sequence = buffer.getLong(index + ResponseRings.SEQUENCE_OFFSET);
        final int flag = buffer.getInt(index + ResponseRings.FLAGS_OFFSET);
        if (count == 0)
        {
            highestSequence = sequence;
            bypassOnly = true;
        }
        ids[count] = buffer.getLong(index + ResponseRings.ID_OFFSET);
        sequences[count] = sequence;
        flags[count] = flag;
        offsets[count] = arenaUsed;
        lengths[count] = payload;
        arena.putBytes(arenaUsed, buffer, index + ResponseRings.PAYLOAD_OFFSET, payload);
        arenaUsed += payload;
        highestSequence = Math.max(highestSequence, sequence);
        bypassOnly &= (flag & ResponseRings.BYPASS) != 0;
        count++;
        return Action.CONTINUE;
    }

    private void deliver(final int i, final long nowNs)
    {
        final long id = ids[i];
        final LoopConnection c = table.connection(ConnectionIds.slotOf(id));
        if (c.id() != id || !c.isOpen())
        {
            counters.responsesDropped.incrementRelease();
            return;
        }
        if (!c.deliverResponse(sequences[i], arena, offsets[i], lengths[i]))
        {
            counters.responsesDropped.incrementRelease();
            return;
        }
        counters.responsesSent.incrementRelease();
        if ((flags[i] & ResponseRings.ENDS_REQUEST) != 0)
        {
            batchEnd(c, id, sequences[i], nowNs);
        }
    }

    private void batchEnd(final LoopConnection c, final long id, final long sequence, final long nowNs)
    {
        final int at = c.claim(config.batchEndMaxLength());
        if (at < 0)
        {
            return; // closed (e.g. a slow consumer) while sending the response
        }
        int length;
        try
        {
            length = config.batchEnd().encode(c.sendBuffer(), at, id, sequence);
        }
        catch (final RuntimeException ex)
        {
            errors.report(ex);
            length = -1;
        }
        if (length < 0 || length > config.batchEndMaxLength())
        {
            c.abortClaim();
            counters.batchEndFailures.incrementRelease();
            if (log.tryAcquire(nowNs))
            {
                log.log(EngineLog.GATE, Level.WARNING, "batch-end frame for connection " + id + " sequence " +
                    sequence + " failed to encode; skipped");
            }
            return;
        }
        c.commit(length);
        counters.batchEnds.incrementRelease();
    }
}
