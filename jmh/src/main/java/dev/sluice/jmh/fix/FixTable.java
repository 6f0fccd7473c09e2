package dev.sluice.jmh.fix;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

import dev.sluice.jmh.Spread;

/**
 * The comparison's report in markdown: per case each server's median (min–max) over the rounds, the ratios Sluice /
 * QuickFIX/J taken round by round (a round's pair ran minutes apart at most), and each server's order latency against
 * the echo ping-pong round trip of the same round. A measurement that failed counts as missing.
 */
final class FixTable
{
    private static final String COLUMNS = "| p50 µs | p99 µs | p99.9 µs | orders/s | server CPU µs/order "
        + "| orders per journal force |\n|---|---|---|---|---|---|---|\n";

    private final FixCompare.Server[] servers = FixCompare.Server.values();
    private final FixCompare.CaseRun[][] latency;
    private final FixCompare.CaseRun[][] throughput;
    private final double[][] echo;
    private final StringBuilder out = new StringBuilder();

    /**
     * @param latency    per server (by ordinal) and round, the latency case; null where it failed.
     * @param throughput per server and round, the throughput case; null where it failed.
     * @param echo       per round the echo ping-pong's p50, p99, p99.9 (µs) and round trips per second; null where
     *                   it failed.
     */
    FixTable(final FixCompare.CaseRun[][] latency, final FixCompare.CaseRun[][] throughput, final double[][] echo)
    {
        this.latency = latency;
        this.throughput = throughput;
        this.echo = echo;
    }

    /** @return the report, under the heading line given. */
    String render(final String heading, final int sessions, final int window)
    {
        out.append(heading).append("\n\nLatency: one session, one order in flight (from writing a NewOrderSingle to ")
            .append("reading its ExecutionReport New)\n\n| server ").append(COLUMNS);
        for (final FixCompare.Server server : servers)
        {
            row(server.label, latency[server.ordinal()]);
        }
        out.append("| Sluice echo ping-pong, 64-byte frames, one connection (round trips) | ")
            .append(Spread.of(echoColumn(0), "%.1f")).append(" | ").append(Spread.of(echoColumn(1), "%.1f"))
            .append(" | ").append(Spread.of(echoColumn(2), "%.1f")).append(" | ")
            .append(Spread.of(echoColumn(3), "%,.0f"))
            .append(" | – | – |\n");
        out.append(String.format(Locale.ROOT, "%nThroughput: %d sessions, %d orders in flight each%n%n| server ",
            sessions, window)).append(COLUMNS);
        for (final FixCompare.Server server : servers)
        {
            row(server.label, throughput[server.ordinal()]);
        }
        out.append("\nRatios Sluice / QuickFIX/J, round by round (orders/s: higher is better; latency and CPU: lower)")
            .append("\n\n| measure | ungated / MemoryStore | gated by the journal / FileStore with sync |\n")
            .append("|---|---|---|\n");
        ratio("latency p50", latency, run -> run.load().p50Ns());
        ratio("latency p99", latency, run -> run.load().p99Ns());
        ratio("latency p99.9", latency, run -> run.load().p999Ns());
        ratio("latency case: server CPU per order", latency, FixCompare.CaseRun::cpuNsPerOrder);
        ratio("throughput orders/s", throughput, run -> run.load().ordersPerSecond());
        ratio("throughput p50", throughput, run -> run.load().p50Ns());
        ratio("throughput p99", throughput, run -> run.load().p99Ns());
        ratio("throughput case: server CPU per order", throughput, FixCompare.CaseRun::cpuNsPerOrder);
        out.append("\nOrder latency p50 / echo ping-pong p50 of the same round\n\n| server | ratio |\n|---|---|\n");
        for (final FixCompare.Server server : servers)
        {
            final double[] ratios = new double[echo.length];
            for (int r = 0; r < echo.length; r++)
            {
                final FixCompare.CaseRun run = latency[server.ordinal()][r];
                ratios[r] = run == null || echo[r] == null ? Double.NaN : run.load().p50Ns() / 1000.0 / echo[r][0];
            }
            out.append("| ").append(server.label).append(" | ").append(Spread.of(ratios, "%.2f×")).append(" |\n");
        }
        double clientBytes = 0;
        for (final FixCompare.CaseRun[][] runs : new FixCompare.CaseRun[][][] {latency, throughput})
        {
            for (final FixCompare.CaseRun[] rounds : runs)
            {
                for (final FixCompare.CaseRun run : rounds)
                {
                    clientBytes = run == null ? clientBytes : Math.max(clientBytes, run.load().clientBytesPerOrder());
                }
            }
        }
        out.append(String.format(Locale.ROOT, "%nThe load client's thread allocated at most %.3f bytes per order in "
            + "the measured windows. QuickFIX/J's FileStore with FileStoreSync=Y puts each message it stores and "
            + "each sequence-number update on disk by itself: it has no journal forces to count.%n", clientBytes));
        return out.toString();
    }

    private double[] echoColumn(final int column)
    {
        final double[] values = new double[echo.length];
        for (int r = 0; r < echo.length; r++)
        {
            values[r] = echo[r] == null ? Double.NaN : echo[r][column];
        }
        return values;
    }

    private void row(final String label, final FixCompare.CaseRun[] runs)
    {
        out.append("| ").append(label).append(" | ")
            .append(Spread.of(column(runs, run -> run.load().p50Ns() / 1000.0), "%.1f")).append(" | ")
            .append(Spread.of(column(runs, run -> run.load().p99Ns() / 1000.0), "%.1f")).append(" | ")
            .append(Spread.of(column(runs, run -> run.load().p999Ns() / 1000.0), "%.1f")).append(" | ")
            .append(Spread.of(column(runs, run -> run.load().ordersPerSecond()), "%,.0f")).append(" | ")
            .append(Spread.of(column(runs, run -> run.cpuNsPerOrder() / 1000.0), "%.1f")).append(" | ")
            .append(Spread.of(column(runs, FixCompare.CaseRun::ordersPerForce), "%.1f")).append(" |\n");
    }

    private void ratio(final String label, final FixCompare.CaseRun[][] runs,
        final ToDoubleFunction<FixCompare.CaseRun> value)
    {
        out.append("| ").append(label);
        for (final FixCompare.Server[] pair : new FixCompare.Server[][] {
            {FixCompare.Server.SLUICE, FixCompare.Server.QUICKFIXJ},
            {FixCompare.Server.SLUICE_GATED, FixCompare.Server.QUICKFIXJ_SYNC}})
        {
            final double[] ours = column(runs[pair[0].ordinal()], value);
            final double[] theirs = column(runs[pair[1].ordinal()], value);
            final double[] ratios = new double[ours.length];
            for (int r = 0; r < ours.length; r++)
            {
                ratios[r] = ours[r] / theirs[r];
            }
            out.append(" | ").append(Spread.of(ratios, "%.2f×"));
        }
        out.append(" |\n");
    }

    private static double[] column(final FixCompare.CaseRun[] runs, final ToDoubleFunction<FixCompare.CaseRun> value)
    {
        final double[] values = new double[runs.length];
        for (int r = 0; r < runs.length; r++)
        {
            values[r] = runs[r] == null ? Double.NaN : value.applyAsDouble(runs[r]);
        }
        return values;
    }
}
