package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.gate.AtomicClusterCursors;
import dev.sluice.gate.BatchEndEncoder;
import dev.sluice.gate.DurabilityModes;
import dev.sluice.gate.GateConfig;
import dev.sluice.stats.LoopCounters;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durability-gated responses through the loop, in invoker mode: the test moves the cursors and runs iterations, and
 * asserts on the counters and the exact frames each client gets.
 */
class GateTest
{
    private final AtomicClusterCursors cursors = new AtomicClusterCursors(2);
    private final AtomicInteger mode = new AtomicInteger(DurabilityModes.LOCAL);
    private final CachedNanoClock clock = new CachedNanoClock();
    private final List<Connection> opened = new ArrayList<>();
    private Engine engine;
    private FrameClient gated;
    private FrameClient neighbour;
    private long gatedId;

    @BeforeEach
    void start() throws Exception
    {
        // The terminator encoder fails for sequence 13, to show a failure is logged and skipped.
        final GateConfig gate = new GateConfig(cursors, DurabilityModes.standard(mode), 1 << 20, 256 * 1024,
            (buffer, offset, connectionId, sequence) -> sequence == 13 ? -1 :
                BatchEndEncoder.SEQUENCE.encode(buffer, offset, connectionId, sequence), 8, 100_000_000L);
        engine = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).clock(clock)
            .gate(gate).build());
        final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection connection)
            {
                opened.add(connection);
            }

            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
                c.send(buffer, offset, length); // echo
            }
        });
        gated = FrameClient.connect(address);
        Loopback.pumpUntil(engine, () -> opened.size() == 1, "gated client open");
        gatedId = opened.get(0).id();
        neighbour = FrameClient.connect(address);
        Loopback.pumpUntil(engine, () -> opened.size() == 2, "neighbour open");
    }

    @AfterEach
    void stop() throws Exception
    {
        gated.close();
        neighbour.close();
        engine.close();
    }

    private void publish(final long sequence, final boolean endsRequest, final boolean bypass, final String text)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
        assertTrue(engine.responses().publish(gatedId, sequence, endsRequest, bypass, payload, 0, payload.capacity()));
    }

    private void run(final int iterations)
    {
        for (int i = 0; i < iterations; i++)
        {
            engine.doWork(0);
        }
    }

    private String read() throws Exception
    {
        return new String(gated.read(), StandardCharsets.US_ASCII);
    }

    private LoopCounters counters()
    {
        return engine.counters(0);
    }

    @Test
    void aBatchWaitsForTheDurablePositionWhileOthersFlowThenGoesOutInOrder() throws Exception
    {
        publish(1, false, false, "r1");
        publish(2, false, false, "r2");
        publish(3, false, false, "r3");
        run(5);
        assertEquals(0, counters().responsesSent.get(), "journal at 0: the batch waits");
        assertEquals(1, counters().gateWaits.get());
        assertTrue(counters().gateWaitsOnJournal.get() > 0, "the journal is the bottleneck");

        neighbour.send(new byte[] {7});
        Loopback.pumpUntil(engine, () -> counters().framesIn.get() == 1, "neighbour served while the batch waits");
        assertArrayEquals(new byte[] {7}, neighbour.read());

        cursors.primaryPersisted(2);
        run(3);
        assertEquals(0, counters().responsesSent.get(), "position 2 < the batch's highest sequence 3");
        cursors.primaryPersisted(3);
        run(1);
        assertEquals(3, counters().responsesSent.get());
        assertEquals(List.of("r1", "r2", "r3"), List.of(read(), read(), read()));
    }

    @Test
    void aBypassOnlyBatchPassesAStalledGateButOneNormalResponseGatesItsBatch() throws Exception
    {
        mode.set(DurabilityModes.REPLICATED); // no replica connected: cannot be met
        run(1);
        publish(1, false, true, "halt");
        run(1);
        assertEquals(1, counters().responsesSent.get(), "bypass-only batch sent at once");
        assertEquals("halt", read());
        assertEquals(1, counters().gateDegraded.get());

        publish(2, false, true, "notice");
        publish(3, false, false, "fill");
        run(3);
        assertEquals(1, counters().responsesSent.get(), "a mixed batch waits");
    }

    @Test
    void aModeSwapUnblocksAWaitingBatchAndAnUnknownModeKeepsThePriorOne() throws Exception
    {
        cursors.primaryPersisted(10);
        mode.set(DurabilityModes.REPLICATED);
        publish(5, false, false, "r5");
        run(2);
        assertEquals(0, counters().responsesSent.get());
        mode.set(42);
        run(2);
        assertEquals(0, counters().responsesSent.get(), "unknown mode: still replicated");
        mode.set(DurabilityModes.LOCAL);
        run(1);
        assertEquals(1, counters().responsesSent.get(), "local is met by the journal at 10");
        assertEquals("r5", read());
        assertEquals(0, counters().gateDegraded.get());
    }

    @Test
    void aBatchEndFrameFollowsOnlyAResponseThatEndsARequest() throws Exception
    {
        cursors.primaryPersisted(100);
        publish(1, false, false, "part");
        publish(2, true, false, "last");
        publish(3, false, false, "next");
        run(2);
        assertEquals("part", read());
        assertEquals("last", read());
        assertEquals(2, ByteBuffer.wrap(gated.read()).getLong(), "terminator carries the sequence it ends");
        assertEquals("next", read());
        assertEquals(1, counters().batchEnds.get());
        assertEquals(3, counters().responsesSent.get());
    }

    @Test
    void theDegradedFlagIsRightWithNoTraffic()
    {
        mode.set(DurabilityModes.REPLICATED);
        clock.advance(200_000_000L);
        run(1);
        assertEquals(1, counters().gateDegraded.get(), "idle re-evaluation set the flag");
        cursors.replicaConnected(0, 0, 0);
        clock.advance(200_000_000L);
        run(1);
        assertEquals(0, counters().gateDegraded.get(), "a replica connected: two nodes, no longer degraded");
    }

    @Test
    void aTerminatorThatFailsToEncodeIsSkippedAndEverythingElseGoesOn() throws Exception
    {
        cursors.primaryPersisted(100);
        publish(13, true, false, "unlucky");
        publish(14, true, false, "fine");
        run(2);
        assertEquals("unlucky", read());
        assertEquals("fine", read(), "no terminator after 13");
        assertEquals(14, ByteBuffer.wrap(gated.read()).getLong());
        assertEquals(1, counters().batchEndFailures.get());
        assertEquals(1, counters().batchEnds.get());
        assertEquals(2, engine.counters(0).connectionsOpen.get(), "nobody was closed");
    }

    @Test
    void sequencesStartAtOneSoADegradedGateAtZeroSendsNothing()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[4]);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> engine.responses().publish(gatedId, 0, false, false, payload, 0, 4));
    }
}
