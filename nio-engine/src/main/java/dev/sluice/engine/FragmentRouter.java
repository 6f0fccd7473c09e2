package dev.sluice.engine;

import dev.sluice.codec.FrameCodec;
import dev.sluice.config.EngineConfig;
import dev.sluice.stats.LoopCounters;
import org.agrona.DirectBuffer;

/**
 * Routes frames of a fragmenting codec: a whole message goes straight to the application (without its fragment
 * header); a fragment is added to its message's assembly, and the last one hands the message over once, whole. A
 * fragment with no first, a message larger than an assembly buffer or the per-message budget, or no free assembly
 * buffer closes that connection alone. Loop thread only.
 */
final class FragmentRouter
{
    private final ConnectionIo io;
    private final MessageAssembler assembler;
    private final FrameCodec codec;
    private final LoopCounters counters;
    private final Rejections rejections;
    private final long perMessage;
    private final long timeoutNs;
    private final EventLoop loop;
    private final InboundBudget budget;

    FragmentRouter(final ConnectionIo io, final EventLoop loop, final MessageAssembler assembler,
        final EngineConfig config, final LoopCounters counters, final Rejections rejections,
        final InboundBudget budget)
    {
        this.io = io;
        this.assembler = assembler;
        this.codec = config.codec();
        this.counters = counters;
        this.rejections = rejections;
        this.perMessage = config.bytesPerMessage();
        this.timeoutNs = config.assemblyTimeoutNs();
        this.loop = loop;
        this.budget = budget;
    }

    int onFragment(final Connection c, final DirectBuffer buffer, final int offset, final int length)
    {
        final int kind = codec.fragment(buffer, offset, length);
        final int header = codec.fragmentHeaderLength();
        final int dataOffset = offset + header;
        final int dataLength = length - header;
        if (kind == FrameCodec.WHOLE)
        {
            return io.deliver(c, buffer, dataOffset, dataLength);
        }
        final long key = codec.fragmentKey(buffer, offset, length);
        int slot = assembler.find(c, key);
        if (kind == FrameCodec.FIRST)
        {
            if (slot >= 0)
            {
                assembler.free(slot); // a new first fragment restarts the message
            }
            slot = assembler.start(c, key, loop.nowNs());
            if (slot < 0)
            {
                rejections.budgetExceeded(c, "no free assembly buffer for a fragmented message (at most " +
                    MessageAssembler.PER_CONNECTION + " at once per connection)");
                return ReceiveBuffer.FrameSink.STOP;
            }
        }
        else if (slot < 0)
        {
            rejections.fragmentWithoutFirst(c, key);
            return ReceiveBuffer.FrameSink.STOP;
        }
        if ((perMessage > 0 && assembler.length(slot) + dataLength > perMessage) ||
            !assembler.append(slot, buffer, dataOffset, dataLength, loop.nowNs()))
        {
            assembler.free(slot);
            rejections.budgetExceeded(c, "a fragmented message grew past its budget");
            return ReceiveBuffer.FrameSink.STOP;
        }
        if (kind != FrameCodec.LAST)
        {
            counters.framesIn.incrementRelease();
            return ReceiveBuffer.FrameSink.NEXT;
        }
        final int verdict = io.deliver(c, assembler.buffer(slot), 0, assembler.length(slot));
        if (verdict == ReceiveBuffer.FrameSink.KEEP)
        {
            assembler.unappend(slot, dataLength); // the last fragment stays in the receive buffer for redelivery
        }
        else if (verdict == ReceiveBuffer.FrameSink.NEXT)
        {
            assembler.free(slot);
            counters.messagesAssembled.incrementRelease();
        }
        return verdict;
    }

    int purge(final long nowNs)
    {
        int purged = 0;
        for (int i = 0; i < assembler.slots(); i++)
        {
            final Connection owner = assembler.expired(i, nowNs, timeoutNs);
            if (owner != null)
            {
                assembler.free(i);
                budget.account(owner); // what it held is no longer buffered
                purged++;
            }
        }
        if (purged > 0)
        {
            counters.assembliesPurged.getAndAddRelease(purged);
        }
        return purged;
    }
}
