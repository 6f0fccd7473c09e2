package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.EchoHandler;
import dev.sluice.testkit.FrameClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counters of a running engine, read by another process through the memory-mapped file. */
class CountersPrinterTest
{
    @Test
    void anotherProcessPrintsTheLiveCounters(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("sluice-counters.dat");
        try (Engine engine = Engine.start(EngineConfig.builder().countersFile(file).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new EchoHandler(new CloseLog()));
            try (FrameClient client = FrameClient.connect(address))
            {
                for (int i = 0; i < 1234; i++)
                {
                    client.write(Loopback.bytes(10, i));
                }
                client.flush();
                for (int i = 0; i < 1234; i++)
                {
                    assertArrayEquals(Loopback.bytes(10, i), client.read());
                }

                final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                final Process process = new ProcessBuilder(List.of(java,
                    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"),
                    "dev.sluice.stats.CountersPrinter", file.toString()))
                    .redirectErrorStream(true).start();
                final String output = readAll(process.getInputStream());
                assertTrue(process.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, process.exitValue(), output);

                assertEquals(1234, valueOf(output, "loop-0: frames in"), output);
                assertEquals(1234, valueOf(output, "loop-0: frames out"), output);
                assertEquals(1, valueOf(output, "loop-0: connections open"), output);
                assertTrue(output.contains("pid " + ProcessHandle.current().pid()), output);
            }
        }
    }

    private static long valueOf(final String output, final String label)
    {
        final Matcher m = Pattern.compile(Pattern.quote(label) + "\\s+([\\d,]+)").matcher(output);
        assertTrue(m.find(), "no line for " + label);
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    private static String readAll(final InputStream in) throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
