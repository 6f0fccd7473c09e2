package dev.sluice.examples.fix;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What a FIX session keeps across reconnects and gateway restarts, per client, in memory-mapped files under the store
 * directory: the next outgoing MsgSeqNum and the execution reports sent (each with its MsgSeqNum and SendingTime), so
 * a ResendRequest is answered with the reports themselves (PossDupFlag, OrigSendingTime) and gap fills only over admin
 * messages. Writing is a store into mapped memory: no system call per message; the operating system writes the pages
 * out, so the store survives the process, not a power loss.
 * <p>
 * Files: {@code sequences} (per client: next MsgSeqNum out, reports kept), {@code <client>.reports} (a ring of
 * {@code reportsKept} slots: MsgSeqNum, SendingTime, the report's record). Once the ring wraps, the oldest reports can
 * no longer be resent.
 * <p>
 * <b>Threading:</b> the gateway's loop thread.
 */
final class FixSessionStore implements AutoCloseable
{
    private static final int SEQUENCES_SLOT = 16;
    private static final int NEXT_OUT = 0;
    private static final int REPORTS = 8;
    private static final int SLOT = 16 + ((ExecutionReports.LENGTH + 7) & ~7);

    private final byte[][] clients;
    private final int kept;
    private final MappedByteBuffer sequencesMap;
    private final UnsafeBuffer sequences;
    private final MappedByteBuffer[] reportMaps;
    private final UnsafeBuffer[] reports;

    /**
     * Opens (or creates) the store.
     *
     * @param dir     the store directory (created if missing), or null to keep everything in memory.
     * @param clients the clients' CompIDs: each has its slot and its file.
     * @param kept    reports kept per client for resends.
     * @throws IOException if the files cannot be made.
     */
    FixSessionStore(final Path dir, final byte[][] clients, final int kept) throws IOException
    {
        this.clients = clients;
        this.kept = kept;
        reportMaps = new MappedByteBuffer[clients.length];
        reports = new UnsafeBuffer[clients.length];
        if (dir == null) // in memory: kept across reconnects, not across restarts
        {
            sequencesMap = null;
            sequences = new UnsafeBuffer(new byte[clients.length * SEQUENCES_SLOT]);
            for (int i = 0; i < clients.length; i++)
            {
                reports[i] = new UnsafeBuffer(new byte[kept * SLOT]);
            }
            return;
        }
        Files.createDirectories(dir);
        sequencesMap = map(dir.resolve("sequences").toFile(), (long)clients.length * SEQUENCES_SLOT);
        sequences = new UnsafeBuffer(sequencesMap);
        for (int i = 0; i < clients.length; i++)
        {
            final String name = new String(clients[i], StandardCharsets.US_ASCII) + ".reports";
            reportMaps[i] = map(dir.resolve(name).toFile(), (long)kept * SLOT);
            reports[i] = new UnsafeBuffer(reportMaps[i]);
        }
    }

    private static MappedByteBuffer map(final File file, final long length)
    {
        return file.exists() && file.length() == length ? IoUtil.mapExistingFile(file, file.getName()) :
            IoUtil.mapNewFile(file, length, true);
    }

    /** @return the client's slot in the store. */
    int index(final byte[] client)
    {
        for (int i = 0; i < clients.length; i++)
        {
            if (clients[i] == client)
            {
                return i;
            }
        }
        throw new IllegalArgumentException("not a configured client");
    }

    /** A Logon: the session goes on from where the store says, or starts over (ResetSeqNumFlag). */
    void logOn(final int client, final FixSession session, final boolean reset)
    {
        if (reset)
        {
            sequences.putLong(client * SEQUENCES_SLOT + NEXT_OUT, 1);
            sequences.putLong(client * SEQUENCES_SLOT + REPORTS, 0);
        }
        session.nextOut = Math.max(1, sequences.getLong(client * SEQUENCES_SLOT + NEXT_OUT));
    }

    /** A message went out: the next MsgSeqNum is kept. */
    void sent(final int client, final long nextOut)
    {
        sequences.putLong(client * SEQUENCES_SLOT + NEXT_OUT, nextOut);
    }

    /** A report went out with this MsgSeqNum and SendingTime: it is kept for resends. */
    void report(final int client, final long msgSeqNum, final long sendingMillis, final DirectBuffer record,
        final int at)
    {
        final long count = sequences.getLong(client * SEQUENCES_SLOT + REPORTS);
        final int slot = slot(count);
        final UnsafeBuffer ring = reports[client];
        ring.putLong(slot, msgSeqNum);
        ring.putLong(slot + 8, sendingMillis);
        ring.putBytes(slot + 16, record, at, ExecutionReports.LENGTH);
        sequences.putLong(client * SEQUENCES_SLOT + REPORTS, count + 1);
    }

    /** @return reports kept for the client, oldest first from {@link #oldest}. */
    long reportCount(final int client)
    {
        return sequences.getLong(client * SEQUENCES_SLOT + REPORTS);
    }

    /** @return the number of the oldest report still kept ({@code n} of {@link #reportAt}). */
    long oldest(final int client)
    {
        return Math.max(0, reportCount(client) - kept);
    }

    /** @return the MsgSeqNum of the {@code n}th report sent. */
    long msgSeqNum(final int client, final long n)
    {
        return reports[client].getLong(slot(n));
    }

    /** @return the SendingTime of the {@code n}th report sent. */
    long sendingMillis(final int client, final long n)
    {
        return reports[client].getLong(slot(n) + 8);
    }

    /** @return the buffer holding the {@code n}th report's record, at {@link #recordAt}. */
    DirectBuffer records(final int client)
    {
        return reports[client];
    }

    /** @return where the {@code n}th report's record starts in {@link #records}. */
    int recordAt(final long n)
    {
        return slot(n) + 16;
    }

    private int slot(final long n)
    {
        return (int)(n % kept) * SLOT;
    }

    @Override
    public void close()
    {
        if (sequencesMap == null)
        {
            return;
        }
        IoUtil.unmap(sequencesMap);
        for (final MappedByteBuffer map : reportMaps)
        {
            IoUtil.unmap(map);
        }
    }
}
