package dev.sluice.jmh;

import java.util.concurrent.TimeUnit;

import dev.sluice.gate.AtomicClusterCursors;
import dev.sluice.gate.DurabilityLevel;
import dev.sluice.gate.DurabilityPolicy;
import dev.sluice.internal.gate.PolicyEvaluator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One durability-policy evaluation over a primary and two active replicas (of four slots): the cost the gate pays
 * per check. Run with {@code -prof gc} to see 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class PolicyEvaluationBenchmark
{
    private final AtomicClusterCursors cursors = new AtomicClusterCursors(4);
    private final PolicyEvaluator evaluator = new PolicyEvaluator(4);
    private final DurabilityPolicy hybrid = DurabilityPolicy.named("hybrid")
        .atLeast(1, DurabilityLevel.PERSISTED).atLeast(2, DurabilityLevel.IN_MEMORY);
    private final DurabilityPolicy replicated = DurabilityPolicy.named("replicated")
        .atLeast(2, DurabilityLevel.PERSISTED);

    /** Sets the journal and two connected replicas. */
    @Setup
    public void setUp()
    {
        cursors.primaryPersisted(1_000);
        cursors.replicaConnected(0, 990, 950);
        cursors.replicaConnected(2, 995, 940);
    }

    /** @return the position of "persisted on 1 and in memory on 2". */
    @Benchmark
    public long hybrid()
    {
        return evaluator.position(hybrid, cursors);
    }

    /** @return the position of "persisted on 2". */
    @Benchmark
    public long replicated()
    {
        return evaluator.position(replicated, cursors);
    }
}
