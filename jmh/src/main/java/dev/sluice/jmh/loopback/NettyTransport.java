package dev.sluice.jmh.loopback;

import java.nio.channels.spi.SelectorProvider;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategy;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Netty 4.2's two transports on Linux, and the server set-up every Netty twin here shares: one event loop (thread
 * optionally pinned), {@code TCP_NODELAY}, the default allocator, the channel pipeline the caller gives.
 */
enum NettyTransport
{
    /** The JDK selector transport, like Sluice's own. */
    NIO,
    /** Netty's native epoll transport. */
    EPOLL;

    /**
     * @param spin true for a loop that never blocks: epoll's {@code BUSY_WAIT} strategy; for NIO a strategy that
     *             always answers with {@code selectNow()}, so the loop polls instead of selecting.
     * @return the I/O handler factory of this transport; fails with the reason if epoll cannot load.
     */
    IoHandlerFactory ioHandler(final boolean spin)
    {
        if (this == NIO)
        {
            return spin ? NioIoHandler.newFactory(SelectorProvider.provider(),
                () -> (selectNow, hasTasks) -> selectNow.get()) : NioIoHandler.newFactory();
        }
        Epoll.ensureAvailability();
        return spin ? EpollIoHandler.newFactory(0, () -> (selectNow, hasTasks) -> SelectStrategy.BUSY_WAIT) :
            EpollIoHandler.newFactory();
    }

    /** @return the server channel class of this transport. */
    Class<? extends ServerChannel> serverChannel()
    {
        return this == NIO ? NioServerSocketChannel.class : EpollServerSocketChannel.class;
    }

    /**
     * Builds a one-thread event loop group whose thread is pinned to {@code cpu} and recorded in {@code threads}.
     *
     * @param cpu     the CPU, or {@link Cpus#ANY}.
     * @param spin    whether the loop busy-polls instead of blocking (see {@link #ioHandler}).
     * @param threads where the event loop thread is recorded.
     * @return the group.
     */
    EventLoopGroup group(final int cpu, final boolean spin, final ServerThreads threads)
    {
        final DefaultThreadFactory factory = new DefaultThreadFactory("netty-" + name().toLowerCase())
        {
            @Override
            protected Thread newThread(final Runnable r, final String name)
            {
                final Thread thread = super.newThread(() ->
                {
                    Cpus.pinCurrentThread(cpu);
                    r.run();
                }, name);
                threads.add(thread);
                return thread;
            }
        };
        return new MultiThreadIoEventLoopGroup(1, factory, ioHandler(spin));
    }

    /**
     * @param group       the group from {@link #group}; it serves both accept and I/O, as Sluice's single loop does.
     * @param initializer the pipeline of each accepted channel.
     * @return a bootstrap ready to bind.
     */
    ServerBootstrap bootstrap(final EventLoopGroup group, final ChannelInitializer<SocketChannel> initializer)
    {
        return new ServerBootstrap().group(group).channel(serverChannel())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(initializer);
    }
}
