package dev.sluice.internal.loop;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

import dev.sluice.internal.connection.LoopConnection;
import dev.sluice.internal.connection.LoopTime;
import dev.sluice.internal.inbound.InboundPath;
import dev.sluice.internal.log.ErrorReporter;

/**
 * Stage "ready keys": one {@code selectNow} (or, when the loop parks, one blocking {@code select}) with a consumer
 * held in a field, so no selected-key set is iterated and nothing is allocated. Per ready key: accept (loop 0),
 * finish a connect, read → decode → dispatch ({@link InboundPath}), or note that a backed-up socket became writable.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
final class ReadyKeyStage implements LoopStage
{
    private final Selector selector;
    private final LoopTime time;
    private final ConnectionLifecycle lifecycle;
    private final InboundPath inbound;
    private final ErrorReporter errors;
    private final Consumer<SelectionKey> onReadyKey = this::onReadyKey;
    private Acceptor acceptor;
    private EventLoop self;

    ReadyKeyStage(final Selector selector, final LoopTime time, final ConnectionLifecycle lifecycle,
        final InboundPath inbound, final ErrorReporter errors)
    {
        this.selector = selector;
        this.time = time;
        this.lifecycle = lifecycle;
        this.inbound = inbound;
        this.errors = errors;
    }

    void acceptor(final Acceptor engineAcceptor, final EventLoop loop)
    {
        acceptor = engineAcceptor;
        self = loop;
    }

    @Override
    public int doWork(final long nowNs)
    {
        try
        {
            return selector.selectNow(onReadyKey);
        }
        catch (final IOException ex)
        {
            errors.report(ex);
            return 0;
        }
    }

    /**
     * The same stage when the loop parks: blocks in select until a key is ready, a producer wakes the loop, or the
     * timeout passes; then the loop's time is read again.
     *
     * @param timeoutMs longest wait.
     * @return keys handled.
     */
    int park(final long timeoutMs)
    {
        try
        {
            return selector.select(onReadyKey, timeoutMs);
        }
        catch (final IOException ex)
        {
            errors.report(ex);
            return 0;
        }
        finally
        {
            time.advance();
        }
    }

    private void onReadyKey(final SelectionKey key)
    {
        if (!key.isValid())
        {
            return;
        }
        final Object attachment = key.attachment();
        if (attachment instanceof LoopConnection)
        {
            onConnectionReady((LoopConnection)attachment, key);
        }
        else if (attachment instanceof Listener)
        {
            acceptor.accept((Listener)attachment, self);
        }
    }

    private void onConnectionReady(final LoopConnection c, final SelectionKey key)
    {
        if (c.key() != key)
        {
            return;
        }
        final int ops = key.readyOps();
        if ((ops & SelectionKey.OP_CONNECT) != 0)
        {
            lifecycle.finishConnect(c);
        }
        if ((ops & SelectionKey.OP_READ) != 0 && c.key() == key && c.isOpen())
        {
            inbound.read(c);
        }
        if ((ops & SelectionKey.OP_WRITE) != 0 && c.key() == key && c.isFlushable())
        {
            c.writable();
        }
    }
}
