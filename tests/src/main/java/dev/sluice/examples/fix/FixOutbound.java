package dev.sluice.examples.fix;

import dev.sluice.connection.Connection;
import org.agrona.concurrent.NanoClock;

/**
 * What the gateway sends on a session: each message begins with the standard header (MsgSeqNum, CompIDs,
 * SendingTime) and takes the session's next MsgSeqNum only once it is out, so a message that could not be sent leaves
 * no gap (the next number is kept in the session store); the session-level Reject and the Logout that ends a session.
 * <p>
 * <b>Threading:</b> the loop thread; one message at a time.
 */
final class FixOutbound
{
    private static final byte[] REJECT = {'3'};
    private static final byte[] LOGOUT = {'5'};
    private static final byte[] YES = {'Y'};

    private final byte[] compId;
    private final NanoClock clock;
    private final FixEncoder out = new FixEncoder(4096);
    private final FixSessionStore store;
    private long sendingMillis;

    FixOutbound(final byte[] compId, final NanoClock clock, final FixSessionStore store)
    {
        this.compId = compId;
        this.clock = clock;
        this.store = store;
    }

    /** @return the encoder of the message being written, for its further fields. */
    FixEncoder encoder()
    {
        return out;
    }

    /** @return the engine's time, for the session's liveness. */
    long now()
    {
        return clock.nanoTime();
    }

    /** Begins a message with the session's next MsgSeqNum, which {@link #send} uses up once the message is out. */
    FixEncoder begin(final byte[] msgType, final FixSession session)
    {
        header(out.begin(msgType), session, session.nextOut, -1);
        session.advanceOnSend = true;
        return out;
    }

    /**
     * Begins a possible duplicate with a given MsgSeqNum: PossDupFlag and OrigSendingTime (when the message was first
     * sent), no number used up.
     */
    FixEncoder beginDuplicate(final byte[] msgType, final FixSession session, final long sequence,
        final long origSendingMillis)
    {
        header(out.begin(msgType), session, sequence, origSendingMillis);
        session.advanceOnSend = false;
        return out;
    }

    /** @return the SendingTime of the message being written (epoch milliseconds). */
    long sendingMillis()
    {
        return sendingMillis;
    }

    /** The standard header; a possible duplicate (origSendingMillis not -1) adds PossDupFlag and OrigSendingTime. */
    private void header(final FixEncoder encoder, final FixSession session, final long sequence,
        final long origSendingMillis)
    {
        sendingMillis = System.currentTimeMillis();
        encoder.put(34, sequence).put(49, compId).putTimestamp(52, sendingMillis).put(56, session.client);
        if (origSendingMillis != -1)
        {
            encoder.put(43, YES).putTimestamp(122, origSendingMillis);
        }
    }

    /** @return true if the message went into the connection's send buffer. */
    boolean send(final Connection connection, final FixSession session)
    {
        if (!out.sendTo(connection))
        {
            return false;
        }
        if (session.advanceOnSend)
        {
            session.nextOut++; // a message that could not be sent leaves no gap in the numbers
            store.sent(session.storeIndex, session.nextOut);
        }
        session.lastSentNs = now();
        return true;
    }

    /**
     * A session-level Reject of the message just received (its MsgSeqNum is used up), with RefTagID (none if 0),
     * SessionRejectReason and a text: a field whose tag is not a number (0), a required field missing (1, e.g. no
     * MsgType), a value that is wrong (5).
     */
    void reject(final Connection connection, final FixSession session, final int refTag, final int reason,
        final byte[] text)
    {
        begin(REJECT, session).put(45, session.nextIn - 1);
        if (refTag > 0)
        {
            out.put(371, refTag);
        }
        out.put(373, reason).put(58, text);
        send(connection, session);
    }

    /** A Logout saying why (a text and a number), then the close, which delivers it first. */
    void logout(final Connection connection, final FixSession session, final byte[] why, final long number)
    {
        begin(LOGOUT, session).put(58, why, number);
        send(connection, session);
        endSession(connection, session);
    }

    /** Ends the session: the connection closes once what was sent is out; nothing the peer sends later is read. */
    static void endSession(final Connection connection, final FixSession session)
    {
        session.loggedOn = false;
        connection.close();
    }
}
