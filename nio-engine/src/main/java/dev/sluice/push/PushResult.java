package dev.sluice.push;

/** What happened to one push. Constants, so answering allocates nothing. */
public enum PushResult
{
    /** Queued for the connection; it will be sent unless the connection closes first. */
    ACCEPTED,
    /** The priority's queue (or the loop's frame-slot pool) was full. */
    QUEUE_FULL,
    /** The connection's token bucket had no token. */
    RATE_LIMITED,
    /** The connection behind the handle is closed (or its slot now serves another peer). */
    CLOSED,
    /** The payload is larger than a push slot or the codec allows. */
    FRAME_TOO_LARGE,
    /** Not queued, by the drop policy, because the queue was full or the rate limit was reached. */
    DROPPED,
    /**
     * Low priority only: refused because the bytes waiting for the connection passed the shed share of its send cap
     * ({@code PushConfig.lowPriorityShedShare}); high-priority pushes still go. Whatever the policy: the peer is
     * behind, and more low-priority traffic would only push it to the cap. A blocking push waits for the shedding to
     * end, up to its timeout.
     */
    SHED
}
