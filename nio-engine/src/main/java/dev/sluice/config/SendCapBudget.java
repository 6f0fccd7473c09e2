package dev.sluice.config;

import dev.sluice.push.PushConfig;

/**
 * How one connection's send cap is shared: what low-priority traffic may take before shedding stops it, what pushes
 * can still add once the connection's writes turn partial, and what room push groups leave for the connection's own
 * pushes. Worked out once from the configuration; {@link #check} refuses a configuration whose queues could take a
 * peer past its cap although its producers hold back.
 */
final class SendCapBudget
{
    private final int sendCap;
    private final PushConfig push;
    private final int header;
    private final int shedBytes;

    SendCapBudget(final int sendCap, final PushConfig push, final int header)
    {
        this.sendCap = sendCap;
        this.push = push;
        this.header = header;
        this.shedBytes = (int)(sendCap * push.lowPriorityShedShare());
    }

    /** Refuses queue sizes, a shed share and a cap that do not fit together (the messages say what to change). */
    void check()
    {
        // Shedding is checked per queue record: the largest low record (a push, or a batch of an eighth of the queue)
        // must fit above the share, so low-priority traffic alone never takes a peer to its cap.
        final long largestLowRecord = wireBytes(push.lowQueueBytes() / 8) + header;
        require(push.lowPriorityShedShare() == 1 || sendCap - shedBytes >= largestLowRecord,
            "low-priority traffic taken just below the shed share must still fit under the send cap: sendCap (" +
            sendCap + ") minus the shed share (" + shedBytes + ") is less than the largest low-priority push or " +
            "batch (" + largestLowRecord + " bytes on the wire); lower lowPriorityShedShare or the low queue size, " +
            "or raise sendCap");
        final long skipperBound = backedUpBound(largestLowRecord);
        require(skipperBound <= sendCap,
            "the push queues are too large for the send cap: a producer that skips backed-up peers could still see " +
            "one dropped, since up to " + skipperBound + " bytes may reach a peer's send buffer after its writes " +
            "turn partial (twice the high queue of " + push.highQueueBytes() + " bytes, plus " +
            (push.lowPriorityShedShare() == 1 ? "twice the low queue" : "the shed share and one low record") +
            ") and sendCap is " + sendCap + "; lower the queue sizes or raise sendCap");
    }

    /**
     * Most bytes that pushes can put in a connection's send buffer from the start of the loop iteration in which its
     * writes turn partial, if producers push nothing once they see {@code isBackedUp()}: the loop moves at most one
     * queue's worth of each priority per connection per iteration, so the high queue contributes what it handed over
     * in that iteration and what it held when the flag turned; low frames are appended only while the unsent bytes
     * are at or below the shed share, so they add at most one record above it (or, without shedding, twice the low
     * queue like the high one).
     */
    private long backedUpBound(final long largestLowRecord)
    {
        final long high = 2 * wireBytes(push.highQueueBytes());
        final long lowUnshed = 2 * wireBytes(push.lowQueueBytes());
        return high + (push.lowPriorityShedShare() == 1 ? lowUnshed :
            Math.min(lowUnshed, (long)shedBytes + largestLowRecord));
    }

    /** @return see {@link EngineConfig#lowPriorityShedBytes()}. */
    int shedBytes()
    {
        return shedBytes;
    }

    /** @return see {@link EngineConfig#groupHighRoom()}. */
    int groupHighRoom()
    {
        final long own = 2 * wireBytes(push.highQueueBytes()) +
            (push.lowPriorityShedShare() == 1 ? 2 * wireBytes(push.lowQueueBytes()) : 0);
        return (int)Math.max(0, sendCap - own);
    }

    /** @return see {@link EngineConfig#groupLowRoom()}. */
    int groupLowRoom()
    {
        return Math.min(shedBytes, groupHighRoom());
    }

    /**
     * Most bytes on the wire for frames taking {@code queueBytes} in a push queue: a frame there takes its payload
     * and at least 4 bytes (alone, an 8-byte record header; inside a batch, its wire form), so only a codec header
     * longer than 4 bytes makes the wire form larger.
     */
    private long wireBytes(final int queueBytes)
    {
        return queueBytes + (long)(queueBytes / Integer.BYTES) * Math.max(0, header - Integer.BYTES);
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
