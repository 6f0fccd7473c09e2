package dev.sluice.examples.fix;

import java.nio.charset.StandardCharsets;

import dev.sluice.connection.Connection;

/**
 * Answers a client's ResendRequest from the session store: each execution report in the range is sent again as it
 * was (its MsgSeqNum, PossDupFlag=Y, OrigSendingTime), and every run of admin messages between them is covered by one
 * SequenceReset-GapFill. A range that reaches back past the reports still kept ends the session with a Logout saying
 * so: a gap fill would tell the client those reports never happened.
 * <p>
 * <b>Threading:</b> the loop thread.
 */
final class FixResend
{
    private static final byte[] SEQUENCE_RESET = {'4'};
    private static final byte[] YES = {'Y'};
    private static final byte[] CANNOT_RESEND =
        "Execution reports no longer kept, cannot resend from MsgSeqNum ".getBytes(StandardCharsets.US_ASCII);

    private final FixOutbound outbound;
    private final FixSessionStore store;
    private final FixOrderEntry orders;

    FixResend(final FixOutbound outbound, final FixSessionStore store, final FixOrderEntry orders)
    {
        this.outbound = outbound;
        this.store = store;
        this.orders = orders;
    }

    /**
     * @param begin BeginSeqNo.
     * @param end   EndSeqNo (0: everything sent so far).
     */
    void resend(final Connection connection, final FixSession session, final long begin, final long end)
    {
        final long stop = end == 0 || end >= session.nextOut ? session.nextOut : end + 1;
        final int client = session.storeIndex;
        final long count = store.reportCount(client);
        long k = store.oldest(client);
        if (k > 0 && begin < store.msgSeqNum(client, k)) // reports before the oldest kept may be in the range
        {
            outbound.logout(connection, session, CANNOT_RESEND, begin);
            return;
        }
        while (k < count && store.msgSeqNum(client, k) < begin)
        {
            k++;
        }
        long next = begin;
        for (; k < count && store.msgSeqNum(client, k) < stop; k++)
        {
            final long msgSeqNum = store.msgSeqNum(client, k);
            if (next < msgSeqNum)
            {
                gapFill(connection, session, next, msgSeqNum);
            }
            final int at = store.recordAt(k);
            outbound.beginDuplicate(ExecutionReports.msgType(store.records(client), at), session, msgSeqNum,
                store.sendingMillis(client, k));
            orders.encodeReplay(store.records(client), at, outbound.encoder());
            outbound.send(connection, session);
            next = msgSeqNum + 1;
        }
        if (next < stop)
        {
            gapFill(connection, session, next, stop);
        }
    }

    private void gapFill(final Connection connection, final FixSession session, final long from, final long to)
    {
        outbound.beginDuplicate(SEQUENCE_RESET, session, from, System.currentTimeMillis()).put(123, YES)
            .put(36, to);
        outbound.send(connection, session);
    }
}
