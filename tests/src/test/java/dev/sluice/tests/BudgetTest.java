package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

/** Inbound memory budgets, in invoker mode on a virtual clock: caps, the soft-limit pause, and pacing. */
class BudgetTest
{
    /** Echoes, or says "not now" while {@link #busy}; records connections and close reasons. */
    static final class App implements ConnectionHandler
    {
        final List<Connection> open = new ArrayList<>();
        final CloseLog closes = new CloseLog();
        final List<Integer> taken = new ArrayList<>();
        boolean busy;

        @Override
        public void onOpen(final Connection connection)
        {
            open.add(connection);
        }

        @Override
        public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
        {
            if (busy)
            {
                c.notNow();
                return;
            }
            taken.add(length >= 4 ? buffer.getInt(offset, ByteOrder.BIG_ENDIAN) : -1);
            c.send(buffer, offset, length);
        }

        @Override
        public void onClose(final Connection connection, final CloseReason reason)
        {
            closes.record(connection.id(), reason);
        }
    }

    private final CachedNanoClock clock = new CachedNanoClock();
    private final App app = new App();

    private Engine start(final long perMessage, final long perConnection, final long inFlight) throws Exception
    {
        return Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock)
            .memoryBudgets(perMessage, perConnection, inFlight).build());
    }

    private static void run(final Engine engine, final int iterations)
    {
        for (int i = 0; i < iterations; i++)
        {
            engine.doWork(0);
        }
    }

    @Test
    void aMessageOverItsBudgetIsRejectedAndTheNeighbourIsUnaffected() throws Exception
    {
        try (Engine engine = start(100, 0, 0))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, app);
            try (FrameClient neighbour = FrameClient.connect(address); FrameClient big = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> app.open.size() == 2, "both open");
                big.send(new byte[101]);
                Loopback.pumpUntil(engine, () -> app.closes.total() == 1, "rejected");
                assertEquals(1, app.closes.count(CloseReason.BUDGET_EXCEEDED));
                assertEquals(1, engine.counters(0).closes(CloseReason.BUDGET_EXCEEDED).get());
                assertTrue(big.awaitClosedByServer());
                neighbour.send(new byte[100]);
                Loopback.pumpUntil(engine, () -> engine.counters(0).framesOut.get() == 1, "neighbour echoed");
                assertArrayEquals(new byte[100], neighbour.read());
            }
        }
    }

    @Test
    void belowTheSoftLimitNoPauseAtItAPauseThenReadingResumesAndTheSmallestCapGoverns() throws Exception
    {
        try (Engine engine = start(0, 1000, 4000)) // soft limits: 750 (connection) and 3000 (engine): 750 governs
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, app);
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> app.open.size() == 1, "open");
                final Connection c = app.open.get(0);
                client.writeRaw(ByteBuffer.allocate(4).putInt(900).array());
                client.writeRaw(new byte[700]); // 704 bytes buffered: below 750
                client.flush();
                Loopback.pumpUntil(engine, () -> c.bufferedBytes() == 704, "partial frame read");
                assertEquals(0, engine.counters(0).budgetPauses.get());
                assertFalse(c.isReadPaused());

                client.writeRaw(new byte[100]); // 804 buffered: at or above 750
                client.flush();
                Loopback.pumpUntil(engine, () -> c.bufferedBytes() == 804, "more read");
                assertEquals(1, engine.counters(0).budgetPauses.get());
                assertTrue(c.isReadPaused());

                client.writeRaw(new byte[100]); // the rest of the frame waits in the socket while paused
                client.flush();
                run(engine, 5);
                assertEquals(804, c.bufferedBytes(), "nothing read while paused");
                clock.advance(20_000_000L); // the next timer tick resumes reading
                Loopback.pumpUntil(engine, () -> app.taken.size() == 1, "frame completed after the pause");
                assertEquals(0, c.bufferedBytes());
                assertEquals(0, app.closes.total());
            }
        }
    }

    @Test
    void aConnectionHoldingItsWholeBudgetWithoutACompleteMessageIsRejected() throws Exception
    {
        try (Engine engine = start(0, 1000, 0))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, app);
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> app.open.size() == 1, "open");
                client.writeRaw(ByteBuffer.allocate(4).putInt(2000).array());
                client.writeRaw(new byte[1500]);
                client.flush();
                for (int i = 0; i < 20 && app.closes.total() == 0; i++)
                {
                    clock.advance(20_000_000L); // paced: pauses at the soft limit end at each tick
                    run(engine, 5);
                }
                assertEquals(1, app.closes.count(CloseReason.BUDGET_EXCEEDED), app.closes.toString());
                assertTrue(client.awaitClosedByServer());
            }
        }
    }

    @Test
    void aFlooderWhoseApplicationSaysNotNowIsPacedWithinItsBudgetAndNothingIsLost() throws Exception
    {
        try (Engine engine = start(0, 4096, 0))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, app);
            try (FrameClient client = FrameClient.connect(address))
            {
                Loopback.pumpUntil(engine, () -> app.open.size() == 1, "open");
                final Connection c = app.open.get(0);
                app.busy = true;
                final Thread flooder = new Thread(() ->
                {
                    try
                    {
                        for (int i = 0; i < 2000; i++)
                        {
                            client.write(ByteBuffer.allocate(60).putInt(i).array());
                        }
                        client.flush();
                    }
                    catch (final java.io.IOException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                });
                flooder.start();
                int maxBuffered = 0;
                for (int i = 0; i < 50; i++)
                {
                    clock.advance(20_000_000L);
                    run(engine, 5);
                    maxBuffered = Math.max(maxBuffered, c.bufferedBytes());
                }
                assertTrue(maxBuffered <= 4096, "held at most the budget: " + maxBuffered);
                assertEquals(0, app.taken.size());

                app.busy = false;
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); // the flooder may lag behind
                while (app.taken.size() < 2000 && System.nanoTime() < deadline)
                {
                    clock.advance(20_000_000L);
                    run(engine, 5);
                    maxBuffered = Math.max(maxBuffered, c.bufferedBytes());
                    while (client.available() > 0)
                    {
                        client.read(); // drain the echoes so the server's send cap is never reached
                    }
                }
                flooder.join();
                assertEquals(2000, app.taken.size(),
                    "closes: " + app.closes + ", paused " + c.isReadPaused() + ", buffered " + c.bufferedBytes());
                for (int i = 0; i < 2000; i++)
                {
                    assertEquals(i, app.taken.get(i), "in order, each once");
                }
                assertTrue(maxBuffered <= 4096, "held at most the budget: " + maxBuffered);
                assertEquals(0, app.closes.total());
            }
        }
    }

    @Test
    void theEngineWideBudgetHoldsAcrossTwoLoopsAndOnlyPacesNeverRejects() throws Exception
    {
        // Frames of at most 252 bytes: a connection that has started a frame may finish it past the engine budget,
        // so the total may pass 2,000 by at most one frame (256 bytes) per connection.
        try (Engine engine = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock)
            .loops(2).receiveBufferSize(256).memoryBudgets(0, 0, 2000).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, app);
            final List<FrameClient> clients = new ArrayList<>();
            try
            {
                app.busy = true;
                for (int i = 0; i < 4; i++)
                {
                    clients.add(FrameClient.connect(address));
                }
                for (int i = 0; i < 200 && app.open.size() < 4; i++)
                {
                    engine.doWork(0);
                    engine.doWork(1);
                }
                assertEquals(4, app.open.size());
                for (final FrameClient client : clients)
                {
                    for (int f = 0; f < 10; f++)
                    {
                        client.write(ByteBuffer.allocate(100).putInt(f).array());
                    }
                    client.flush();
                }
                int maxTotal = 0;
                for (int tick = 0; tick < 30; tick++)
                {
                    clock.advance(20_000_000L);
                    for (int i = 0; i < 5; i++)
                    {
                        engine.doWork(0);
                        engine.doWork(1);
                    }
                    int total = 0;
                    for (final Connection c : app.open)
                    {
                        total += c.bufferedBytes();
                    }
                    maxTotal = Math.max(maxTotal, total);
                }
                assertTrue(maxTotal <= 2000 + 4 * 256, "the budget plus at most a frame per connection: " + maxTotal);
                assertTrue(maxTotal > 1000, "and did use it: " + maxTotal);
                app.busy = false;
                for (int tick = 0; tick < 200 && app.taken.size() < 40; tick++)
                {
                    clock.advance(20_000_000L);
                    for (int i = 0; i < 5; i++)
                    {
                        engine.doWork(0);
                        engine.doWork(1);
                    }
                }
                assertEquals(40, app.taken.size(), "every frame delivered once paced");
                assertEquals(0, app.closes.total(), "nobody rejected for what the others held");
            }
            finally
            {
                for (final FrameClient client : clients)
                {
                    client.close();
                }
            }
        }
    }
}
