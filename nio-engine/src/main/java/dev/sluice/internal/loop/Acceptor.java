package dev.sluice.internal.loop;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectionKey;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sluice.config.AdmissionConfig;
import dev.sluice.internal.connection.SocketSetup;
import dev.sluice.internal.log.EngineLog;
import dev.sluice.internal.log.RateLimitedLog;
import org.agrona.concurrent.NanoClock;

/**
 * Spreads new channels over the loops, round-robin, skipping loops with no free slot; past {@code maxConnections}
 * a new peer is closed at once and counted. Accepting runs on the loop that owns the listener (loop 0);
 * {@link #reserveLoop()} is also called by threads opening outbound connections, hence the atomic cursor.
 */
final class Acceptor
{
    /** Accepts per ready listener per iteration, so a connection storm cannot starve established traffic. */
    private static final int ACCEPT_BATCH = 64;

    private final EventLoop[] loops;
    private final AtomicInteger cursor = new AtomicInteger();
    private final RateLimitedLog log;
    private final NanoClock clock;
    private final AdmissionConfig admission;
    private final AddressLimits addressLimits;

    Acceptor(final EventLoop[] loops, final RateLimitedLog log, final NanoClock clock, final AdmissionConfig admission)
    {
        this.loops = loops;
        this.log = log;
        this.clock = clock;
        this.admission = admission;
        this.addressLimits = new AddressLimits(admission.maxConnectionsPerAddress());
    }

    /** @return the per-address counts, shared by every loop's lifecycle. */
    AddressLimits addressLimits()
    {
        return addressLimits;
    }

    /** @return a loop that now holds a reservation for one more connection, or null if all are full. */
    EventLoop reserveLoop()
    {
        final int n = loops.length;
        final int start = cursor.getAndIncrement();
        for (int i = 0; i < n; i++)
        {
            final EventLoop loop = loops[Math.floorMod(start + i, n)];
            if (loop.table().tryReserve())
            {
                return loop;
            }
        }
        return null;
    }

    /** Accepts what is waiting on a listener; called on the listener's loop thread. */
    void accept(final Listener listener, final EventLoop self)
    {
        for (int i = 0; i < ACCEPT_BATCH; i++)
        {
            final SocketChannel channel;
            try
            {
                channel = listener.channel.accept();
            }
            catch (final IOException ex)
            {
                // E.g. out of file descriptors: the listener stays readable, so stop accepting until the next timer
                // tick instead of spinning on it.
                listener.paused = true;
                listener.key.interestOps(0);
                self.counters().acceptPauses.incrementRelease();
                if (log.tryAcquire(clock.nanoTime()))
                {
                    log.log(EngineLog.LOG, Level.WARNING,
                        "accept failed on " + listener + ": " + ex + "; pausing accepts for a timer tick");
                }
                return;
            }
            if (channel == null)
            {
                return;
            }
            if (!admission.admitsAll() && !admitted(channel))
            {
                self.counters().rejectedByFilter.incrementRelease(); // before the peer can see the close
                SocketSetup.closeQuietly(channel);
                continue;
            }
            final EventLoop target = reserveLoop();
            if (target == null)
            {
                reject(channel, self, "maxConnections reached");
            }
            else if (target == self)
            {
                self.counters().accepted.incrementRelease();
                self.openHere(channel, listener.handler);
            }
            else if (target.enqueue(new ChannelHandover(channel, listener.handler, false)))
            {
                self.counters().accepted.incrementRelease();
            }
            else
            {
                target.table().unreserve();
                reject(channel, self, "loop " + target.index() + " command queue full");
            }
        }
    }

    /** The allowed ranges and the application's filter, before any byte of the peer is read. */
    private boolean admitted(final SocketChannel channel)
    {
        final InetSocketAddress remote = SocketSetup.remoteAddress(channel);
        try
        {
            return remote != null && admission.admits(remote.getAddress());
        }
        catch (final RuntimeException ex)
        {
            if (log.tryAcquire(clock.nanoTime()))
            {
                log.log(EngineLog.LOG, Level.WARNING, "the accept filter threw; refusing " + remote + ": " + ex);
            }
            return false;
        }
    }

    /** Re-arms a listener paused after a failed accept (called from the timer stage of its loop). */
    void resume(final Listener listener)
    {
        if (listener.paused && listener.key.isValid())
        {
            listener.paused = false;
            listener.key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    private void reject(final SocketChannel channel, final EventLoop self, final String why)
    {
        self.counters().rejected.incrementRelease(); // before the peer can see the close
        SocketSetup.closeQuietly(channel);
        if (log.tryAcquire(clock.nanoTime()))
        {
            log.log(EngineLog.LOG, Level.WARNING, "rejected a new connection: " + why);
        }
    }
}
