package dev.sluice.jmh.loopback;

import java.util.List;

/**
 * One cell of the comparison matrix: a benchmark, a server implementation and where the threads run.
 *
 * @param bench     pingpong, reqresp or fanout.
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
            new Case("fanout", "netty-epoll-packed", "cross"));
    }

    /** @return the section of the report this case belongs to. */
    String section()
    {
        return bench + ("free".equals(placement) ? "" : ", " + placement);
    }
}
