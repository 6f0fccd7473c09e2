package dev.sluice.jmh.loopback;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.IdleMode;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.push.Priority;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushGroup;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The group fan-out server on Sluice: every connection joins one push group ({@code SKIP_SLOW}: a member that is
 * behind misses frames), and the application thread pushes each 64-byte frame to the group with one call.
 */
final class SluiceGroupServer implements FanOutServer
{
    private final SluiceServer server;
    private final AtomicReferenceArray<PushHandle> handles;
    private final AtomicInteger connected = new AtomicInteger();
    private final PushGroup group;
    private final UnsafeBuffer payload = new UnsafeBuffer(Wire.PAYLOAD_BYTES);

    /**
     * @param members how many connections will come and join.
     * @param cpu     the CPU to pin the loop to with the engine's own pinning, or {@link Cpus#ANY}.
     */
    SluiceGroupServer(final int members, final int cpu)
    {
        handles = new AtomicReferenceArray<>(members);
        server = new SluiceServer(IdleMode.BLOCKING, cpu, members + 4, EngineConfig.DEFAULT_SEND_CAP,
            PushConfig.builder().build(), new ConnectionHandler()
            {
                @Override
                public void onOpen(final Connection connection)
                {
                    final int index = connected.get();
                    handles.set(index, connection.pushHandle());
                    connected.set(index + 1); // after the handle; one loop, one writer
                }

                @Override
                public void onFrame(final Connection c, final DirectBuffer buffer, final int offset,
                    final int length)
                {
                }
            });
        group = server.engine().newPushGroup("fan-out");
    }

    @Override
    public void allConnected()
    {
        for (int i = 0, n = connected.get(); i < n; i++)
        {
            while (group.join(handles.get(i)) == PushResult.QUEUE_FULL)
            {
                LockSupport.parkNanos(100_000);
            }
        }
        while (group.size() < connected.get())
        {
            LockSupport.parkNanos(100_000);
        }
    }

    @Override
    public int pushRound()
    {
        return group.push(payload, 0, Wire.PAYLOAD, Priority.HIGH) == PushResult.ACCEPTED ? group.size() : 0;
    }

    @Override
    public EchoServer server()
    {
        return server;
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
        return server.describe() + ", one push group (SKIP_SLOW), one call per 64-byte frame";
    }

    @Override
    public void close()
    {
        group.close();
        server.close();
    }
}
