package dev.sluice.tests;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.testkit.FrameClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Out of file descriptors while accepting: in a JVM under {@code ulimit -n 100}, more peers connect than it has
 * descriptors for. Accepting fails, pauses for a timer tick at a time (counted) instead of spinning on a listener
 * that stays readable, the connections it holds keep being served, and once descriptors are free again it accepts
 * and serves new peers.
 */
class DescriptorExhaustionTest
{
    private static final int PEERS = 150;

    @Test
    void acceptingPausesWhileDescriptorsRunOutAndResumesAfter() throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final String command = "ulimit -n 100 && exec '" + java + "'" +
            " --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED -XX:AutoBoxCacheMax=65536 -cp '" +
            System.getProperty("java.class.path") + "' " +
            DescriptorExhaustionMain.class.getName();
        final Process child = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        final AtomicReference<String> latest = new AtomicReference<>("");
        final List<String> output = new ArrayList<>();
        final BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8));
        String first = reader.readLine();
        for (int skipped = 0; first != null && !first.startsWith("port ") && skipped < 20; skipped++)
        {
            first = reader.readLine(); // the JVM's own warnings come first on some JDKs
        }
        assertTrue(first != null && first.startsWith("port "), "the child started: " + first);
        final int port = Integer.parseInt(first.substring(5).trim());
        final Thread lines = new Thread(() ->
        {
            try
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    latest.set(line);
                    synchronized (output)
                    {
                        output.add(line);
                    }
                }
            }
            catch (final java.io.IOException ignored)
            {
                // the child ended
            }
        });
        lines.start();
        final List<FrameClient> clients = new ArrayList<>();
        try
        {
            for (int i = 0; i < PEERS; i++)
            {
                clients.add(FrameClient.connect(new java.net.InetSocketAddress("127.0.0.1", port)));
            }
            awaitTrue(() -> figure(latest.get(), "paused") > 0, "accepting paused", output);
            final long accepted = figure(latest.get(), "accepted");
            assertTrue(accepted < PEERS, "fewer accepted than connected: " + latest.get());
            clients.get(0).send(Loopback.bytes(16, 1));
            assertArrayEquals(Loopback.bytes(16, 1), clients.get(0).read(), "held connections are served meanwhile");
            final long pausedBefore = figure(latest.get(), "paused");
            Thread.sleep(1_000);
            final long pausesPerSecond = figure(latest.get(), "paused") - pausedBefore;
            assertTrue(pausesPerSecond <= 200, "one pause per timer tick, not a spin: " + pausesPerSecond + "/s");

            for (final FrameClient client : clients)
            {
                client.close();
            }
            clients.clear();
            awaitTrue(() -> figure(latest.get(), "accepted") >= PEERS && figure(latest.get(), "open") == 0,
                "the waiting peers accepted once descriptors were free", output);
            try (FrameClient late = FrameClient.connect(new java.net.InetSocketAddress("127.0.0.1", port)))
            {
                late.send(Loopback.bytes(16, 2));
                assertArrayEquals(Loopback.bytes(16, 2), late.read(), "a new peer is served");
            }
        }
        finally
        {
            for (final FrameClient client : clients)
            {
                client.close();
            }
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS))
            {
                child.destroyForcibly();
            }
            lines.join(5_000);
        }
    }

    private static long figure(final String line, final String name)
    {
        final String[] words = line.split(" ");
        for (int i = 0; i + 1 < words.length; i++)
        {
            if (words[i].equals(name))
            {
                return Long.parseLong(words[i + 1]);
            }
        }
        return -1;
    }

    private interface Check
    {
        boolean ok();
    }

    private static void awaitTrue(final Check check, final String what, final List<String> output)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!check.ok())
        {
            if (System.nanoTime() > deadline)
            {
                synchronized (output)
                {
                    throw new AssertionError(what + "; the child printed: " +
                        output.subList(Math.max(0, output.size() - 5), output.size()));
                }
            }
            Thread.sleep(20);
        }
    }
}
