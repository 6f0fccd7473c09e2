package dev.sluice.examples.fix;

import java.nio.charset.StandardCharsets;

import dev.sluice.connection.Connection;

/**
 * The session layer's MsgSeqNum rules for messages from the client.
 * <p>
 * <b>Threading:</b> the loop thread.
 */
final class FixSequenceRules
{
    /** {@link #check}: the message is next in sequence; handle it. */
    static final int NEXT = 0;
    /** {@link #check}: a gap before it; only a ResendRequest is answered now. */
    static final int GAP = 1;
    /** {@link #check}: nothing more to do with it. */
    static final int DROP = 2;

    private static final byte[] RESEND_REQUEST = {'2'};
    private static final byte[] YES = {'Y'};
    private static final byte[] TOO_LOW = "MsgSeqNum too low, expecting ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MISSING_SEQUENCE =
        "MsgSeqNum missing, expecting ".getBytes(StandardCharsets.US_ASCII);

    private final FixOutbound outbound;

    FixSequenceRules(final FixOutbound outbound)
    {
        this.outbound = outbound;
    }

    /**
     * The MsgSeqNum rules: a message next in sequence is handled ({@link #NEXT}); a number too low without
     * PossDupFlag ends the session (Logout saying why, then a close) and a possible duplicate is ignored
     * ({@link #DROP}); a gap is answered with a ResendRequest, once, and the message waits for it to be filled
     * ({@link #GAP}: only a ResendRequest is answered past a gap, so that gaps both ways cannot deadlock). A
     * SequenceReset-GapFill obeys the same rules before it moves what is expected; a SequenceReset-Reset moves it
     * whatever its number.
     *
     * @return {@link #NEXT}, {@link #GAP} or {@link #DROP}.
     */
    int check(final Connection connection, final FixSession session, final int msgType, final FixMessage in)
    {
        final long sequence = in.getLong(34, -1);
        final boolean gapFill = msgType == '4' && in.valueIs(123, YES);
        if (msgType == '4' && !gapFill)
        {
            session.expect(in.getLong(36, -1));
            return DROP;
        }
        if (sequence < 0)
        {
            outbound.logout(connection, session, MISSING_SEQUENCE, session.nextIn);
            return DROP;
        }
        if (sequence < session.nextIn)
        {
            if (!in.valueIs(43, YES))
            {
                outbound.logout(connection, session, TOO_LOW, session.nextIn);
            }
            return DROP; // a duplicate already handled
        }
        if (sequence > session.nextIn)
        {
            if (!session.resendPending)
            {
                outbound.begin(RESEND_REQUEST, session).put(7, session.nextIn).put(16, 0);
                outbound.send(connection, session);
                session.resendPending = true;
            }
            return gapFill ? DROP : GAP;
        }
        session.nextIn = sequence + 1;
        if (gapFill)
        {
            session.expect(in.getLong(36, -1));
            return DROP;
        }
        session.resendPending = false;
        return NEXT;
    }
}
