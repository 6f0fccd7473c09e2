package dev.sluice.internal.loop;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.connection.ConnectionHandler;
import dev.sluice.internal.connection.ConnectionTable;
import dev.sluice.internal.connection.SocketSetup;
import dev.sluice.internal.log.ErrorReporter;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * Stage "control commands": channels handed over by other threads, listeners to register and connections to close
 * arrive through a bounded MPSC queue of {@link LoopCommand}s; this stage runs them, and keeps the listeners registered
 * so far.
 * <p>
 * Once the loop has begun to shut down, whatever is queued is refused at once rather than left in a queue nobody
 * reads: a producer offers and then reads {@code refusing}; the loop sets it and then drains; so one of the two
 * always refuses the command. The lock keeps the queue single-consumer while producers help drain.
 * <p>
 * <b>Threading:</b> {@link #offer} from any thread; the rest on the loop thread.
 */
final class CommandStage implements LoopStage
{
    private final ManyToOneConcurrentArrayQueue<LoopCommand> queue;
    private final ConnectionTable table;
    private final Selector selector;
    private final ConnectionLifecycle lifecycle;
    private final ErrorReporter errors;
    private final List<Listener> listeners = new ArrayList<>();
    private volatile boolean refusing;

    CommandStage(final int capacity, final ConnectionTable table, final Selector selector,
        final ConnectionLifecycle lifecycle, final ErrorReporter errors)
    {
        this.queue = new ManyToOneConcurrentArrayQueue<>(capacity);
        this.table = table;
        this.selector = selector;
        this.lifecycle = lifecycle;
        this.errors = errors;
    }

    /**
     * Queues a command (any thread).
     *
     * @return 1 if queued and the loop should be woken, 0 if queued but refused because the loop is stopping, -1 if
     *     the queue is full.
     */
    int offer(final LoopCommand command)
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

    @Override
    public int doWork(final long nowNs)
    {
        int work = 0;
        LoopCommand command;
        while ((command = queue.poll()) != null)
        {
            work++;
            command.execute(this);
        }
        return work;
    }

    void open(final SocketChannel channel, final ConnectionHandler handler, final boolean outbound)
    {
        lifecycle.open(channel, handler, outbound);
    }

    void closeConnection(final long connectionId)
    {
        lifecycle.closeAfterFlush(connectionId);
    }

    void register(final Listener listener)
    {
        try
        {
            listener.key = listener.channel.register(selector, SelectionKey.OP_ACCEPT, listener);
            listeners.add(listener);
        }
        catch (final IOException ex)
        {
            errors.report(ex);
            SocketSetup.closeQuietly(listener.channel);
        }
    }

    List<Listener> listeners()
    {
        return listeners;
    }

    /** A drain: the listeners close (this loop accepts nothing more); hand-overs already made still open. */
    void closeListeners()
    {
        for (final Listener listener : listeners)
        {
            SocketSetup.closeQuietly(listener.channel);
        }
    }

    /** Shutdown: refuse from now on, refuse what is queued, close the listeners. */
    void close()
    {
        refusing = true;
        refuseAll();
        closeListeners();
    }

    private void refuseAll()
    {
        synchronized (queue)
        {
            LoopCommand command;
            while ((command = queue.poll()) != null)
            {
                command.refuse(table);
            }
        }
    }
}
