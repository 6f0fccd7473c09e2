package dev.sluice.stats;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.agrona.concurrent.status.CountersReader;

/**
 * Prints the counters of a running engine from outside its process, by mapping its counters file.
 * <p>
 * Usage: {@code java -cp <sluice jars> dev.sluice.stats.CountersPrinter <counters file> [interval ms]}. With an
 * interval it prints again until interrupted.
 */
public final class CountersPrinter
{
    private CountersPrinter()
    {
    }

    /**
     * Entry point.
     *
     * @param args the counters file, and optionally a repeat interval in milliseconds.
     * @throws InterruptedException if interrupted while waiting to repeat.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        if (args.length < 1)
        {
            System.err.println("usage: CountersPrinter <counters file> [interval ms]");
            System.exit(2);
        }
        final Path file = Paths.get(args[0]);
        if (!Files.exists(file))
        {
            System.err.println("no counters file at " + file + " (is the engine configured with countersFile?)");
            System.exit(1);
        }
        final long intervalMs = args.length > 1 ? Long.parseLong(args[1]) : 0;
        try (CountersFile counters = CountersFile.open(file))
        {
            do
            {
                print(counters, System.out);
                if (intervalMs > 0)
                {
                    Thread.sleep(intervalMs);
                }
            }
            while (intervalMs > 0);
        }
    }

    /**
     * Writes one line per allocated counter: {@code label = value}.
     *
     * @param counters the storage to read.
     * @param out      where to print.
     */
    public static void print(final CountersFile counters, final PrintStream out)
    {
        out.println("# sluice counters of pid " + counters.writerPid());
        print(counters.reader(), out);
    }

    /**
     * Writes one line per allocated counter, {@code label value}, as the command line does: e.g. for an engine in
     * this process, {@code CountersPrinter.print(engine.countersReader(), System.out)} or {@code Engine.printCounters}.
     *
     * @param reader the counters to read.
     * @param out    where to print.
     */
    public static void print(final CountersReader reader, final PrintStream out)
    {
        reader.forEach((value, id, label) -> out.printf("%-48s %,d%n", label, value));
    }
}
