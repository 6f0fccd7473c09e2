package dev.sluice.jmh;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.engine.Engine;
import dev.sluice.push.PushConfig;
import org.agrona.concurrent.CachedNanoClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the timer stage costs the loop with many idle connections: one loop in invoker mode with a virtual clock,
 * N connections held open by {@link IdleClients} in another process, the idle timeout and the idle keep-alive on
 * (ten years: they never fire). {@code iterationWithTick} advances the clock by one timer interval before each
 * iteration, so every iteration runs the timer stage; {@code iterationWithoutTick} does not; the difference is the
 * cost of a tick. Nothing is sent, so neither allocates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-XX:AutoBoxCacheMax=65536"})
public class TimerTickBenchmark
{
    private static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(10);

    /** Idle connections on the loop. */
    @Param({"100", "10000"})
    public int connections;

    private final CachedNanoClock clock = new CachedNanoClock();
    private Engine engine;
    private Process clients;

    /**
     * Starts the engine and the client process and waits until every connection is open.
     *
     * @throws Exception if the set-up fails.
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        clock.update(1);
        engine = Engine.start(EngineConfig.builder()
            .threadingMode(ThreadingMode.INVOKER)
            .maxConnections(connections)
            .receiveBufferSize(1024)
            .sendCap(1024)
            .push(PushConfig.builder().queueBytes(128, 128).build())
            .idleTimeout(3650, TimeUnit.DAYS)
            .idleKeepAlive(3650, TimeUnit.DAYS, new byte[] {1})
            .listenBacklog(4096)
            .clock(clock)
            .build());
        final InetSocketAddress address = engine.listen(new InetSocketAddress("127.0.0.1", 0), (c, b, o, l) -> { });
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        clients = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
            IdleClients.class.getName(), "127.0.0.1", Integer.toString(address.getPort()),
            Integer.toString(connections))).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (engine.counters(0).connectionsOpen.get() < connections)
        {
            engine.doWork(0);
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("only " + engine.counters(0).connectionsOpen.get() + " connected");
            }
        }
        final BufferedReader out =
            new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.US_ASCII));
        out.readLine(); // "connected N"
    }

    /** Stops the client process and the engine. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        clients.getOutputStream().close();
        clients.waitFor(30, TimeUnit.SECONDS);
        engine.close();
    }

    /** @return work done by one iteration that runs the timer stage. */
    @Benchmark
    public int iterationWithTick()
    {
        clock.advance(TICK_NS);
        return engine.doWork(0);
    }

    /** @return work done by one iteration without the timer stage. */
    @Benchmark
    public int iterationWithoutTick()
    {
        return engine.doWork(0);
    }
}
