package dev.sluice.gate;

import java.util.concurrent.TimeUnit;

/**
 * Settings of the durability gate: where positions come from, which modes exist, and the sizes of the response
 * path. Enable the gate with {@code EngineConfig.builder().gate(GateConfig...)}.
 */
public final class GateConfig
{
    private final ClusterCursors cursors;
    private final DurabilityModes modes;
    private final int ringCapacity;
    private final int batchArenaBytes;
    private final BatchEndEncoder batchEnd;
    private final int batchEndMaxLength;
    private final long idleCheckNs;

    /**
     * The gate with default sizes: a 1 MiB response ring per loop, a 256 KiB batch arena, the 8-byte sequence
     * terminator, and an idle re-evaluation every 100 ms.
     *
     * @param cursors positions the policy is evaluated over (must report as many replica slots as it will ever use).
     * @param modes   the named modes and the operator's switch.
     */
    public GateConfig(final ClusterCursors cursors, final DurabilityModes modes)
    {
        this(cursors, modes, 1 << 20, 256 * 1024, BatchEndEncoder.SEQUENCE, 8, TimeUnit.MILLISECONDS.toNanos(100));
    }

    /**
     * The gate with every setting given.
     *
     * @param cursors           positions the policy is evaluated over.
     * @param modes             the named modes and the operator's switch.
     * @param ringCapacity      bytes of each loop's response ring (a power of 2).
     * @param batchArenaBytes   bytes a waiting batch may hold (at least the largest frame).
     * @param batchEnd          the terminator encoder.
     * @param batchEndMaxLength most bytes the terminator payload takes.
     * @param idleCheckNs       how often the policy is re-evaluated with no traffic (for the degraded flag).
     */
    public GateConfig(final ClusterCursors cursors, final DurabilityModes modes, final int ringCapacity,
        final int batchArenaBytes, final BatchEndEncoder batchEnd, final int batchEndMaxLength, final long idleCheckNs)
    {
        if (Integer.bitCount(ringCapacity) != 1 || batchArenaBytes < 64 || batchEndMaxLength < 0 || idleCheckNs <= 0)
        {
            throw new IllegalArgumentException("ring capacity must be a power of 2, arena at least 64 bytes");
        }
        this.cursors = cursors;
        this.modes = modes;
        this.ringCapacity = ringCapacity;
        this.batchArenaBytes = batchArenaBytes;
        this.batchEnd = batchEnd;
        this.batchEndMaxLength = batchEndMaxLength;
        this.idleCheckNs = idleCheckNs;
    }

    /** @return the cursors. */
    public ClusterCursors cursors()
    {
        return cursors;
    }

    /** @return the modes. */
    public DurabilityModes modes()
    {
        return modes;
    }

    /** @return bytes of each loop's response ring. */
    public int ringCapacity()
    {
        return ringCapacity;
    }

    /** @return bytes a waiting batch may hold. */
    public int batchArenaBytes()
    {
        return batchArenaBytes;
    }

    /** @return the terminator encoder. */
    public BatchEndEncoder batchEnd()
    {
        return batchEnd;
    }

    /** @return most bytes of a terminator payload. */
    public int batchEndMaxLength()
    {
        return batchEndMaxLength;
    }

    /** @return the idle re-evaluation interval. */
    public long idleCheckNs()
    {
        return idleCheckNs;
    }
}
