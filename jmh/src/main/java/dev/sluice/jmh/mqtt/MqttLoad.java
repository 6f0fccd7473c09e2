package dev.sluice.jmh.mqtt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.HdrHistogram.Histogram;

/**
 * An MQTT 3.1.1 load client that speaks the wire protocol directly, on one thread and without garbage once connected:
 * one publisher and many subscribers of one topic, with at most {@code window} messages published and not yet
 * delivered to every subscriber. Each PUBLISH carries its sequence number and the time it was written; each delivery
 * is timed against that (the delivery latency, in an HdrHistogram) and counted. The same client drives any broker, so
 * two brokers are compared on the same load.
 * <p>
 * Messages reach each subscriber in order, so a message is delivered to all once its last subscriber has it, and
 * completions come in order: {@code published - completed} is what is in flight.
 */
public final class MqttLoad implements Consumer<SelectionKey>
{
    private static final byte[] TOPIC = "bench/topic".getBytes(StandardCharsets.US_ASCII);
    /** Packets written to the publisher's socket at once, at most. */
    private static final int BATCH = 32;

    /**
     * What one run measured.
     *
     * @param deliveriesPerSecond deliveries (one message to one subscriber) per second of the measured time.
     * @param p50Ns               median delivery latency.
     * @param p99Ns               99th percentile.
     * @param deliveries          deliveries measured.
     * @param seconds             the measured time.
     */
    public record Result(double deliveriesPerSecond, long p50Ns, long p99Ns, long deliveries, double seconds)
    {
    }

    private final int subscribers;
    private final int window;
    private final int packetLength;
    private final int[] pending;
    private final ByteBuffer[] receive;
    private final ByteBuffer outbound;
    private final Histogram latency = new Histogram(1, 60_000_000_000L, 3);
    private final Selector selector;
    private final SocketChannel publisher;
    private final SocketChannel[] channels;
    private long published;
    private long completed;
    private long deliveries;
    private long nowNs;
    private boolean measuring;

    private MqttLoad(final InetSocketAddress broker, final int subscribers, final int payload, final int window)
        throws IOException
    {
        if (payload < 16 || 2 + TOPIC.length + payload > 127)
        {
            throw new IllegalArgumentException("payload 16..112 bytes: " + payload);
        }
        this.subscribers = subscribers;
        this.window = window;
        this.packetLength = 2 + 2 + TOPIC.length + payload;
        this.pending = new int[window];
        this.receive = new ByteBuffer[subscribers];
        this.channels = new SocketChannel[subscribers];
        this.outbound = ByteBuffer.allocateDirect(BATCH * packetLength).flip(); // empty: nothing to write yet
        this.selector = Selector.open();
        for (int i = 0; i < subscribers; i++)
        {
            channels[i] = connect(broker, "load-sub-" + i, true);
            channels[i].register(selector, SelectionKey.OP_READ, i);
            receive[i] = ByteBuffer.allocateDirect(16 * 1024);
        }
        this.publisher = connect(broker, "load-pub", false);
    }

    /**
     * Runs the load against any broker and prints what it measured:
     * {@code java -cp jmh/target/benchmarks.jar dev.sluice.jmh.mqtt.MqttLoad [port] [subscribers] [window] [seconds]}
     * (defaults 1883, 100, 64, 5; the broker on 127.0.0.1; one second of warm-up first).
     *
     * @param args the options above.
     * @throws IOException if a connection fails.
     */
    public static void main(final String[] args) throws IOException
    {
        final int port = args.length > 0 ? Integer.parseInt(args[0]) : 1883;
        final int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        final int window = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        final long seconds = args.length > 3 ? Long.parseLong(args[3]) : 5;
        final Result result = run(new InetSocketAddress("127.0.0.1", port), subscribers, 64, window, 1_000_000_000L,
            seconds * 1_000_000_000L);
        System.out.printf("%,.0f deliveries/s, latency p50 %,d ns, p99 %,d ns (%,d deliveries in %.1f s)%n",
            result.deliveriesPerSecond(), result.p50Ns(), result.p99Ns(), result.deliveries(), result.seconds());
    }

    /**
     * Runs the load against a broker.
     *
     * @param broker      where it listens.
     * @param subscribers subscriber connections.
     * @param payload     payload bytes per message (16 to 112).
     * @param window      messages in flight at most.
     * @param warmupNs    time before measuring.
     * @param measureNs   time measured.
     * @return what was measured.
     * @throws IOException if a connection fails.
     */
    public static Result run(final InetSocketAddress broker, final int subscribers, final int payload,
        final int window, final long warmupNs, final long measureNs) throws IOException
    {
        final MqttLoad load = new MqttLoad(broker, subscribers, payload, window);
        try
        {
            return load.drive(warmupNs, measureNs);
        }
        finally
        {
            load.close();
        }
    }

    private Result drive(final long warmupNs, final long measureNs) throws IOException
    {
        final long start = System.nanoTime();
        final long measureFrom = start + warmupNs;
        final long end = measureFrom + measureNs;
        long measuredDeliveriesBefore = 0;
        long measuredStart = 0;
        nowNs = start;
        while (nowNs < end)
        {
            if (!measuring && nowNs >= measureFrom)
            {
                measuring = true;
                latency.reset();
                measuredDeliveriesBefore = deliveries;
                measuredStart = nowNs;
            }
            publish();
            selector.selectNow(this);
            nowNs = System.nanoTime();
        }
        final double seconds = (nowNs - measuredStart) / 1e9;
        final long measured = deliveries - measuredDeliveriesBefore;
        return new Result(measured / seconds, latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
            measured, seconds);
    }

    /** Tops the window up: writes as many new messages as it allows (or finishes a partial write). */
    private void publish() throws IOException
    {
        if (!outbound.hasRemaining())
        {
            outbound.clear();
            final long now = System.nanoTime();
            while (published - completed < window && outbound.remaining() >= packetLength)
            {
                final int at = outbound.position();
                outbound.put((byte)0x30).put((byte)(packetLength - 2)).put((byte)0).put((byte)TOPIC.length)
                    .put(TOPIC).putLong(published).putLong(now);
                outbound.position(at + packetLength);
                pending[(int)(published % window)] = subscribers;
                published++;
            }
            outbound.flip();
        }
        if (outbound.hasRemaining())
        {
            publisher.write(outbound); // a partial write is finished by the next calls
        }
    }

    @Override
    public void accept(final SelectionKey key)
    {
        final int index = (Integer)key.attachment();
        final ByteBuffer buffer = receive[index];
        try
        {
            if (channels[index].read(buffer) < 0)
            {
                throw new IllegalStateException("the broker closed subscriber " + index);
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("subscriber " + index + " failed", ex);
        }
        buffer.flip();
        while (buffer.remaining() >= packetLength)
        {
            final int at = buffer.position();
            if (buffer.get(at) != 0x30 || buffer.get(at + 1) != packetLength - 2)
            {
                throw new IllegalStateException("unexpected packet " + (buffer.get(at) & 0xFF) + " on " + index);
            }
            final int payloadAt = at + 4 + TOPIC.length;
            final long sequence = buffer.getLong(payloadAt);
            final long sentNs = buffer.getLong(payloadAt + 8);
            if (measuring)
            {
                latency.recordValue(Math.max(1, nowNs - sentNs));
            }
            deliveries++;
            if (--pending[(int)(sequence % window)] == 0)
            {
                completed++;
            }
            buffer.position(at + packetLength);
        }
        buffer.compact();
    }

    private static SocketChannel connect(final InetSocketAddress broker, final String clientId,
        final boolean subscribe) throws IOException
    {
        final SocketChannel channel = SocketChannel.open(broker);
        channel.socket().setTcpNoDelay(true);
        final byte[] id = clientId.getBytes(StandardCharsets.US_ASCII);
        final ByteBuffer out = ByteBuffer.allocate(64 + id.length);
        out.put((byte)0x10).put((byte)(10 + 2 + id.length)).put(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 0})
            .put((byte)0).put((byte)id.length).put(id);
        int replies = 4;
        if (subscribe)
        {
            out.put((byte)0x82).put((byte)(2 + 2 + TOPIC.length + 1)).put((byte)0).put((byte)1).put((byte)0)
                .put((byte)TOPIC.length).put(TOPIC).put((byte)0);
            replies += 5;
        }
        out.flip();
        while (out.hasRemaining())
        {
            channel.write(out);
        }
        final ByteBuffer in = ByteBuffer.allocate(replies);
        while (in.hasRemaining())
        {
            if (channel.read(in) < 0)
            {
                throw new IOException("the broker closed " + clientId + " while connecting");
            }
        }
        if (in.get(0) != 0x20 || in.get(3) != 0 || (subscribe && (in.get(4) & 0xFF) != 0x90))
        {
            throw new IOException(clientId + " was not accepted");
        }
        channel.configureBlocking(false);
        return channel;
    }

    private void close() throws IOException
    {
        selector.close();
        publisher.close();
        for (final SocketChannel channel : channels)
        {
            if (channel != null)
            {
                channel.close();
            }
        }
    }
}
