package dev.sluice.internal.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.sluice.gate.DurabilityLevel;
import dev.sluice.gate.DurabilityPolicy;
import dev.sluice.stats.CountersFile;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DegradationMonitorTest
{
    private static final long MS = 1_000_000L;
    private static final DurabilityPolicy POLICY = DurabilityPolicy.named("replicated")
        .atLeast(2, DurabilityLevel.PERSISTED);

    private final List<LogRecord> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("dev.sluice.gate");
    private final Handler capture = new Handler()
    {
        @Override
        public void publish(final LogRecord record)
        {
            lines.add(record);
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    };
    private AtomicCounter flag;
    private DegradationMonitor monitor;

    @BeforeEach
    void setUp()
    {
        logger.addHandler(capture);
        final CountersFile file = CountersFile.create(null, 4);
        flag = new CountersManager(file.metaData(), file.values()).newCounter("degraded");
        monitor = new DegradationMonitor(flag);
    }

    @AfterEach
    void tearDown()
    {
        logger.removeHandler(capture);
    }

    @Test
    void theFlagIsImmediateButFlapsShorterThanASecondLogNothing()
    {
        monitor.update(true, 0, POLICY);
        assertEquals(1, flag.get(), "flag at once");
        monitor.update(true, 900 * MS, POLICY);
        monitor.update(false, 950 * MS, POLICY);
        assertEquals(0, flag.get());
        monitor.update(true, 2_000 * MS, POLICY);
        monitor.update(false, 2_500 * MS, POLICY);
        assertTrue(lines.isEmpty(), "no line for flaps: " + lines.size());
    }

    @Test
    void aLastingDegradationLogsOnceThenEveryFiveSecondsThenRecoversOnce()
    {
        monitor.update(true, 0, POLICY);
        monitor.update(true, 500 * MS, POLICY);
        assertEquals(0, lines.size());
        monitor.update(true, 1_000 * MS, POLICY);
        assertEquals(1, lines.size(), "announced after 1 s");
        assertTrue(lines.get(0).getMessage().contains("durability degraded: replicated: persisted >= 2"));
        monitor.update(true, 3_000 * MS, POLICY);
        monitor.update(true, 5_999 * MS, POLICY);
        assertEquals(1, lines.size(), "no reminder before 5 s");
        monitor.update(true, 6_000 * MS, POLICY);
        assertEquals(2, lines.size(), "reminder");
        assertTrue(lines.get(1).getMessage().contains("still degraded after 6 s"));
        monitor.update(false, 7_000 * MS, POLICY);
        monitor.update(false, 8_000 * MS, POLICY);
        assertEquals(3, lines.size(), "one recovery line");
        assertTrue(lines.get(2).getMessage().contains("recovered after 7000 ms"));
        assertEquals(0, flag.get());
    }
}
