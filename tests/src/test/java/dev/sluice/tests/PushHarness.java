package dev.sluice.tests;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.push.Priority;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An invoker-mode engine on a virtual clock with one client: the test decides when the loop runs and when time
 * passes, so push scheduling is observed deterministically. Frames are named ("H0", "L3") so order is readable.
 */
final class PushHarness implements AutoCloseable
{
    final CachedNanoClock clock = new CachedNanoClock();
    final Engine engine;
    final FrameClient client;
    volatile PushHandle handle;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);

    PushHarness(final PushConfig push) throws Exception
    {
        engine = Engine.start(EngineConfig.builder()
            .threadingMode(ThreadingMode.INVOKER).clock(clock).push(push).build());
        final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection connection)
            {
                handle = connection.pushHandle();
            }

            @Override
            public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
            {
            }
        });
        client = FrameClient.connect(address);
        Loopback.pumpUntil(engine, () -> handle != null, "connection open");
    }

    PushResult push(final String name)
    {
        final int length = scratch.putStringWithoutLengthAscii(0, name);
        return handle.push(scratch, 0, length, name.charAt(0) == 'H' ? Priority.HIGH : Priority.LOW);
    }

    /** Pushes with a blocking call from another thread; the returned thread ends when the push returns. */
    Thread pushBlockingInBackground(final String name, final PushResult[] result)
    {
        final Thread thread = new Thread(() ->
        {
            final UnsafeBuffer bytes = new UnsafeBuffer(name.getBytes(StandardCharsets.US_ASCII));
            result[0] = handle.pushBlocking(bytes, 0, bytes.capacity(),
                name.charAt(0) == 'H' ? Priority.HIGH : Priority.LOW, 60, java.util.concurrent.TimeUnit.SECONDS);
        });
        thread.start();
        return thread;
    }

    void advanceMillis(final long millis)
    {
        clock.advance(millis * 1_000_000L);
    }

    /** Runs loop iterations until it is idle. */
    void runLoop()
    {
        for (int i = 0; i < 100 && engine.doWork(0) > 0; i++)
        {
            // keep going while there is work
        }
    }

    /** Runs exactly one loop iteration. */
    void runOneIteration()
    {
        engine.doWork(0);
    }

    List<String> read(final int frames) throws Exception
    {
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < frames; i++)
        {
            names.add(new String(client.read(), StandardCharsets.US_ASCII));
        }
        return names;
    }

    @Override
    public void close() throws java.io.IOException
    {
        client.close();
        engine.close();
    }
}
