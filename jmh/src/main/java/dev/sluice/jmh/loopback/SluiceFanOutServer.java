package dev.sluice.jmh.loopback;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.sluice.config.IdleMode;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.push.Priority;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Sluice's fan-out: the application thread pushes each 64-byte frame on its own through the connection's
 * {@link PushHandle} (a copy into a pooled slot, one offer to the MPSC queue), round-robin with up to 64 frames per
 * connection per turn (the Netty twins hand 64 frames over per task or buffer; here each frame is its own
 * hand-over), moving on early from a connection whose queue is full or which is backed up. The loop drains the
 * queues into the send buffers and writes each connection once per iteration.
 */
final class SluiceFanOutServer implements FanOutServer
{
    private final SluiceServer server;
    private final AtomicReferenceArray<PushHandle> handles;
    private final AtomicInteger connected = new AtomicInteger();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[Wire.PAYLOAD]);
    private final Priority priority;

    /**
     * @param connections how many connections will come.
     * @param priority    the queue every frame goes through.
     * @param cpu         the CPU to pin the loop to with the engine's own pinning, or {@link Cpus#ANY}.
     */
    SluiceFanOutServer(final int connections, final Priority priority, final int cpu)
    {
        this.priority = priority;
        handles = new AtomicReferenceArray<>(connections);
        server = new SluiceServer(IdleMode.BLOCKING, cpu, connections + 4, new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection connection)
            {
                final int index = connected.get();
                handles.set(index, connection.pushHandle());
                connected.set(index + 1); // after the handle: a reader of the count finds it; one loop, one writer
            }

            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
            }
        });
    }

    @Override
    public int pushRound()
    {
        int pushed = 0;
        for (int i = 0, n = connected.get(); i < n; i++)
        {
            final PushHandle handle = handles.get(i);
            for (int f = 0; f < Wire.BATCH && !handle.isBackedUp() &&
                handle.push(payload, 0, Wire.PAYLOAD, priority) == PushResult.ACCEPTED; f++)
            {
                pushed++;
            }
        }
        return pushed;
    }

    @Override
    public InetSocketAddress address()
    {
        return server.address();
    }

    @Override
    public ServerThreads threads()
    {
        return server.threads();
    }

    @Override
    public int connected()
    {
        return connected.get();
    }

    @Override
    public long closedConnections()
    {
        return server.engine().counters(0).accepted.get() - server.engine().counters(0).connectionsOpen.get();
    }

    @Override
    public String describe()
    {
        return server.describe() + ", " + priority + " pushes frame by frame";
    }

    @Override
    public void close()
    {
        server.close();
    }
}
