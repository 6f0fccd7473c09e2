package dev.sluice.examples.fix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

import dev.sluice.gate.AtomicClusterCursors;
import dev.sluice.gate.ResponsePublisher;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The gated gateway's on-disk journal of what the matching thread hands back: the matching thread numbers each
 * record and puts it in a ring ({@link #append}); the journal thread takes what has gathered, writes it to the file
 * in one go and forces it to the disk (group commit: one {@code force} for every record that came meanwhile), then
 * moves the gate's journal cursor to the last record forced, so the gate releases exactly what the disk holds.
 * <p>
 * File format: each run of the gateway begins with a length of 0 and the run's start (epoch milliseconds, long); then,
 * per record, its length (int), its sequence (long, from 1 in each run) and its bytes, in sequence order. Records
 * carry no checksum, and a restart does not read the file back yet.
 * <p>
 * <b>Threading:</b> {@link #append} on the matching thread; {@link #run} on the journal's own thread.
 */
final class OrderJournal implements MatchingEngine.Sequencer, Runnable, MessageHandler, AutoCloseable
{
    private static final int RECORD_HEADER = Integer.BYTES + Long.BYTES;
    /** Records forced together at most: what fits the write buffer. */
    private static final int GROUP = 4096;

    private final OneToOneRingBuffer ring;
    private final FileChannel file;
    private final ByteBuffer group;
    private final UnsafeBuffer groupView;
    private final AtomicClusterCursors cursors;
    private final ResponsePublisher responses;
    private final IdleStrategy idle;
    private final AtomicLong forces = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean failed;
    private long next;
    private long lastInGroup;

    OrderJournal(final Path path, final AtomicClusterCursors cursors, final ResponsePublisher responses,
        final IdleStrategy idle) throws IOException
    {
        this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
        final ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER); // a run begins: length 0, then its start time
        header.putInt(0).putLong(System.currentTimeMillis()).flip();
        try
        {
            while (header.hasRemaining())
            {
                file.write(header);
            }
            file.force(false);
        }
        catch (final IOException ex)
        {
            file.close();
            throw ex;
        }
        this.ring = new OneToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect((1 << 20) + RingBufferDescriptor.TRAILER_LENGTH)));
        this.group = ByteBuffer.allocateDirect(GROUP * (RECORD_HEADER + ExecutionReports.LENGTH));
        this.groupView = new UnsafeBuffer(group);
        this.cursors = cursors;
        this.responses = responses;
        this.idle = idle;
    }

    @Override
    public long append(final DirectBuffer record, final int length)
    {
        final long sequence = ++next;
        int at;
        while ((at = ring.tryClaim(1, Long.BYTES + length)) < 0)
        {
            if (failed || !running)
            {
                return sequence; // never released: the journal's position no longer moves
            }
            Thread.onSpinWait(); // the journal is a ring behind: the matching thread waits for the disk
        }
        ring.buffer().putLong(at, sequence);
        ring.buffer().putBytes(at + Long.BYTES, record, 0, length);
        ring.commit(at);
        return sequence;
    }

    @Override
    public void run()
    {
        try
        {
            while (running || ring.size() > 0)
            {
                group.clear();
                final int records = ring.read(this, GROUP);
                if (records == 0)
                {
                    idle.idle(0);
                    continue;
                }
                idle.reset();
                group.limit(group.position()).position(0);
                while (group.hasRemaining())
                {
                    file.write(group);
                }
                file.force(false);
                forces.incrementAndGet();
                cursors.primaryPersisted(lastInGroup);
                responses.cursorsMoved();
            }
        }
        catch (final IOException ex)
        {
            failed = true;
            System.err.println("order journal: write failed, no execution report is released from here on: " + ex);
        }
    }

    @Override
    public void onMessage(final int type, final MutableDirectBuffer buffer, final int at, final int length)
    {
        final int position = group.position();
        lastInGroup = buffer.getLong(at);
        groupView.putInt(position, length - Long.BYTES);
        groupView.putBytes(position + Integer.BYTES, buffer, at, length);
        group.position(position + Integer.BYTES + length);
    }

    /** @return forces made so far (one per group of records). */
    long forces()
    {
        return forces.get();
    }

    /** Stops the journal thread once the ring is written out (call after the matching thread stopped). */
    @Override
    public void close()
    {
        running = false;
    }

    /** Closes the file (after the journal thread ended). */
    void closeFile() throws IOException
    {
        file.close();
    }
}
