package dev.sluice.internal.gate;

import static dev.sluice.gate.DurabilityLevel.IN_MEMORY;
import static dev.sluice.gate.DurabilityLevel.PERSISTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import dev.sluice.gate.AtomicClusterCursors;
import dev.sluice.gate.ClusterCursors;
import dev.sluice.gate.DurabilityPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyEvaluatorTest
{
    private static final DurabilityPolicy PERSISTED_1 = DurabilityPolicy.named("p1").atLeast(1, PERSISTED);
    private static final DurabilityPolicy PERSISTED_2 = DurabilityPolicy.named("p2").atLeast(2, PERSISTED);
    private static final DurabilityPolicy MIXED =
        DurabilityPolicy.named("mixed").atLeast(1, PERSISTED).atLeast(2, IN_MEMORY);

    private final PolicyEvaluator evaluator = new PolicyEvaluator(4);

    @Test
    void standaloneOpensAtTheJournalOrDegradesWhenTwoAreNeeded()
    {
        final AtomicClusterCursors cursors = new AtomicClusterCursors(2);
        cursors.primaryPersisted(42);
        assertEquals(42, evaluator.position(PERSISTED_1, cursors));
        assertFalse(evaluator.isDegraded());
        assertEquals(PolicyEvaluator.Bottleneck.JOURNAL, evaluator.bottleneck());
        assertEquals(0, evaluator.position(PERSISTED_2, cursors));
        assertTrue(evaluator.isDegraded());
        assertEquals(PolicyEvaluator.Bottleneck.REPLICATION, evaluator.bottleneck());
    }

    /** journal, r0 persisted, r1 persisted, expected "persisted >= 2" (the second largest of the three). */
    @ParameterizedTest(name = "journal {0}, replicas {1} and {2} -> {3}")
    @CsvSource({
        "100, 50, 70, 70",   // journal ahead of both replicas
        "10, 50, 70, 50",    // journal behind both
        "60, 50, 70, 60",    // journal between
        "70, 70, 70, 70"})   // all equal
    void twoReplicasPersistedTwoIsTheSecondLargest(
        final long journal, final long r0, final long r1, final long expected)
    {
        final AtomicClusterCursors cursors = new AtomicClusterCursors(2);
        cursors.primaryPersisted(journal);
        cursors.replicaConnected(0, r0, r0);
        cursors.replicaConnected(1, r1, r1);
        assertEquals(expected, evaluator.position(PERSISTED_2, cursors));
        assertFalse(evaluator.isDegraded());
    }

    @Test
    void aDisconnectedReplicaIsIgnoredWhateverItHolds()
    {
        final AtomicClusterCursors cursors = new AtomicClusterCursors(2);
        cursors.primaryPersisted(100);
        cursors.replicaConnected(0, 80, 80);
        cursors.replicaConnected(1, 1_000_000, 1_000_000);
        cursors.replicaDisconnected(1);
        assertEquals(80, evaluator.position(PERSISTED_2, cursors), "r1's huge cursor must not count");
        cursors.replicaPositions(1, 0, 0);
        assertEquals(80, evaluator.position(PERSISTED_2, cursors), "nor its zero");
        assertFalse(evaluator.isDegraded());
    }

    @Test
    void mixedClausesTakeTheMinimum()
    {
        final AtomicClusterCursors cursors = new AtomicClusterCursors(2);
        cursors.primaryPersisted(90);
        cursors.replicaConnected(0, 60, 20);
        assertEquals(60, evaluator.position(MIXED, cursors), "persisted>=1 gives 90, in memory>=2 gives 60");
        assertEquals(PolicyEvaluator.Bottleneck.REPLICATION, evaluator.bottleneck());
        cursors.primaryPersisted(30);
        assertEquals(30, evaluator.position(MIXED, cursors), "now the journal limits");
        assertEquals(PolicyEvaluator.Bottleneck.JOURNAL, evaluator.bottleneck());
    }

    @Test
    void theWorkedExampleOfTheDesignDocument()
    {
        final AtomicClusterCursors cursors = new AtomicClusterCursors(2);
        cursors.primaryPersisted(90);
        cursors.replicaConnected(0, 60, 20);
        cursors.replicaConnected(1, 500, 500);
        cursors.replicaDisconnected(1);
        assertEquals(60, evaluator.position(MIXED, cursors));
        assertEquals(PolicyEvaluator.Bottleneck.REPLICATION, evaluator.bottleneck());
        assertFalse(evaluator.isDegraded());
    }

    @Test
    void localMeansThePrimarysJournalEvenWhenAReplicaHasPersistedMore()
    {
        final AtomicClusterCursors cursors = new AtomicClusterCursors(1);
        cursors.primaryPersisted(90);
        cursors.replicaConnected(0, 200, 200);
        final DurabilityPolicy local = DurabilityPolicy.named("local").primary(PERSISTED);
        assertEquals(90, evaluator.position(local, cursors));
        assertEquals(PolicyEvaluator.Bottleneck.JOURNAL, evaluator.bottleneck());
        assertEquals(200, evaluator.position(PERSISTED_1, cursors), "whereas persisted >= 1 counts any node");
    }

    @Test
    void aPersistedPositionAlsoCountsAsInMemory()
    {
        final AtomicClusterCursors cursors = new AtomicClusterCursors(1);
        cursors.primaryPersisted(90);
        cursors.replicaConnected(0, 10, 40); // persisted ahead of what it reports in memory
        assertEquals(40, evaluator.position(MIXED, cursors));
    }

    @Test
    void aFreshClusterIsNotDegradedAndAtZero()
    {
        final AtomicClusterCursors cursors = new AtomicClusterCursors(2);
        cursors.replicaConnected(0, 0, 0);
        cursors.replicaConnected(1, 0, 0);
        for (final DurabilityPolicy policy : new DurabilityPolicy[] {PERSISTED_1, PERSISTED_2, MIXED})
        {
            assertEquals(0, evaluator.position(policy, cursors), policy.toString());
            assertFalse(evaluator.isDegraded(), policy.toString());
        }
    }

    @Test
    void aReplicaSeenActiveAtZeroNeverOpensTheGateAboveAnHonestEvaluation()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final DurabilityPolicy[] policies = {PERSISTED_1, PERSISTED_2, MIXED,
            DurabilityPolicy.named("p3").atLeast(3, PERSISTED), DurabilityPolicy.named("m3").atLeast(3, IN_MEMORY)};
        for (int trial = 0; trial < 20_000; trial++)
        {
            final AtomicClusterCursors honest = new AtomicClusterCursors(3);
            final AtomicClusterCursors racing = new AtomicClusterCursors(3);
            final long journal = random.nextLong(0, 1_000);
            honest.primaryPersisted(journal);
            racing.primaryPersisted(journal);
            for (int r = 0; r < 3; r++)
            {
                final long persisted = random.nextLong(0, 1_000);
                final long memory = persisted + random.nextLong(0, 100);
                final int state = random.nextInt(3); // 0 inactive, 1 active, 2 connecting (seen active at 0)
                if (state == 1)
                {
                    honest.replicaConnected(r, memory, persisted);
                    racing.replicaConnected(r, memory, persisted);
                }
                else if (state == 2)
                {
                    racing.replicaConnected(r, 0, 0);
                    if (random.nextBoolean())
                    {
                        honest.replicaConnected(r, memory, persisted); // honest: its real positions
                    }
                }
            }
            for (final DurabilityPolicy policy : policies)
            {
                final long racingPosition = evaluator.position(policy, racing);
                final long honestPosition = new PolicyEvaluator(3).position(policy, honest);
                assertTrue(racingPosition <= honestPosition,
                    policy + ": racing view opened at " + racingPosition + " above " + honestPosition);
            }
        }
    }

    /**
     * The measured loop lives in a class without string constants: HotSpot resolves the string constants of a
     * method's class on the thread that requests its C2 (or OSR) compilation, which would be counted here.
     */
    static final class Loop
    {
        static long run(final PolicyEvaluator evaluator, final DurabilityPolicy a, final DurabilityPolicy b,
            final ClusterCursors cursors, final int n)
        {
            long sink = 0;
            for (int i = 0; i < n; i++)
            {
                sink += evaluator.position(a, cursors) + evaluator.position(b, cursors);
            }
            return sink;
        }
    }

    @Test
    void evaluationAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final AtomicClusterCursors cursors = new AtomicClusterCursors(4);
        cursors.primaryPersisted(100);
        cursors.replicaConnected(0, 90, 80);
        cursors.replicaConnected(2, 95, 85);
        long sink = 0;
        for (int i = 0; i < 20; i++)
        {
            sink += Loop.run(evaluator, MIXED, PERSISTED_2, cursors, 50_000); // warm-up: compiled before measuring
        }
        final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        sink += Loop.run(evaluator, MIXED, PERSISTED_2, cursors, 1_000_000);
        final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(sink > 0);
        assertEquals(0, allocated, "bytes allocated by 2,000,000 evaluations");
    }
}
