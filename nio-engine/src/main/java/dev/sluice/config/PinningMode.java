package dev.sluice.config;

/**
 * Whether event loop threads are pinned to CPUs with OpenHFT affinity.
 */
public enum PinningMode
{
    /** No pinning: the operating system schedules loop threads. The default. */
    NONE,
    /** Each loop takes any free reservable CPU ({@code AffinityLock.acquireLock()}). */
    ANY_CORE,
    /** Loop {@code i} takes the {@code i}-th CPU of the configured list, and only that CPU. */
    CORES
}
