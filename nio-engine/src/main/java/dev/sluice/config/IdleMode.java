package dev.sluice.config;

/**
 * What an event loop thread does when an iteration found no work.
 */
public enum IdleMode
{
    /**
     * Spin on {@code selectNow()}: lowest latency, one core burnt per loop. For pinned HFT deployments with a
     * core to spare; never woken by producers, since it never sleeps.
     */
    BUSY_SPIN,

    /**
     * Spin, then yield, then park for growing intervals (Agrona {@code BackoffIdleStrategy}). Latency after a quiet
     * spell is bounded by the longest park.
     */
    BACKOFF,

    /**
     * Block in {@code select(timeout)}; a producer wakes the selector only when the loop has said it is parked,
     * once per park. The default: it behaves well on a machine with few cores.
     */
    BLOCKING
}
