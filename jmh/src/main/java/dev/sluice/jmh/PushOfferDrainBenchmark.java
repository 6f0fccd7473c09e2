package dev.sluice.jmh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sluice.internal.push.PushLoop;
import dev.sluice.internal.push.QueueBatch;
import dev.sluice.push.Priority;
import dev.sluice.push.PushBatch;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The push path without sockets: a {@link PushHandle#push} of a 64-byte frame (copy into a pooled off-heap slot,
 * offer to the connection's MPSC queue, schedule the connection on the ready list) and the loop's
 * {@link PushLoop#drainHigh} and {@link PushLoop#drainLow} that hand it to a sink. The sink only adds up lengths, so
 * the figures are the push machinery alone, without a send buffer or a socket. Run with {@code -prof gc} to see
 * 0 B/op.
 * <p>
 * <b>{@code pushThenDrain}</b>: one thread pushes one frame and drains it at once; the score is the time per
 * push + drain of one frame, at the {@code priority} given.
 * <p>
 * <b>Groups {@code p1} and {@code p4}</b>: 1 or 4 producer threads push concurrently, each to its own connection (so
 * they share the loop's slot pool and ready list but not a queue), while one drainer thread, the only one that calls
 * the loop-thread methods, drains in a loop. A producer whose queue is full does not spin: the call returns and is
 * counted in {@code queueFull}. These groups report throughput (events per microsecond, summed over a group's
 * threads), because per-thread average times do not add up across threads: {@code drained} = frames the drainer
 * delivered per us (1000 / drained = ns per frame through the whole pipeline), {@code accepted} = pushes accepted per
 * us by all producers, {@code queueFull} = pushes refused per us. The plain {@code pNProducer} and {@code pNDrainer}
 * scores are calls per us, refused pushes and empty drains included.
 * <p>
 * <b>2 cores:</b> on the 2-core machine these figures were taken on, {@code p1} gives each thread a core, but
 * {@code p4} runs 5 busy threads on 2 cores: the OS time-slices them, so it measures how the path behaves when
 * producers outnumber cores (the drainer is descheduled for whole time slices and queues fill up), not a 4-way
 * scaling figure. Even {@code p1} moves every frame's cache lines (slot pool head, queue indices, frame fields)
 * between the two cores, so on a shared or virtualised machine it can vary strongly from one iteration to the next:
 * read the per-iteration lines, not only the mean.
 * <p>
 * The connections are opened in a trial set-up, before any push, by one thread of the group; JMH publishes set-up
 * state to the benchmark threads, and from then on only the drainer calls the loop-thread methods.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class PushOfferDrainBenchmark
{
    private static final int FRAME_LENGTH = PushRig.FRAME_LENGTH;

    /** One thread's own push loop, for {@link #pushThenDrain}. */
    @State(Scope.Thread)
    public static class Single
    {
        /** Priority of the pushed frame. */
        @Param({"HIGH", "LOW"})
        public Priority priority;

        PushRig rig;
        PushHandle handle;
        final PushBatch batch = new QueueBatch();

        /** Builds the loop and opens its connections. */
        @Setup(Level.Trial)
        public void setUp()
        {
            rig = new PushRig();
            handle = rig.handles[0];
        }

        /** Checks that every frame pushed was delivered, and frees the counters. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            if (rig.counters.pushesQueueFull.get() != 0)
            {
                throw new IllegalStateException("a single-thread push found its queue full");
            }
            rig.checkAndClose();
        }
    }

    /**
     * One thread pushes 16 high and 2 low frames, then drains them: the fairness counter (8 high before a waiting
     * low) lets each low frame through between high ones, H x8, L, H x8, L.
     *
     * @param s the thread's push loop ({@code priority} is not used).
     * @return frames handled, so nothing is optimised away.
     */
    @Benchmark
    @OperationsPerInvocation(18)
    public int fairMixThenDrain(final Single s)
    {
        for (int i = 0; i < 16; i++)
        {
            s.handle.push(s.rig.payload, 0, FRAME_LENGTH, Priority.HIGH);
        }
        s.handle.push(s.rig.payload, 0, FRAME_LENGTH, Priority.LOW);
        s.handle.push(s.rig.payload, 0, FRAME_LENGTH, Priority.LOW);
        final PushLoop loop = s.rig.loop;
        int handled = 0;
        int drained;
        while ((drained = loop.drainHigh(System.nanoTime()) + loop.drainLow()) > 0)
        {
            handled += drained;
        }
        return handled;
    }

    /**
     * One thread pushes one frame and drains it.
     *
     * @param s the thread's push loop.
     * @return frames handled plus the push outcome, so nothing is optimised away.
     */
    @Benchmark
    public int pushThenDrain(final Single s)
    {
        final PushResult result = s.handle.push(s.rig.payload, 0, FRAME_LENGTH, s.priority);
        final PushLoop loop = s.rig.loop;
        return loop.drainHigh(System.nanoTime()) + loop.drainLow() + result.ordinal();
    }

    /**
     * A batch of 64 frames handed over with one claim, then drained, on one thread: the per-frame cost of a batch.
     *
     * @param s the thread's push loop.
     * @return frames drained.
     */
    @Benchmark
    @OperationsPerInvocation(64)
    public int batchThenDrain(final Single s)
    {
        final PushBatch batch = s.batch;
        batch.begin(s.handle, s.priority, 64 * (Integer.BYTES + FRAME_LENGTH));
        for (int i = 0; i < 64; i++)
        {
            batch.add(s.rig.payload, 0, FRAME_LENGTH);
        }
        batch.commit();
        final PushLoop loop = s.rig.loop;
        return loop.drainHigh(System.nanoTime()) + loop.drainLow();
    }

    /** The push loop of one group, shared by its producers and its drainer. */
    @State(Scope.Group)
    public static class Shared
    {
        /** Priority every producer pushes at. */
        @Param({"HIGH", "LOW"})
        public Priority priority;

        final AtomicInteger nextProducer = new AtomicInteger();
        PushRig rig;

        /** Builds the loop and opens its connections, before any producer pushes. */
        @Setup(Level.Trial)
        public void setUp()
        {
            rig = new PushRig();
        }

        /** Checks that every delivered frame was counted as sent, and frees the counters. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            rig.checkAndClose();
        }
    }

    /** A producer's connection and its outcome counts (reset each iteration). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Producer
    {
        /** Pushes accepted in this iteration. */
        public long accepted;
        /** Pushes refused because the queue (or slot pool) was full, in this iteration. */
        public long queueFull;

        PushHandle handle;
        Priority priority;
        UnsafeBuffer payload;

        /**
         * Takes the next connection of the group.
         *
         * @param shared the group's push loop.
         */
        @Setup(Level.Trial)
        public void setUp(final Shared shared)
        {
            handle = shared.rig.handles[shared.nextProducer.getAndIncrement() % PushRig.CONNECTIONS];
            priority = shared.priority;
            payload = shared.rig.payload;
        }

        /** Zeroes the counts. */
        @Setup(Level.Iteration)
        public void reset()
        {
            accepted = 0;
            queueFull = 0;
        }

        void push()
        {
            final PushResult result = handle.push(payload, 0, FRAME_LENGTH, priority);
            if (result == PushResult.ACCEPTED)
            {
                accepted++;
            }
            else if (result == PushResult.QUEUE_FULL)
            {
                queueFull++;
            }
            else
            {
                throw new IllegalStateException("unexpected push result " + result);
            }
        }
    }

    /** The drainer's count of frames delivered (reset each iteration). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Drainer
    {
        /** Frames the drainer handed to the sink in this iteration. */
        public long drained;

        /** Zeroes the count. */
        @Setup(Level.Iteration)
        public void reset()
        {
            drained = 0;
        }

        int drain(final PushRig rig)
        {
            final long before = rig.framesSent;
            final int work = rig.loop.drainHigh(System.nanoTime()) + rig.loop.drainLow();
            drained += rig.framesSent - before;
            return work;
        }
    }

    /**
     * Group {@code p1}: the one producer pushes one frame (or finds its queue full).
     *
     * @param p the producer's connection and counts.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Group("p1")
    @GroupThreads(1)
    public void p1Producer(final Producer p)
    {
        p.push();
    }

    /**
     * Group {@code p1}: the drainer runs both drain stages once.
     *
     * @param s the group's push loop.
     * @param d the drainer's count.
     * @return the drain stages' work, so nothing is optimised away.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Group("p1")
    @GroupThreads(1)
    public int p1Drainer(final Shared s, final Drainer d)
    {
        return d.drain(s.rig);
    }

    /**
     * Group {@code p4}: each of the four producers pushes one frame (or finds its queue full).
     *
     * @param p the producer's connection and counts.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Group("p4")
    @GroupThreads(4)
    public void p4Producer(final Producer p)
    {
        p.push();
    }

    /**
     * Group {@code p4}: the drainer runs both drain stages once.
     *
     * @param s the group's push loop.
     * @param d the drainer's count.
     * @return the drain stages' work, so nothing is optimised away.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Group("p4")
    @GroupThreads(1)
    public int p4Drainer(final Shared s, final Drainer d)
    {
        return d.drain(s.rig);
    }
}
