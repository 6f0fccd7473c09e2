package dev.sluice.internal.connection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import jdk.net.ExtendedSocketOptions;

import dev.sluice.config.EngineConfig;

/**
 * Applies the configured socket options. Called when a channel is set up, never per frame.
 */
public final class SocketSetup
{
    private SocketSetup()
    {
    }

    /**
     * @param channel a new connection's socket.
     * @param config  the engine's configuration.
     * @throws IOException if an option cannot be set.
     */
    public static void configure(final SocketChannel channel, final EngineConfig config) throws IOException
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

    /**
     * @param channel a new listening socket.
     * @param config  the engine's configuration.
     * @throws IOException if an option cannot be set.
     */
    public static void configure(final ServerSocketChannel channel, final EngineConfig config) throws IOException
    {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, config.reuseAddress());
        if (config.socketReceiveBufferSize() > 0)
        {
            // Set on the listener so accepted sockets negotiate a window scale that fits it.
            channel.setOption(StandardSocketOptions.SO_RCVBUF, config.socketReceiveBufferSize());
        }
    }

    /** @param channel a channel to close, ignoring errors (null is fine). */
    public static void closeQuietly(final java.nio.channels.Channel channel)
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

    /**
     * @param channel a connection's socket, or null.
     * @return its peer's address, or null if unknown or closed (allocates: for logging and set-up).
     */
    public static InetSocketAddress remoteAddress(final SocketChannel channel)
    {
        try
        {
            return channel == null ? null : (InetSocketAddress)channel.getRemoteAddress();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }
}
