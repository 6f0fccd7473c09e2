package dev.sluice.engine;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * A loop's control commands: channels handed over by other threads and listeners to register, through a bounded
 * MPSC queue, plus the listeners registered so far.
 * <p>
 * Once the loop has begun to shut down, whatever is queued is closed at once rather than left in a queue nobody
 * reads: a producer offers and then reads {@code refusing}; the loop sets it and then drains; so one of the two
 * always closes the command. The lock keeps the queue single-consumer while producers help drain.
 * <p>
 * <b>Threading:</b> {@link #offer} from any thread; the rest on the loop thread.
 */
final class LoopCommands
{
    private final ManyToOneConcurrentArrayQueue<Object> queue;
    private final ConnectionTable table;
    private final List<Listener> listeners = new ArrayList<>();
    private volatile boolean refusing;

    LoopCommands(final int capacity, final ConnectionTable table)
    {
        this.queue = new ManyToOneConcurrentArrayQueue<>(capacity);
        this.table = table;
    }

    /**
     * Queues a command (any thread).
     *
     * @return 1 if queued and the loop should be woken, 0 if queued but closed because the loop is stopping, -1 if
     *     the queue is full.
     */
    int offer(final Object command)
    {
        if (!queue.offer(command))
        {
            return -1;
        }
        VarHandle.fullFence(); // the element store (release) must not pass the read of refusing
        if (refusing)
        {
            refuseAll();
            return 0;
        }
        return 1;
    }

    boolean isEmpty()
    {
        return queue.isEmpty();
    }

    /** Runs every queued command: hand-overs become connections, listeners are registered for accepts. */
    int drain(final ConnectionIo io, final Selector selector, final int loopIndex)
    {
        int work = 0;
        Object command;
        while ((command = queue.poll()) != null)
        {
            work++;
            if (command instanceof ChannelHandover)
            {
                final ChannelHandover h = (ChannelHandover)command;
                io.open(h.channel, h.handler, h.outbound);
            }
            else if (command instanceof Listener)
            {
                final Listener listener = (Listener)command;
                try
                {
                    listener.key = listener.channel.register(selector, SelectionKey.OP_ACCEPT, listener);
                    listeners.add(listener);
                }
                catch (final IOException ex)
                {
                    LoopLog.listenerNotRegistered(loopIndex, listener, ex);
                    SocketSetup.closeQuietly(listener.channel);
                }
            }
        }
        return work;
    }

    List<Listener> listeners()
    {
        return listeners;
    }

    /** Shutdown: refuse from now on, close what is queued, close the listeners. */
    void close()
    {
        refusing = true;
        refuseAll();
        for (final Listener listener : listeners)
        {
            SocketSetup.closeQuietly(listener.channel);
        }
    }

    private void refuseAll()
    {
        synchronized (queue)
        {
            Object command;
            while ((command = queue.poll()) != null)
            {
                if (command instanceof ChannelHandover)
                {
                    SocketSetup.closeQuietly(((ChannelHandover)command).channel);
                    table.unreserve();
                }
                else if (command instanceof Listener)
                {
                    SocketSetup.closeQuietly(((Listener)command).channel);
                }
            }
        }
    }
}
