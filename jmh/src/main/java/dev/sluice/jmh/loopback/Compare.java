package dev.sluice.jmh.loopback;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the whole loopback comparison (the matrix of {@link Case#matrix()}) and prints the table: for each
 * benchmark, ours and Netty's figures as median (min–max) over the runs, the ratios taken run by run, and the bytes
 * the server's I/O threads allocated per frame. Each case runs in a fresh JVM with the same flags; rounds
 * interleave the cases so that a noisy minute on the machine touches them all alike.
 * <pre>
 * java -cp jmh/target/benchmarks.jar dev.sluice.jmh.loopback.Compare [--runs 3] [--warmup 2] [--measure 4]
 *     [--only pingpong,reqresp,fanout,group-100,group-1000] [--out FILE]
 * </pre>
 * "same" cases run the child under {@code taskset -c 0} (server and client share vCPU 0); "cross" cases pin the
 * server's thread to vCPU 1 and the client's to vCPU 0; "free" cases leave placement to the scheduler.
 */
public final class Compare
{
    /** The JVM flags of every child: the engine's own (see the users' guide), and Netty's usual tuning. */
    static final List<String> CHILD_FLAGS = List.of(
        "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-XX:AutoBoxCacheMax=65536",
        "-Xms1g", "-Xmx1g",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-Dio.netty.tryReflectionSetAccessible=true", "-Dio.netty.leakDetection.level=disabled");

    private Compare()
    {
    }

    /**
     * Runs the comparison.
     *
     * @param args the options above.
     * @throws Exception if the table cannot be written.
     */
    public static void main(final String[] args) throws Exception
    {
        int runs = 3;
        int warmup = 2;
        int measure = 4;
        List<String> only = List.of("pingpong", "reqresp", "fanout", "group-100", "group-1000");
        Path out = Paths.get("jmh", "target", "loopback-comparison.md");
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--measure" -> measure = Integer.parseInt(args[i + 1]);
                case "--only" -> only = Arrays.asList(args[i + 1].split(","));
                case "--out" -> out = Paths.get(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        final List<Case> cases = new ArrayList<>();
        for (final Case c : Case.matrix())
        {
            if (only.contains(c.bench()))
            {
                cases.add(c);
            }
        }
        final String jar = Paths.get(Compare.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
        final Map<Case, List<Map<String, Double>>> results = new LinkedHashMap<>();
        final Map<Case, String> servers = new LinkedHashMap<>();
        final long started = System.nanoTime();
        for (int run = 1; run <= runs; run++)
        {
            for (final Case c : cases)
            {
                System.out.printf(Locale.ROOT, "run %d/%d  %-8s %-18s %-5s ", run, runs, c.bench(), c.impl(),
                    c.placement());
                final Map<String, Double> figures = runChild(jar, c, warmup, measure, servers);
                results.computeIfAbsent(c, k -> new ArrayList<>()).add(figures);
                System.out.println(figures == null ? "FAILED" : String.format(Locale.ROOT, "%,.0f ops/s  p50 %s",
                    figures.get("opsPerSec"), figures.containsKey("p50") ? figures.get("p50") + " us" : "-"));
            }
        }
        final String table = new ComparisonTable(results, servers).render(String.format(Locale.ROOT,
            "%s, JDK %s, %d vCPUs, %d run(s) of %d s after %d s warm-up per case, %.1f min in all",
            LocalDate.now(), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), runs,
            measure, warmup, (System.nanoTime() - started) / 6e10));
        System.out.println();
        System.out.println(table);
        if (out.getParent() != null)
        {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, table, StandardCharsets.UTF_8);
        System.out.println("written to " + out);
    }

    /** Runs one case in a fresh JVM. @return its figures, or null if it failed (its output is printed then). */
    private static Map<String, Double> runChild(final String jar, final Case c, final int warmup, final int measure,
        final Map<Case, String> servers) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        if ("same".equals(c.placement()))
        {
            command.addAll(List.of("taskset", "-c", "0"));
        }
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(CHILD_FLAGS);
        command.addAll(List.of("-cp", jar, RunCase.class.getName(), c.bench(), c.impl(), c.placement(),
            String.valueOf(warmup), String.valueOf(measure)));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final StringBuilder output = new StringBuilder();
        Map<String, Double> figures = null;
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                output.append(line).append(System.lineSeparator());
                if (line.startsWith(Result.PREFIX))
                {
                    figures = Result.parse(line);
                }
                else if (line.startsWith("server: "))
                {
                    servers.putIfAbsent(c, line.substring("server: ".length()));
                }
            }
        }
        if (!process.waitFor(warmup + measure + 60L, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            figures = null;
        }
        if (figures == null || process.exitValue() != 0)
        {
            System.out.println();
            System.out.print(output);
            return null;
        }
        return figures;
    }
}
