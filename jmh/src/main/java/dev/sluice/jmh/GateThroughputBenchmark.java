package dev.sluice.jmh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.gate.AtomicClusterCursors;
import dev.sluice.gate.DurabilityLevel;
import dev.sluice.gate.DurabilityModes;
import dev.sluice.gate.DurabilityPolicy;
import dev.sluice.gate.GateConfig;
import dev.sluice.gate.ResponsePublisher;
import dev.sluice.stats.LoopCounters;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Gated responses per second over a real loopback connection, with the engine driven in invoker mode on the
 * benchmark thread: publish a batch of 64 responses, run the loop until they are written, drain the client socket.
 * {@code local} gates on the journal, which is always far ahead; {@code open} uses a policy with no clause (always
 * durable): the same path with nothing to wait for. Their ratio is the gate's overhead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-XX:AutoBoxCacheMax=65536"})
public class GateThroughputBenchmark
{
    private static final int BATCH = 64;

    /** "local": gate on the journal; "open": a policy with no clause. */
    @Param({"local", "open"})
    public String policy;

    private Engine engine;
    private SocketChannel client;
    private ResponsePublisher responses;
    private LoopCounters counters;
    private final ByteBuffer sink = ByteBuffer.allocateDirect(1 << 20);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
    private final AtomicLong opened = new AtomicLong();
    private long connectionId;
    private long sequence;

    /**
     * Starts the engine and connects one client.
     *
     * @throws IOException if the socket set-up fails.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final AtomicClusterCursors cursors = new AtomicClusterCursors(1);
        cursors.primaryPersisted(Long.MAX_VALUE / 2);
        final DurabilityModes modes = new DurabilityModes(new AtomicInteger("local".equals(policy) ? 0 : 1),
            DurabilityPolicy.named("local").atLeast(1, DurabilityLevel.PERSISTED), DurabilityPolicy.named("open"));
        engine = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).maxConnections(4)
            .gate(new GateConfig(cursors, modes)).build());
        final InetSocketAddress address = engine.listen(new InetSocketAddress("127.0.0.1", 0), new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection connection)
            {
                opened.set(connection.id());
            }

            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
            }
        });
        client = SocketChannel.open(address);
        client.configureBlocking(false);
        while (opened.get() == 0)
        {
            engine.doWork(0);
        }
        connectionId = opened.get();
        responses = engine.responses();
        counters = engine.counters(0);
    }

    /**
     * Closes the client and the engine.
     *
     * @throws IOException if closing the client fails.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        client.close();
        engine.close();
    }

    /**
     * Publishes 64 responses and runs the loop until all are written, draining the client as it goes.
     *
     * @return responses sent so far.
     * @throws IOException if reading the client fails.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long publishAndSend() throws IOException
    {
        final long target = counters.responsesSent.get() + BATCH;
        for (int i = 0; i < BATCH; i++)
        {
            sequence++;
            payload.putLong(0, sequence);
            responses.publish(connectionId, sequence, false, false, payload, 0, 64);
        }
        while (counters.responsesSent.get() < target)
        {
            engine.doWork(0);
            sink.clear();
            client.read(sink);
        }
        sink.clear();
        while (client.read(sink) > 0)
        {
            sink.clear();
        }
        return counters.responsesSent.get();
    }
}
