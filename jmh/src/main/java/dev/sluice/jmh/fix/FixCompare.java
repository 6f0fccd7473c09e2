package dev.sluice.jmh.fix;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The FIX gateway example against QuickFIX/J's acceptor, on the same orders from the same client ({@link FixLoad}).
 * Each round runs the Sluice echo ping-pong (one connection, the loopback comparison's {@code pingpong sluice} case,
 * unpinned) and then, each in a fresh process, the gateway ungated, QuickFIX/J with a memory store, the gateway gated
 * by its journal and QuickFIX/J with a file store synced on every write (a round of even number swaps each pair, so
 * neither side always goes first). Against each server: the latency case (session {@code LOAD0}, one order in flight)
 * and the throughput case (sessions {@code LOAD1} to {@code LOADn}, {@code window} orders in flight each), each with
 * its warm-up. Prints each server's median (min–max) over the rounds, the ratios taken round by round, the server
 * process's CPU time per order and, for the gated gateway, orders per journal force; writes the table to a file.
 * <pre>
 * java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -XX:AutoBoxCacheMax=65536 \
 *     -cp jmh/target/benchmarks.jar dev.sluice.jmh.fix.FixCompare [--runs 3] [--warmup 3] [--measure 5]
 *     [--sessions 100] [--window 8] [--dir TMP] [--out jmh/target/fix-comparison.md]
 * </pre>
 * {@code --dir} is where the journal and the file store are made (a fresh directory under it for each process).
 */
public final class FixCompare
{
    /** The servers under test, in the order of a round of odd number. */
    enum Server
    {
        SLUICE("Sluice gateway, ungated", true, false),
        QUICKFIXJ("QuickFIX/J, MemoryStore", false, false),
        SLUICE_GATED("Sluice gateway, gated by its journal", true, true),
        QUICKFIXJ_SYNC("QuickFIX/J, FileStore with FileStoreSync=Y", false, true);

        final String label;
        final boolean ours;
        final boolean durable;

        Server(final String label, final boolean ours, final boolean durable)
        {
            this.label = label;
            this.ours = ours;
            this.durable = durable;
        }
    }

    /**
     * One case against one server in one round, all over the measured time.
     *
     * @param load           what the client measured.
     * @param cpuNsPerOrder  the server process's CPU time per order.
     * @param ordersPerForce orders per journal force (NaN without a journal).
     */
    record CaseRun(FixLoad.Result load, double cpuNsPerOrder, double ordersPerForce)
    {
    }

    /** Reads the server's CPU time and journal forces as the measured time starts and ends. */
    private static final class ServerWindow implements FixLoad.Window
    {
        private final ServerProcess process;
        private long cpu;
        private long forces;

        ServerWindow(final ServerProcess process)
        {
            this.process = process;
        }

        @Override
        public void started() throws IOException
        {
            forces = -process.stats().getOrDefault("forces", 0L);
            cpu = -process.cpuNanos();
        }

        @Override
        public void ended() throws IOException
        {
            cpu += process.cpuNanos();
            forces += process.stats().getOrDefault("forces", 0L);
        }
    }

    /** The flags of every child JVM: the engine's own (see the users' guide), the same heap for every server. */
    private static final List<String> CHILD_FLAGS = List.of("--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "-XX:AutoBoxCacheMax=65536", "-Xms2g", "-Xmx2g");

    private int runs = 3;
    private long warmup = 3;
    private long measure = 5;
    private int sessions = 100;
    private int window = 8;
    private Path dir = Paths.get(System.getProperty("java.io.tmpdir"));
    private Path out = Paths.get("jmh", "target", "fix-comparison.md");
    private Path log;
    private String jar;

    private FixCompare()
    {
    }

    /**
     * @param args the options above.
     * @throws Exception if the table cannot be written.
     */
    public static void main(final String[] args) throws Exception
    {
        final FixCompare compare = new FixCompare();
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--runs" -> compare.runs = Integer.parseInt(args[i + 1]);
                case "--warmup" -> compare.warmup = Long.parseLong(args[i + 1]);
                case "--measure" -> compare.measure = Long.parseLong(args[i + 1]);
                case "--sessions" -> compare.sessions = Integer.parseInt(args[i + 1]);
                case "--window" -> compare.window = Integer.parseInt(args[i + 1]);
                case "--dir" -> compare.dir = Paths.get(args[i + 1]);
                case "--out" -> compare.out = Paths.get(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        compare.run();
    }

    private void run() throws Exception
    {
        jar = Paths.get(FixCompare.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        final Path target = out.toAbsolutePath().getParent();
        Files.createDirectories(target);
        log = target.resolve("fix-servers.log");
        final Server[] servers = Server.values();
        final CaseRun[][] latency = new CaseRun[servers.length][runs];
        final CaseRun[][] throughput = new CaseRun[servers.length][runs];
        final double[][] echo = new double[runs][];
        final long started = System.nanoTime();
        for (int r = 0; r < runs; r++)
        {
            echo[r] = pingPong();
            System.out.printf(Locale.ROOT, "round %d/%d  Sluice echo ping-pong: %s%n", r + 1, runs,
                echo[r] == null ? "FAILED" : String.format(Locale.ROOT, "p50 %.1f µs", echo[r][0]));
            for (int k = 0; k < servers.length; k++)
            {
                final Server server = servers[r % 2 == 0 ? k : k ^ 1]; // odd rounds: ours first; even: theirs
                System.out.printf(Locale.ROOT, "round %d/%d  %s%n", r + 1, runs, server.label);
                final CaseRun[] cases = measureServer(server);
                latency[server.ordinal()][r] = cases[0];
                throughput[server.ordinal()][r] = cases[1];
            }
        }
        final String heading = String.format(Locale.ROOT, "%s, JDK %s, %d vCPUs, %d round(s) of %d s warm-up and %d s "
            + "measured per case, %.1f min in all; median (min–max) over the rounds", LocalDate.now(),
            System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), runs, warmup, measure,
            (System.nanoTime() - started) / 6e10);
        final String table = new FixTable(latency, throughput, echo).render(heading, sessions, window);
        System.out.println();
        System.out.println(table);
        Files.writeString(out, table, StandardCharsets.UTF_8);
        System.out.println("written to " + out + " (servers' standard error: " + log + ")");
    }

    /** @return the latency and the throughput case against a fresh server; null for a case that failed. */
    private CaseRun[] measureServer(final Server server) throws IOException
    {
        final CaseRun[] cases = new CaseRun[2];
        final Path store = server.durable ? Files.createTempDirectory(dir, "fix-compare") : null;
        final int port = freePort();
        final List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin",
            "java").toString()));
        command.addAll(CHILD_FLAGS);
        command.addAll(List.of("-cp", jar, (server.ours ? FixGatewayBenchMain.class : QuickFixAcceptorMain.class)
            .getName(), Integer.toString(port), Integer.toString(sessions)));
        if (store != null)
        {
            command.add((server.ours ? store.resolve("orders.journal") : store).toString());
        }
        Files.writeString(log, "--- " + server.label + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        try (ServerProcess process = new ServerProcess(command, log))
        {
            process.awaitReady();
            final InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            cases[0] = measureCase(process, address, 0, 1, 1);
            cases[1] = measureCase(process, address, 1, sessions, window);
            System.out.println("    counters: " + process.stats());
        }
        catch (final Exception ex)
        {
            System.out.println("    " + server.label + " FAILED: " + ex);
        }
        finally
        {
            delete(store);
        }
        return cases;
    }

    private CaseRun measureCase(final ServerProcess process, final InetSocketAddress address, final int first,
        final int count, final int inFlight) throws IOException
    {
        final ServerWindow window = new ServerWindow(process);
        final FixLoad.Result load = FixLoad.run(address, first, count, inFlight, TimeUnit.SECONDS.toNanos(warmup),
            TimeUnit.SECONDS.toNanos(measure), window);
        System.out.printf(Locale.ROOT, "    %d session(s): %,.0f orders/s, p50 %.1f µs, %.2f fills per order%n", count,
            load.ordersPerSecond(), load.p50Ns() / 1000.0, (double)load.fills() / load.orders());
        return new CaseRun(load, (double)window.cpu / load.orders(),
            window.forces > 0 ? (double)load.orders() / window.forces : Double.NaN);
    }

    /** @return the echo ping-pong's p50, p99, p99.9 (µs) and round trips per second, or null if it failed. */
    private double[] pingPong() throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin",
            "java").toString()));
        command.addAll(CHILD_FLAGS);
        command.addAll(List.of("-cp", jar, "dev.sluice.jmh.loopback.RunCase", "pingpong", "sluice", "free",
            Long.toString(warmup), Long.toString(measure)));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        double[] figures = null;
        final StringBuilder output = new StringBuilder();
        try (BufferedReader reader =
            new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                output.append(line).append('\n');
                if (line.startsWith("RESULT "))
                {
                    figures = figures(line);
                }
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || figures == null)
        {
            process.destroyForcibly();
            System.out.print(output);
            return null;
        }
        return figures;
    }

    /** @return p50, p99, p99.9 and round trips per second from the ping-pong's {@code RESULT} line. */
    private static double[] figures(final String line)
    {
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        double p999 = Double.NaN;
        double ops = Double.NaN;
        for (final String pair : line.substring("RESULT ".length()).trim().split(" "))
        {
            final int eq = pair.indexOf('=');
            final double value = Double.parseDouble(pair.substring(eq + 1));
            switch (pair.substring(0, eq))
            {
                case "p50" -> p50 = value;
                case "p99" -> p99 = value;
                case "p99.9" -> p999 = value;
                case "opsPerSec" -> ops = value;
                default -> { }
            }
        }
        return new double[] {p50, p99, p999, ops};
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    private static void delete(final Path directory) throws IOException
    {
        if (directory == null)
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
