package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A JVM started without {@code --add-opens java.base/jdk.internal.misc} gets one clear sentence, not a trace. */
class JvmFlagTest
{
    @Test
    void startingWithoutTheAddOpensFlagIsRefusedWithTheFlagNamed() throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
            StartWithoutJvmFlagMain.class.getName())).redirectErrorStream(true).start();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        final String output = out.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("refused: Sluice needs the JVM flag --add-opens java.base/jdk.internal.misc"),
            output);
    }
}
