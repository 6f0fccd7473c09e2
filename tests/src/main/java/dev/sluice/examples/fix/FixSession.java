package dev.sluice.examples.fix;

/**
 * One FIX session's state in the gateway (the connection's attachment): who the client is, the sequence numbers both
 * ways, and the liveness clock (HeartBtInt, what was last sent and received, an outstanding TestRequest).
 * <p>
 * <b>Threading:</b> the connection's loop thread only.
 */
final class FixSession
{
    byte[] client;
    /** The client's slot in the session store (set at the Logon). */
    int storeIndex;
    boolean loggedOn;
    /** An order or cancel of this connection went to the matching thread: its close cancels what rests. */
    boolean ordered;
    long nextOut = 1;
    /** The MsgSeqNum expected from the client next. */
    long nextIn = 1;
    /** A ResendRequest went out and the gap is not filled yet. */
    boolean resendPending;
    /** The message being written takes the next MsgSeqNum (not a possible duplicate with one of its own). */
    boolean advanceOnSend;
    long heartBtIntNs;
    long lastSentNs;
    long lastReceivedNs;
    /** When a TestRequest went unanswered so far, or 0. */
    long testRequestNs;

    /** A SequenceReset: what the client sends next is {@code newSequence}, if that is ahead. */
    void expect(final long newSequence)
    {
        if (newSequence > nextIn)
        {
            nextIn = newSequence;
        }
        resendPending = false;
    }

    /** @return true if a TestRequest went unanswered for a whole HeartBtInt: the client is gone. */
    boolean silentTooLong(final long nowNs)
    {
        return testRequestNs != 0 && nowNs - testRequestNs >= heartBtIntNs;
    }

    /** @return true if nothing came from the client for HeartBtInt and a fifth, and no TestRequest is out. */
    boolean testRequestDue(final long nowNs)
    {
        return testRequestNs == 0 && nowNs - lastReceivedNs >= heartBtIntNs + heartBtIntNs / 5;
    }

    /** @return true if nothing went to the client for HeartBtInt. */
    boolean heartbeatDue(final long nowNs)
    {
        return nowNs - lastSentNs >= heartBtIntNs;
    }

    /** @return how long until one of the three comes due (at least a millisecond). */
    long nextCheckNs(final long nowNs)
    {
        final long next = Math.min(lastSentNs + heartBtIntNs, testRequestNs != 0 ? testRequestNs + heartBtIntNs :
            lastReceivedNs + heartBtIntNs + heartBtIntNs / 5);
        return Math.max(next - nowNs, 1_000_000L);
    }
}
