package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 10,000 connections, 100 frames pushed to each from 4 threads, the client in a second process. Not in the default
 * run: {@code mvn -B verify -Pstress} (the profile also gives the JVM the direct memory 10,000 connections need).
 */
@Tag("stress")
class StressTest
{
    private static final int CONNECTIONS = Integer.getInteger("stress.connections", 10_000);
    private static final int FRAMES = 100;
    private static final int PRODUCERS = 4;

    private static String summary(final Engine engine)
    {
        final StringBuilder s = new StringBuilder();
        for (int i = 0; i < engine.loopCount(); i++)
        {
            s.append(String.format("loop %d: sent %d, discarded %d, bytes out %d, open %d, slow %d; ", i,
                engine.counters(i).pushesSentLow.get(), engine.counters(i).pushesDiscarded.get(),
                engine.counters(i).bytesOut.get(), engine.counters(i).connectionsOpen.get(),
                engine.counters(i).closes(dev.sluice.connection.CloseReason.SLOW_CONSUMER).get()));
        }
        return s.toString();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // past its own five-minute wait for the client process
    void tenThousandConnectionsGetEveryPushedFrameInOrder() throws Exception
    {
        final PushDeliveryTest.Handles handles = new PushDeliveryTest.Handles(CONNECTIONS);
        final EngineConfig config = EngineConfig.builder().loops(2).maxConnections(CONNECTIONS + 16)
            .listenBacklog(4096).build();
        try (Engine engine = Engine.start(config))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, handles);
            final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            final Process client = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:AutoBoxCacheMax=65536",
                "-cp", System.getProperty("java.class.path"), StressClientMain.class.getName(),
                Integer.toString(address.getPort()), Integer.toString(CONNECTIONS), Integer.toString(FRAMES), "240"))
                .redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(
                new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII)))
            {
                assertEquals("CONNECTED", out.readLine());
                Loopback.awaitTrue(() -> engine.counters(0).connectionsOpen.get() +
                    engine.counters(1).connectionsOpen.get() == CONNECTIONS, "all connections open");
                assertNull(handles.pushSequences(PRODUCERS, CONNECTIONS, FRAMES), "every push accepted");
                assertTrue(client.waitFor(300, TimeUnit.SECONDS), "client finished");
                final String verdict = out.readLine();
                assertEquals(0, client.exitValue(), verdict + "; " + summary(engine));
                assertEquals("OK " + (long)CONNECTIONS * FRAMES, verdict);
            }
            finally
            {
                client.destroyForcibly();
            }
        }
    }
}
