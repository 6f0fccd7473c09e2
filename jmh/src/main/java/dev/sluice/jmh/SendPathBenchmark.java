package dev.sluice.jmh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The send path on the loop thread, the engine driven in invoker mode by the benchmark thread: append 64 frames of
 * 64 bytes to one connection's send buffer, either copied in ({@link Connection#send}) or encoded in place
 * ({@link Connection#claim} / {@link Connection#commit}), then one loop iteration flushes them in one
 * {@code write} to a real loopback socket, and the client side is drained. Per frame: the append plus 1/64 of the
 * flush.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "-XX:AutoBoxCacheMax=65536"})
public class SendPathBenchmark
{
    private static final int FRAMES = 64;
    private static final int PAYLOAD = 64;

    private Engine engine;
    private SocketChannel client;
    private Connection connection;
    private final ByteBuffer sink = ByteBuffer.allocateDirect(1 << 20);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD]);
    private long sequence;

    /**
     * Starts the engine in invoker mode and connects one client.
     *
     * @throws IOException if the socket set-up fails.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final AtomicReference<Connection> opened = new AtomicReference<>();
        engine = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).maxConnections(4).build());
        final InetSocketAddress address = engine.listen(new InetSocketAddress("127.0.0.1", 0), new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection c)
            {
                opened.set(c);
            }

            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
            }
        });
        client = SocketChannel.open(address);
        client.configureBlocking(false);
        while (opened.get() == null)
        {
            engine.doWork(0);
        }
        connection = opened.get();
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
     * Copies 64 prepared payloads into the send buffer, then flushes.
     *
     * @return the last sequence written.
     * @throws IOException if draining the client fails.
     */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long copy() throws IOException
    {
        for (int i = 0; i < FRAMES; i++)
        {
            payload.putLong(0, ++sequence);
            connection.send(payload, 0, PAYLOAD);
        }
        return flushAndDrain();
    }

    /**
     * Encodes 64 payloads in place (claim, eight long writes, commit), then flushes.
     *
     * @return the last sequence written.
     * @throws IOException if draining the client fails.
     */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long claimCommit() throws IOException
    {
        final MutableDirectBuffer buffer = connection.sendBuffer();
        for (int i = 0; i < FRAMES; i++)
        {
            final int at = connection.claim(PAYLOAD);
            sequence++;
            for (int word = 0; word < PAYLOAD; word += Long.BYTES)
            {
                buffer.putLong(at + word, sequence);
            }
            connection.commit(PAYLOAD);
        }
        return flushAndDrain();
    }

    private long flushAndDrain() throws IOException
    {
        while (connection.pendingBytes() > 0)
        {
            engine.doWork(0);
        }
        sink.clear();
        while (client.read(sink) > 0)
        {
            sink.clear();
        }
        return sequence;
    }
}
