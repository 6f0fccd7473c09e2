package dev.sluice.jmh.loopback;

import java.util.concurrent.locks.LockSupport;

import dev.sluice.demo.LoadClient;
import org.HdrHistogram.Histogram;

/**
 * The request/response throughput benchmark: many connections, each keeping several 64-byte requests in flight,
 * driven by the demonstration's {@link LoadClient} (one thread, one selector) for every server alike.
 */
final class RequestResponse
{
    private RequestResponse()
    {
    }

    /**
     * @param server      the server under test.
     * @param connections client connections.
     * @param inflight    requests in flight on each.
     * @param warmupNs    warm-up length.
     * @param measureNs   measured window length.
     * @param result      where the figures go.
     * @throws Exception if the client fails.
     */
    static void run(final EchoServer server, final int connections, final int inflight, final long warmupNs,
        final long measureNs, final Result result) throws Exception
    {
        final LoadClient client = new LoadClient(Wire.PAYLOAD, inflight);
        for (int i = 0; i < connections; i++)
        {
            client.add(server.address());
        }
        client.start("reqresp-client");
        try
        {
            LockSupport.parkNanos(warmupNs);
            Histogram interval = client.intervalHistogram(null);
            final long echoedBefore = client.echoed();
            final long allocatedBefore = server.threads().allocatedBytes();
            final long cpuBefore = ServerThreads.processCpuNanos();
            final long serverCpuBefore = server.threads().cpuNanos();
            final long start = System.nanoTime();
            LockSupport.parkNanos(measureNs);
            final long cpu = ServerThreads.processCpuNanos() - cpuBefore;
            final long serverCpu = server.threads().cpuNanos() - serverCpuBefore;
            final long echoed = client.echoed() - echoedBefore;
            final long allocated = server.threads().allocatedBytes() - allocatedBefore;
            final long elapsed = System.nanoTime() - start;
            interval = client.intervalHistogram(interval);
            result.put("ops", echoed);
            result.put("opsPerSec", echoed * 1e9 / elapsed);
            result.put("cpuNsPerOp", (double)cpu / Math.max(1, echoed));
            result.put("serverCpuNsPerOp", (double)serverCpu / Math.max(1, echoed));
            result.putMicros("p50", interval.getValueAtPercentile(50));
            result.putMicros("p99", interval.getValueAtPercentile(99));
            result.put("serverBytesPerOp", (double)allocated / Math.max(1, echoed));
        }
        finally
        {
            client.stop();
        }
        if (client.failure() != null || client.badFrames() > 0 || client.lost() > 0)
        {
            throw new IllegalStateException("client: failure " + client.failure() + ", " + client.badFrames() +
                " bad frames, " + client.lost() + " connections lost");
        }
    }
}
