package dev.sluice.jmh.loopback;

import java.net.InetSocketAddress;

/**
 * A server under test for the fan-out benchmark: it accepts connections and lets one application thread push
 * 64-byte frames to them round-robin, holding back from a connection that is behind (as an application must: Sluice
 * drops a slow consumer past its send cap, Netty buffers without bound unless the application checks writability).
 */
interface FanOutServer extends AutoCloseable
{
    /** @return the server doing the I/O. */
    EchoServer server();

    /** @return where clients connect. */
    default InetSocketAddress address()
    {
        return server().address();
    }

    /** @return the threads doing the server's I/O. */
    default ServerThreads threads()
    {
        return server().threads();
    }

    /** @return connections accepted so far; from any thread. */
    int connected();

    /**
     * One round over every connection, on the application thread: hands frames to each connection that can take
     * them.
     *
     * @return frames handed over in this round.
     */
    int pushRound();

    /** Every client has connected (application thread, before the first round): e.g. time to build groups. */
    default void allConnected()
    {
    }

    /** @return connections the server closed (a slow-consumer drop would show here); from any thread. */
    long closedConnections();

    /** @return one line on how the server runs, for the report. */
    String describe();

    /** Stops the server and waits for its threads. */
    @Override
    void close();
}
