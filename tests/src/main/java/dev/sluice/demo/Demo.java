package dev.sluice.demo;

import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.EngineConfigBuilder;
import dev.sluice.engine.Engine;
import dev.sluice.push.Priority;
import dev.sluice.push.PushResult;

/**
 * The loopback demonstration (the README's first command): an engine on 127.0.0.1 that echoes every request, driven
 * by non-blocking {@link LoadClient}s that keep a few requests in flight per connection, while one application
 * thread ({@link PushProducer}) pushes high- and low-priority frames to every connection at a fixed total rate. It
 * prints progress every second, then a report ({@link DemoReport}): echoes and pushes per second, round-trip
 * percentiles, bytes allocated per frame on each loop thread, pushes accepted, sent and received per priority, what
 * was not accepted, slow-consumer drops and pinning.
 * <pre>{@code
 * mvn -B -Pdemo -DskipTests verify -Ddemo.args="--connections 200 --seconds 5 --push-rate 50000"
 * }</pre>
 */
public final class Demo
{
    private static final int MAX_CLIENT_THREADS = 2;
    private static final long OPEN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long DELIVERY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);

    private Demo()
    {
    }

    /**
     * Runs the demonstration, then exits with the code {@link #run} returns.
     *
     * @param args the options printed by {@code --help}.
     * @throws Exception on an unexpected failure.
     */
    public static void main(final String[] args) throws Exception
    {
        System.exit(run(args, System.out));
    }

    /**
     * Runs the demonstration to its end; every thread it started has ended when it returns.
     *
     * @param args the options printed by {@code --help}.
     * @param out  where progress and the report go.
     * @return 0 on success (and for {@code --help}), 1 if it could not run (e.g. the port is in use) or a check of
     *     the report failed, 2 on bad arguments.
     * @throws Exception on an unexpected failure.
     */
    public static int run(final String[] args, final PrintStream out) throws Exception
    {
        if (Arrays.asList(args).contains("--help"))
        {
            out.println(DemoOptions.USAGE);
            return 0;
        }
        final DemoOptions options = DemoOptions.parse(args, out);
        if (options == null)
        {
            out.println(DemoOptions.USAGE);
            return 2;
        }
        if (!Object.class.getModule().isOpen("jdk.internal.misc", Demo.class.getModule()))
        {
            out.println("run with " + Engine.REQUIRED_JVM_FLAG + " (Agrona's buffers need it), as the demo profile " +
                "does");
            return 1;
        }
        return run(options, out);
    }

    private static int run(final DemoOptions o, final PrintStream out) throws Exception
    {
        final int frameBytes = 4 + o.payload;
        final EngineConfigBuilder builder = EngineConfig.builder()
            .loops(o.loops)
            .idleMode(o.idle)
            .maxConnections(Math.max(o.loops, o.connections + 16))
            .sendCap(Math.max(EngineConfig.DEFAULT_SEND_CAP, (o.inflight * frameBytes + 63) & ~63));
        o.applyPinning(builder);
        final DemoServer server = new DemoServer(o.connections);
        final Engine engine = Engine.start(builder.build());
        final InetSocketAddress address;
        try
        {
            address = engine.listen(new InetSocketAddress("127.0.0.1", o.port), server);
        }
        catch (final BindException ex)
        {
            engine.close();
            out.println(String.valueOf(ex.getMessage()).contains("in use") ?
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
        final PushProducer pusher = o.pushRate == 0 ? null : new PushProducer(server, o.connections, o.pushRate);
        final DemoRun run = new DemoRun(out, engine, clients, pusher);
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
            // While the JIT settles a loop thread still allocates a few hundred bytes, once: a thread that requests
            // a C2 compile makes HotSpot resolve the String literals of that method's class (CompileBroker), a
            // String and a byte[] each. Here that happens in the first 2-3 s (later on a busy machine); the window
            // starts after.
            final long warmupNs = Math.min(3 * DemoRun.SECOND_NS, o.seconds * DemoRun.SECOND_NS * 3 / 10);
            out.printf(Locale.ROOT, "Sluice demo: %d connections to %s, %d loop(s), idle %s, pinning %s; %d in " +
                "flight x %d-byte payload on %d client thread(s); %s; %d s (first %.1f s warm-up)%n", o.connections,
                address, o.loops, o.idle, o.pinning(), o.inflight, o.payload, clients.length,
                pusher == null ? "no pushes" : String.format(Locale.ROOT, "%,d pushes/s from one thread " +
                "(every 4th high priority)", o.pushRate), o.seconds, warmupNs / 1e9);
            for (int i = 0; i < clients.length; i++)
            {
                clients[i].start("demo-client-" + i);
            }
            if (pusher != null)
            {
                awaitHandles(server, o.connections);
                pusher.start();
            }
            run.drive(warmupNs, o.seconds * DemoRun.SECOND_NS);
            if (pusher != null)
            {
                pusher.stop();
                run.awaitPushes(pusher.count(Priority.HIGH, PushResult.ACCEPTED) +
                    pusher.count(Priority.LOW, PushResult.ACCEPTED), DELIVERY_TIMEOUT_NS);
            }
        }
        finally
        {
            if (pusher != null)
            {
                pusher.stop();
            }
            for (final LoadClient client : clients)
            {
                if (client != null)
                {
                    client.stop();
                }
            }
            engine.close();
        }
        return DemoReport.print(out, run);
    }

    /** Waits (a few seconds at most) until every connection has a push handle, so pushes are spread from the start. */
    private static void awaitHandles(final DemoServer server, final int connections)
    {
        final long deadline = System.nanoTime() + OPEN_TIMEOUT_NS;
        while (server.handleCount() < connections && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
