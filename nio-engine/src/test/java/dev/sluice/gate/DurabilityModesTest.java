package dev.sluice.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class DurabilityModesTest
{
    @Test
    void theStandardModesMapToTheirPolicies()
    {
        final DurabilityModes modes = DurabilityModes.standard(new AtomicInteger(DurabilityModes.LOCAL));
        assertEquals("local: primary persisted", modes.current().toString());
        modes.select(DurabilityModes.HYBRID);
        assertEquals("hybrid: persisted >= 1 and in memory >= 2", modes.current().toString());
        modes.select(DurabilityModes.REPLICATED);
        assertEquals("replicated: persisted >= 2", modes.current().toString());
    }

    @Test
    void anUnknownValueKeepsThePriorMode()
    {
        final AtomicInteger operator = new AtomicInteger(DurabilityModes.HYBRID);
        final DurabilityModes modes = DurabilityModes.standard(operator);
        final DurabilityPolicy hybrid = modes.current();
        operator.set(42);
        assertSame(hybrid, modes.current());
        assertSame(hybrid, modes.current(), "and stays so (logged once)");
        operator.set(DurabilityModes.LOCAL);
        assertEquals("local", modes.current().name(), "a valid value later switches as usual");
    }

    @Test
    void anInitialValueThatNamesNoModeIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> DurabilityModes.standard(new AtomicInteger(9)));
    }
}
