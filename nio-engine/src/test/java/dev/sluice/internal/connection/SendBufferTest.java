package dev.sluice.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class SendBufferTest
{
    private static SendBuffer buffer(final int cap)
    {
        final ByteBuffer memory = ByteBuffer.allocateDirect(cap);
        final SendBuffer send = new SendBuffer();
        send.attach(memory, new UnsafeBuffer(memory));
        return send;
    }

    @Test
    void pendingBytesMoveToTheFrontWhenTheTailIsFull()
    {
        final SendBuffer send = buffer(128);
        send.commit(send.reserve(120), 120);
        for (int i = 0; i < 120; i++)
        {
            send.buffer().putByte(i, (byte)i);
        }
        assertFalse(send.written(100), "20 bytes still pending");
        final int at = send.reserve(50);
        assertEquals(20, at, "the 20 pending bytes were moved to offset 0");
        for (int i = 0; i < 20; i++)
        {
            assertEquals((byte)(100 + i), send.buffer().getByte(i));
        }
        send.commit(at, 50);
        assertEquals(70, send.pending());
        final ByteBuffer out = send.prepareWrite();
        assertEquals(0, out.position());
        assertEquals(70, out.limit());
    }

    @Test
    void drainingEverythingResetsToTheStart()
    {
        final SendBuffer send = buffer(128);
        send.commit(send.reserve(64), 64);
        assertTrue(send.written(64));
        assertEquals(0, send.pending());
        assertEquals(0, send.reserve(128));
    }
}
