package dev.sluice.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.codec.LengthPrefixedFrameCodec;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.internal.log.RateLimitedLog;
import dev.sluice.internal.push.ConcurrentSessionRegistry;
import dev.sluice.internal.push.PushLoop;
import dev.sluice.push.PushConfig;
import dev.sluice.stats.LoopCounters;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both halves of the slow-consumer rule, on one connection with a virtual clock and no socket. */
class SlowConsumerRuleTest
{
    private static final int CAP = 128;
    private static final long TIMEOUT_NS = 1_000;

    private final long[] now = {0};
    private final List<CloseReason> closes = new ArrayList<>();
    private final LoopTime time = new LoopTime(() -> now[0]);
    private final ConnectionTimers timers = new ConnectionTimers(1, 8, 100, 0);
    private SlowConsumerRule rule;
    private LoopConnection connection;

    @BeforeEach
    void openOneConnection()
    {
        final LoopCounters counters = new LoopCounters(new CountersManager(
            new UnsafeBuffer(new byte[1 << 16]), new UnsafeBuffer(new byte[1 << 14])), 0);
        final LengthPrefixedFrameCodec codec = new LengthPrefixedFrameCodec(ByteOrder.BIG_ENDIAN, CAP, false);
        final PushLoop push = new PushLoop(PushConfig.builder().queueBytes(128, 128).build(), codec, 1, 64,
            () -> now[0], () -> { }, new PushAppender(), counters, new ConcurrentSessionRegistry(),
            new RateLimitedLog(1));
        rule = new SlowConsumerRule(CAP, CAP / 2, TIMEOUT_NS, time, timers);
        final ConnectionContext context = new ConnectionContext(0, codec, time, counters, 1, push, rule, timers);
        context.bind(new ConnectionCloser()
        {
            @Override
            public void close(final LoopConnection c, final CloseReason reason)
            {
                if (c.beginClose())
                {
                    closes.add(reason);
                }
            }

            @Override
            public void closeAfterFlush(final LoopConnection c, final CloseReason reason)
            {
                close(c, reason);
            }
        }, new InboundState()
        {
            @Override
            public int assemblingBytes(final LoopConnection c)
            {
                return 0;
            }

            @Override
            public boolean isReadPaused(final LoopConnection c)
            {
                return false;
            }

            @Override
            public void notNow(final LoopConnection c)
            {
            }

            @Override
            public void idleTimeout(final LoopConnection c, final long timeoutNs)
            {
            }

            @Override
            public void handlerFailed(final LoopConnection c, final RuntimeException ex)
            {
                throw ex;
            }
        });
        final ConnectionTable table = new ConnectionTable(context, 1, 256, CAP);
        assertTrue(table.tryReserve());
        connection = table.take();
        connection.open(1, null, new ConnectionHandler()
        {
            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
            }
        }, false);
    }

    /** A write to the socket took {@code bytes}: what the writer does after a write. */
    private void socketTakes(final int bytes)
    {
        rule.written(connection, bytes, connection.send.written(bytes));
    }

    /** Moves the virtual clock and starts a loop iteration at that time. */
    private void at(final long nanos)
    {
        now[0] = nanos;
        time.advance();
    }

    @Test
    void anAppendPastTheCapDropsThePeerAsASlowConsumer()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
        assertTrue(connection.send(payload, 0, 100), "104 bytes with the header fit the cap of 128");
        assertEquals(104, connection.pendingBytes());
        assertTrue(connection.send(payload, 0, 20), "exactly at the cap is still allowed");
        assertFalse(connection.send(payload, 0, 1), "one byte more would pass the cap");
        assertEquals(List.of(CloseReason.SLOW_CONSUMER), closes);
        assertFalse(connection.isOpen());
    }

    @Test
    void aBackedUpPeerThatAcceptsNothingForTheTimeoutIsDropped()
    {
        connection.send(new UnsafeBuffer(new byte[10]), 0, 10);
        rule.written(connection, 0, false); // a write that took nothing: backed up from now (t = 0)
        assertTrue(connection.isBackedUp());
        assertEquals(TIMEOUT_NS, timers.deadline(connection.slot()), "its timer is armed for the deadline");
        at(TIMEOUT_NS - 1);
        assertFalse(rule.dropIfStalled(connection, now[0]));
        at(TIMEOUT_NS);
        assertTrue(rule.dropIfStalled(connection, now[0]));
        assertEquals(List.of(CloseReason.SLOW_CONSUMER), closes);
    }

    @Test
    void anyProgressRestartsTheClockAndDrainingEndsTheBackedUpState()
    {
        connection.send(new UnsafeBuffer(new byte[10]), 0, 10);
        rule.written(connection, 0, false);
        at(600);
        rule.written(connection, 4, false); // the socket took 4 bytes: progress
        at(TIMEOUT_NS + 100);
        assertFalse(rule.dropIfStalled(connection, now[0]), "only 500 ns since the last progress");
        rule.written(connection, 10, true);
        assertFalse(connection.isBackedUp());
        at(10 * TIMEOUT_NS);
        assertFalse(rule.dropIfStalled(connection, now[0]), "a drained peer is never stalled");
        assertTrue(closes.isEmpty());
    }

    @Test
    void pastHalfTheCapLowPriorityIsShedUntilTheBytesFallBack()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[60]);
        connection.send(payload, 0, 60); // 64 bytes pending: exactly half the cap
        assertFalse(connection.isShedding(), "at the share, not past it");
        connection.send(payload, 0, 1); // 69 bytes
        assertTrue(connection.isShedding(), "past half the cap");
        socketTakes(4); // 65 left: still past
        assertTrue(connection.isShedding());
        socketTakes(1); // 64 left: back at the share
        assertFalse(connection.isShedding());
        connection.send(payload, 0, 10);
        assertTrue(connection.isShedding());
        socketTakes(connection.pendingBytes());
        assertFalse(connection.isShedding(), "a drained peer is not shed");
        assertTrue(closes.isEmpty());
    }

    @Test
    void aPeerThatIsNotBackedUpIsNeverStalled()
    {
        at(100 * TIMEOUT_NS);
        assertFalse(rule.dropIfStalled(connection, now[0]));
        assertTrue(closes.isEmpty());
    }
}
