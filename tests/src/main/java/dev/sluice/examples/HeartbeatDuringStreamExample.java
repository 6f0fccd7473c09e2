package dev.sluice.examples;

import java.util.concurrent.TimeUnit;

import dev.sluice.push.Priority;
import dev.sluice.push.PushHandle;
import dev.sluice.push.PushResult;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Heartbeat pings at high priority while a long response streams at low priority to the same connection: the
 * heartbeats overtake the queued stream instead of waiting behind it. Quoted in {@code docs/users-guide.md};
 * {@code PushExamplesTest} runs it.
 */
public final class HeartbeatDuringStreamExample
{
    private HeartbeatDuringStreamExample()
    {
    }

    /**
     * Streams {@code frames} low-priority frames ("S" + sequence) from this thread.
     *
     * @param handle the connection's push handle.
     * @param frames how many.
     * @return frames accepted (stops early if the connection closes).
     */
    public static int stream(final PushHandle handle, final int frames)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[16]);
        frame.putByte(0, (byte)'S');
        for (int i = 0; i < frames; i++)
        {
            frame.putInt(1, i);
            if (handle.pushBlocking(frame, 0, 5, Priority.LOW, 5, TimeUnit.SECONDS) != PushResult.ACCEPTED)
            {
                return i;
            }
        }
        return frames;
    }

    /**
     * Starts a thread that pushes a high-priority "HB" every {@code periodMillis} until interrupted or closed.
     *
     * @param handle       the connection's push handle.
     * @param periodMillis heartbeat period.
     * @return the heartbeat thread.
     */
    public static Thread heartbeats(final PushHandle handle, final long periodMillis)
    {
        final Thread thread = new Thread(() ->
        {
            final UnsafeBuffer ping = new UnsafeBuffer(new byte[] {'H', 'B'});
            while (!Thread.currentThread().isInterrupted() &&
                handle.push(ping, 0, 2, Priority.HIGH) != PushResult.CLOSED)
            {
                try
                {
                    Thread.sleep(periodMillis);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
            }
        }, "heartbeats");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
