package dev.sluice.examples.fix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.sluice.engine.Engine;
import dev.sluice.gate.AtomicClusterCursors;
import dev.sluice.gate.DurabilityLevel;
import dev.sluice.gate.DurabilityModes;
import dev.sluice.gate.DurabilityPolicy;
import dev.sluice.gate.GateConfig;
import dev.sluice.gate.ResponsePublisher;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * The gateway's order entry: NewOrderSingle and OrderCancelRequest checked and handed from the loop to the matching
 * thread ({@link OrderCommands}, {@link MatchingEngine}), and the execution reports that come back through the
 * engine's durability gate. Ungated, a report is released as soon as the matching thread publishes it; gated, once
 * the {@link OrderJournal} has forced it to disk.
 * <p>
 * <b>Threading:</b> {@link #submit} and {@link #encode} on the loop thread; the matching thread and, gated, the
 * journal thread are started here.
 */
final class FixOrderEntry implements AutoCloseable
{
    /** {@link #submit}: handed to the matching thread. */
    static final int SUBMITTED = 0;
    /** {@link #submit}: the ring is full; say "not now" and offer the message again later. */
    static final int NOT_NOW = 1;
    /** {@link #submit}: a required field is missing or its value is wrong ({@link #refTag}, {@link #reason}). */
    static final int INVALID = 2;
    /** Side values FIX 4.4 defines. */
    private static final byte[] SIDES = "123456789ABCDEFG".getBytes(StandardCharsets.US_ASCII);
    /** OrdType values FIX 4.4 defines. */
    private static final byte[] ORD_TYPES = "123456789ABCDEFGHIJKLMP".getBytes(StandardCharsets.US_ASCII);
    /** TimeInForce values FIX 4.4 defines. */
    private static final byte[] TIMES_IN_FORCE = "01234567".getBytes(StandardCharsets.US_ASCII);
    /** Gate mode: reports go as soon as they are matched. */
    static final int UNGATED = 0;
    /** Gate mode: reports go once the journal holds them. */
    static final int GATED = 1;

    private final byte[][] symbols;
    private final OrderCommands commands = new OrderCommands(1 << 20);
    private final MatchingEngine matching;
    private final Thread matchingThread;
    private final OrderJournal journal;
    private final Thread journalThread;
    private final AtomicClusterCursors cursors;
    private final AtomicLong releasedAhead = new AtomicLong();
    private long[] pendingCancels = new long[64];
    private int pendingCount;
    private int refTag;
    private int reason;

    /**
     * @param symbols   the symbols traded (their index is their id).
     * @param responses the engine's response publisher.
     * @param cursors   the gate's cursors (the journal moves the primary's).
     * @param journal   the journal file, or null to run ungated.
     * @throws IOException if the journal cannot be opened.
     */
    FixOrderEntry(final String[] symbols, final ResponsePublisher responses, final AtomicClusterCursors cursors,
        final Path journal) throws IOException
    {
        this.cursors = cursors;
        this.symbols = new byte[symbols.length][];
        for (int i = 0; i < symbols.length; i++)
        {
            this.symbols[i] = symbols[i].getBytes(StandardCharsets.US_ASCII);
        }
        this.journal = journal == null ? null : new OrderJournal(journal, cursors, responses, idle());
        final MatchingEngine.Sequencer sequencer = this.journal != null ? this.journal : new MatchingEngine.Sequencer()
        {
            private long next;

            @Override
            public long append(final DirectBuffer record, final int length)
            {
                return ++next;
            }
        };
        this.matching = new MatchingEngine(commands, symbols.length, 4096, responses, sequencer, idle(),
            System.currentTimeMillis() * 1_000_000L);
        this.matchingThread = new Thread(matching, "fix-matching");
        this.matchingThread.setDaemon(true);
        this.matchingThread.start();
        this.journalThread = this.journal == null ? null : new Thread(this.journal, "fix-journal");
        if (journalThread != null)
        {
            journalThread.setDaemon(true);
            journalThread.start();
        }
    }

    /**
     * Starts the order entry of a gateway's engine; if it cannot start, the engine is closed again (nothing is left
     * running).
     *
     * @throws IOException if the journal cannot be opened.
     */
    static FixOrderEntry start(final Engine engine, final String[] symbols, final AtomicClusterCursors cursors,
        final Path journal) throws IOException
    {
        try
        {
            return new FixOrderEntry(symbols, engine.responses(), cursors, journal);
        }
        catch (final IOException | RuntimeException ex)
        {
            engine.close();
            throw ex;
        }
    }

    /**
     * The gate's configuration for the gateway: mode {@link #UNGATED} (the primary in memory, which is always
     * current) or {@link #GATED} (the primary's journal).
     *
     * @param cursors the cursors the journal moves.
     * @param gated   true to hold reports until the journal has them.
     * @return the gate's configuration.
     */
    static GateConfig gate(final AtomicClusterCursors cursors, final boolean gated)
    {
        return new GateConfig(cursors, new DurabilityModes(new AtomicInteger(gated ? GATED : UNGATED),
            DurabilityPolicy.named("ungated").primary(DurabilityLevel.IN_MEMORY),
            DurabilityPolicy.named("gated").primary(DurabilityLevel.PERSISTED)));
    }

    private static BackoffIdleStrategy idle()
    {
        return new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100));
    }

    /**
     * Checks a NewOrderSingle ('D') or OrderCancelRequest ('F') and hands it to the matching thread (loop thread).
     *
     * @return {@link #SUBMITTED}, {@link #NOT_NOW} or {@link #INVALID}.
     */
    int submit(final long connectionId, final int msgType, final FixMessage in)
    {
        retryCancels();
        if (pendingCount > 0)
        {
            return NOT_NOW; // a closed session's cancel goes first: no order may trade with what it leaves
        }
        if (!OrderCommands.idFits(in, 11))
        {
            return invalid(11, in.find(11) ? 5 : 1);
        }
        if (!OrderCommands.idFits(in, 55))
        {
            return invalid(55, in.find(55) ? 5 : 1);
        }
        final int symbol = symbol(in);
        final byte side = charValue(in, 54);
        if (side == 0)
        {
            return invalid(54, 1);
        }
        if (!defined(SIDES, side))
        {
            return invalid(54, 5);
        }
        // A value FIX defines but this book does not trade (a short sale, a stop order, good-till-cancel) is a
        // business matter: the order is rejected with an execution report (OrdRejReason 11), not the message.
        byte unsupported = side == '1' || side == '2' ? 0 : (byte)11;
        if (msgType == 'F')
        {
            if (unsupported != 0)
            {
                return invalid(54, 5);
            }
            if (!OrderCommands.idFits(in, 41))
            {
                return invalid(41, in.find(41) ? 5 : 1);
            }
            return commands.offerCancel(connectionId, symbol, side, in) ? SUBMITTED : NOT_NOW;
        }
        final long quantity = in.getDecimal(38, 0, -1);
        if (quantity <= 0 || quantity > OrderCommands.MAX_QUANTITY)
        {
            return invalid(38, in.find(38) ? 5 : 1);
        }
        final byte ordType = charValue(in, 40);
        if (ordType == 0 || !defined(ORD_TYPES, ordType))
        {
            return invalid(40, ordType == 0 ? 1 : 5);
        }
        unsupported = ordType == '1' || ordType == '2' ? unsupported : 11;
        final long price = ordType == '2' ? in.getDecimal(44, OrderCommands.PRICE_SCALE, -1) : 0;
        if (ordType == '2' && (price <= 0 || price > OrderCommands.MAX_PRICE))
        {
            return invalid(44, in.find(44) ? 5 : 1);
        }
        final byte timeInForce = in.find(59) ? charValue(in, 59) : (byte)'0';
        if (!defined(TIMES_IN_FORCE, timeInForce))
        {
            return invalid(59, 5);
        }
        unsupported = timeInForce == '0' || timeInForce == '3' ? unsupported : 11;
        return commands.offerNew(connectionId, symbol, side, ordType, timeInForce, quantity, price, unsupported, in) ?
            SUBMITTED : NOT_NOW;
    }

    /**
     * A connection closed (loop thread): its resting orders are canceled, now or, if the ring is full, at the next
     * chance ({@link #retryCancels}).
     */
    void connectionClosed(final long connectionId)
    {
        retryCancels();
        if (!commands.offerCancelAll(connectionId))
        {
            if (pendingCount == pendingCancels.length)
            {
                pendingCancels = java.util.Arrays.copyOf(pendingCancels, pendingCount * 2); // a storm of closes
            }
            pendingCancels[pendingCount++] = connectionId;
        }
    }

    /** Hands over cancels that found the ring full (loop thread; called on the gateway's callbacks). */
    void retryCancels()
    {
        while (pendingCount > 0 && commands.offerCancelAll(pendingCancels[pendingCount - 1]))
        {
            pendingCount--;
        }
    }

    /** @return the tag an {@link #INVALID} message was refused for (RefTagID). */
    int refTag()
    {
        return refTag;
    }

    /** @return SessionRejectReason of an {@link #INVALID} message: 1 required tag missing, 5 value incorrect. */
    int reason()
    {
        return reason;
    }

    /**
     * Writes the body of the message for a released report (loop thread), after its header.
     *
     * @param sequence its sequence (the journal's, gated).
     * @param record the record the gate released.
     * @param at     where it starts.
     * @param out    the encoder, with the header written.
     */
    void encode(final long sequence, final DirectBuffer record, final int at, final FixEncoder out)
    {
        if (journal != null && sequence > cursors.primaryPersisted())
        {
            releasedAhead.incrementAndGet(); // never, if the gate does its job: a test watches this
        }
        ExecutionReports.encode(record, at, symbols, out);
    }

    /** Writes the body of a report sent before, again (loop thread; a resend). */
    void encodeReplay(final DirectBuffer record, final int at, final FixEncoder out)
    {
        ExecutionReports.encode(record, at, symbols, out);
    }

    /** @return reports released before the journal held them (gated; 0 unless the gate is wrong). */
    long releasedAheadOfJournal()
    {
        return releasedAhead.get();
    }

    /** @return the last record the journal has forced to disk (0 ungated). */
    long journalPosition()
    {
        return cursors.primaryPersisted();
    }

    /** @return forces the journal made (0 ungated). */
    long journalForces()
    {
        return journal == null ? 0 : journal.forces();
    }

    private int invalid(final int tag, final int why)
    {
        refTag = tag;
        reason = why;
        return INVALID;
    }

    private int symbol(final FixMessage in)
    {
        for (int i = 0; i < symbols.length; i++)
        {
            if (in.valueIs(55, symbols[i]))
            {
                return i;
            }
        }
        return -1;
    }

    private static boolean defined(final byte[] values, final byte value)
    {
        for (final byte defined : values)
        {
            if (defined == value)
            {
                return true;
            }
        }
        return false;
    }

    private static byte charValue(final FixMessage in, final int tag)
    {
        return in.find(tag) && in.valueLength() == 1 ? in.buffer().getByte(in.valueAt()) : 0;
    }

    /** Stops the matching thread, then the journal once it has written what it holds. */
    @Override
    public void close()
    {
        matching.stop();
        join(matchingThread);
        if (journal != null)
        {
            journal.close();
            join(journalThread);
            if (journalThread.isAlive())
            {
                return; // still writing: the file stays open for it
            }
            try
            {
                journal.closeFile();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    private static void join(final Thread thread)
    {
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
