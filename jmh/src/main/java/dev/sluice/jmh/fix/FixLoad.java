package dev.sluice.jmh.fix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.sluice.codec.FrameCodec;
import dev.sluice.examples.fix.FixFrameCodec;
import dev.sluice.examples.fix.FixMessage;
import org.HdrHistogram.Histogram;

/**
 * A FIX 4.4 order-entry load client that speaks tag=value directly over NIO socket channels, on one thread and
 * without garbage once its sessions are logged on: N sessions ({@code LOADk}, to {@code GATEWAY}, HeartBtInt 30,
 * ResetSeqNumFlag=Y), each keeping {@code window} NewOrderSingles in flight. An order is done when its
 * ExecutionReport New (ExecType 0) comes back; the time from writing the order to reading that report is its
 * latency (an HdrHistogram). Orders alternate buy and sell at one price, so each sell fills the buy before it and the
 * book stays empty; the fills' execution reports are read, checked and counted. One session with a window of 1 is
 * the latency case (one order in flight at a time); many sessions with a larger window, the throughput case.
 * <p>
 * Incoming messages are framed (BodyLength, CheckSum) and parsed in place with the FIX gateway's own
 * {@link FixFrameCodec} and {@link FixMessage}. Anything a healthy run does not produce (a Reject, a Logout, a gap in
 * MsgSeqNum, a rejected order, an acknowledgement out of order) stops the run with an exception saying what came.
 * A TestRequest is answered with a Heartbeat.
 */
public final class FixLoad implements Consumer<SelectionKey>
{
    /** How long the sessions have to answer the Logout at the end. */
    private static final long LOGOUT_NS = TimeUnit.SECONDS.toNanos(5);

    /**
     * What one run measured, all over the measured time.
     *
     * @param ordersPerSecond     ExecutionReports New per second.
     * @param p50Ns               median order latency (order written to its ExecutionReport New read).
     * @param p99Ns               99th percentile.
     * @param p999Ns              99.9th percentile.
     * @param orders              orders acknowledged.
     * @param fills               fill reports (ExecType F) received: as many as orders when every sell fills a buy.
     * @param seconds             the measured time.
     * @param clientBytesPerOrder bytes the client's thread allocated per order.
     */
    public record Result(double ordersPerSecond, long p50Ns, long p99Ns, long p999Ns, long orders, long fills,
        double seconds, double clientBytesPerOrder)
    {
    }

    /** Told on the client's thread when the measured time starts and when it has ended, e.g. to read a counter. */
    public interface Window
    {
        /**
         * The measured time starts once this returns.
         *
         * @throws IOException if what it reads cannot be read.
         */
        void started() throws IOException;

        /**
         * The measured time has ended.
         *
         * @throws IOException if what it reads cannot be read.
         */
        void ended() throws IOException;
    }

    /** A window that does nothing. */
    private static final Window NO_WINDOW = new Window()
    {
        @Override
        public void started()
        {
        }

        @Override
        public void ended()
        {
        }
    };

    private final LoadSession[] sessions;
    private final Selector selector;
    private final LoadMessages messages = new LoadMessages();
    private final FixFrameCodec framing = new FixFrameCodec(LoadMessages.MAX_MESSAGE * 4);
    private final FixMessage in = new FixMessage();
    private final Histogram latency = new Histogram(1, TimeUnit.SECONDS.toNanos(60), 3);
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private long acked;
    private long fills;
    private long nowNs;
    private long millis;
    private boolean measuring;
    private boolean closing;
    private int pendingWrites;

    private FixLoad(final InetSocketAddress server, final String prefix, final int first, final int count,
        final int window) throws IOException
    {
        selector = Selector.open();
        sessions = new LoadSession[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                sessions[i] = new LoadSession(server, prefix + (first + i), window);
                sessions[i].logOn(messages, framing, in);
                sessions[i].channel.register(selector, SelectionKey.OP_READ, sessions[i]);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * Runs the load against any FIX 4.4 acceptor on 127.0.0.1 and prints what it measured (sessions LOAD1 to LOADn;
     * defaults 9878, 1, 1, 5; two seconds of warm-up first):
     * <pre>
     * java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -XX:AutoBoxCacheMax=65536 \
     *     -cp jmh/target/benchmarks.jar dev.sluice.jmh.fix.FixLoad [port] [sessions] [window] [seconds]
     * </pre>
     *
     * @param args the options above.
     * @throws IOException if a connection fails.
     */
    public static void main(final String[] args) throws IOException
    {
        final int port = args.length > 0 ? Integer.parseInt(args[0]) : 9878;
        final int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        final int window = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        final long seconds = args.length > 3 ? Long.parseLong(args[3]) : 5;
        final Result result = run(new InetSocketAddress("127.0.0.1", port), 1, sessions, window,
            TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(seconds), NO_WINDOW);
        System.out.printf("%,.0f orders/s, latency p50 %,d ns, p99 %,d ns, p99.9 %,d ns (%,d orders and %,d fills in "
            + "%.1f s; client %.2f bytes/order)%n", result.ordersPerSecond(), result.p50Ns(), result.p99Ns(),
            result.p999Ns(), result.orders(), result.fills(), result.seconds(), result.clientBytesPerOrder());
    }

    /**
     * Runs the load: logs the sessions on, sends orders through the warm-up and the measured time, logs them out.
     *
     * @param server    where the acceptor listens.
     * @param first     the number of the first session ({@code LOADfirst}).
     * @param sessions  how many sessions.
     * @param window    orders in flight per session at most.
     * @param warmupNs  time before measuring.
     * @param measureNs time measured.
     * @param measured  told when the measured time starts and ends.
     * @return what was measured.
     * @throws IOException if a connection fails or the Logon is refused.
     */
    public static Result run(final InetSocketAddress server, final int first, final int sessions, final int window,
        final long warmupNs, final long measureNs, final Window measured) throws IOException
    {
        final FixLoad load = new FixLoad(server, "LOAD", first, sessions, window);
        try
        {
            final Result result = load.drive(warmupNs, measureNs, measured);
            load.logOut();
            return result;
        }
        finally
        {
            load.close();
        }
    }

    private Result drive(final long warmupNs, final long measureNs, final Window measured) throws IOException
    {
        final long start = System.nanoTime();
        final long measureFrom = start + warmupNs;
        final long end = measureFrom + measureNs;
        long ackedBefore = 0;
        long fillsBefore = 0;
        long measuredStart = start;
        long allocatedBefore = 0;
        nowNs = start;
        millis = System.currentTimeMillis();
        for (final LoadSession session : sessions)
        {
            session.topUp(messages, nowNs, millis);
            flush(session);
        }
        while (nowNs < end)
        {
            if (!measuring && nowNs >= measureFrom)
            {
                measured.started();
                measuring = true;
                latency.reset();
                ackedBefore = acked;
                fillsBefore = fills;
                measuredStart = System.nanoTime();
                allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            }
            poll();
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        final double seconds = (nowNs - measuredStart) / 1e9;
        final long orders = acked - ackedBefore;
        measuring = false;
        measured.ended();
        return new Result(orders / seconds, latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
            latency.getValueAtPercentile(99.9), orders, fills - fillsBefore, seconds,
            orders == 0 ? Double.NaN : (double)allocated / orders);
    }

    /** Finishes pending writes, then waits for input: blocking in the selector unless a write is still pending. */
    private void poll() throws IOException
    {
        if (pendingWrites > 0)
        {
            pendingWrites = 0;
            for (final LoadSession session : sessions)
            {
                if (session.writePending)
                {
                    flush(session);
                }
            }
        }
        if (pendingWrites > 0)
        {
            selector.selectNow(this);
        }
        else
        {
            selector.select(this, 10);
        }
        nowNs = System.nanoTime();
    }

    private void flush(final LoadSession session) throws IOException
    {
        if (session.flush())
        {
            pendingWrites++;
        }
    }

    @Override
    public void accept(final SelectionKey key)
    {
        final LoadSession session = (LoadSession)key.attachment();
        try
        {
            final int read = session.channel.read(session.receive);
            nowNs = System.nanoTime();
            if (read < 0)
            {
                if (!closing)
                {
                    throw new IllegalStateException(session.name + ": the server closed the connection");
                }
                session.ended = true;
                key.cancel();
                return;
            }
            millis = System.currentTimeMillis();
            session.receive.flip();
            int at = 0;
            int length;
            while ((length = framing.frameLength(session.receiveView, at, session.receive.remaining() - at)) > 0)
            {
                received(session, at, length);
                at += length;
            }
            if (length != FrameCodec.NEED_MORE)
            {
                throw new IllegalStateException(session.name + ": a garbled message from the server: " +
                    session.text(at, Math.min(200, session.receive.remaining() - at)));
            }
            session.receive.position(at);
            session.receive.compact();
            if (!closing)
            {
                session.topUp(messages, nowNs, millis);
            }
            if (!session.writePending)
            {
                flush(session);
            }
        }
        catch (final IOException ex)
        {
            if (!closing)
            {
                throw new UncheckedIOException(session.name + ": " + ex.getMessage(), ex);
            }
            session.ended = true; // a reset after the Logout ends the session as well as its answer would
            key.cancel();
        }
    }

    /** One whole message from the server. */
    private void received(final LoadSession session, final int at, final int length)
    {
        in.wrap(session.receiveView, at, length);
        final long sequence = in.getLong(34, -1);
        if (sequence != session.expectedIn)
        {
            throw unexpected(session, at, length, "MsgSeqNum " + sequence + ", expected " + session.expectedIn);
        }
        session.expectedIn++;
        final int msgType = in.msgType();
        if (msgType == '8')
        {
            final int execType = in.find(150) && in.valueLength() == 1 ? session.receiveView.getByte(in.valueAt()) : 0;
            if (execType == '0')
            {
                final long ns = session.acknowledged(in.getLong(11, -1), nowNs);
                acked++;
                if (measuring)
                {
                    latency.recordValue(Math.max(1, ns));
                }
            }
            else if (execType == 'F')
            {
                fills++;
            }
            else
            {
                throw unexpected(session, at, length, "an execution report");
            }
        }
        else if (msgType == '1')
        {
            final int idLength = in.find(112) ? in.valueLength() : 0;
            session.heartbeat(messages, millis, in.valueAt(), idLength);
        }
        else if (msgType == '5' && closing)
        {
            session.ended = true;
        }
        else if (msgType != '0')
        {
            throw unexpected(session, at, length, "a message");
        }
    }

    private IllegalStateException unexpected(final LoadSession session, final int at, final int length,
        final String what)
    {
        return new IllegalStateException(session.name + ": unexpected " + what + ": " + session.text(at, length));
    }

    /** Sends every session a Logout and waits (a few seconds at most) for the answers or the connections' ends. */
    private void logOut() throws IOException
    {
        closing = true;
        millis = System.currentTimeMillis();
        for (final LoadSession session : sessions)
        {
            session.logout(messages, millis);
            flush(session);
        }
        final long deadline = System.nanoTime() + LOGOUT_NS;
        int ended = 0;
        while (ended < sessions.length && nowNs < deadline)
        {
            poll();
            ended = 0;
            for (final LoadSession session : sessions)
            {
                ended += session.ended ? 1 : 0;
            }
        }
    }

    private void close() throws IOException
    {
        selector.close();
        for (final LoadSession session : sessions)
        {
            if (session != null)
            {
                session.close();
            }
        }
    }
}
