package dev.sluice.gate;

import java.util.Arrays;

import dev.sluice.internal.gate.PolicyEvaluator;

/**
 * A durability policy: a conjunction of clauses "at least K nodes at level L". Immutable; built once, e.g.
 * {@code DurabilityPolicy.named("hybrid").atLeast(1, PERSISTED).atLeast(2, IN_MEMORY)}.
 * <p>
 * Semantics (evaluated by {@link PolicyEvaluator}): the view is the primary plus the currently active replicas. A
 * clause's position is the K-th largest position at its level over the view (a node's persisted position also counts
 * as in memory; the primary holds everything in memory); the policy's position is the minimum over its clauses. A
 * clause whose K exceeds the view cannot be met: the policy's position is 0 and the gate is degraded.
 */
public final class DurabilityPolicy
{
    /** {@link #nodes(int)} of a clause on the primary alone. */
    public static final int PRIMARY = 0;

    private final String name;
    private final int[] nodes;
    private final DurabilityLevel[] levels;

    private DurabilityPolicy(final String name, final int[] nodes, final DurabilityLevel[] levels)
    {
        this.name = name;
        this.nodes = nodes;
        this.levels = levels;
    }

    /**
     * Starts a policy with no clause (which is always met) and a name for logs and counters.
     *
     * @param name e.g. "local".
     * @return the empty policy; add clauses with {@link #atLeast}.
     */
    public static DurabilityPolicy named(final String name)
    {
        return new DurabilityPolicy(name, new int[0], new DurabilityLevel[0]);
    }

    /**
     * Adds a clause.
     *
     * @param k     how many nodes, at least 1.
     * @param level at which level.
     * @return a new policy with the clause added.
     */
    public DurabilityPolicy atLeast(final int k, final DurabilityLevel level)
    {
        if (k < 1)
        {
            throw new IllegalArgumentException("a clause needs at least 1 node: " + k);
        }
        final int[] n = Arrays.copyOf(nodes, nodes.length + 1);
        final DurabilityLevel[] l = Arrays.copyOf(levels, levels.length + 1);
        n[nodes.length] = k;
        l[levels.length] = level;
        return new DurabilityPolicy(name, n, l);
    }

    /**
     * Adds a clause on the primary alone: its journal position for {@link DurabilityLevel#PERSISTED} (whatever the
     * replicas hold), everything for {@link DurabilityLevel#IN_MEMORY}.
     *
     * @param level at which level.
     * @return a new policy with the clause added.
     */
    public DurabilityPolicy primary(final DurabilityLevel level)
    {
        final int[] n = Arrays.copyOf(nodes, nodes.length + 1);
        final DurabilityLevel[] l = Arrays.copyOf(levels, levels.length + 1);
        n[nodes.length] = PRIMARY;
        l[levels.length] = level;
        return new DurabilityPolicy(name, n, l);
    }

    /** @return the policy's name. */
    public String name()
    {
        return name;
    }

    /** @return the number of clauses. */
    public int clauses()
    {
        return nodes.length;
    }

    /**
     * @param clause clause index.
     * @return its K, or {@link #PRIMARY} for a clause on the primary alone.
     */
    public int nodes(final int clause)
    {
        return nodes[clause];
    }

    /**
     * @param clause clause index.
     * @return its level.
     */
    public DurabilityLevel level(final int clause)
    {
        return levels[clause];
    }

    @Override
    public String toString()
    {
        final StringBuilder s = new StringBuilder(name).append(':');
        for (int i = 0; i < nodes.length; i++)
        {
            s.append(i == 0 ? " " : " and ");
            if (nodes[i] == PRIMARY)
            {
                s.append("primary ");
            }
            s.append(levels[i] == DurabilityLevel.PERSISTED ? "persisted" : "in memory");
            if (nodes[i] != PRIMARY)
            {
                s.append(" >= ").append(nodes[i]);
            }
        }
        return s.toString();
    }
}
