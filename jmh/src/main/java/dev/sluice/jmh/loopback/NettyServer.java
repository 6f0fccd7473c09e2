package dev.sluice.jmh.loopback;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * A Netty 4.2 server under test: one event loop (accept and I/O, as Sluice's single loop), bound on loopback with the
 * pipeline given. {@link #echo} builds the twin of Sluice's echo server the way Netty recommends: a length-field
 * frame decoder (a retained slice per frame, no copy), each frame written back as it is, one flush per read burst
 * ({@code channelReadComplete}).
 */
final class NettyServer implements EchoServer
{
    private final EventLoopGroup group;
    private final Channel server;
    private final ServerThreads threads = new ServerThreads();
    private final NettyTransport transport;
    private final int cpu;
    private final boolean spin;

    /**
     * @param transport   NIO or epoll.
     * @param cpu         the CPU to pin the event loop to, or {@link Cpus#ANY}.
     * @param spin        whether the event loop busy-polls instead of blocking.
     * @param initializer the pipeline of each accepted channel.
     */
    NettyServer(final NettyTransport transport, final int cpu, final boolean spin,
        final ChannelInitializer<SocketChannel> initializer)
    {
        this.transport = transport;
        this.cpu = cpu;
        this.spin = spin;
        group = transport.group(cpu, spin, threads);
        server = transport.bootstrap(group, initializer).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    /** @return Netty's echo server on that transport and CPU, blocking or busy-polling. */
    static NettyServer echo(final NettyTransport transport, final int cpu, final boolean spin)
    {
        return new NettyServer(transport, cpu, spin, new ChannelInitializer<SocketChannel>()
        {
            @Override
            protected void initChannel(final SocketChannel ch)
            {
                ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, Wire.HEADER, 0, 0), new Echo());
            }
        });
    }

    /** @return the one event loop, which accepts and serves every channel. */
    EventLoop eventLoop()
    {
        return group.next();
    }

    @Override
    public InetSocketAddress address()
    {
        return (InetSocketAddress)server.localAddress();
    }

    @Override
    public ServerThreads threads()
    {
        return threads;
    }

    @Override
    public String describe()
    {
        return "netty " + transport.name().toLowerCase() + ", 1 event loop" + (spin ? ", busy-polling" : "") + ", " +
            (cpu == Cpus.ANY ? "not pinned" : "pinned to CPU " + cpu);
    }

    @Override
    public void close()
    {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Writes each frame back; flushes once per read burst. */
    private static final class Echo extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(final ChannelHandlerContext ctx)
        {
            ctx.flush();
        }
    }
}
