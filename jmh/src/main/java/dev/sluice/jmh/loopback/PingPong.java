package dev.sluice.jmh.loopback;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import org.HdrHistogram.Histogram;

/**
 * The ping-pong benchmark: one connection, one 64-byte frame in flight, a blocking client that sends a frame,
 * waits for the whole echo and records the round trip in an HdrHistogram. The same client for every server.
 */
final class PingPong
{
    private static final long HIGHEST_NS = 10_000_000_000L;

    private PingPong()
    {
    }

    /**
     * Runs the client on the calling thread, pinned to {@code clientCpu}: a warm-up, then the measured window.
     *
     * @param server    the server under test.
     * @param clientCpu the client's CPU, or {@link Cpus#ANY}.
     * @param warmupNs  warm-up length.
     * @param measureNs measured window length.
     * @param result    where the figures go.
     * @throws IOException if the connection fails.
     */
    static void run(final EchoServer server, final int clientCpu, final long warmupNs, final long measureNs,
        final Result result) throws IOException
    {
        Cpus.pinCurrentThread(clientCpu);
        final Histogram histogram = new Histogram(HIGHEST_NS, 3);
        final ByteBuffer request = ByteBuffer.allocateDirect(Wire.FRAME);
        final ByteBuffer reply = ByteBuffer.allocateDirect(Wire.FRAME);
        request.putInt(0, Wire.PAYLOAD);
        try (SocketChannel channel = SocketChannel.open(server.address()))
        {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            roundTrips(channel, request, reply, histogram, warmupNs);
            histogram.reset();
            final long allocatedBefore = server.threads().allocatedBytes();
            final long cpuBefore = ServerThreads.processCpuNanos();
            final long serverCpuBefore = server.threads().cpuNanos();
            final long start = System.nanoTime();
            final long count = roundTrips(channel, request, reply, histogram, measureNs);
            final long elapsed = System.nanoTime() - start;
            final long cpu = ServerThreads.processCpuNanos() - cpuBefore;
            final long serverCpu = server.threads().cpuNanos() - serverCpuBefore;
            final long allocated = server.threads().allocatedBytes() - allocatedBefore;
            result.put("ops", count);
            result.put("opsPerSec", count * 1e9 / elapsed);
            result.put("cpuNsPerOp", (double)cpu / count);
            result.put("serverCpuNsPerOp", (double)serverCpu / count);
            result.putMicros("p50", histogram.getValueAtPercentile(50));
            result.putMicros("p99", histogram.getValueAtPercentile(99));
            result.putMicros("p99.9", histogram.getValueAtPercentile(99.9));
            result.putMicros("max", histogram.getMaxValue());
            result.put("serverBytesPerOp", (double)allocated / count);
        }
    }

    private static long roundTrips(final SocketChannel channel, final ByteBuffer request, final ByteBuffer reply,
        final Histogram histogram, final long durationNs) throws IOException
    {
        final long end = System.nanoTime() + durationNs;
        long count = 0;
        long start;
        do
        {
            start = System.nanoTime();
            request.clear();
            request.putLong(Wire.HEADER, start);
            Blocking.writeFully(channel, request);
            reply.clear();
            if (!Blocking.readFully(channel, reply))
            {
                throw new IOException("the server closed the connection");
            }
            final long now = System.nanoTime();
            if (reply.getLong(Wire.HEADER) != start)
            {
                throw new IOException("the echo does not match the request");
            }
            histogram.recordValue(Math.min(now - start, HIGHEST_NS));
            count++;
            start = now;
        }
        while (start - end < 0);
        return count;
    }
}
