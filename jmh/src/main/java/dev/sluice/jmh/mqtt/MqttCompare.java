package dev.sluice.jmh.mqtt;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.sluice.jmh.Spread;

/**
 * Our MQTT broker against mosquitto, on the same machine and the same load ({@link MqttLoad}: one publisher, N
 * subscribers of one topic, 64-byte payloads). Each broker runs in its own process on one thread (our broker with one
 * loop; mosquitto is single-threaded), started fresh for every measurement; rounds alternate the brokers so a noisy
 * minute touches both. Prints, per subscriber count, each broker's median deliveries per second, delivery latency
 * p50 and p99 and the broker process's CPU time per delivery, and the ratios taken round by round.
 * <pre>
 * java -cp jmh/target/benchmarks.jar dev.sluice.jmh.mqtt.MqttCompare [--runs 3] [--subscribers 100,1000]
 *     [--window 64] [--warmup 3] [--measure 5] [--mosquitto /usr/sbin/mosquitto] [--out FILE]
 * </pre>
 */
public final class MqttCompare
{
    private static final int PAYLOAD = 64;
    private static final int PORT = 18_830;

    private MqttCompare()
    {
    }

    /** One measurement: the load's figures and the broker's CPU time per delivery. */
    private record Run(MqttLoad.Result load, double cpuNsPerDelivery)
    {
    }

    /**
     * @param args the options above.
     * @throws Exception if a broker cannot start or the table cannot be written.
     */
    public static void main(final String[] args) throws Exception
    {
        int runs = 3;
        int window = 64;
        long warmup = 3;
        long measure = 5;
        int[] subscribers = {100, 1000};
        String mosquitto = "/usr/sbin/mosquitto";
        Path out = Paths.get("jmh", "target", "mqtt-comparison.md");
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--window" -> window = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Long.parseLong(args[i + 1]);
                case "--measure" -> measure = Long.parseLong(args[i + 1]);
                case "--subscribers" -> subscribers = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt)
                    .toArray();
                case "--mosquitto" -> mosquitto = args[i + 1];
                case "--out" -> out = Paths.get(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        final StringBuilder table = new StringBuilder();
        table.append(String.format("MQTT fan-out, one publisher, %d-byte payloads, %d messages in flight, %d runs "
            + "(median, min-max)%n%n", PAYLOAD, window, runs));
        table.append("| subscribers | broker | deliveries/s | p50 µs | p99 µs | broker CPU ns/delivery |\n");
        table.append("|---|---|---|---|---|---|\n");
        final List<String> ratios = new ArrayList<>();
        for (final int n : subscribers)
        {
            final Run[] ours = new Run[runs];
            final Run[] theirs = new Run[runs];
            for (int r = 0; r < runs; r++)
            {
                theirs[r] = measure(mosquittoCommand(mosquitto), n, window, warmup, measure);
                ours[r] = measure(sluiceCommand(), n, window, warmup, measure);
                System.out.printf(Locale.ROOT, "%d subscribers, run %d: sluice %.0f/s, mosquitto %.0f/s%n", n, r + 1,
                    ours[r].load.deliveriesPerSecond(), theirs[r].load.deliveriesPerSecond());
            }
            row(table, n, "sluice", ours);
            row(table, n, "mosquitto", theirs);
            final double[] throughput = new double[runs];
            final double[] p50 = new double[runs];
            final double[] p99 = new double[runs];
            final double[] cpu = new double[runs];
            for (int r = 0; r < runs; r++)
            {
                throughput[r] = ours[r].load.deliveriesPerSecond() / theirs[r].load.deliveriesPerSecond();
                p50[r] = (double)ours[r].load.p50Ns() / theirs[r].load.p50Ns();
                p99[r] = (double)ours[r].load.p99Ns() / theirs[r].load.p99Ns();
                cpu[r] = ours[r].cpuNsPerDelivery / theirs[r].cpuNsPerDelivery;
            }
            ratios.add(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s |", n, Spread.of(throughput, "%.2f×"),
                Spread.of(p50, "%.2f×"), Spread.of(p99, "%.2f×"), Spread.of(cpu, "%.2f×")));
        }
        table.append("\nRatios sluice / mosquitto, run by run (throughput: higher is better; latency and CPU: ")
            .append("lower)\n\n");
        table.append("| subscribers | deliveries/s | p50 | p99 | CPU per delivery |\n|---|---|---|---|---|\n");
        for (final String line : ratios)
        {
            table.append(line).append('\n');
        }
        System.out.println();
        System.out.println(table);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, table);
    }

    private static Run measure(final List<String> command, final int subscribers, final int window,
        final long warmupSeconds, final long measureSeconds) throws Exception
    {
        final Process broker = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("jmh/target/mqtt-broker.log"))).start();
        try
        {
            awaitPort();
            final long warmupNs = TimeUnit.SECONDS.toNanos(warmupSeconds);
            final long measureNs = TimeUnit.SECONDS.toNanos(measureSeconds);
            final Duration cpuBefore = cpu(broker);
            final MqttLoad.Result result = MqttLoad.run(new InetSocketAddress("127.0.0.1", PORT), subscribers,
                PAYLOAD, window, warmupNs, measureNs);
            final Duration cpuAfter = cpu(broker);
            // The CPU time covers set-up and warm-up too: spread over every delivery of the run, not the measured ones.
            final double deliveriesInRun = result.deliveriesPerSecond() * (warmupSeconds + measureSeconds);
            return new Run(result, cpuAfter.minus(cpuBefore).toNanos() / deliveriesInRun);
        }
        finally
        {
            broker.destroy();
            if (!broker.waitFor(10, TimeUnit.SECONDS))
            {
                broker.destroyForcibly().waitFor();
            }
        }
    }

    private static Duration cpu(final Process process)
    {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    @SuppressWarnings("try") // the connection only proves the port is open
    private static void awaitPort() throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true)
        {
            try (Socket ignored = new Socket("127.0.0.1", PORT))
            {
                return;
            }
            catch (final IOException ex)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IOException("no broker on port " + PORT, ex);
                }
                Thread.sleep(50);
            }
        }
    }

    private static List<String> mosquittoCommand(final String mosquitto) throws IOException
    {
        final Path conf = Files.createTempFile("mosquitto", ".conf");
        conf.toFile().deleteOnExit();
        Files.writeString(conf, "listener " + PORT + " 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\n"
            + "max_connections -1\n");
        return List.of(mosquitto, "-c", conf.toString());
    }

    private static List<String> sluiceCommand()
    {
        final List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin",
            "java").toString(), "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-XX:AutoBoxCacheMax=65536", "-Xms1g", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
            "dev.sluice.examples.mqtt.MqttBrokerMain", "127.0.0.1", Integer.toString(PORT), "1"));
        return command;
    }

    private static void row(final StringBuilder table, final int subscribers, final String broker, final Run[] runs)
    {
        final double[] throughput = new double[runs.length];
        final double[] p50 = new double[runs.length];
        final double[] p99 = new double[runs.length];
        final double[] cpu = new double[runs.length];
        for (int r = 0; r < runs.length; r++)
        {
            throughput[r] = runs[r].load.deliveriesPerSecond();
            p50[r] = runs[r].load.p50Ns() / 1000.0;
            p99[r] = runs[r].load.p99Ns() / 1000.0;
            cpu[r] = runs[r].cpuNsPerDelivery;
        }
        table.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s |%n", subscribers, broker,
            Spread.of(throughput, "%,.0f"), Spread.of(p50, "%.0f"), Spread.of(p99, "%.0f"), Spread.of(cpu, "%.0f")));
    }
}
