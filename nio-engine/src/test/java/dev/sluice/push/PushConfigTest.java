package dev.sluice.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PushConfigTest
{
    @Test
    void queueCapacitiesAreReportedAsTheyAreUsedRoundedUpToAPowerOfTwo()
    {
        final PushConfig config = PushConfig.builder().queueCapacities(3, 1000).build();
        assertEquals(4, config.highQueueCapacity());
        assertEquals(1024, config.lowQueueCapacity());
        assertEquals(256, PushConfig.builder().build().highQueueCapacity(), "a power of two stays as it is");
    }

    @Test
    void theShedShareMustBeAPartOfTheCap()
    {
        assertEquals(0.5, PushConfig.builder().build().lowPriorityShedShare());
        assertThrows(IllegalArgumentException.class, () -> PushConfig.builder().lowPriorityShedShare(0).build());
        assertThrows(IllegalArgumentException.class, () -> PushConfig.builder().lowPriorityShedShare(1.5).build());
        assertEquals(1.0, PushConfig.builder().lowPriorityShedShare(1).build().lowPriorityShedShare());
    }

    @Test
    void queueCapacitiesBelowTwoAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> PushConfig.builder().queueCapacities(1, 8).build());
    }
}
