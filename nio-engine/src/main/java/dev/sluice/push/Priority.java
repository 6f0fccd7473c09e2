package dev.sluice.push;

/** The two push priorities. High goes first; see {@link PushConfig#maxHighBeforeLow()} for how low is not starved. */
public enum Priority
{
    /** Heartbeats, halts, anything that must overtake a stream. */
    HIGH,
    /** Bulk and streaming traffic. */
    LOW
}
