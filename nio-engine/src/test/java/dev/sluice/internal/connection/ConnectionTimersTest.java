package dev.sluice.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The connection timer wheel: what comes due, when, and what a tick costs. */
class ConnectionTimersTest
{
    private static final long TICK = 10;
    private static final int SPOKES = 8;

    private final List<Integer> fired = new ArrayList<>();
    private final ConnectionTimers timers = new ConnectionTimers(16, SPOKES, TICK, 0);

    private int poll(final long now)
    {
        return timers.poll(now, (slot, nowNs) ->
        {
            fired.add(slot);
            return ConnectionTimers.NONE;
        });
    }

    @Test
    void aTimerFiresAtTheFirstPollAfterItsDeadlinesTickAndOnlyOnce()
    {
        timers.arm(3, 25);
        assertEquals(0, poll(20));
        assertEquals(0, poll(25), "a poll within the deadline's tick (20..29) does not run that tick again");
        assertEquals(1, poll(30));
        assertEquals(List.of(3), fired);
        assertEquals(0, poll(100));
        assertEquals(ConnectionTimers.NONE, timers.deadline(3));
    }

    @Test
    void aDeadlineMoreThanATurnAheadWaitsForItsTurn()
    {
        final long far = 5 * SPOKES * TICK + 5;
        timers.arm(1, far);
        for (long t = 0; t < far; t += TICK)
        {
            poll(t);
        }
        assertTrue(fired.isEmpty(), "nothing fires before the deadline: " + fired);
        poll(far + TICK);
        assertEquals(List.of(1), fired, "at the first tick after the deadline's");
    }

    @Test
    void armNoLaterThanOnlyBringsADeadlineForward()
    {
        timers.arm(2, 500);
        timers.armNoLaterThan(2, 900);
        assertEquals(500, timers.deadline(2));
        timers.armNoLaterThan(2, 40);
        assertEquals(40, timers.deadline(2));
        poll(40);
        assertEquals(List.of(2), fired);
    }

    @Test
    void aCancelledTimerNeverFires()
    {
        timers.arm(4, 30);
        timers.arm(5, 30);
        timers.cancel(4);
        poll(30);
        assertEquals(List.of(5), fired);
    }

    @Test
    void theHandlersAnswerArmsTheNextLookAndItMayCancelOthersOnTheSameTick()
    {
        timers.arm(6, 30);
        timers.arm(7, 30);
        timers.arm(8, 30);
        final List<Integer> seen = new ArrayList<>();
        timers.poll(30, (slot, now) ->
        {
            seen.add(slot);
            if (slot == 8 || slot == 7)
            {
                timers.cancel(slot == 8 ? 7 : 8); // the first of them closes the other, as an onClose may
            }
            return slot == 6 ? now + 3 * SPOKES * TICK : ConnectionTimers.NONE;
        });
        assertEquals(2, seen.size(), "6 and one of 7 and 8: " + seen);
        assertTrue(seen.contains(6));
        assertEquals(30 + 3 * SPOKES * TICK, timers.deadline(6), "re-armed a few turns later");
        assertEquals(ConnectionTimers.NONE, timers.deadline(7));
        assertEquals(ConnectionTimers.NONE, timers.deadline(8));
    }

    @Test
    void afterALongPauseEveryDueTimerFiresInOnePoll()
    {
        for (int slot = 0; slot < 16; slot++)
        {
            timers.arm(slot, 10L * slot);
        }
        assertEquals(16, poll(1_000_000));
        assertEquals(16, fired.size());
    }

    @Test
    void aTickLooksOnlyAtWhatIsInItsSpoke()
    {
        final ConnectionTimers wheel = new ConnectionTimers(1_000, SPOKES, TICK, 0);
        for (int slot = 0; slot < 1_000; slot++)
        {
            wheel.arm(slot, 45 + SPOKES * TICK); // all in spoke 4, a turn ahead
        }
        for (long t = 0; t <= 30; t += TICK)
        {
            wheel.poll(t, (slot, now) -> ConnectionTimers.NONE);
        }
        assertEquals(0, wheel.examined(), "ticks 0..3 look at nothing: their spokes are empty");
        wheel.poll(40, (slot, now) -> ConnectionTimers.NONE);
        assertEquals(1_000, wheel.examined(), "tick 4 looks at its spoke: every timer there, none due");
        wheel.poll(50, (slot, now) -> ConnectionTimers.NONE);
        wheel.poll(60, (slot, now) -> ConnectionTimers.NONE);
        assertEquals(1_000, wheel.examined(), "the next ticks look at nothing again");
        assertEquals(45 + SPOKES * TICK, wheel.deadline(7), "still armed for its deadline");
    }
}
