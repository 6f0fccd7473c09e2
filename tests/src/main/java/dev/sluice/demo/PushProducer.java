package dev.sluice.demo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.sluice.push.Priority;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The demonstration's push producer: one application thread (not a loop thread) pushing to the connections
 * round-robin at a fixed total rate, with non-blocking pushes under the engine's policy. Every 4th push to a
 * connection is high priority (heartbeat-like), the others low (notices); the payload is the one
 * {@link LoadClient} checks: the type byte, then the connection's next sequence number for that priority, which
 * advances only when a push is accepted.
 * <p>
 * <b>Pacing:</b> push {@code n} is due at {@code start + n / rate}. The thread pushes what is due, then parks until
 * the next push is due, but at least {@link #MIN_PARK_NS}: each wake-up costs the machine a few microseconds, so
 * above 4,000 pushes/s it pushes small bursts rather than waking once per push. If it falls further behind than
 * {@link #MAX_LAG_NS} (descheduled on a busy machine), the excess is skipped and counted rather than sent as one
 * large burst.
 * <p>
 * <b>Zero garbage:</b> one preallocated direct buffer holds the payload; sequence numbers and results are counted
 * in preallocated arrays.
 * <p>
 * <b>Threading:</b> {@link #start} and {@link #stop} from one thread; the counts after {@link #stop} (the join
 * orders them); {@link #thread()} from any thread.
 */
final class PushProducer
{
    static final long MIN_PARK_NS = TimeUnit.MICROSECONDS.toNanos(250);
    static final long MAX_LAG_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int HIGH_EVERY = 4;
    private static final PushResult[] RESULTS = PushResult.values();

    private final DemoServer server;
    private final double periodNs;
    private final long maxBurst;
    private final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(LoadClient.PUSH_PAYLOAD));
    private final long[] attempts;
    private final long[] acceptedHigh;
    private final long[] acceptedLow;
    private final long[] highResults = new long[RESULTS.length];
    private final long[] lowResults = new long[RESULTS.length];
    private volatile boolean running = true;
    private Thread thread;
    private long skipped;
    private int cursor;

    /**
     * @param server        where the push handles are.
     * @param connections   how many connections there will be.
     * @param ratePerSecond pushes per second over all connections, at least 1.
     */
    PushProducer(final DemoServer server, final int connections, final int ratePerSecond)
    {
        this.server = server;
        this.periodNs = (double)TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        this.maxBurst = Math.max(1, (long)(MAX_LAG_NS / periodNs));
        this.attempts = new long[connections];
        this.acceptedHigh = new long[connections];
        this.acceptedLow = new long[connections];
    }

    /** Starts the producer thread. */
    void start()
    {
        thread = new Thread(this::runLoop, "demo-pusher");
        thread.start();
    }

    /**
     * Stops the thread and waits for it (3 s at most).
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    void stop() throws InterruptedException
    {
        running = false;
        if (thread != null)
        {
            LockSupport.unpark(thread);
            thread.join(TimeUnit.SECONDS.toMillis(3));
        }
    }

    /** @return the producer thread, or null before {@link #start}. */
    Thread thread()
    {
        return thread;
    }

    /**
     * @param priority the priority.
     * @param result   an answer a push can give.
     * @return how many pushes at that priority answered that.
     */
    long count(final Priority priority, final PushResult result)
    {
        return (priority == Priority.HIGH ? highResults : lowResults)[result.ordinal()];
    }

    /** @return pushes not attempted: due while no handle was there yet, or skipped after falling behind. */
    long skipped()
    {
        return skipped;
    }

    private void runLoop()
    {
        final long start = System.nanoTime();
        long n = 0;
        while (running)
        {
            final long now = System.nanoTime();
            final long dueByNow = (long)((now - start) / periodNs) + 1;
            if (dueByNow - n > maxBurst)
            {
                skipped += dueByNow - n - maxBurst;
                n = dueByNow - maxBurst;
            }
            for (; n < dueByNow && running; n++)
            {
                pushOne();
            }
            final long next = start + (long)(n * periodNs);
            LockSupport.parkNanos(Math.max(MIN_PARK_NS, next - System.nanoTime()));
        }
    }

    private void pushOne()
    {
        final int count = server.handleCount();
        if (cursor >= count)
        {
            cursor = 0;
        }
        final PushHandle handle = count == 0 ? null : server.handle(cursor);
        if (handle == null)
        {
            skipped++;
            return;
        }
        final int slot = cursor++;
        final boolean high = attempts[slot]++ % HIGH_EVERY == 0;
        final long[] accepted = high ? acceptedHigh : acceptedLow;
        payload.putByte(0, high ? LoadClient.TYPE_PUSH_HIGH : LoadClient.TYPE_PUSH_LOW);
        payload.putLong(1, accepted[slot] + 1, ByteOrder.BIG_ENDIAN);
        final PushResult result = handle.push(payload, 0, LoadClient.PUSH_PAYLOAD, high ? Priority.HIGH : Priority.LOW);
        if (result == PushResult.ACCEPTED)
        {
            accepted[slot]++;
        }
        (high ? highResults : lowResults)[result.ordinal()]++;
    }
}
