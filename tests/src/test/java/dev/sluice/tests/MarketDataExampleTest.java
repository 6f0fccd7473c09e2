package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

import dev.sluice.connection.CloseReason;
import dev.sluice.examples.MarketDataServer;
import dev.sluice.push.ConnectionStats;
import dev.sluice.testkit.FrameClient;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The market-data example as a user would run it: a subscriber that stops reading is dropped, while the others get
 * every heartbeat and every tick of their symbols in order.
 */
class MarketDataExampleTest
{
    private static final String[] SYMBOLS = {"EURUSD", "USDJPY"};
    private static final int TICKS = 20_000; // per symbol
    private static final int READERS = 3;

    @Test
    void aSubscriberThatStopsReadingIsDroppedWhileTheOthersGetEveryHeartbeatAndEveryTickInOrder() throws Exception
    {
        try (MarketDataServer server = new MarketDataServer(SYMBOLS, 20, 0))
        {
            final FrameClient stalled = FrameClient.connect(server.address(), 4096); // reads nothing
            final List<FrameClient> readers = new ArrayList<>();
            final AtomicIntegerArray heartbeats = new AtomicIntegerArray(READERS);
            final AtomicIntegerArray heartbeatsAmidTicks = new AtomicIntegerArray(READERS);
            final AtomicLongArray progress = new AtomicLongArray(READERS);
            final AtomicReferenceArray<String> verdicts = new AtomicReferenceArray<>(READERS);
            final List<Thread> threads = new ArrayList<>();
            try
            {
                stalled.send(MarketDataServer.login("stalled", SYMBOLS));
                for (int r = 0; r < READERS; r++)
                {
                    final FrameClient reader = FrameClient.connect(server.address());
                    readers.add(reader);
                    reader.send(MarketDataServer.login("reader-" + r, SYMBOLS));
                    threads.add(startReader(reader, r, heartbeats, heartbeatsAmidTicks, progress, verdicts));
                }
                Loopback.awaitTrue(() -> server.subscribers(0) == READERS + 1 && server.subscribers(1) == READERS + 1,
                    "every subscriber joined both symbols");

                final long publishStart = System.nanoTime();
                for (int sequence = 0; sequence < TICKS; sequence++)
                {
                    assertTrue(server.publish(0, sequence, 1_100_000 + sequence));
                    assertTrue(server.publish(1, sequence, 150_000_000 - sequence));
                    if (sequence % 50 == 49)
                    {
                        LockSupport.parkNanos(1_000_000); // about 100,000 ticks a second: heartbeats go meanwhile
                    }
                    // The test's readers are threads on a busy machine: never let them fall 2,000 ticks behind, or
                    // DROP_SLOW would rightly drop one of them too.
                    while (sequence - Loopback.slowest(progress) > 1_000)
                    {
                        LockSupport.parkNanos(100_000);
                    }
                }
                final long publishMs = (System.nanoTime() - publishStart) / 1_000_000;

                assertTrue(stalled.awaitClosedByServer(), "the subscriber that stopped reading is dropped");
                assertEquals(1, server.engine().counters(0).closes(CloseReason.SLOW_CONSUMER).get());
                assertTrue(server.fellBehind() >= 1, "the writability events told of it");
                Loopback.awaitTrue(() -> server.behindNow() == 0, "and nobody is behind now");
                for (int r = 0; r < READERS; r++)
                {
                    final int reader = r;
                    Loopback.awaitTrue(() -> verdicts.get(reader) != null, "reader " + r + " has every tick");
                    assertEquals("every tick in order", verdicts.get(r));
                    final ConnectionStats stats = server.subscribers().get("reader-" + r);
                    assertTrue(heartbeatsAmidTicks.get(r) >= publishMs / 20 / 2, "heartbeats every 20 ms while ticks " +
                        "flowed for " + publishMs + " ms: " + heartbeatsAmidTicks.get(r));
                    // Every heartbeat sent to it arrives: the count it read catches up with the count sent.
                    Loopback.awaitTrue(() -> heartbeats.get(reader) == stats.heartbeatsSent(),
                        "reader " + r + " read every heartbeat sent to it");
                }
                assertTrue(!server.subscribers().get("stalled").isOpen());
            }
            finally
            {
                stalled.close();
                for (final FrameClient reader : readers)
                {
                    reader.close();
                }
                for (final Thread thread : threads)
                {
                    thread.join(10_000);
                }
            }
        }
    }

    /**
     * Reads ticks and heartbeats until the connection closes; checks each symbol's sequence numbers, and says so once
     * it has every tick.
     */
    private static Thread startReader(final FrameClient client, final int r, final AtomicIntegerArray heartbeats,
        final AtomicIntegerArray heartbeatsAmidTicks, final AtomicLongArray progress,
        final AtomicReferenceArray<String> verdicts)
    {
        final Thread thread = new Thread(() ->
        {
            final long[] next = new long[SYMBOLS.length];
            try
            {
                while (true)
                {
                    final byte[] payload = client.read();
                    if (payload.length == MarketDataServer.HEARTBEAT.length)
                    {
                        heartbeats.incrementAndGet(r);
                        if ((next[0] > 0 || next[1] > 0) && (next[0] < TICKS || next[1] < TICKS))
                        {
                            heartbeatsAmidTicks.incrementAndGet(r);
                        }
                        continue;
                    }
                    final UnsafeBuffer tick = new UnsafeBuffer(payload);
                    final int symbol = tick.getInt(0);
                    if (payload.length != MarketDataServer.TICK_LENGTH || tick.getLong(4) != next[symbol])
                    {
                        verdicts.set(r, "symbol " + symbol + ": expected tick " + next[symbol] + ", got " +
                            tick.getLong(4) + " (" + payload.length + " bytes)");
                        progress.set(r, Long.MAX_VALUE); // the publisher must not wait for a failed reader
                        return;
                    }
                    next[symbol]++;
                    progress.lazySet(r, Math.min(next[0], next[1]));
                    if (next[0] == TICKS && next[1] == TICKS)
                    {
                        verdicts.compareAndSet(r, null, "every tick in order");
                    }
                }
            }
            catch (final java.io.IOException closed)
            {
                verdicts.compareAndSet(r, null, "closed after " + next[0] + " and " + next[1] + " ticks");
                progress.set(r, Long.MAX_VALUE);
            }
        }, "subscriber-" + r);
        thread.start();
        return thread;
    }
}
