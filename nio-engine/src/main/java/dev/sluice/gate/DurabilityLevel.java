package dev.sluice.gate;

/** How durable a position is on a node. A position persisted on a node also counts as held in memory there. */
public enum DurabilityLevel
{
    /** Held in the node's memory (received). */
    IN_MEMORY,
    /** Written to the node's journal (persisted). */
    PERSISTED
}
