package dev.sluice.jmh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens N idle connections to a server and holds them until its standard input closes: the other side of
 * {@link TimerTickBenchmark}, in a process of its own so that the two ends of 10,000 connections do not share one
 * process's descriptor limit.
 */
public final class IdleClients
{
    private IdleClients()
    {
    }

    /**
     * @param args host, port, connections.
     * @throws IOException if a connection cannot be opened.
     */
    public static void main(final String[] args) throws IOException
    {
        final InetSocketAddress address = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        final int n = Integer.parseInt(args[2]);
        final List<SocketChannel> channels = new ArrayList<>(n);
        try
        {
            for (int i = 0; i < n; i++)
            {
                channels.add(SocketChannel.open(address));
            }
            System.out.println("connected " + n);
            System.out.flush();
            while (System.in.read() >= 0)
            {
                // hold the connections until the benchmark closes our standard input
            }
        }
        finally
        {
            for (final SocketChannel channel : channels)
            {
                channel.close();
            }
        }
    }
}
