package dev.sluice.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.push.ConnectionStats;
import dev.sluice.push.GroupPolicy;
import dev.sluice.push.Priority;
import dev.sluice.push.PushGroup;
import dev.sluice.push.PushResult;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A market-data fan-out server: subscribers log in and name the symbols they want; one publishing thread sends each
 * tick once to the symbol's push group; every subscriber gets a heartbeat every interval, whatever the traffic; a
 * subscriber that stops reading is dropped at its send cap, and nobody else waits or misses a tick. Quoted in
 * {@code docs/users-guide.md} ("Getting started"); {@code MarketDataExampleTest} runs it.
 * <p>
 * Wire format (after the engine's 4-byte length): a subscriber sends {@code LOGIN <name> <symbol> <symbol>...} in
 * ASCII; the server sends ticks of 20 bytes ({@code int} symbol index, {@code long} sequence number per symbol,
 * {@code long} price in micros) and heartbeats of 2 bytes ({@code HB}).
 */
public final class MarketDataServer implements ConnectionHandler, AutoCloseable
{
    /** A heartbeat's payload. */
    public static final byte[] HEARTBEAT = {'H', 'B'};
    /** A tick's payload length. */
    public static final int TICK_LENGTH = 20;

    private final Engine engine;
    private final String[] symbols;
    private final PushGroup[] groups;
    private final InetSocketAddress address;
    private final Map<String, ConnectionStats> subscribers = new ConcurrentHashMap<>();
    private final AtomicInteger behindNow = new AtomicInteger();
    private final AtomicInteger fellBehind = new AtomicInteger();
    /** The publishing thread's own buffer. */
    private final UnsafeBuffer tick = new UnsafeBuffer(new byte[TICK_LENGTH]);

    /** What the server keeps per subscriber (the connection's attachment; loop thread only). */
    private static final class Subscriber
    {
        boolean behind;
    }

    /**
     * Starts the engine and listens.
     *
     * @param symbols     the symbols on offer; a tick names one by its index here.
     * @param heartbeatMs the heartbeat interval.
     * @param port        port on 127.0.0.1 (0: any free port).
     * @throws IOException if it cannot listen.
     */
    public MarketDataServer(final String[] symbols, final long heartbeatMs, final int port) throws IOException
    {
        this.symbols = symbols.clone();
        this.engine = Engine.start(EngineConfig.builder()
            .periodicHeartbeat(heartbeatMs, TimeUnit.MILLISECONDS, HEARTBEAT)
            .socketSendBufferSize(64 * 1024) // a stalled subscriber is noticed within kilobytes, not megabytes
            .build());
        this.groups = new PushGroup[symbols.length];
        for (int i = 0; i < symbols.length; i++)
        {
            groups[i] = engine.newPushGroup(symbols[i], GroupPolicy.DROP_SLOW); // ticks are sequenced: no gaps
        }
        this.address = engine.listen(new InetSocketAddress("127.0.0.1", port), this);
    }

    /** @return where subscribers connect. */
    public InetSocketAddress address()
    {
        return address;
    }

    /** @return the engine (counters, configuration). */
    public Engine engine()
    {
        return engine;
    }

    @Override
    public void onOpen(final Connection connection)
    {
        connection.attach(new Subscriber());
    }

    @Override
    public void onFrame(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
    {
        final String[] login = buffer.getStringWithoutLengthAscii(offset, length).split(" "); // once per subscriber
        if (login.length < 3 || !"LOGIN".equals(login[0]))
        {
            connection.close();
            return;
        }
        subscribers.put(login[1], connection.stats());
        for (int i = 2; i < login.length; i++)
        {
            for (int s = 0; s < symbols.length; s++)
            {
                if (symbols[s].equals(login[i]) && groups[s].join(connection.pushHandle()) != PushResult.ACCEPTED)
                {
                    connection.close(); // the group's queue is full of joins: let the subscriber retry
                    return;
                }
            }
        }
    }

    @Override
    public void onWritabilityChanged(final Connection connection, final boolean writable)
    {
        final Subscriber subscriber = (Subscriber)connection.attachment();
        subscriber.behind = !writable;
        if (writable)
        {
            behindNow.decrementAndGet();
        }
        else
        {
            behindNow.incrementAndGet();
            fellBehind.incrementAndGet();
        }
    }

    @Override
    public void onClose(final Connection connection, final CloseReason reason)
    {
        final Subscriber subscriber = (Subscriber)connection.attachment();
        if (subscriber != null && subscriber.behind)
        {
            behindNow.decrementAndGet();
        }
    }

    /**
     * Publishes one tick to the symbol's subscribers (the publishing thread; one at a time). Allocates nothing; waits
     * while the group's queue is full, so no subscriber that keeps up ever misses a tick.
     *
     * @param symbol   the symbol's index.
     * @param sequence the tick's sequence number for that symbol.
     * @param micros   the price in micros.
     * @return false if the group is closed.
     */
    public boolean publish(final int symbol, final long sequence, final long micros)
    {
        tick.putInt(0, symbol);
        tick.putLong(4, sequence);
        tick.putLong(12, micros);
        PushResult result;
        while ((result = groups[symbol].push(tick, 0, TICK_LENGTH, Priority.LOW)) == PushResult.QUEUE_FULL)
        {
            LockSupport.parkNanos(10_000);
        }
        return result == PushResult.ACCEPTED;
    }

    /** @return each logged-in subscriber's figures, by name (readable from any thread). */
    public Map<String, ConnectionStats> subscribers()
    {
        return subscribers;
    }

    /**
     * @param symbol a symbol's index.
     * @return subscribers of that symbol, as joined so far.
     */
    public int subscribers(final int symbol)
    {
        return groups[symbol].size();
    }

    /** @return subscribers backed up right now, as the writability events tell. */
    public int behindNow()
    {
        return behindNow.get();
    }

    /** @return times a subscriber fell behind since the start. */
    public int fellBehind()
    {
        return fellBehind.get();
    }

    @Override
    public void close()
    {
        for (final PushGroup group : groups)
        {
            group.close();
        }
        engine.close();
    }

    /**
     * Runs the server with two symbols and a random walk of ticks until the process is stopped.
     *
     * @param args optional port (default 9100).
     * @throws Exception if it cannot start.
     */
    public static void main(final String[] args) throws Exception
    {
        try (MarketDataServer server = new MarketDataServer(new String[] {"EURUSD", "USDJPY"}, 1_000,
            args.length > 0 ? Integer.parseInt(args[0]) : 9100))
        {
            System.out.println("market data on " + server.address() + "; subscribe with \"LOGIN <name> EURUSD\"");
            long sequence = 0;
            long price = 1_100_000;
            while (server.publish((int)(sequence & 1), sequence >> 1, price))
            {
                sequence++;
                price += (sequence * 7919 & 3) - 1;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    /**
     * @param name    the subscriber's name.
     * @param symbols the symbols it wants.
     * @return the login frame a subscriber sends.
     */
    public static byte[] login(final String name, final String... symbols)
    {
        return ("LOGIN " + name + " " + String.join(" ", symbols)).getBytes(StandardCharsets.US_ASCII);
    }
}
