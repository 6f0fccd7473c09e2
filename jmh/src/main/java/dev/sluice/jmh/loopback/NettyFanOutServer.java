package dev.sluice.jmh.loopback;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/**
 * Netty's twin of {@link SluiceFanOutServer}, in the two ways a Netty application hands frames over from its own
 * thread, skipping channels that are not writable (Netty's default 32/64 KiB water marks, which count writes queued
 * from other threads too):
 * <ul>
 *   <li>{@link Mode#FRAME_BY_FRAME}: one task per channel at a time through {@code eventLoop().execute}, which
 *   writes 64 frames, each its own buffer, then flushes (the task object is reused: the most favourable form);</li>
 *   <li>{@link Mode#PRE_PACKED}: the application packs 64 frames into one buffer and calls {@code writeAndFlush}.</li>
 * </ul>
 */
final class NettyFanOutServer implements FanOutServer
{
    /** How frames reach the event loop. */
    enum Mode
    {
        /** Tasks of 64 single-frame writes. */
        FRAME_BY_FRAME,
        /** One buffer of 64 frames per write. */
        PRE_PACKED
    }

    private final NettyServer server;
    private final AtomicReferenceArray<Batch> batches;
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicLong closed = new AtomicLong();
    private final Mode mode;

    /**
     * @param transport   NIO or epoll.
     * @param mode        how frames are handed over.
     * @param connections how many connections will come.
     * @param cpu         the CPU to pin the event loop to, or {@link Cpus#ANY}.
     */
    NettyFanOutServer(final NettyTransport transport, final Mode mode, final int connections, final int cpu)
    {
        this.mode = mode;
        this.batches = new AtomicReferenceArray<>(connections);
        server = new NettyServer(transport, cpu, false, new ChannelInitializer<SocketChannel>()
        {
            @Override
            protected void initChannel(final SocketChannel ch)
            {
                ch.pipeline().addLast(new Track());
            }
        });
    }

    @Override
    public int pushRound()
    {
        int pushed = 0;
        for (int i = 0, n = connected.get(); i < n; i++)
        {
            final Batch batch = batches.get(i);
            final Channel channel = batch.channel;
            if (!channel.isWritable())
            {
                continue;
            }
            if (mode == Mode.PRE_PACKED)
            {
                final ByteBuf packed = channel.alloc().directBuffer(Wire.BATCH * Wire.FRAME);
                for (int f = 0; f < Wire.BATCH; f++)
                {
                    packed.writeInt(Wire.PAYLOAD).writeBytes(Wire.PAYLOAD_BYTES);
                }
                channel.writeAndFlush(packed, channel.voidPromise());
                pushed += Wire.BATCH;
            }
            else if (!batch.queued)
            {
                batch.queued = true;
                channel.eventLoop().execute(batch);
                pushed += Wire.BATCH;
            }
        }
        return pushed;
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
        return server.describe() + ", " +
            (mode == Mode.PRE_PACKED ? "64 frames pre-packed per writeAndFlush" : "execute() tasks of 64 writes");
    }

    @Override
    public void close()
    {
        server.close();
    }

    /** Records each accepted channel for the application thread. */
    private final class Track extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelActive(final ChannelHandlerContext ctx)
        {
            final int index = connected.get();
            batches.set(index, new Batch(ctx.channel()));
            connected.set(index + 1); // one event loop: no two channels race here
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            closed.incrementAndGet();
            ctx.fireChannelInactive();
        }
    }

    /** 64 single-frame writes and a flush, run on the channel's event loop; at most one queued per channel. */
    private static final class Batch implements Runnable
    {
        private final Channel channel;
        private volatile boolean queued;

        Batch(final Channel channel)
        {
            this.channel = channel;
        }

        @Override
        public void run()
        {
            for (int f = 0; f < Wire.BATCH; f++)
            {
                final ByteBuf frame = channel.alloc().directBuffer(Wire.FRAME);
                channel.write(frame.writeInt(Wire.PAYLOAD).writeBytes(Wire.PAYLOAD_BYTES), channel.voidPromise());
            }
            channel.flush();
            queued = false;
        }
    }
}
