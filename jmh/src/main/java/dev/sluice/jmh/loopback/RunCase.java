package dev.sluice.jmh.loopback;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.sluice.config.IdleMode;
import dev.sluice.push.Priority;

/**
 * One case of the comparison in a fresh JVM (started by {@link Compare}): builds the server, runs the benchmark's
 * client, prints one {@code RESULT} line and exits.
 * <pre>
 * RunCase BENCH IMPL PLACEMENT WARMUP_S MEASURE_S
 *   BENCH      pingpong | reqresp | fanout | group-100 | group-1000 (group-N: one push group of N members)
 *   IMPL       pingpong, reqresp: floor | sluice | sluice-spin | netty-nio | netty-epoll | netty-nio-spin
 *              | netty-epoll-spin
 *              fanout: sluice | sluice-batch | netty-nio-frames | netty-nio-packed | netty-epoll-frames
 *                | netty-epoll-packed
 *              group-N: sluice | netty-nio | netty-epoll | netty-epoll-loop
 *   PLACEMENT  same (the parent runs this JVM under taskset -c 0) | cross (server thread on CPU 1, client
 *              threads, and for fanout the pushing application thread, on CPU 0) | free (no pinning)
 * </pre>
 */
public final class RunCase
{
    /** The server's CPU when placement is "cross" (the one CPU OpenHFT's AffinityLock hands out on 2 vCPUs). */
    static final int SERVER_CPU = 1;
    /** The client's CPU when placement is "cross". */
    static final int CLIENT_CPU = 0;
    /** Connections of the request/response and fan-out benchmarks. */
    static final int CONNECTIONS = 100;
    /** Requests in flight per connection in the request/response benchmark. */
    static final int INFLIGHT = 4;

    private RunCase()
    {
    }

    /**
     * Runs one case.
     *
     * @param args BENCH IMPL PLACEMENT WARMUP_S MEASURE_S.
     * @throws Exception if the case fails (the parent reports it).
     */
    public static void main(final String[] args) throws Exception
    {
        final String bench = args[0];
        final String impl = args[1];
        final boolean cross = "cross".equals(args[2]);
        final long warmupNs = TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        final long measureNs = TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
        final Result result = new Result();
        watchdog(warmupNs + measureNs + TimeUnit.SECONDS.toNanos(60));
        if (bench.startsWith("group-"))
        {
            final int members = Integer.parseInt(bench.substring("group-".length()));
            try (FanOutServer server = groupServer(impl, cross ? SERVER_CPU : Cpus.ANY, members))
            {
                System.out.println("server: " + server.describe());
                FanOut.run(server, members, cross ? CLIENT_CPU : Cpus.ANY, warmupNs, measureNs, result);
            }
        }
        else if ("fanout".equals(bench))
        {
            try (FanOutServer server = fanOutServer(impl, cross ? SERVER_CPU : Cpus.ANY))
            {
                System.out.println("server: " + server.describe());
                FanOut.run(server, CONNECTIONS, cross ? CLIENT_CPU : Cpus.ANY, warmupNs, measureNs, result);
            }
        }
        else
        {
            try (EchoServer server = echoServer(impl, cross ? SERVER_CPU : Cpus.ANY, CONNECTIONS + 4))
            {
                System.out.println("server: " + server.describe());
                if ("pingpong".equals(bench))
                {
                    PingPong.run(server, cross ? CLIENT_CPU : Cpus.ANY, warmupNs, measureNs, result);
                }
                else if ("reqresp".equals(bench))
                {
                    RequestResponse.run(server, CONNECTIONS, INFLIGHT, warmupNs, measureNs, result);
                }
                else
                {
                    throw new IllegalArgumentException("unknown benchmark " + bench);
                }
            }
        }
        System.out.println(result.line());
        System.exit(0);
    }

    /** Ends this JVM if the case hangs, so the parent's read of its output ends too. */
    private static void watchdog(final long limitNs)
    {
        final Thread watchdog = new Thread(() ->
        {
            LockSupport.parkNanos(limitNs);
            System.out.println("case did not finish in " + TimeUnit.NANOSECONDS.toSeconds(limitNs) + " s");
            Runtime.getRuntime().halt(3);
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static EchoServer echoServer(final String impl, final int cpu, final int connections)
    {
        return switch (impl)
        {
            case "floor" -> new BlockingEchoServer(cpu);
            case "sluice" -> new SluiceServer(IdleMode.BLOCKING, cpu, connections, SluiceServer.ECHO);
            case "sluice-spin" -> new SluiceServer(IdleMode.BUSY_SPIN, cpu, connections, SluiceServer.ECHO);
            case "netty-nio" -> NettyServer.echo(NettyTransport.NIO, cpu, false);
            case "netty-epoll" -> NettyServer.echo(NettyTransport.EPOLL, cpu, false);
            case "netty-nio-spin" -> NettyServer.echo(NettyTransport.NIO, cpu, true);
            case "netty-epoll-spin" -> NettyServer.echo(NettyTransport.EPOLL, cpu, true);
            default -> throw new IllegalArgumentException("unknown echo server " + impl);
        };
    }

    private static FanOutServer groupServer(final String impl, final int cpu, final int members)
    {
        return switch (impl)
        {
            case "sluice" -> new SluiceGroupServer(members, cpu);
            case "netty-nio" -> new NettyGroupServer(NettyTransport.NIO, cpu, false);
            case "netty-epoll" -> new NettyGroupServer(NettyTransport.EPOLL, cpu, false);
            case "netty-epoll-loop" -> new NettyGroupServer(NettyTransport.EPOLL, cpu, true);
            default -> throw new IllegalArgumentException("unknown group server " + impl);
        };
    }

    private static FanOutServer fanOutServer(final String impl, final int cpu)
    {
        return switch (impl)
        {
            case "sluice" -> new SluiceFanOutServer(CONNECTIONS, Priority.HIGH, cpu, false);
            case "sluice-batch" -> new SluiceFanOutServer(CONNECTIONS, Priority.HIGH, cpu, true);
            case "netty-nio-frames" ->
                new NettyFanOutServer(NettyTransport.NIO, NettyFanOutServer.Mode.FRAME_BY_FRAME, CONNECTIONS, cpu);
            case "netty-nio-packed" ->
                new NettyFanOutServer(NettyTransport.NIO, NettyFanOutServer.Mode.PRE_PACKED, CONNECTIONS, cpu);
            case "netty-epoll-frames" ->
                new NettyFanOutServer(NettyTransport.EPOLL, NettyFanOutServer.Mode.FRAME_BY_FRAME, CONNECTIONS, cpu);
            case "netty-epoll-packed" ->
                new NettyFanOutServer(NettyTransport.EPOLL, NettyFanOutServer.Mode.PRE_PACKED, CONNECTIONS, cpu);
            default -> throw new IllegalArgumentException("unknown fan-out server " + impl);
        };
    }
}
