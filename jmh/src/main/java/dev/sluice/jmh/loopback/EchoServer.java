package dev.sluice.jmh.loopback;

import java.net.InetSocketAddress;

/** A server under test that sends every frame it receives back to its sender, byte for byte. */
interface EchoServer extends AutoCloseable
{
    /** @return where clients connect. */
    InetSocketAddress address();

    /** @return the threads doing the server's I/O. */
    ServerThreads threads();

    /** @return one line on how the server runs (transport, idle mode, pinning), for the report. */
    String describe();

    /** Stops the server and waits for its threads. */
    @Override
    void close();
}
