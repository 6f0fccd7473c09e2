package dev.sluice.stats;

import dev.sluice.connection.CloseReason;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The counters of one event loop. Every counter here but {@link #wakeups} and the producer-side push counters
 * (refusals, written by the pushing threads with atomic adds, only when a push fails) has exactly one writer, the
 * loop's thread, which updates it with release stores ({@code incrementRelease}, {@code getAndAddRelease}): no
 * locked instruction on the hot path, and a reader in another thread or process sees whole values.
 */
public final class LoopCounters
{
    /** Type id of per-loop counters, for tools that filter by type. */
    public static final int TYPE_ID = 1001;

    /** Connections currently open on the loop. */
    public final AtomicCounter connectionsOpen;
    /** Inbound connections accepted by this loop (as acceptor). */
    public final AtomicCounter accepted;
    /** Outbound connections established. */
    public final AtomicCounter connected;
    /** Peers closed at once because the engine was at maxConnections (counted by the accepting loop). */
    public final AtomicCounter rejected;
    /** Times accepting paused for a timer tick because an accept failed (e.g. out of file descriptors). */
    public final AtomicCounter acceptPauses;
    /** Peers closed at once because the accept filter or the allowed address ranges refused them. */
    public final AtomicCounter rejectedByFilter;
    /** Peers closed at once because their address held {@code maxConnectionsPerAddress} connections already. */
    public final AtomicCounter rejectedPerAddress;
    /** Frames decoded and dispatched. */
    public final AtomicCounter framesIn;
    /** Bytes read from sockets. */
    public final AtomicCounter bytesIn;
    /** Frames appended to send buffers. */
    public final AtomicCounter framesOut;
    /** Bytes written to sockets. */
    public final AtomicCounter bytesOut;
    /** Iterations that found work. */
    public final AtomicCounter busyIterations;
    /** Iterations that found none. */
    public final AtomicCounter idleIterations;
    /**
     * Times the loop thread announced it parks in a blocking select (blocking idle mode); a park ends at once when
     * work came in meanwhile, so a producer's wake-up always belongs to one.
     */
    public final AtomicCounter parks;
    /**
     * Times a producer woke the parked loop ({@code Selector.wakeup()}): at most one per park. The only counter with
     * several writers (any producer thread), updated with an atomic add, once per park at most.
     */
    public final AtomicCounter wakeups;
    /** Pushed frames sent at high priority (appended to a send buffer). */
    public final AtomicCounter pushesSentHigh;
    /** Pushed frames sent at low priority. */
    public final AtomicCounter pushesSentLow;
    /** Accepted pushes released unsent because their connection closed. */
    public final AtomicCounter pushesDiscarded;
    /** Pushes refused: queue (or slot pool) full. Written by producer threads. */
    public final AtomicCounter pushesQueueFull;
    /** Pushes refused: no rate token. Written by producer threads. */
    public final AtomicCounter pushesRateLimited;
    /** Pushes dropped by the drop policies. Written by producer threads. */
    public final AtomicCounter pushesDropped;
    /** Pushes to a closed connection. Written by producer threads. */
    public final AtomicCounter pushesClosed;
    /** Low-priority pushes refused because the connection's unsent bytes passed the shed share of its send cap. */
    public final AtomicCounter pushesShed;
    /** Pushes larger than a push slot or the codec allows. Written by producer threads. */
    public final AtomicCounter pushesTooLarge;
    /** Times reading from a connection was paused because the application said "not now". */
    public final AtomicCounter readPauses;
    /** Times reading from a connection was paused by the soft limit of an inbound budget. */
    public final AtomicCounter budgetPauses;
    /** Fragmented messages assembled and handed over. */
    public final AtomicCounter messagesAssembled;
    /** Half-assembled messages purged after the assembly timeout. */
    public final AtomicCounter assembliesPurged;
    /** Idle keep-alive frames sent to peers that had been sent nothing for the keep-alive interval. */
    public final AtomicCounter keepAlivesSent;
    /** Gated responses sent. */
    public final AtomicCounter responsesSent;
    /** Gated responses whose connection had closed. */
    public final AtomicCounter responsesDropped;
    /** Batch-end terminators sent. */
    public final AtomicCounter batchEnds;
    /** Batch-end terminators that failed to encode (logged and skipped). */
    public final AtomicCounter batchEndFailures;
    /** Response batches that had to wait for the durability position. */
    public final AtomicCounter gateWaits;
    /** Gate checks that found the journal the limiting position. */
    public final AtomicCounter gateWaitsOnJournal;
    /** Gate checks that found replication (a replica's position, or a missing replica) the limit. */
    public final AtomicCounter gateWaitsOnReplication;
    /** 1 while the durability policy cannot be met by the connected nodes. */
    public final AtomicCounter gateDegraded;
    /**
     * Drops of garbled bytes the codec asked for, the connection going on ({@code FrameCodec.skip}): one per garbled
     * frame, or more when a garbled stretch arrives over several reads.
     */
    public final AtomicCounter framesGarbled;
    /** Periodic heartbeat frames sent (one per connection per heartbeat interval). */
    public final AtomicCounter periodicHeartbeatsSent;
    /** Group frames put into members' send buffers: one per member per frame. */
    public final AtomicCounter groupDeliveries;
    /** Group frames a member missed because it was behind (the group's policy skipped it). */
    public final AtomicCounter groupMisses;
    /** Exceptions caught on the loop thread that were not expected, each also handed to the error handler. */
    public final AtomicCounter errors;
    /** Bytes still unsent when a shutdown's deadline passed (they were dropped with their connections). */
    public final AtomicCounter shutdownBytesDropped;
    /** Gated responses still held when a shutdown's deadline passed. */
    public final AtomicCounter shutdownResponsesDropped;
    /** 1 when the loop thread is pinned to a CPU, else 0. */
    public final AtomicCounter pinned;
    /** The CPU the loop is pinned to, or -1. */
    public final AtomicCounter pinnedCpu;
    private final AtomicCounter[] closes;

    /**
     * Allocates the loop's counters, labelled {@code loop-N: ...}.
     *
     * @param manager where to allocate.
     * @param loop    loop index.
     */
    public LoopCounters(final CountersManager manager, final int loop)
    {
        final String p = "loop-" + loop + ": ";
        connectionsOpen = manager.newCounter(p + "connections open", TYPE_ID);
        accepted = manager.newCounter(p + "connections accepted", TYPE_ID);
        connected = manager.newCounter(p + "connections connected", TYPE_ID);
        rejected = manager.newCounter(p + "connections rejected (max connections)", TYPE_ID);
        acceptPauses = manager.newCounter(p + "accepts paused (accept failed)", TYPE_ID);
        rejectedByFilter = manager.newCounter(p + "connections rejected (accept filter)", TYPE_ID);
        rejectedPerAddress = manager.newCounter(p + "connections rejected (per-address limit)", TYPE_ID);
        framesIn = manager.newCounter(p + "frames in", TYPE_ID);
        bytesIn = manager.newCounter(p + "bytes in", TYPE_ID);
        framesOut = manager.newCounter(p + "frames out", TYPE_ID);
        bytesOut = manager.newCounter(p + "bytes out", TYPE_ID);
        busyIterations = manager.newCounter(p + "loop busy iterations", TYPE_ID);
        idleIterations = manager.newCounter(p + "loop idle iterations", TYPE_ID);
        parks = manager.newCounter(p + "loop parks", TYPE_ID);
        wakeups = manager.newCounter(p + "loop wake-ups by producers", TYPE_ID);
        pushesSentHigh = manager.newCounter(p + "pushes sent high", TYPE_ID);
        pushesSentLow = manager.newCounter(p + "pushes sent low", TYPE_ID);
        pushesDiscarded = manager.newCounter(p + "pushes discarded at close", TYPE_ID);
        pushesQueueFull = manager.newCounter(p + "pushes queue full", TYPE_ID);
        pushesRateLimited = manager.newCounter(p + "pushes rate limited", TYPE_ID);
        pushesDropped = manager.newCounter(p + "pushes dropped", TYPE_ID);
        pushesClosed = manager.newCounter(p + "pushes to closed connections", TYPE_ID);
        pushesTooLarge = manager.newCounter(p + "pushes too large", TYPE_ID);
        readPauses = manager.newCounter(p + "read pauses (not now)", TYPE_ID);
        budgetPauses = manager.newCounter(p + "read pauses (budget soft limit)", TYPE_ID);
        messagesAssembled = manager.newCounter(p + "fragmented messages assembled", TYPE_ID);
        assembliesPurged = manager.newCounter(p + "half-assembled messages purged", TYPE_ID);
        keepAlivesSent = manager.newCounter(p + "idle keep-alives sent", TYPE_ID);
        responsesSent = manager.newCounter(p + "gated responses sent", TYPE_ID);
        responsesDropped = manager.newCounter(p + "gated responses to closed connections", TYPE_ID);
        batchEnds = manager.newCounter(p + "batch-end frames sent", TYPE_ID);
        batchEndFailures = manager.newCounter(p + "batch-end encode failures", TYPE_ID);
        gateWaits = manager.newCounter(p + "gate waits (batches)", TYPE_ID);
        gateWaitsOnJournal = manager.newCounter(p + "gate checks waiting on the journal", TYPE_ID);
        gateWaitsOnReplication = manager.newCounter(p + "gate checks waiting on replication", TYPE_ID);
        gateDegraded = manager.newCounter(p + "gate degraded (1 yes)", TYPE_ID);
        pinned = manager.newCounter(p + "pinned (1 yes, 0 not pinned)", TYPE_ID);
        pinnedCpu = manager.newCounter(p + "pinned cpu (-1 none)", TYPE_ID);
        pinnedCpu.set(-1);
        final CloseReason[] reasons = CloseReason.values();
        closes = new AtomicCounter[reasons.length];
        for (final CloseReason r : reasons)
        {
            closes[r.ordinal()] = manager.newCounter(p + "closed: " + r.text(), TYPE_ID);
        }
        // Added after the close counters, so that the ids of every earlier counter stay what they were.
        errors = manager.newCounter(p + "errors", TYPE_ID);
        pushesShed = manager.newCounter(p + "pushes shed (low priority, peer behind)", TYPE_ID);
        groupDeliveries = manager.newCounter(p + "group frames delivered (one per member)", TYPE_ID);
        groupMisses = manager.newCounter(p + "group frames missed (member behind)", TYPE_ID);
        periodicHeartbeatsSent = manager.newCounter(p + "periodic heartbeats sent", TYPE_ID);
        framesGarbled = manager.newCounter(p + "frames garbled (dropped, connection kept)", TYPE_ID);
        shutdownBytesDropped = manager.newCounter(p + "bytes unsent at the shutdown deadline", TYPE_ID);
        shutdownResponsesDropped = manager.newCounter(p + "gated responses held at the shutdown deadline", TYPE_ID);
    }

    /**
     * The counter of closes for one reason; slow-consumer drops and malformed closes are among them.
     *
     * @param reason the close reason.
     * @return its counter.
     */
    public AtomicCounter closes(final CloseReason reason)
    {
        return closes[reason.ordinal()];
    }

    /** @return how many counters one loop uses, for sizing the counters storage. */
    public static int countersPerLoop()
    {
        return 46 + CloseReason.values().length;
    }
}
