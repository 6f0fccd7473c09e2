package dev.sluice.jmh.fix;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server under test in a process of its own, driven through {@link ServerControl}: started, awaited until it says
 * it is ready, asked for its counters, measured for CPU time, and stopped by closing its standard input (forcibly if
 * it does not end within seconds). Its standard error goes to a log file.
 * <p>
 * <b>Threading:</b> {@link FixCompare}'s thread; a daemon thread reads the server's output.
 */
final class ServerProcess implements AutoCloseable
{
    /** Put in the queue when the server's output ends. */
    private static final String ENDED = "\u0000ended";

    private final Process process;
    private final Writer requests;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;

    /**
     * @param command the server's command line.
     * @param log     the file its standard error is appended to.
     * @throws IOException if it cannot be started.
     */
    ServerProcess(final List<String> command, final Path log) throws IOException
    {
        this.log = log;
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        final Thread reader = new Thread(this::readOutput, "server-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void readOutput()
    {
        try (BufferedReader output =
            new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = output.readLine()) != null)
            {
                lines.add(line);
            }
        }
        catch (final IOException ex)
        {
            // the process ended: said below
        }
        lines.add(ENDED);
    }

    /**
     * Waits until the server listens.
     *
     * @throws IOException if it ends or stays silent for 60 seconds.
     */
    void awaitReady() throws IOException
    {
        await(ServerControl.READY);
    }

    /**
     * @return the server's counters now.
     * @throws IOException if it does not answer within 60 seconds.
     */
    Map<String, Long> stats() throws IOException
    {
        requests.write("stats\n");
        requests.flush();
        final String line = await(ServerControl.STATS);
        final Map<String, Long> stats = new HashMap<>();
        for (final String pair : line.substring(ServerControl.STATS.length()).trim().split(" "))
        {
            final int eq = pair.indexOf('=');
            stats.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
        }
        return stats;
    }

    /** @return the CPU time the server's process has used so far, in nanoseconds. */
    long cpuNanos()
    {
        return process.info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    }

    private String await(final String start) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true)
        {
            final String line;
            try
            {
                line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for the server");
            }
            if (line == null || ENDED.equals(line))
            {
                throw new IOException((line == null ? "the server did not answer" : "the server ended") +
                    " (waiting for \"" + start.trim() + "\"; see " + log + ")");
            }
            if (line.startsWith(start))
            {
                return line;
            }
        }
    }

    /** Stops the server: its standard input ends, so it closes; forcibly if it has not ended within 10 seconds. */
    @Override
    public void close()
    {
        try
        {
            requests.close();
        }
        catch (final IOException ex)
        {
            // already gone
        }
        try
        {
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor();
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
