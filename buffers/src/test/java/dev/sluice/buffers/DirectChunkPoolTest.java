package dev.sluice.buffers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DirectChunkPoolTest
{
    @Test
    void chunksAreDisjointDirectMemoryOfTheRequestedSize()
    {
        final DirectChunkPool pool = new DirectChunkPool(128, 4);
        final Set<Long> addresses = new HashSet<>();
        for (int i = 0; i < 4; i++)
        {
            final int id = pool.acquire();
            assertTrue(pool.byteBuffer(id).isDirect());
            assertEquals(128, pool.byteBuffer(id).capacity());
            assertEquals(128, pool.buffer(id).capacity());
            addresses.add(pool.buffer(id).addressOffset());
            pool.buffer(id).setMemory(0, 128, (byte)id);
        }
        assertEquals(4, addresses.size());
        for (int id = 0; id < 4; id++)
        {
            for (int b = 0; b < 128; b++)
            {
                assertEquals((byte)id, pool.buffer(id).getByte(b), "chunk " + id + " overwritten by a neighbour");
            }
        }
    }

    @Test
    void exhaustionAnswersMinusOneAndReleaseMakesRoom()
    {
        final DirectChunkPool pool = new DirectChunkPool(64, 2);
        final int a = pool.acquire();
        final int b = pool.acquire();
        assertNotEquals(a, b);
        assertEquals(-1, pool.acquire());
        assertEquals(0, pool.available());
        pool.release(a);
        assertEquals(1, pool.available());
        assertEquals(a, pool.acquire());
    }

    @Test
    void doubleReleaseIsRejectedAndLeavesThePoolIntact()
    {
        final DirectChunkPool pool = new DirectChunkPool(64, 2);
        final int a = pool.acquire();
        pool.release(a);
        assertThrows(IllegalStateException.class, () -> pool.release(a));
        assertEquals(2, pool.available());
        final int x = pool.acquire();
        final int y = pool.acquire();
        assertNotEquals(x, y, "a double release must not put one chunk on the free list twice");
        assertFalse(pool.available() > 0);
    }

    @Test
    void viewsAreReusedNotReallocated()
    {
        final DirectChunkPool pool = new DirectChunkPool(64, 1);
        final int id = pool.acquire();
        assertSame(pool.byteBuffer(id), pool.byteBuffer(id));
        assertSame(pool.buffer(id), pool.buffer(id));
        assertTrue(pool.isInUse(id));
        pool.release(id);
        assertFalse(pool.isInUse(id));
    }

    @Test
    void badArgumentsAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new DirectChunkPool(100, 1));
        assertThrows(IllegalArgumentException.class, () -> new DirectChunkPool(64, 0));
        final DirectChunkPool pool = new DirectChunkPool(64, 1);
        assertThrows(IllegalArgumentException.class, () -> pool.release(5));
        assertThrows(IllegalArgumentException.class, () -> pool.buffer(-1));
    }
}
