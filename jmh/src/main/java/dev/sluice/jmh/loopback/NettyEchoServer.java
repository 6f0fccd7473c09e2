package dev.sluice.jmh.loopback;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Netty's twin of {@link SluiceEchoServer}, written the way Netty recommends: a length-field frame decoder (a
 * retained slice per frame, no copy), each frame written back as it is, one flush per read burst
 * ({@code channelReadComplete}).
 */
final class NettyEchoServer implements EchoServer
{
    private final EventLoopGroup group;
    private final Channel server;
    private final ServerThreads threads = new ServerThreads();
    private final String description;

    /**
     * @param transport NIO or epoll.
     * @param cpu       the CPU to pin the event loop to, or {@link Cpus#ANY}.
     */
    NettyEchoServer(final NettyTransport transport, final int cpu)
    {
        group = transport.group(cpu, threads);
        server = transport.bootstrap(group, new ChannelInitializer<SocketChannel>()
        {
            @Override
            protected void initChannel(final SocketChannel ch)
            {
                ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, Wire.HEADER, 0, 0), new Echo());
            }
        }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
        description = "netty " + transport.name().toLowerCase() + ", 1 event loop, " +
            (cpu == Cpus.ANY ? "not pinned" : "pinned to CPU " + cpu);
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
        return description;
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
