package dev.sluice.engine;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import dev.sluice.config.EngineConfig;
import jdk.net.ExtendedSocketOptions;

/**
 * Applies the configured socket options. Called when a channel is set up, never per frame.
 */
final class SocketSetup
{
    private SocketSetup()
    {
    }

    static void configure(final SocketChannel channel, final EngineConfig config) throws IOException
    {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, config.tcpNoDelay());
        if (config.socketSendBufferSize() > 0)
        {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, config.socketSendBufferSize());
        }
        if (config.socketReceiveBufferSize() > 0)
        {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, config.socketReceiveBufferSize());
        }
        if (config.tcpQuickAck() && channel.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK))
        {
            channel.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
        }
    }

    static void configure(final ServerSocketChannel channel, final EngineConfig config) throws IOException
    {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, config.reuseAddress());
        if (config.socketReceiveBufferSize() > 0)
        {
            // Set on the listener so accepted sockets negotiate a window scale that fits it.
            channel.setOption(StandardSocketOptions.SO_RCVBUF, config.socketReceiveBufferSize());
        }
    }

    static void closeQuietly(final java.nio.channels.Channel channel)
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // Closing a channel we are giving up on: nothing more to do.
        }
    }
}
