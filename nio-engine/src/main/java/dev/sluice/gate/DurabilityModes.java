package dev.sluice.gate;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named durability modes and the operator's switch between them. The mode is an int in an {@link AtomicInteger}
 * that anything (an admin command, a control-plane thread) may set at run time; the loop reads it on every gate
 * evaluation through {@link #current()}, so a change applies even to a batch already waiting. A value that names no
 * mode keeps the mode in force and logs one error per bad value.
 * <p>
 * <b>Threading:</b> {@link #select(int)} and {@link #switchValue()} from any thread; {@link #current()} from the loop
 * thread only (it remembers the last value it saw).
 */
public final class DurabilityModes
{
    /** Mode: persisted by the primary's journal. */
    public static final int LOCAL = 0;
    /** Mode: persisted on one node and held in memory on two. */
    public static final int HYBRID = 1;
    /** Mode: persisted on two nodes. */
    public static final int REPLICATED = 2;

    private static final Logger LOG = System.getLogger("dev.sluice.gate");

    private final DurabilityPolicy[] policies;
    private final AtomicInteger selected;
    private int lastSeen;
    private DurabilityPolicy inForce;

    /**
     * The standard modes: {@link #LOCAL}, {@link #HYBRID}, {@link #REPLICATED}.
     *
     * @param switchValue the shared mode value; its current value must name a mode.
     * @return the modes.
     */
    public static DurabilityModes standard(final AtomicInteger switchValue)
    {
        return new DurabilityModes(switchValue,
            DurabilityPolicy.named("local").primary(DurabilityLevel.PERSISTED),
            DurabilityPolicy.named("hybrid")
                .atLeast(1, DurabilityLevel.PERSISTED).atLeast(2, DurabilityLevel.IN_MEMORY),
            DurabilityPolicy.named("replicated").atLeast(2, DurabilityLevel.PERSISTED));
    }

    /**
     * Modes numbered by their position in {@code policies}.
     *
     * @param switchValue the shared mode value; its current value must name a mode.
     * @param policies    the policy of each mode.
     */
    public DurabilityModes(final AtomicInteger switchValue, final DurabilityPolicy... policies)
    {
        this.policies = policies.clone();
        this.selected = switchValue;
        final int initial = switchValue.get();
        if (initial < 0 || initial >= policies.length)
        {
            throw new IllegalArgumentException("initial mode " + initial + " names no mode (0.." +
                (policies.length - 1) + ")");
        }
        lastSeen = initial;
        inForce = policies[initial];
    }

    /**
     * Asks for a mode (any thread). An unknown value is logged and ignored by the loop.
     *
     * @param mode the mode number.
     */
    public void select(final int mode)
    {
        selected.set(mode);
    }

    /** @return the shared value operators change. */
    public AtomicInteger switchValue()
    {
        return selected;
    }

    /**
     * The policy in force (loop thread). Reads the switch; on a change to a known mode, switches; on an unknown
     * value, keeps the prior mode and logs an error once.
     *
     * @return the policy to evaluate now.
     */
    public DurabilityPolicy current()
    {
        final int value = selected.get();
        if (value != lastSeen)
        {
            lastSeen = value;
            if (value >= 0 && value < policies.length)
            {
                inForce = policies[value];
                LOG.log(Level.INFO, "durability mode is now " + inForce);
            }
            else
            {
                LOG.log(Level.ERROR, "unknown durability mode " + value + "; keeping " + inForce);
            }
        }
        return inForce;
    }
}
