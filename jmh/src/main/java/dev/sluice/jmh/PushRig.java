package dev.sluice.jmh;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import dev.sluice.codec.LengthPrefixedFrameCodec;
import dev.sluice.internal.log.RateLimitedLog;
import dev.sluice.internal.push.ConcurrentSessionRegistry;
import dev.sluice.internal.push.PushLoop;
import dev.sluice.internal.push.PushSink;
import dev.sluice.push.PushConfig;
import dev.sluice.push.PushHandle;
import dev.sluice.stats.CountersFile;
import dev.sluice.stats.LoopCounters;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

/**
 * A push loop with every connection slot open, as the engine would build it, minus sockets. Its sink is called by
 * the loop thread only.
 */
final class PushRig implements PushSink
{
    static final int FRAME_LENGTH = 64;
    static final int CONNECTIONS = 16;
    static final int MAX_PAYLOAD = 1024;
    static final int QUEUE_BYTES = 64 * 1024;
    static final ByteOrder CODEC_ORDER = ByteOrder.BIG_ENDIAN;

    final Runnable waker = () -> { };
    final CountersFile file = CountersFile.create(null, LoopCounters.countersPerLoop());
    final LoopCounters counters = new LoopCounters(new CountersManager(file.metaData(), file.values()), 0);
    final PushLoop loop;
    final PushHandle[] handles = new PushHandle[CONNECTIONS];
    final UnsafeBuffer payload = new UnsafeBuffer(new byte[FRAME_LENGTH]);
    long framesSent;
    long bytesSent;

    PushRig()
    {
        final PushConfig config = PushConfig.builder()
            .maxHighBeforeLow(8)
            .queueBytes(QUEUE_BYTES, QUEUE_BYTES)
            .build();
        loop = new PushLoop(config, new LengthPrefixedFrameCodec(CODEC_ORDER, MAX_PAYLOAD, false), CONNECTIONS,
            MAX_PAYLOAD, SystemNanoClock.INSTANCE, waker, this, counters, new ConcurrentSessionRegistry(),
            new RateLimitedLog(TimeUnit.SECONDS.toNanos(1)));
        for (int i = 0; i < CONNECTIONS; i++)
        {
            handles[i] = loop.open(i, 1000 + i);
        }
        for (int i = 0; i < FRAME_LENGTH; i++)
        {
            payload.putByte(i, (byte)i);
        }
    }

    @Override
    public boolean append(final int connectionSlot, final DirectBuffer buffer, final int offset, final int length)
    {
        framesSent++;
        bytesSent += length;
        return true;
    }

    @Override
    public boolean appendFramed(final int connectionSlot, final DirectBuffer buffer, final int offset,
        final int bytes)
    {
        for (int at = offset; at < offset + bytes; )
        {
            final int length = buffer.getInt(at, CODEC_ORDER);
            framesSent++;
            bytesSent += length;
            at += Integer.BYTES + length;
        }
        return true;
    }

    @Override
    public void runEnded(final int connectionSlot, final int frames)
    {
    }

    void checkAndClose()
    {
        final long discarded = counters.pushesDiscarded.get();
        final long sent = counters.pushesSentHigh.get() + counters.pushesSentLow.get();
        file.close();
        if (discarded != 0 || sent != framesSent || framesSent == 0 || bytesSent != framesSent * FRAME_LENGTH)
        {
            throw new IllegalStateException("push path misbehaved: sent " + sent + ", sink saw " + framesSent +
                " frames and " + bytesSent + " bytes, discarded " + discarded);
        }
    }
}
