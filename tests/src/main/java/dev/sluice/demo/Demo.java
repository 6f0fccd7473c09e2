package dev.sluice.demo;

import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.IdleMode;
import dev.sluice.engine.CloseReason;
import dev.sluice.engine.Engine;
import org.HdrHistogram.Histogram;

/**
 * The loopback demonstration (the README's first command): an echo engine on 127.0.0.1, driven by non-blocking
 * clients that keep a few requests in flight per connection; prints progress every second, then throughput,
 * round-trip percentiles, the loop threads' allocation per frame, drops and pinning.
 * <pre>{@code
 * mvn -B -Pdemo -DskipTests verify -Ddemo.args="--connections 200 --seconds 5"
 * }</pre>
 */
public final class EchoDemo
{
    /** Each engine connection holds 128 KiB of direct memory; the demo runs with -Xmx1g. */
    private static final int MAX_CONNECTIONS = 5000;
    private static final String USAGE = String.join(System.lineSeparator(),
        "usage: EchoDemo [--connections N] [--seconds S] [--port P] [--loops L] [--idle blocking|backoff|spin]",
        "                [--inflight K] [--payload BYTES]",
        "  --connections N  client connections, up to " + MAX_CONNECTIONS + " (default 100)",
        "  --seconds S      run time including warm-up (default 10)",
        "  --port P         listen port on 127.0.0.1, 0 = any free port (default 0)",
        "  --loops L        engine event loops (default 1)",
        "  --idle MODE      what an idle loop does: blocking, backoff or spin (default blocking)",
        "  --inflight K     requests in flight per connection (default 4)",
        "  --payload BYTES  request payload, at least " + LoadClient.MIN_PAYLOAD + " (default 64)");
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int MAX_CLIENT_THREADS = 2;

    private EchoDemo()
    {
    }

    /**
     * Runs the demonstration, then exits with 0 on success, 1 if it could not run (e.g. the port is in use or the
     * clients failed) and 2 on bad arguments.
     *
     * @param args the options printed by the usage text.
     * @throws Exception on an unexpected failure.
     */
    public static void main(final String[] args) throws Exception
    {
        if (Arrays.asList(args).contains("--help"))
        {
            System.out.println(USAGE);
            return;
        }
        final Options options = Options.parse(args);
        if (options == null)
        {
            System.out.println(USAGE);
            System.exit(2);
        }
        System.exit(run(options));
    }

    private static int run(final Options o) throws Exception
    {
        if (!Object.class.getModule().isOpen("jdk.internal.misc", EchoDemo.class.getModule()))
        {
            System.out.println("run with --add-opens java.base/jdk.internal.misc=ALL-UNNAMED (Agrona's buffers need " +
                "it), as the demo profile does");
            return 1;
        }
        final int frameBytes = 4 + o.payload;
        final EngineConfig config = EngineConfig.builder()
            .loops(o.loops)
            .idleMode(o.idle)
            .maxConnections(Math.max(o.loops, o.connections + 16))
            .sendCap(Math.max(EngineConfig.DEFAULT_SEND_CAP, (o.inflight * frameBytes + 63) & ~63))
            .build();
        final Engine engine = Engine.start(config);
        final InetSocketAddress address;
        try
        {
            address = engine.listen(new InetSocketAddress("127.0.0.1", o.port),
                (connection, buffer, offset, length) -> connection.send(buffer, offset, length));
        }
        catch (final BindException ex)
        {
            engine.close();
            System.out.println(String.valueOf(ex.getMessage()).contains("in use") ?
                "port " + o.port + " is in use; pass --port 0 or another port" : ex.getMessage());
            return 1;
        }
        catch (final Exception ex)
        {
            engine.close();
            throw ex;
        }
        // One client thread per core the loops leave free, one at least: on 2 cores with 1 loop a second client
        // thread buys a little throughput for a much worse tail (3 busy threads on 2 cores).
        final int cores = Runtime.getRuntime().availableProcessors();
        final LoadClient[] clients = new LoadClient[Math.min(Math.max(1, Math.min(MAX_CLIENT_THREADS,
            cores - o.loops)), o.connections)];
        final Run run = new Run(engine, clients);
        try
        {
            for (int i = 0; i < clients.length; i++)
            {
                clients[i] = new LoadClient(o.payload, o.inflight);
            }
            for (int c = 0; c < o.connections; c++)
            {
                clients[c % clients.length].add(address);
            }
            final long warmupNs = Math.min(2 * SECOND_NS, o.seconds * SECOND_NS / 5);
            System.out.printf(Locale.ROOT, "Sluice echo demo: %d connections to %s, %d loop(s), idle %s, %d in " +
                "flight x %d-byte payload, %d client thread(s), %d s (first %.1f s warm-up)%n", o.connections,
                address, o.loops, o.idle, o.inflight, o.payload, clients.length, o.seconds, warmupNs / 1e9);
            for (int i = 0; i < clients.length; i++)
            {
                clients[i].start("demo-client-" + i);
            }
            run.drive(warmupNs, o.seconds * SECOND_NS);
        }
        finally
        {
            for (final LoadClient client : clients)
            {
                if (client != null)
                {
                    client.stop();
                }
            }
            engine.close();
        }
        return run.report();
    }

    /** The command line, parsed and checked. */
    private static final class Options
    {
        private int connections = 100;
        private int seconds = 10;
        private int port;
        private int loops = 1;
        private IdleMode idle = IdleMode.BLOCKING;
        private int inflight = 4;
        private int payload = 64;

        /** @return the options, or null (after saying why) if the arguments are wrong. */
        static Options parse(final String[] args)
        {
            final Options o = new Options();
            try
            {
                for (int i = 0; i < args.length; i += 2)
                {
                    final String name = args[i];
                    final String value = i + 1 < args.length ? args[i + 1] : "";
                    switch (name)
                    {
                        case "--connections" -> o.connections = number(name, value, 1, MAX_CONNECTIONS);
                        case "--seconds" -> o.seconds = number(name, value, 1, 86_400);
                        case "--port" -> o.port = number(name, value, 0, 65_535);
                        case "--loops" -> o.loops = number(name, value, 1, EngineConfig.MAX_LOOPS);
                        case "--inflight" -> o.inflight = number(name, value, 1, 1 << 16);
                        case "--payload" -> o.payload = number(name, value, LoadClient.MIN_PAYLOAD,
                            EngineConfig.DEFAULT_RECEIVE_BUFFER - 4);
                        case "--idle" -> o.idle = switch (value)
                        {
                            case "blocking" -> IdleMode.BLOCKING;
                            case "backoff" -> IdleMode.BACKOFF;
                            case "spin" -> IdleMode.BUSY_SPIN;
                            default -> throw new IllegalArgumentException("--idle needs blocking, backoff or spin");
                        };
                        default -> throw new IllegalArgumentException("unknown option: " + name);
                    }
                }
                if ((long)o.inflight * (4 + o.payload) > 1 << 20)
                {
                    throw new IllegalArgumentException("--inflight x (--payload + 4) must be at most 1 MiB");
                }
                return o;
            }
            catch (final IllegalArgumentException ex)
            {
                System.out.println(ex.getMessage());
                return null;
            }
        }

        private static int number(final String name, final String value, final int min, final int max)
        {
            final long n = value.matches("-?\\d{1,10}") ? Long.parseLong(value) : Long.MIN_VALUE;
            if (n < min || n > max)
            {
                throw new IllegalArgumentException(name + " needs a number from " + min + " to " + max + ": '" +
                    value + "'");
            }
            return (int)n;
        }
    }

    /** The timed part of a run: progress lines, the measured window, and the numbers the report needs. */
    private static final class Run
    {
        private final Engine engine;
        private final LoadClient[] clients;
        private final Histogram[] intervals;
        private final Histogram measured = new Histogram(LoadClient.HIGHEST_NS, 3);
        private final com.sun.management.ThreadMXBean threadBean =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        private final long[] allocated;
        private final long[] framesIn;
        private long measuredNs;
        private long echoed;

        Run(final Engine engine, final LoadClient[] clients)
        {
            this.engine = engine;
            this.clients = clients;
            this.intervals = new Histogram[clients.length];
            this.allocated = new long[engine.loopCount()];
            this.framesIn = new long[engine.loopCount()];
        }

        /** Prints a line a second; measures from the end of the warm-up to the end of the run. */
        void drive(final long warmupNs, final long runNs)
        {
            final long start = System.nanoTime();
            long measureStart = 0;
            long nextTick = start + SECOND_NS;
            long lastTick = start;
            long lastEchoed = 0;
            boolean measuring = false;
            while (true)
            {
                final long now = System.nanoTime();
                if (now - nextTick >= 0)
                {
                    final long total = totalEchoed();
                    drainHistograms();
                    System.out.printf(Locale.ROOT, "%4d s  %,10.0f frames/s  %5d open  p99 %s%n",
                        Math.round((now - start) / 1e9), (total - lastEchoed) * 1e9 / (now - lastTick), openNow(),
                        micros(measured.getValueAtPercentile(99)) + " us" + (measuring ? "" : " (warm-up)"));
                    lastEchoed = total;
                    lastTick = now;
                    nextTick += SECOND_NS;
                }
                if (!measuring && now - start >= warmupNs)
                {
                    drainHistograms();
                    measured.reset();
                    snapshot(-1);
                    measureStart = now;
                    measuring = true;
                }
                if (now - start >= runNs)
                {
                    drainHistograms();
                    snapshot(1);
                    measuredNs = now - measureStart;
                    return;
                }
                final long wake = Math.min(nextTick, start + (measuring ? runNs : warmupNs));
                LockSupport.parkNanos(Math.max(wake - System.nanoTime(), 1));
            }
        }

        /** Prints the report. @return the exit code. */
        int report()
        {
            long slow = 0;
            long malformed = 0;
            long allocatedTotal = 0;
            long framesTotal = 0;
            final StringBuilder loops = new StringBuilder();
            for (int i = 0; i < engine.loopCount(); i++)
            {
                slow += engine.counters(i).closes(CloseReason.SLOW_CONSUMER).get();
                malformed += engine.counters(i).closes(CloseReason.MALFORMED_FRAME).get();
                allocatedTotal += allocated[i];
                framesTotal += framesIn[i];
                loops.append(String.format(Locale.ROOT, "%nloop %-3d             %s; %,d bytes allocated / %,d frames",
                    i, engine.isPinned(i) ? "pinned to CPU " + engine.counters(i).pinnedCpu.get() : "not pinned",
                    allocated[i], framesIn[i]));
            }
            int lost = 0;
            int bad = 0;
            Throwable failure = null;
            for (final LoadClient client : clients)
            {
                lost += client.lost();
                bad += client.badFrames();
                failure = failure != null ? failure : client.failure();
            }
            final boolean autoBox = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(arg -> arg.startsWith("-XX:AutoBoxCacheMax="));
            System.out.printf(Locale.ROOT, """
                --- report: %.1f s measured after the warm-up ---
                frames echoed        %,d
                frames/s             %,.0f
                RTT us               p50 %s  p90 %s  p99 %s  p99.9 %s  max %s
                loop allocation      %s%s
                slow-consumer drops  %,d
                malformed closes     %,d
                -XX:AutoBoxCacheMax  %s
                clients              %,d connections lost, %,d bad echoes%s
                """, measuredNs / 1e9, echoed, echoed * 1e9 / measuredNs,
                micros(measured.getValueAtPercentile(50)), micros(measured.getValueAtPercentile(90)),
                micros(measured.getValueAtPercentile(99)), micros(measured.getValueAtPercentile(99.9)),
                micros(measured.getMaxValue()),
                !threadBean.isThreadAllocatedMemoryEnabled() ? "n/a (thread allocation accounting is off)" :
                framesTotal == 0 ? "n/a (no frames)" :
                String.format(Locale.ROOT, "%.3f bytes/frame", (double)allocatedTotal / framesTotal), loops,
                slow, malformed, autoBox ? "given" : "NOT given: the JDK's epoll selector boxes file descriptors > " +
                "127, so the loop threads allocate; run with -XX:AutoBoxCacheMax=65536",
                lost, bad, failure == null ? "" : "; a client failed: " + failure);
            return echoed > 0 && bad == 0 && failure == null ? 0 : 1;
        }

        /** Takes the start (sign -1) or end (sign 1) of the measured window. */
        private void snapshot(final int sign)
        {
            echoed += sign * totalEchoed();
            for (int i = 0; i < engine.loopCount(); i++)
            {
                final Thread thread = engine.loopThread(i);
                allocated[i] += sign * (thread == null ? 0 : threadBean.getThreadAllocatedBytes(thread.getId()));
                framesIn[i] += sign * engine.counters(i).framesIn.get();
            }
        }

        private void drainHistograms()
        {
            for (int i = 0; i < clients.length; i++)
            {
                intervals[i] = clients[i].intervalHistogram(intervals[i]);
                measured.add(intervals[i]);
            }
        }

        private long totalEchoed()
        {
            return Arrays.stream(clients).mapToLong(LoadClient::echoed).sum();
        }

        private long openNow()
        {
            return IntStream.range(0, engine.loopCount()).mapToLong(i -> engine.counters(i).connectionsOpen.get())
                .sum();
        }

        private static String micros(final long nanos)
        {
            return String.format(Locale.ROOT, "%.1f", nanos / 1000.0);
        }
    }
}
