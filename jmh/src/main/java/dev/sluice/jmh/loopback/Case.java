package dev.sluice.jmh.loopback;

import java.util.List;

/**
 * One cell of the comparison matrix: a benchmark, a server implementation and where the threads run.
 *
 * @param bench     pingpong, reqresp, fanout, group-100 or group-1000.
 * @param impl      the server (see {@link RunCase}).
 * @param placement same, cross or free.
 */
record Case(String bench, String impl, String placement)
{
    /** @return the whole matrix, in the order it is run within each round. */
    static List<Case> matrix()
    {
        return List.of(
            new Case("pingpong", "floor", "same"),
            new Case("pingpong", "sluice", "same"),
            new Case("pingpong", "netty-nio", "same"),
            new Case("pingpong", "netty-epoll", "same"),
            new Case("pingpong", "floor", "cross"),
            new Case("pingpong", "sluice", "cross"),
            new Case("pingpong", "sluice-spin", "cross"),
            new Case("pingpong", "netty-nio", "cross"),
            new Case("pingpong", "netty-epoll", "cross"),
            new Case("pingpong", "netty-nio-spin", "cross"),
            new Case("pingpong", "netty-epoll-spin", "cross"),
            new Case("reqresp", "sluice", "free"),
            new Case("reqresp", "netty-nio", "free"),
            new Case("reqresp", "netty-epoll", "free"),
            new Case("fanout", "sluice", "free"),
            new Case("fanout", "sluice-batch", "free"),
            new Case("fanout", "netty-nio-frames", "free"),
            new Case("fanout", "netty-nio-packed", "free"),
            new Case("fanout", "netty-epoll-frames", "free"),
            new Case("fanout", "netty-epoll-packed", "free"),
            new Case("fanout", "sluice", "cross"),
            new Case("fanout", "sluice-batch", "cross"),
            new Case("fanout", "netty-nio-frames", "cross"),
            new Case("fanout", "netty-nio-packed", "cross"),
            new Case("fanout", "netty-epoll-frames", "cross"),
            new Case("fanout", "netty-epoll-packed", "cross"),
            new Case("group-100", "sluice", "free"),
            new Case("group-100", "netty-nio", "free"),
            new Case("group-100", "netty-epoll", "free"),
            new Case("group-100", "netty-epoll-loop", "free"),
            new Case("group-1000", "sluice", "free"),
            new Case("group-1000", "netty-nio", "free"),
            new Case("group-1000", "netty-epoll", "free"),
            new Case("group-1000", "netty-epoll-loop", "free"),
            new Case("group-100", "sluice", "cross"),
            new Case("group-100", "netty-nio", "cross"),
            new Case("group-100", "netty-epoll", "cross"),
            new Case("group-100", "netty-epoll-loop", "cross"),
            new Case("group-1000", "sluice", "cross"),
            new Case("group-1000", "netty-nio", "cross"),
            new Case("group-1000", "netty-epoll", "cross"),
            new Case("group-1000", "netty-epoll-loop", "cross"));
    }

    /** @return true for the push benchmarks (one application thread pushing, one reader): fanout and group-N. */
    boolean pushes()
    {
        return "fanout".equals(bench) || bench.startsWith("group-");
    }

    /** @return the section of the report this case belongs to. */
    String section()
    {
        return bench + ("free".equals(placement) ? "" : ", " + placement);
    }
}
