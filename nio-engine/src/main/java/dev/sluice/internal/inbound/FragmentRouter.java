package dev.sluice.internal.inbound;

import dev.sluice.codec.FrameCodec;
import dev.sluice.config.EngineConfig;
import dev.sluice.internal.connection.LoopConnection;
import dev.sluice.internal.connection.LoopTime;
import dev.sluice.internal.connection.ReceiveBuffer;
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
    private final InboundPath inbound;
    private final MessageAssembler assembler;
    private final FrameCodec codec;
    private final LoopCounters counters;
    private final Rejections rejections;
    private final long perMessage;
    private final long timeoutNs;
    private final LoopTime time;
    private final InboundBudget budget;

    FragmentRouter(final InboundPath inbound, final LoopTime time, final MessageAssembler assembler,
        final EngineConfig config, final LoopCounters counters, final Rejections rejections,
        final InboundBudget budget)
    {
        this.inbound = inbound;
        this.assembler = assembler;
        this.codec = config.codec();
        this.counters = counters;
        this.rejections = rejections;
        this.perMessage = config.bytesPerMessage();
        this.timeoutNs = config.assemblyTimeoutNs();
        this.time = time;
        this.budget = budget;
    }

    int onFragment(final LoopConnection c, final DirectBuffer buffer, final int offset, final int length)
    {
        final int kind = codec.fragment(buffer, offset, length);
        final int header = codec.fragmentHeaderLength();
        final int dataOffset = offset + header;
        final int dataLength = length - header;
        if (kind == FrameCodec.WHOLE)
        {
            return inbound.deliver(c, buffer, dataOffset, dataLength);
        }
        final long key = codec.fragmentKey(buffer, offset, length);
        int slot = assembler.find(c, key);
        if (kind == FrameCodec.FIRST)
        {
            if (slot >= 0)
            {
                assembler.free(slot); // a new first fragment restarts the message
            }
            slot = assembler.start(c, key, time.nowNs());
            if (slot < 0)
            {
                rejections.budgetExceeded(c, "no free assembly buffer for a fragmented message (at most " +
                    MessageAssembler.PER_CONNECTION + " at once per connection)", dataLength);
                return ReceiveBuffer.FrameSink.STOP;
            }
        }
        else if (slot < 0)
        {
            rejections.fragmentWithoutFirst(c, key);
            return ReceiveBuffer.FrameSink.STOP;
        }
        if ((perMessage > 0 && assembler.length(slot) + dataLength > perMessage) ||
            !assembler.append(slot, buffer, dataOffset, dataLength, time.nowNs()))
        {
            final long size = (long)assembler.length(slot) + dataLength;
            assembler.free(slot);
            rejections.budgetExceeded(c, "a fragmented message grew past its budget", size);
            return ReceiveBuffer.FrameSink.STOP;
        }
        if (kind != FrameCodec.LAST)
        {
            inbound.frameIn(c);
            return ReceiveBuffer.FrameSink.NEXT;
        }
        final int verdict = inbound.deliver(c, assembler.buffer(slot), 0, assembler.length(slot));
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
            final LoopConnection owner = assembler.expired(i, nowNs, timeoutNs);
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
