package dev.sluice.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PushConfigTest
{
    @Test
    void queueSizesArePowersOfTwoInBytesAndBoundTheLargestPush()
    {
        final PushConfig defaults = PushConfig.builder().build();
        assertEquals(8 * 1024, defaults.highQueueBytes());
        assertEquals(32 * 1024, defaults.lowQueueBytes());
        assertEquals(1024, defaults.maxPushPayload(), "an eighth of the smaller queue");
        assertThrows(IllegalArgumentException.class, () -> PushConfig.builder().queueBytes(1000, 4096).build());
        assertThrows(IllegalArgumentException.class, () -> PushConfig.builder().queueBytes(64, 4096).build());
    }

    @Test
    void theShedShareMustBeAPartOfTheCap()
    {
        assertEquals(0.5, PushConfig.builder().build().lowPriorityShedShare());
        assertThrows(IllegalArgumentException.class, () -> PushConfig.builder().lowPriorityShedShare(0).build());
        assertThrows(IllegalArgumentException.class, () -> PushConfig.builder().lowPriorityShedShare(1.5).build());
        assertEquals(1.0, PushConfig.builder().lowPriorityShedShare(1).build().lowPriorityShedShare());
    }
}
