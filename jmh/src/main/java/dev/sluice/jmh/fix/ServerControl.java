package dev.sluice.jmh.fix;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * How {@link FixCompare} drives a server it started in a process of its own: the server prints {@link #READY} once
 * it listens, then answers every line on its standard input with one {@link #STATS} line of its counters
 * ({@code key=value} pairs), and stops when its standard input ends.
 */
final class ServerControl
{
    /** The line a server prints once it accepts connections. */
    static final String READY = "ready";
    /** The start of the line that answers a request for counters. */
    static final String STATS = "STATS ";

    private ServerControl()
    {
    }

    /**
     * Says the server is ready and answers requests for counters until standard input ends (server side).
     *
     * @param stats the counters, as {@code key=value} pairs separated by spaces.
     * @throws IOException if standard input cannot be read.
     */
    static void serve(final Supplier<String> stats) throws IOException
    {
        System.out.println(READY);
        System.out.flush();
        final BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (requests.readLine() != null)
        {
            System.out.println(STATS + stats.get());
            System.out.flush();
        }
    }

    /** @return the names the load client's sessions log on with: {@code LOAD0} to {@code LOADn}. */
    static String[] clients(final int sessions)
    {
        final String[] clients = new String[sessions + 1];
        for (int i = 0; i < clients.length; i++)
        {
            clients[i] = "LOAD" + i;
        }
        return clients;
    }
}
