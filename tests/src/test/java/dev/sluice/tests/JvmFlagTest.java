package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sluice.engine.Engine;
import org.junit.jupiter.api.Test;

/**
 * A JVM started without the flags the engine needs gets one clear sentence naming the flag, not a trace: refused
 * without {@code --add-opens java.base/jdk.internal.misc}; warned (or, with {@code requireZeroGarbage}, refused)
 * without an Integer cache that covers the socket descriptors, which the JDK's selector boxes.
 */
class JvmFlagTest
{
    private static final String ADD_OPENS = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";
    private static final String CACHE_FLAG = "-XX:AutoBoxCacheMax=65536";

    @Test
    void startingWithoutTheAddOpensFlagIsRefusedWithTheFlagNamed() throws Exception
    {
        final String output = start(List.of(), "default");
        assertTrue(output.contains("refused: Sluice needs the JVM flag " + Engine.REQUIRED_JVM_FLAG), output);
    }

    @Test
    void startingWithoutTheIntegerCacheFlagWarnsWithTheFlagNamedAndStarts() throws Exception
    {
        final String output = start(List.of(ADD_OPENS), "default");
        assertTrue(output.contains("started 1"), output);
        assertTrue(output.contains("start the JVM with " + CACHE_FLAG), output);
    }

    @Test
    void startingWithoutTheIntegerCacheFlagIsRefusedWhenZeroGarbageIsRequired() throws Exception
    {
        final String output = start(List.of(ADD_OPENS), "requireZeroGarbage");
        assertTrue(output.contains("refused: requireZeroGarbage is set and the JVM's Integer cache ends below"),
            output);
        assertTrue(output.contains(CACHE_FLAG), output);
    }

    @Test
    void startingWithBothFlagsSaysNothingAboutThem() throws Exception
    {
        final String output = start(List.of(ADD_OPENS, CACHE_FLAG), "requireZeroGarbage");
        assertTrue(output.contains("started 1"), output);
        assertFalse(output.contains("AutoBoxCacheMax"), output);
    }

    @Test
    void directMemoryTooSmallForTheSlotsIsRefusedWithTheFlagNamed() throws Exception
    {
        final String output = start(List.of(ADD_OPENS, CACHE_FLAG, "-XX:MaxDirectMemorySize=16m"), "default");
        assertTrue(output.contains("refused: not enough direct memory to start: 1,024 connection slots take about " +
            "169 MiB"), output);
        assertTrue(output.contains("raise -XX:MaxDirectMemorySize"), output);
    }

    /** Runs {@link StartWithoutJvmFlagMain} in a fresh JVM; output goes to a file, so nothing here can block. */
    private static String start(final List<String> jvmFlags, final String mode) throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StartWithoutJvmFlagMain.class.getName(),
            mode));
        final File out = File.createTempFile("sluice-jvm-flag", ".txt");
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new AssertionError("the JVM did not finish within 30 s: " + readQuietly(out));
            }
            return Files.readString(out.toPath(), StandardCharsets.UTF_8);
        }
        finally
        {
            Files.deleteIfExists(out.toPath());
        }
    }

    private static String readQuietly(final File file)
    {
        try
        {
            return Files.readString(file.toPath(), StandardCharsets.UTF_8);
        }
        catch (final java.io.IOException ex)
        {
            return "(no output: " + ex + ")";
        }
    }
}
