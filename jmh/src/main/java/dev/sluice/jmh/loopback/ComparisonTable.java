package dev.sluice.jmh.loopback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sluice.jmh.Spread;

/**
 * Renders {@link Compare}'s results as Markdown: one table of figures per benchmark section (median and range over
 * the runs), then the ratios ours / theirs, each taken within one run and summarised the same way. "server CPU
 * ns" is the CPU time of the server's I/O threads per frame over the measured window, "all CPU ns" the whole JVM's
 * (server, client and, for fan-out, the pushing thread).
 */
final class ComparisonTable
{
    private static final List<String> LATENCY = List.of("p50", "p99", "p99.9", "max");

    private final Map<Case, List<Map<String, Double>>> results;
    private final Map<Case, String> servers;

    ComparisonTable(final Map<Case, List<Map<String, Double>>> results, final Map<Case, String> servers)
    {
        this.results = results;
        this.servers = servers;
    }

    /** @return the whole report, headed by {@code environment}. */
    String render(final String environment)
    {
        final StringBuilder out = new StringBuilder("Loopback comparison: ").append(environment).append("\n");
        final Map<String, List<Case>> sections = new LinkedHashMap<>();
        results.keySet().forEach(c -> sections.computeIfAbsent(c.section(), k -> new ArrayList<>()).add(c));
        sections.forEach((section, cases) ->
        {
            final boolean pingPong = "pingpong".equals(cases.get(0).bench());
            final List<String> metrics = pingPong ? LATENCY :
                "reqresp".equals(cases.get(0).bench()) ? List.of("opsPerSec", "p50", "p99") : List.of("opsPerSec");
            out.append("\n### ").append(section).append("\n\n| server | ");
            metrics.forEach(m -> out.append(label(m)).append(" | "));
            out.append(pingPong ? "server B/round trip | server CPU ns/round trip | all CPU ns/round trip |" :
                "server B/frame | server CPU ns/frame | all CPU ns/frame |");
            out.append(cases.get(0).pushes() ? " app thread B/frame |" : "").append(" runs |\n|---|");
            out.append("---|".repeat(metrics.size() + (cases.get(0).pushes() ? 5 : 4))).append('\n');
            for (final Case c : cases)
            {
                out.append("| ").append(c.impl()).append(" | ");
                metrics.forEach(m -> out.append(summary(values(results.get(c), m), m)).append(" | "));
                out.append(summary(values(results.get(c), "serverBytesPerOp"), "bytes")).append(" | ");
                out.append(summary(values(results.get(c), "serverCpuNsPerOp"), "cpu")).append(" | ");
                out.append(summary(values(results.get(c), "cpuNsPerOp"), "cpu")).append(" | ");
                if (c.pushes())
                {
                    out.append(summary(values(results.get(c), "appBytesPerOp"), "bytes")).append(" | ");
                }
                out.append(values(results.get(c), "ops").length).append(" |\n");
            }
            out.append('\n');
            // Fan-out servers split their work differently between the pushing thread and the loop (Sluice copies on
            // the pusher, Netty's frame-by-frame twin encodes on the loop), so only the whole JVM's CPU compares.
            ratios(out, cases, pingPong ? List.of("p50", "p99", "p99.9", "serverCpuNsPerOp") :
                cases.get(0).pushes() ? List.of("opsPerSec", "cpuNsPerOp") :
                List.of("opsPerSec", "serverCpuNsPerOp"));
            out.append('\n');
            cases.forEach(c -> out.append("- ").append(c.impl()).append(": ")
                .append(servers.getOrDefault(c, "(no run succeeded)")).append('\n'));
        });
        return out.toString();
    }

    /** Ours / theirs for every Sluice row against every other row of the section, run by run. */
    private void ratios(final StringBuilder out, final List<Case> cases, final List<String> metrics)
    {
        out.append("| ratio (same run) | ");
        metrics.forEach(m -> out.append(label(m)).append(" | "));
        out.append("\n|---|").append("---|".repeat(metrics.size())).append('\n');
        for (final Case ours : cases)
        {
            if (!ours.impl().startsWith("sluice"))
            {
                continue;
            }
            for (final Case theirs : cases)
            {
                if (theirs.impl().startsWith("sluice"))
                {
                    continue;
                }
                out.append("| ").append(ours.impl()).append(" / ").append(theirs.impl()).append(" | ");
                for (final String metric : metrics)
                {
                    out.append(summary(perRunRatios(results.get(ours), results.get(theirs), metric), "ratio"))
                        .append(" | ");
                }
                out.append('\n');
            }
        }
    }

    private static double[] perRunRatios(final List<Map<String, Double>> ours, final List<Map<String, Double>> theirs,
        final String metric)
    {
        final List<Double> ratios = new ArrayList<>();
        for (int run = 0; run < Math.min(ours.size(), theirs.size()); run++)
        {
            if (ours.get(run) != null && theirs.get(run) != null)
            {
                ratios.add(ours.get(run).get(metric) / theirs.get(run).get(metric));
            }
        }
        return ratios.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] values(final List<Map<String, Double>> runs, final String metric)
    {
        return runs.stream().filter(r -> r != null && r.containsKey(metric)).mapToDouble(r -> r.get(metric))
            .toArray();
    }

    /** @return "median (min–max)", or "–" when there is no value. */
    private static String summary(final double[] values, final String kind)
    {
        final String format = switch (kind)
        {
            case "opsPerSec" -> "%,.0f";
            case "ratio" -> "%.2f";
            case "bytes" -> "%.1f";
            case "cpu" -> "%,.0f";
            default -> "%.1f";
        };
        return Spread.of(values, format);
    }

    private static String label(final String metric)
    {
        return switch (metric)
        {
            case "opsPerSec" -> "frames/s";
            case "serverCpuNsPerOp" -> "server CPU per op";
            case "cpuNsPerOp" -> "all CPU per op";
            default -> metric + " µs";
        };
    }
}
