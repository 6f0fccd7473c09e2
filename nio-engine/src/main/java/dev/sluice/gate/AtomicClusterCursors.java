package dev.sluice.gate;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A ready-made {@link ClusterCursors}: the journal and replication code set positions from their own threads, the
 * loop reads them. Each value is a volatile long; a replica's flag and positions are separate values, so set the
 * positions to 0 (or the replica's acknowledged positions) <em>before</em> marking it active, and mark it inactive
 * before reusing its slot.
 */
public final class AtomicClusterCursors implements ClusterCursors
{
    private final AtomicLong primaryPersisted = new AtomicLong();
    private final AtomicLongArray active;
    private final AtomicLongArray inMemory;
    private final AtomicLongArray persisted;

    /**
     * Creates cursors with every position 0 and every replica inactive.
     *
     * @param replicaSlots number of replica slots.
     */
    public AtomicClusterCursors(final int replicaSlots)
    {
        active = new AtomicLongArray(replicaSlots);
        inMemory = new AtomicLongArray(replicaSlots);
        persisted = new AtomicLongArray(replicaSlots);
    }

    /** @param position the primary's journal position. */
    public void primaryPersisted(final long position)
    {
        primaryPersisted.set(position);
    }

    /**
     * Marks a replica connected, with the positions it has acknowledged on this connection (0 if none yet).
     *
     * @param replica   replica slot.
     * @param memory    in-memory position.
     * @param journaled persisted position.
     */
    public void replicaConnected(final int replica, final long memory, final long journaled)
    {
        inMemory.set(replica, memory);
        persisted.set(replica, journaled);
        active.set(replica, 1);
    }

    /** @param replica replica slot that disconnected. */
    public void replicaDisconnected(final int replica)
    {
        active.set(replica, 0);
    }

    /**
     * Records a replica's acknowledged positions.
     *
     * @param replica   replica slot.
     * @param memory    in-memory position.
     * @param journaled persisted position.
     */
    public void replicaPositions(final int replica, final long memory, final long journaled)
    {
        inMemory.set(replica, memory);
        persisted.set(replica, journaled);
    }

    @Override
    public long primaryPersisted()
    {
        return primaryPersisted.get();
    }

    @Override
    public int replicaSlots()
    {
        return active.length();
    }

    @Override
    public boolean isReplicaActive(final int replica)
    {
        return active.get(replica) != 0;
    }

    @Override
    public long replicaInMemory(final int replica)
    {
        return inMemory.get(replica);
    }

    @Override
    public long replicaPersisted(final int replica)
    {
        return persisted.get(replica);
    }
}
