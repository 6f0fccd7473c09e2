package dev.sluice.internal.loop;

import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;

import dev.sluice.connection.ConnectionHandler;
import dev.sluice.internal.connection.ConnectionTable;
import dev.sluice.internal.connection.SocketSetup;

/**
 * A listening socket and the handler its accepted connections get; as a command, its registration on loop 0, which
 * accepts. Loop 0 alone touches {@link #key} and {@link #paused}.
 */
final class Listener extends LoopCommand
{
    final ServerSocketChannel channel;
    final ConnectionHandler handler;
    SelectionKey key;
    boolean paused;

    Listener(final ServerSocketChannel channel, final ConnectionHandler handler)
    {
        this.channel = channel;
        this.handler = handler;
    }

    @Override
    void execute(final CommandStage stage)
    {
        stage.register(this);
    }

    @Override
    void refuse(final ConnectionTable table)
    {
        SocketSetup.closeQuietly(channel);
    }

    @Override
    public String toString()
    {
        return "Listener{" + channel + "}";
    }
}
