package dev.sluice.engine;

import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;

/** A listening socket and the handler its accepted connections get. Registered on loop 0, which accepts; loop 0 alone
 * touches {@link #key} and {@link #paused}. */
final class Listener
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
    public String toString()
    {
        return "Listener{" + channel + "}";
    }
}
