package dev.sluice.jmh.loopback;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.IdleMode;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.push.Priority;
import dev.sluice.push.PushBatch;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Sluice's fan-out: the application thread pushes 64-byte frames round-robin, up to 64 per connection per turn,
 * moving on early from a connection whose queue is full or which is backed up. Frame by frame, each frame is its own
 * hand-over through the connection's {@link PushHandle} (one claim in the connection's queue); batched, the 64
 * frames of a turn go in {@link PushBatch}es (one claim each), the way the Netty twins hand 64 frames over per task or
 * buffer. A batch takes at most an eighth of its queue, so the batched server's high queues are 32 KiB and a turn's 64
 * frames go in two batches (60 frames fill the first 4 KiB). The loop drains the queues into the send buffers and
 * writes each connection once per iteration.
 */
final class SluiceFanOutServer implements FanOutServer
{
    /** The most one batch takes of a 32 KiB queue. */
    private static final int BATCH_BYTES = 32 * 1024 / 8 - PushBatch.OVERHEAD;

    private final SluiceServer server;
    private final AtomicReferenceArray<PushHandle> handles;
    private final AtomicInteger connected = new AtomicInteger();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[Wire.PAYLOAD]);
    private final Priority priority;
    private final PushBatch batch;

    /**
     * @param connections how many connections will come.
     * @param priority    the queue every frame goes through.
     * @param cpu         the CPU to pin the loop to with the engine's own pinning, or {@link Cpus#ANY}.
     * @param batched     push each turn's frames to a connection as one batch.
     */
    SluiceFanOutServer(final int connections, final Priority priority, final int cpu, final boolean batched)
    {
        this.priority = priority;
        handles = new AtomicReferenceArray<>(connections);
        // Batches of 64 frames need 32 KiB queues (a batch takes at most an eighth of its queue), and such queues a
        // 128 KiB send cap (twice the high queue plus the low traffic below the shed share must fit under it).
        final PushConfig push = batched ?
            PushConfig.builder().queueBytes(32 * 1024, 32 * 1024).build() : PushConfig.builder().build();
        final int sendCap = batched ? 128 * 1024 : EngineConfig.DEFAULT_SEND_CAP;
        server = new SluiceServer(IdleMode.BLOCKING, cpu, connections + 4, sendCap, push, new ConnectionHandler()
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
        batch = batched ? server.engine().newPushBatch() : null;
    }

    @Override
    public int pushRound()
    {
        if (batch != null)
        {
            return pushBatches();
        }
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

    private int pushBatches()
    {
        int pushed = 0;
        for (int i = 0, n = connected.get(); i < n; i++)
        {
            final PushHandle handle = handles.get(i);
            int left = Wire.BATCH;
            while (left > 0 && !handle.isBackedUp() && batch.begin(handle, priority,
                Math.min(left * (Integer.BYTES + Wire.PAYLOAD), BATCH_BYTES)) == PushResult.ACCEPTED)
            {
                while (left > 0 && batch.add(payload, 0, Wire.PAYLOAD) == PushResult.ACCEPTED)
                {
                    left--;
                }
                pushed += batch.frames();
                batch.commit();
            }
        }
        return pushed;
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
        return server.describe() + ", " + priority + (batch != null ? " pushes, 64 frames per batch" :
            " pushes frame by frame");
    }

    @Override
    public void close()
    {
        server.close();
    }
}
