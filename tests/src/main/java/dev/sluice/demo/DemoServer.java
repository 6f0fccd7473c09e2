package dev.sluice.demo;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.push.PushHandle;
import org.agrona.DirectBuffer;

/**
 * The demonstration's server side: echoes every frame back byte for byte, and keeps the push handle of each
 * connection it opens (up to a fixed number) in a preallocated array for the {@link PushProducer}.
 * <p>
 * <b>Threading:</b> the callbacks run on the loop threads (several loops may open connections at once, so a slot
 * is claimed with one atomic increment); {@link #handleCount()} and {@link #handle(int)} from any thread.
 */
final class DemoServer implements ConnectionHandler
{
    private final AtomicReferenceArray<PushHandle> handles;
    private final AtomicInteger claimed = new AtomicInteger();

    /** @param capacity most push handles kept: the number of client connections. */
    DemoServer(final int capacity)
    {
        handles = new AtomicReferenceArray<>(capacity);
    }

    @Override
    public void onOpen(final Connection connection)
    {
        final int slot = claimed.getAndIncrement();
        if (slot < handles.length())
        {
            handles.set(slot, connection.pushHandle());
        }
    }

    @Override
    public void onFrame(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
    {
        connection.send(buffer, offset, length);
    }

    /** @return how many slots may hold a handle; a slot claimed a moment ago may still read null. */
    int handleCount()
    {
        return Math.min(claimed.get(), handles.length());
    }

    /** @param slot a slot below {@link #handleCount()}. @return its handle, or null if not yet published. */
    PushHandle handle(final int slot)
    {
        return handles.get(slot);
    }
}
