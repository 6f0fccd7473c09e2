package dev.sluice.internal.loop;

import java.nio.channels.SocketChannel;

import dev.sluice.connection.ConnectionHandler;
import dev.sluice.internal.connection.ConnectionTable;
import dev.sluice.internal.connection.SocketSetup;

/**
 * A channel for which the target loop holds a slot reservation, to be set up on that loop: an accepted peer, or an
 * outbound connect in progress.
 */
final class ChannelHandover extends LoopCommand
{
    private final SocketChannel channel;
    private final ConnectionHandler handler;
    private final boolean outbound;

    ChannelHandover(final SocketChannel channel, final ConnectionHandler handler, final boolean outbound)
    {
        this.channel = channel;
        this.handler = handler;
        this.outbound = outbound;
    }

    @Override
    void execute(final CommandStage stage)
    {
        stage.open(channel, handler, outbound);
    }

    @Override
    void refuse(final ConnectionTable table)
    {
        SocketSetup.closeQuietly(channel);
        table.unreserve();
    }
}
