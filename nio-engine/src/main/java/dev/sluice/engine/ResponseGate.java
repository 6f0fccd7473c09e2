package dev.sluice.engine;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import dev.sluice.gate.DegradationMonitor;
import dev.sluice.gate.DurabilityPolicy;
import dev.sluice.gate.GateConfig;
import dev.sluice.gate.PolicyEvaluator;
import dev.sluice.gate.ResponsePublisher;
import dev.sluice.stats.LoopCounters;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
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
final class ResponseGate implements ControlledMessageHandler
{
    static final int MAX_BATCH = 1024;

    private final OneToOneRingBuffer ring;
    private final GateConfig config;
    private final ConnectionTable table;
    private final LoopCounters counters;
    private final RateLimitedLog log;
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

    ResponseGate(final OneToOneRingBuffer ring, final GateConfig config, final ConnectionTable table,
        final LoopCounters counters)
    {
        this.ring = ring;
        this.config = config;
        this.table = table;
        this.counters = counters;
        this.log = new RateLimitedLog(LoopLog.LOG, Level.WARNING, TimeUnit.SECONDS.toNanos(1));
        this.evaluator = new PolicyEvaluator(config.cursors().replicaSlots());
        this.degradation = new DegradationMonitor(counters.gateDegraded);
        this.arena = new UnsafeBuffer(new byte[config.batchArenaBytes()]);
    }

    /** @return a loop's response ring, sized by the gate settings. */
    static OneToOneRingBuffer newRing(final GateConfig config)
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
    boolean hasWork()
    {
        if (count == 0)
        {
            return ring.size() > 0;
        }
        return bypassOnly || evaluator.position(config.modes().current(), config.cursors()) >= highestSequence;
    }

    /**
     * The stage: fill a batch if none waits, then send it if the gate is open.
     *
     * @return responses sent.
     */
    int drain(final long nowNs)
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
            deliver(i);
        }
        count = 0;
        arenaUsed = 0;
        waitCounted = false;
        return sent;
    }

    /** The slow timer: re-evaluates with no traffic, so the degraded flag is right even when nothing is sent. */
    void idleCheck(final long nowNs)
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
        final int payload = length - ResponsePublisher.PAYLOAD_OFFSET;
        if (count == MAX_BATCH || arenaUsed + payload > arena.capacity())
        {
            return Action.ABORT; // the batch is full: this response stays in the ring for the next batch
        }
        final long sequence = buffer.getLong(index + ResponsePublisher.SEQUENCE_OFFSET);
        final int flag = buffer.getInt(index + ResponsePublisher.FLAGS_OFFSET);
        if (count == 0)
        {
            highestSequence = sequence;
            bypassOnly = true;
        }
        ids[count] = buffer.getLong(index + ResponsePublisher.ID_OFFSET);
        sequences[count] = sequence;
        flags[count] = flag;
        offsets[count] = arenaUsed;
        lengths[count] = payload;
        arena.putBytes(arenaUsed, buffer, index + ResponsePublisher.PAYLOAD_OFFSET, payload);
        arenaUsed += payload;
        highestSequence = Math.max(highestSequence, sequence);
        bypassOnly &= (flag & ResponsePublisher.BYPASS) != 0;
        count++;
        return Action.CONTINUE;
    }

    private void deliver(final int i)
    {
        final long id = ids[i];
        final Connection c = table.connection(ConnectionIds.slotOf(id));
        if (c.id != id || !c.isOpen())
        {
            counters.responsesDropped.incrementRelease();
            return;
        }
        if (!c.send(arena, offsets[i], lengths[i]))
        {
            counters.responsesDropped.incrementRelease();
            return;
        }
        counters.responsesSent.incrementRelease();
        if ((flags[i] & ResponsePublisher.ENDS_REQUEST) != 0)
        {
            batchEnd(c, id, sequences[i]);
        }
    }

    private void batchEnd(final Connection c, final long id, final long sequence)
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
            length = -1;
        }
        if (length < 0 || length > config.batchEndMaxLength())
        {
            c.abortClaim();
            counters.batchEndFailures.incrementRelease();
            if (log.tryAcquire(System.nanoTime()))
            {
                log.log("batch-end frame for connection " + id + " sequence " + sequence +
                    " failed to encode; skipped");
            }
            return;
        }
        c.commit(length);
        counters.batchEnds.incrementRelease();
    }
}
