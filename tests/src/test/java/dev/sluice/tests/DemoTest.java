package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sluice.demo.Demo;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, run in-process through {@link Demo#run}: short runs whose report is read back, and
 * the failures a user meets first (a taken port, a wrong option).
 */
class DemoTest
{
    private static final Pattern PUSHES = Pattern.compile(
        "([\\d,]+) accepted, ([\\d,]+) sent by the loops, ([\\d,]+) received");

    @Test
    void shortRunEchoesAndDeliversEveryAcceptedPushOfBothPriorities() throws Exception
    {
        final Output run = Output.of("--seconds", "3", "--connections", "8", "--push-rate", "4000");
        assertEquals(0, run.code, run.text);
        final long[] high = pushes(run.line("pushes high"));
        final long[] low = pushes(run.line("pushes low"));
        assertTrue(high[2] > 0 && low[2] > 0, run.text);
        assertEquals(high[0], high[2], "every accepted high push arrived\n" + run.text);
        assertEquals(low[0], low[2], "every accepted low push arrived\n" + run.text);
        assertTrue(low[2] > 2 * high[2], "a quarter of the pushes are high\n" + run.text);
        assertEquals("0", run.line("slow-consumer drops"), run.text);
        assertEquals("0 connections lost, 0 bad frames", run.line("clients"), run.text);
        assertEquals("ok", run.line("result"), run.text);
        assertTrue(run.line("loop 0").startsWith("not pinned;"), run.text);
        final Matcher progress = Pattern.compile("(?m)^ +\\d+ s +[\\d,]+ echoes/s +[\\d,]+ pushes/s +8 open  p99 ")
            .matcher(run.text);
        assertTrue(progress.find() && progress.find(), "a progress line every second\n" + run.text);
        assertTrue(Long.parseLong(run.line("echoes").replaceAll(" round trips.*", "").replace(",", "")) > 0,
            run.text);
    }

    @Test
    void withoutPushesItIsAPureEchoRunAndAnUnpinnableCpuOnlyMeansNotPinned() throws Exception
    {
        final Output run = Output.of("--seconds", "2", "--connections", "4", "--push-rate", "0", "--pin", "4095");
        assertEquals(0, run.code, run.text);
        assertEquals("off (--push-rate 0)", run.line("pushes"), run.text);
        assertTrue(run.line("loop 0").startsWith("not pinned;"), run.text);
        assertEquals("0 connections lost, 0 bad frames", run.line("clients"), run.text);
    }

    @Test
    void takenPortGetsAClearMessageAndExitCode1() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final int port = taken.getLocalPort();
            final Output run = Output.of("--port", Integer.toString(port), "--seconds", "1");
            assertEquals(1, run.code, run.text);
            assertTrue(run.text.contains("port " + port + " is in use; pass --port 0 or another port"), run.text);
            assertFalse(run.text.contains("--- report"), run.text);
        }
    }

    @Test
    void wrongOptionSaysWhatIsWrongAndExitsWith2() throws Exception
    {
        final Output run = Output.of("--pin", "first");
        assertEquals(2, run.code, run.text);
        assertTrue(run.text.startsWith("--pin needs none, any or a CPU list"), run.text);
        assertTrue(run.text.contains("--push-rate R"), "the usage follows\n" + run.text);
    }

    private static long[] pushes(final String line)
    {
        final Matcher m = PUSHES.matcher(line);
        assertTrue(m.matches(), line);
        final long[] counts = new long[3];
        for (int i = 0; i < counts.length; i++)
        {
            counts[i] = Long.parseLong(m.group(i + 1).replace(",", ""));
        }
        return counts;
    }

    /** What one run printed and returned. */
    private static final class Output
    {
        private final int code;
        private final String text;

        private Output(final int code, final String text)
        {
            this.code = code;
            this.text = text;
        }

        static Output of(final String... args) throws Exception
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final int code;
            try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
            {
                code = Demo.run(args, out);
            }
            return new Output(code, bytes.toString(StandardCharsets.UTF_8));
        }

        /** @return the value of the report line {@code name}: what follows the name, padded to 20, and a space. */
        String line(final String name)
        {
            final Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " {" + Math.max(1, 21 - name.length()) +
                "}(\\S.*)$").matcher(text);
            assertTrue(m.find(), "no line '" + name + "' in\n" + text);
            return m.group(1);
        }
    }
}
