package dev.sluice.tests;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.gate.AtomicClusterCursors;
import dev.sluice.gate.DurabilityModes;
import dev.sluice.gate.GateConfig;
import dev.sluice.push.Priority;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak: 2,000 connections over two loops for {@code sluice.soak.seconds} (60 in the default run; 600 with
 * {@code mvn -B verify -Psoak}), one connection closed and replaced every 5 ms, every connection echoing, pushes of
 * both priorities from one thread, durability-gated responses from another released by a journal cursor. Every frame
 * a live connection was sent arrives, in order; nobody is dropped as a slow consumer; afterwards the engine's
 * connections, the heap, direct memory, descriptors and threads are back where they were before the traffic began.
 */
@Tag("soak")
class SoakTest
{
    private static final int CONNECTIONS = 2_000;
    private static final long SECONDS = Long.getLong("sluice.soak.seconds", 60);

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void churnEchoPushesAndGatedResponsesLeaveNothingBehind() throws Exception
    {
        final AtomicClusterCursors cursors = new AtomicClusterCursors(0);
        final GateConfig gate = new GateConfig(cursors,
            DurabilityModes.standard(new AtomicInteger(DurabilityModes.LOCAL)));
        final Map<Long, PushHandle> live = new ConcurrentHashMap<>();
        final Map<Long, long[]> accepted = new ConcurrentHashMap<>();
        try (Engine engine = Engine.start(EngineConfig.builder().loops(2).maxConnections(CONNECTIONS + 500)
            .receiveBufferSize(16 * 1024).push(PushConfig.builder().queueBytes(4 * 1024, 8 * 1024).build())
            .gate(gate).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, server(live));
            final Baseline before = Baseline.take();
            final SoakClient client = new SoakClient(address, CONNECTIONS);
            final AtomicBoolean producing = new AtomicBoolean(true);
            final AtomicLong published = new AtomicLong();
            final Thread clientThread = new Thread(client, "soak-client");
            final List<Thread> producers = List.of(
                new Thread(() -> push(live, accepted, producing), "soak-pusher"),
                new Thread(() -> respond(engine, live, accepted, producing, published), "soak-matcher"),
                new Thread(() -> journal(cursors, producing, published), "soak-journal"));
            clientThread.start();
            producers.forEach(Thread::start);
            Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS));

            client.stopChurn();
            producing.set(false);
            for (final Thread producer : producers)
            {
                producer.join(10_000);
            }
            cursors.primaryPersisted(Long.MAX_VALUE / 2); // every response published may go now
            client.expect(accepted);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!client.complete() && System.nanoTime() < deadline)
            {
                Thread.sleep(100);
            }
            assertTrue(client.complete(), () -> "every live connection got every frame accepted for it: " +
                client.missing() + "; server side: " + describe(live, client.missingId()) + "; " + client.failures());
            client.stop();
            clientThread.join(30_000);
            Loopback.awaitTrue(() -> open(engine) == 0, "every connection closed on the server too");

            assertEquals(List.of(), client.failures());
            long pushesSent = 0;
            for (int loop = 0; loop < 2; loop++)
            {
                assertEquals(0, engine.counters(loop).closes(CloseReason.SLOW_CONSUMER).get(), "slow consumers");
                assertEquals(0, engine.counters(loop).closes(CloseReason.HANDLER_ERROR).get(), "handler errors");
                assertEquals(0, engine.counters(loop).errors.get(), "errors");
                pushesSent += engine.counters(loop).pushesSentHigh.get() + engine.counters(loop).pushesSentLow.get();
            }
            assertTrue(client.opened() > CONNECTIONS + SECONDS * 10, "churned: " + client.opened() + " opened");
            assertTrue(pushesSent > 0 && published.get() > 0 && client.echoes() > 0, "traffic of every kind flowed");
            final String restored = before.assertRestored();
            System.out.printf("soak: %d s, %,d connections opened (%,d at once), %,d echoes, %,d pushes sent, " +
                "%,d gated responses published; %s%n", SECONDS, client.opened(), CONNECTIONS, client.echoes(),
                pushesSent, published.get(), restored);
        }
    }

    private static ConnectionHandler server(final Map<Long, PushHandle> live)
    {
        return new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection connection)
            {
                live.put(connection.id(), connection.pushHandle());
                final UnsafeBuffer id = new UnsafeBuffer(new byte[1 + Long.BYTES]); // per call: two loops share this
                id.putByte(0, SoakClient.ID);
                id.putLong(1, connection.id(), java.nio.ByteOrder.BIG_ENDIAN);
                connection.send(id, 0, id.capacity());
            }

            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
                c.send(buffer, offset, length);
            }

            @Override
            public void onClose(final Connection connection, final CloseReason reason)
            {
                live.remove(connection.id());
            }
        };
    }

    /** Pushes to random live connections, alternating priorities, each numbered per connection and priority. */
    private static void push(final Map<Long, PushHandle> live, final Map<Long, long[]> accepted,
        final AtomicBoolean producing)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1 + Long.BYTES]);
        List<PushHandle> handles = new ArrayList<>();
        long refreshNs = 0;
        for (long i = 0; producing.get(); i++)
        {
            if (System.nanoTime() - refreshNs >= 0)
            {
                handles = new ArrayList<>(live.values());
                refreshNs = System.nanoTime() + 50_000_000L;
            }
            if (handles.isEmpty())
            {
                LockSupport.parkNanos(1_000_000);
                continue;
            }
            final PushHandle handle = handles.get(ThreadLocalRandom.current().nextInt(handles.size()));
            final byte type = (i & 1) == 0 ? SoakClient.HIGH : SoakClient.LOW;
            final long[] counts = accepted.computeIfAbsent(handle.connectionId(), k -> new long[5]);
            frame.putByte(0, type);
            frame.putLong(1, counts[type], java.nio.ByteOrder.BIG_ENDIAN);
            if (handle.push(frame, 0, frame.capacity(), type == SoakClient.HIGH ? Priority.HIGH : Priority.LOW) ==
                PushResult.ACCEPTED)
            {
                counts[type]++;
            }
            LockSupport.parkNanos(20_000);
        }
    }

    /** Publishes gated responses to random live connections, numbered per connection. */
    private static void respond(final Engine engine, final Map<Long, PushHandle> live,
        final Map<Long, long[]> accepted, final AtomicBoolean producing, final AtomicLong published)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1 + Long.BYTES]);
        List<Long> ids = new ArrayList<>();
        long refreshNs = 0;
        while (producing.get())
        {
            if (System.nanoTime() - refreshNs >= 0)
            {
                ids = new ArrayList<>(live.keySet());
                refreshNs = System.nanoTime() + 50_000_000L;
            }
            if (ids.isEmpty())
            {
                LockSupport.parkNanos(1_000_000);
                continue;
            }
            final long id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
            final long[] counts = accepted.computeIfAbsent(id, k -> new long[5]);
            frame.putByte(0, SoakClient.RESPONSE);
            frame.putLong(1, counts[SoakClient.RESPONSE], java.nio.ByteOrder.BIG_ENDIAN);
            if (engine.responses().publish(id, published.get() + 1, false, false, frame, 0, frame.capacity()))
            {
                counts[SoakClient.RESPONSE]++;
                published.incrementAndGet();
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** The journal: what is published becomes durable a millisecond or so later. */
    private static void journal(final AtomicClusterCursors cursors, final AtomicBoolean producing,
        final AtomicLong published)
    {
        while (producing.get())
        {
            cursors.primaryPersisted(published.get());
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static String describe(final Map<Long, PushHandle> live, final long id)
    {
        final PushHandle handle = live.get(id);
        if (handle == null)
        {
            return "not open";
        }
        final dev.sluice.push.ConnectionStats stats = handle.stats();
        return "open " + stats.isOpen() + ", backed up " + handle.isBackedUp() + ", frames out " + stats.framesOut() +
            ", pushes sent " + stats.pushesSent() + ", discarded " + stats.pushesDiscarded() + ", pending bytes " +
            stats.pendingBytes() + ", frames in " + stats.framesIn();
    }

    private static long open(final Engine engine)
    {
        return engine.counters(0).connectionsOpen.get() + engine.counters(1).connectionsOpen.get();
    }

    /** What the process holds before the traffic: heap after a collection, direct memory, descriptors, threads. */
    private record Baseline(long heapBytes, long directBytes, long openDescriptors, Set<Thread> liveThreads)
    {
        static Baseline take() throws Exception
        {
            return new Baseline(heapAfterGc(), direct(), descriptors(), threads());
        }

        /** @return the figures before and after, for the report. */
        String assertRestored() throws Exception
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((descriptors() != openDescriptors || !newThreads().isEmpty()) && System.nanoTime() < deadline)
            {
                Thread.sleep(50);
            }
            assertEquals(openDescriptors, descriptors(), "open file descriptors");
            assertEquals(Set.of(), newThreads(), "threads started since and still running");
            final long heap = heapAfterGc();
            assertTrue(heap - heapBytes < 64L << 20, "heap within 64 MiB: " + heapBytes + " -> " + heap);
            final long direct = direct();
            assertTrue(direct - directBytes < 1L << 20, "direct memory within 1 MiB: " + directBytes + " -> " + direct);
            return String.format("before -> after: heap %,d -> %,d bytes, direct %,d -> %,d bytes, descriptors %d, " +
                "threads %d, none new", heapBytes, heap, directBytes, direct, openDescriptors, liveThreads.size());
        }

        private static long heapAfterGc()
        {
            System.gc();
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        private static long direct()
        {
            for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
            {
                if (pool.getName().equals("direct"))
                {
                    return pool.getMemoryUsed();
                }
            }
            return 0;
        }

        private static long descriptors() throws Exception
        {
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
            {
                return fds.count();
            }
        }

        /** Threads alive now that were not before (JDK housekeeping threads that ended meanwhile do not count). */
        private Set<String> newThreads()
        {
            final Set<String> names = new HashSet<>();
            for (final Thread thread : threads())
            {
                if (!liveThreads.contains(thread))
                {
                    names.add(thread.getName());
                }
            }
            return names;
        }

        private static Set<Thread> threads()
        {
            final Set<Thread> alive = new HashSet<>();
            for (final Thread thread : Thread.getAllStackTraces().keySet())
            {
                if (thread.isAlive())
                {
                    alive.add(thread);
                }
            }
            return alive;
        }
    }
}
