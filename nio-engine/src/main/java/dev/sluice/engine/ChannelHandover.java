package dev.sluice.engine;

import java.nio.channels.SocketChannel;

/**
 * A control command: a channel for which the target loop holds a slot reservation, to be set up on that loop.
 * Created per accepted or connected channel (connection set-up may allocate; frames may not).
 */
final class ChannelHandover
{
    final SocketChannel channel;
    final ConnectionHandler handler;
    final boolean outbound;

    ChannelHandover(final SocketChannel channel, final ConnectionHandler handler, final boolean outbound)
    {
        this.channel = channel;
        this.handler = handler;
        this.outbound = outbound;
    }
}
