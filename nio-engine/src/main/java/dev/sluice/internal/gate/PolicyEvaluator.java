package dev.sluice.internal.gate;

import dev.sluice.gate.ClusterCursors;
import dev.sluice.gate.DurabilityLevel;
import dev.sluice.gate.DurabilityPolicy;

/**
 * Evaluates a {@link DurabilityPolicy} over {@link ClusterCursors} without allocating: one scratch array, sized for
 * the primary plus every replica slot, is reused by every call.
 * <p>
 * Each call reads the cursors once: every active replica's flag, then its positions. A replica observed active with
 * positions still 0 can only lower a clause's K-th largest value, never raise it, so a race with a connecting replica
 * holds the gate back rather than opening it early.
 * <p>
 * <b>Threading:</b> one evaluator per loop thread; not thread-safe.
 */
public final class PolicyEvaluator
{
    /** Which input limited the last evaluation. */
    public enum Bottleneck
    {
        /** The policy is met by every position there is (or has no clause). */
        NONE,
        /** The primary's journal is the limiting position. */
        JOURNAL,
        /** A replica's position, or a missing replica, is the limit. */
        REPLICATION
    }

    private static final long PRIMARY_IN_MEMORY = Long.MAX_VALUE;

    private final long[] values;
    private final boolean[] fromPrimary;
    private boolean degraded;
    private Bottleneck bottleneck = Bottleneck.NONE;

    /**
     * Creates an evaluator.
     *
     * @param replicaSlots the most replica slots the cursors will have.
     */
    public PolicyEvaluator(final int replicaSlots)
    {
        values = new long[replicaSlots + 1];
        fromPrimary = new boolean[replicaSlots + 1];
    }

    /**
     * The position the policy allows responses up to (inclusive).
     *
     * @param policy  the policy.
     * @param cursors the current positions.
     * @return the durable position; 0 when the policy cannot be met (see {@link #isDegraded()}).
     */
    public long position(final DurabilityPolicy policy, final ClusterCursors cursors)
    {
        degraded = false;
        bottleneck = Bottleneck.NONE;
        long position = Long.MAX_VALUE;
        for (int clause = 0; clause < policy.clauses(); clause++)
        {
            final int k = policy.nodes(clause);
            if (k == DurabilityPolicy.PRIMARY)
            {
                final long primary = policy.level(clause) == DurabilityLevel.PERSISTED ?
                    cursors.primaryPersisted() : PRIMARY_IN_MEMORY;
                if (primary < position)
                {
                    position = primary;
                    bottleneck = Bottleneck.JOURNAL;
                }
                continue;
            }
            final int view = collect(policy.level(clause), cursors);
            if (k > view)
            {
                degraded = true;
                bottleneck = Bottleneck.REPLICATION;
                return 0;
            }
            final int index = kthLargest(view, k);
            if (values[index] < position)
            {
                position = values[index];
                bottleneck = fromPrimary[index] ? Bottleneck.JOURNAL : Bottleneck.REPLICATION;
            }
        }
        if (position == PRIMARY_IN_MEMORY)
        {
            bottleneck = Bottleneck.NONE;
        }
        return position;
    }

    /** @return true if the last evaluation found a clause that cannot be met by the current view. */
    public boolean isDegraded()
    {
        return degraded;
    }

    /** @return what limited the last evaluation. */
    public Bottleneck bottleneck()
    {
        return bottleneck;
    }

    /** Fills the scratch array with the view's positions at a level; returns how many nodes the view has. */
    private int collect(final DurabilityLevel level, final ClusterCursors cursors)
    {
        final boolean persisted = level == DurabilityLevel.PERSISTED;
        values[0] = persisted ? cursors.primaryPersisted() : PRIMARY_IN_MEMORY;
        fromPrimary[0] = true;
        int n = 1;
        final int slots = Math.min(cursors.replicaSlots(), values.length - 1);
        for (int r = 0; r < slots; r++)
        {
            if (cursors.isReplicaActive(r))
            {
                final long journaled = cursors.replicaPersisted(r);
                values[n] = persisted ? journaled : Math.max(journaled, cursors.replicaInMemory(r));
                fromPrimary[n] = false;
                n++;
            }
        }
        return n;
    }

    /** Orders the first {@code n} values descending (insertion sort: a handful of nodes) and returns index k-1. */
    private int kthLargest(final int n, final int k)
    {
        for (int i = 1; i < n; i++)
        {
            final long v = values[i];
            final boolean p = fromPrimary[i];
            int j = i - 1;
            while (j >= 0 && values[j] < v)
            {
                values[j + 1] = values[j];
                fromPrimary[j + 1] = fromPrimary[j];
                j--;
            }
            values[j + 1] = v;
            fromPrimary[j + 1] = p;
        }
        return k - 1;
    }
}
