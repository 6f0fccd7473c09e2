package dev.sluice.gate;

/**
 * The positions a durability policy is evaluated over, implemented by the application (its journal and replication)
 * and read lock-free by the loop. The primary always holds everything in memory; its persisted position is the
 * journal's. Each replica slot has an active flag and two positions.
 * <p>
 * Readers call {@link #isReplicaActive(int)} before reading that replica's positions. A replica that has just
 * connected must report its positions from that connection (0 until it acknowledges), never stale ones from an
 * earlier session: a 0 can only hold the gate back, a stale value could open it too early.
 */
public interface ClusterCursors
{
    /** @return the primary's persisted (journal) position. */
    long primaryPersisted();

    /** @return the number of replica slots (active or not). */
    int replicaSlots();

    /**
     * Whether a replica is connected; inactive replicas are left out of the view, never counted as 0.
     *
     * @param replica replica slot.
     * @return true if connected.
     */
    boolean isReplicaActive(int replica);

    /**
     * @param replica replica slot.
     * @return the position the replica holds in memory.
     */
    long replicaInMemory(int replica);

    /**
     * @param replica replica slot.
     * @return the position the replica has persisted.
     */
    long replicaPersisted(int replica);
}
