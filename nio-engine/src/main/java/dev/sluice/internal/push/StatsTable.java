package dev.sluice.internal.push;

import java.lang.invoke.VarHandle;

import dev.sluice.push.ConnectionStats;
import dev.sluice.push.PushResult;
import java.util.concurrent.atomic.AtomicLongArray;

import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Every connection slot's figures for {@link ConnectionStats}, in one block of direct memory per loop: per slot a
 * cache-line pair the loop writes (ordered stores, one writer), so readers on other threads never need the loop to
 * stop. Refusals are counted by producers on the connection's own {@link View} (atomic adds, on failures only): a
 * handle kept past its connection's close must never count against the slot's next occupant.
 * <p>
 * <b>Threading:</b> the loop writes the table; producers add refusals to views; anyone reads.
 */
public final class StatsTable
{
    private static final int SLOT_BYTES = 128;
    private static final int CONNECTION_ID = 0;
    private static final int FRAMES_IN = 8;
    private static final int BYTES_IN = 16;
    private static final int FRAMES_OUT = 24;
    private static final int BYTES_OUT = 32;
    private static final int PUSHES_SENT = 40;
    private static final int PENDING = 48;
    private static final int BACKED_UP_NANOS = 56;
    private static final int BACKED_UP_SINCE = 64;
    private static final int HEARTBEATS = 72;
    private static final int PUSHES_DISCARDED = 80;
    /** Refusals, counted on the connection's own view: indexes into {@link View#refusals}. */
    private static final int QUEUE_FULL = 0;
    private static final int RATE_LIMITED = 1;
    private static final int SHED = 2;
    private static final int TOO_LARGE = 3;
    private static final int DROPPED = 4;

    private final AtomicBuffer buffer;
    private final NanoClock clock;

    /**
     * @param slots connection slots of the loop.
     * @param clock the engine's clock (time spent backed up).
     */
    public StatsTable(final int slots, final NanoClock clock)
    {
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(slots * SLOT_BYTES, 64));
        this.clock = clock;
    }

    /** A connection opened on a slot (loop thread): its figures start from 0. */
    void open(final int slot, final long connectionId)
    {
        final int base = slot * SLOT_BYTES;
        // The previous occupant's view was just frozen with a volatile write; the zeroing must not be seen before it.
        VarHandle.storeStoreFence();
        buffer.setMemory(base, SLOT_BYTES, (byte)0);
        buffer.putLongRelease(base + CONNECTION_ID, connectionId);
    }

    /** The connection on a slot closed (loop thread): a stretch backed up ends, and nothing is pending any more. */
    void closed(final int slot)
    {
        backedUp(slot, false);
        buffer.putLongRelease(slot * SLOT_BYTES + PENDING, 0);
    }

    /**
     * Loop thread: frames and bytes received.
     *
     * @param slot   the connection's slot.
     * @param frames whole frames handed over.
     * @param bytes  bytes read.
     */
    public void received(final int slot, final int frames, final int bytes)
    {
        final int base = slot * SLOT_BYTES;
        if (frames != 0)
        {
            add(base + FRAMES_IN, frames);
        }
        if (bytes != 0)
        {
            add(base + BYTES_IN, bytes);
        }
    }

    /**
     * Loop thread: one frame appended for the peer.
     *
     * @param slot the connection's slot.
     */
    public void appended(final int slot)
    {
        add(slot * SLOT_BYTES + FRAMES_OUT, 1);
    }

    /**
     * Loop thread: a run of frames was appended to the connection's send buffer.
     *
     * @param slot   the connection's slot.
     * @param frames frames appended.
     */
    public void appended(final int slot, final int frames)
    {
        add(slot * SLOT_BYTES + FRAMES_OUT, frames);
    }

    /**
     * Loop thread: a write took {@code bytes}, and {@code pending} are left.
     *
     * @param slot    the connection's slot.
     * @param bytes   bytes written.
     * @param pending bytes still waiting.
     */
    public void written(final int slot, final int bytes, final int pending)
    {
        final int base = slot * SLOT_BYTES;
        if (bytes != 0)
        {
            add(base + BYTES_OUT, bytes);
        }
        buffer.putLongRelease(base + PENDING, pending);
    }

    /**
     * Loop thread: the connection became backed up, or drained.
     *
     * @param slot the connection's slot.
     * @param on   true when it became backed up.
     */
    public void backedUp(final int slot, final boolean on)
    {
        final int base = slot * SLOT_BYTES;
        final long now = clock.nanoTime();
        if (on)
        {
            buffer.putLongRelease(base + BACKED_UP_SINCE, now | 1); // never 0: 0 means "not backed up"
        }
        else
        {
            final long since = buffer.getLong(base + BACKED_UP_SINCE);
            if (since != 0)
            {
                add(base + BACKED_UP_NANOS, Math.max(0, now - since)); // the low bit of since is not time
                buffer.putLongRelease(base + BACKED_UP_SINCE, 0);
            }
        }
    }

    /**
     * Loop thread: a periodic heartbeat or an idle keep-alive was appended for the peer.
     *
     * @param slot the connection's slot.
     */
    public void heartbeat(final int slot)
    {
        add(slot * SLOT_BYTES + HEARTBEATS, 1);
    }

    void pushesSent(final int slot, final int frames)
    {
        add(slot * SLOT_BYTES + PUSHES_SENT, frames);
    }

    void pushesDiscarded(final int slot, final int frames)
    {
        add(slot * SLOT_BYTES + PUSHES_DISCARDED, frames);
    }

    private void add(final int index, final long delta)
    {
        buffer.putLongRelease(index, buffer.getLong(index) + delta); // one writer: the loop
    }

    private static int refusalIndex(final PushResult result)
    {
        return switch (result)
        {
            case QUEUE_FULL -> QUEUE_FULL;
            case RATE_LIMITED -> RATE_LIMITED;
            case SHED -> SHED;
            case FRAME_TOO_LARGE -> TOO_LARGE;
            case DROPPED -> DROPPED;
            default -> -1;
        };
    }

    /** @return a view of one connection's figures: live until its slot is opened again ({@link View#freeze}). */
    View view(final int slot, final long connectionId)
    {
        return new View(slot, connectionId);
    }

    /**
     * One connection's {@link ConnectionStats}: live from the table while its slot holds its figures (while it is
     * open, and after its close until the slot serves the next connection, so that pushes discarded at the close
     * still count), from a copy taken then afterwards.
     */
    final class View implements ConnectionStats
    {
        private static final int FIGURES = SLOT_BYTES / Long.BYTES;
        private final int base;
        private final long connectionId;
        private final long[] atClose = new long[FIGURES];
        /** Pushes refused, by {@link #refusalIndex}: added to by producers through this connection's handle. */
        private final AtomicLongArray refusals = new AtomicLongArray(DROPPED + 1);
        private volatile boolean closed;
        private volatile boolean frozen;

        private View(final int slot, final long connectionId)
        {
            this.base = slot * SLOT_BYTES;
            this.connectionId = connectionId;
        }

        /** Producer thread: a push through this connection's handle was refused. */
        void refused(final PushResult result)
        {
            final int index = refusalIndex(result);
            if (index >= 0)
            {
                refusals.getAndIncrement(index);
            }
        }

        /** Loop thread, at the close. */
        void markClosed()
        {
            closed = true;
        }

        /** Loop thread, when the slot is opened for the next connection: copies the figures for readers to use. */
        void freeze()
        {
            final long now = clock.nanoTime();
            for (int i = 0; i < FIGURES; i++)
            {
                atClose[i] = buffer.getLongVolatile(base + i * Long.BYTES);
            }
            final long since = atClose[BACKED_UP_SINCE / Long.BYTES];
            if (since != 0)
            {
                atClose[BACKED_UP_NANOS / Long.BYTES] += Math.max(0, now - since);
                atClose[BACKED_UP_SINCE / Long.BYTES] = 0;
            }
            atClose[PENDING / Long.BYTES] = 0;
            frozen = true; // publishes the copy
        }

        private long get(final int offset)
        {
            if (!frozen)
            {
                final long value = buffer.getLongVolatile(base + offset);
                if (!frozen)
                {
                    return value; // the slot still held this connection's figures when the value was read
                }
            }
            return atClose[offset / Long.BYTES];
        }

        @Override
        public long connectionId()
        {
            return connectionId;
        }

        @Override
        public boolean isOpen()
        {
            return !closed;
        }

        @Override
        public long framesIn()
        {
            return get(FRAMES_IN);
        }

        @Override
        public long bytesIn()
        {
            return get(BYTES_IN);
        }

        @Override
        public long framesOut()
        {
            return get(FRAMES_OUT);
        }

        @Override
        public long bytesOut()
        {
            return get(BYTES_OUT);
        }

        @Override
        public long pushesSent()
        {
            return get(PUSHES_SENT);
        }

        @Override
        public long pushesDiscarded()
        {
            return get(PUSHES_DISCARDED);
        }

        @Override
        public long pushesRefused(final PushResult reason)
        {
            final int index = refusalIndex(reason);
            return index < 0 ? 0 : refusals.get(index);
        }

        @Override
        public long pendingBytes()
        {
            return get(PENDING);
        }

        @Override
        public long heartbeatsSent()
        {
            return get(HEARTBEATS);
        }

        @Override
        public long backedUpNanos()
        {
            final long total = get(BACKED_UP_NANOS);
            final long since = get(BACKED_UP_SINCE);
            return since == 0 ? total : total + Math.max(0, clock.nanoTime() - since);
        }

        @Override
        public String toString()
        {
            return "ConnectionStats[" + connectionId + (closed ? ", closed" : "") + ": in " + framesIn() +
                " frames / " + bytesIn() + " bytes, out " + framesOut() + " frames / " + bytesOut() + " bytes, " +
                pushesSent() + " pushes sent, " + pendingBytes() + " bytes pending, backed up " +
                backedUpNanos() / 1_000 + " us]";
        }
    }
}
