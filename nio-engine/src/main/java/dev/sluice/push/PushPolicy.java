package dev.sluice.push;

/** What a non-blocking push does when the queue is full or the rate limit is reached. */
public enum PushPolicy
{
    /** Answer {@link PushResult#QUEUE_FULL} or {@link PushResult#RATE_LIMITED}; the caller decides. The default. */
    ERROR_IF_FULL,
    /** Answer {@link PushResult#DROPPED} and count it; for fan-out where a late frame is worthless. */
    DROP_IF_FULL,
    /** Like {@link #DROP_IF_FULL}, and log a warning at most once a second per loop. */
    WARN_AND_DROP
}
