package dev.sluice.jmh.loopback;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatcher;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * Netty's twin of {@link SluiceGroupServer}: every channel is added to one {@link DefaultChannelGroup}, and each
 * 64-byte frame (one pooled direct buffer) is written to the group with {@code writeAndFlush(buffer, matcher, true)},
 * the matcher skipping channels that are not writable (as {@code SKIP_SLOW} skips members that are behind); the group
 * writes a retained duplicate to each channel. Two ways:
 * <ul>
 *   <li>from the application thread, as the API is usually called: each channel's write becomes a task for its event
 *   loop;</li>
 *   <li>{@code inLoop}: the application thread hands the work to the event loop ({@code execute}, one task at a time,
 *   reused), which writes 64 frames to the group there, each channel's write direct, then flushes the group once:
 *   one {@code write} per channel per 64 frames, the most favourable form with one loop.</li>
 * </ul>
 */
final class NettyGroupServer implements FanOutServer
{
    private final NettyServer server;
    private final ChannelGroup group = new DefaultChannelGroup("fan-out", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicLong closed = new AtomicLong();
    /** Channels the matcher let through in the current round (the application thread's own count). */
    private int matched;
    private final ChannelMatcher writable = channel ->
    {
        if (channel.isWritable())
        {
            matched++;
            return true;
        }
        return false;
    };

    private final boolean inLoop;
    private final InLoopWrite inLoopWrite = new InLoopWrite();

    /**
     * @param transport NIO or epoll.
     * @param cpu       the CPU to pin the event loop to, or {@link Cpus#ANY}.
     * @param inLoop    write to the group from a task on the event loop instead of the application thread.
     */
    NettyGroupServer(final NettyTransport transport, final int cpu, final boolean inLoop)
    {
        this.inLoop = inLoop;
        server = new NettyServer(transport, cpu, false, new ChannelInitializer<SocketChannel>()
        {
            @Override
            protected void initChannel(final SocketChannel ch)
            {
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter()
                {
                    @Override
                    public void channelActive(final ChannelHandlerContext ctx)
                    {
                        group.add(ctx.channel());
                        connected.incrementAndGet();
                        ctx.fireChannelActive();
                    }

                    @Override
                    public void channelInactive(final ChannelHandlerContext ctx)
                    {
                        closed.incrementAndGet();
                        ctx.fireChannelInactive();
                    }
                });
            }
        });
    }

    @Override
    public int pushRound()
    {
        if (inLoop)
        {
            if (inLoopWrite.queued)
            {
                return 0;
            }
            inLoopWrite.queued = true;
            server.eventLoop().execute(inLoopWrite);
            return connected.get() * Wire.BATCH;
        }
        final ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(Wire.FRAME);
        frame.writeInt(Wire.PAYLOAD).writeBytes(Wire.PAYLOAD_BYTES);
        matched = 0;
        group.writeAndFlush(frame, writable, true); // voidPromise: no future per channel
        return matched;
    }

    @Override
    public EchoServer server()
    {
        return server;
    }

    @Override
    public int connected()
    {
        return connected.get();
    }

    @Override
    public long closedConnections()
    {
        return closed.get();
    }

    @Override
    public String describe()
    {
        return server.describe() + ", DefaultChannelGroup.writeAndFlush of one pooled buffer per 64-byte frame " +
            (inLoop ? "from a task on the event loop, 64 frames per group flush" : "from the application thread") +
            ", skipping channels that are not writable";
    }

    /** 64 frames written to the group on the event loop, then one flush; at most one queued at a time. */
    private final class InLoopWrite implements Runnable
    {
        private volatile boolean queued;
        private final ChannelMatcher writableHere = Channel::isWritable;

        @Override
        public void run()
        {
            for (int f = 0; f < Wire.BATCH; f++)
            {
                final ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(Wire.FRAME);
                frame.writeInt(Wire.PAYLOAD).writeBytes(Wire.PAYLOAD_BYTES);
                group.write(frame, writableHere, true);
            }
            group.flush(writableHere);
            queued = false;
        }
    }

    @Override
    public void close()
    {
        server.close();
    }
}
