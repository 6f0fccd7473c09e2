package dev.sluice.jmh.fix;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.sluice.codec.FrameCodec;
import dev.sluice.examples.fix.FixFrameCodec;
import dev.sluice.examples.fix.FixMessage;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One FIX session of the load client: its socket, its send and receive buffers (direct, with an {@link UnsafeBuffer}
 * view of each for writing and parsing in place), its sequence numbers and the orders it has in flight. Orders are
 * numbered from 1 (the number is the ClOrdID), odd ones buy and even ones sell, so each sell meets the buy before it.
 * The server acknowledges a session's orders in the order they were sent, so the send time of order {@code n} waits
 * in slot {@code n % window} until its ExecutionReport New comes back.
 * <p>
 * <b>Threading:</b> the load client's thread.
 */
final class LoadSession
{
    /** Receive buffer: far more than the largest message, so one read seldom ends short of a whole message. */
    private static final int RECEIVE_BYTES = 64 * 1024;

    final SocketChannel channel;
    final byte[] sender;
    final String name;
    final ByteBuffer receive = ByteBuffer.allocateDirect(RECEIVE_BYTES);
    final UnsafeBuffer receiveView = new UnsafeBuffer(receive);
    private final ByteBuffer send;
    private final UnsafeBuffer sendView;
    private final long[] sentNs;
    private final int window;
    /** MsgSeqNum of the next message sent. */
    long nextOut = 1;
    /** MsgSeqNum expected of the next message received. */
    long expectedIn = 1;
    /** Orders sent, and the last one acknowledged (ExecutionReport New). */
    long sent;
    long acked;
    /** The session's Logout was answered, or its connection ended while closing. */
    boolean ended;
    /** Bytes are waiting in the send buffer for the socket to take them. */
    boolean writePending;

    /**
     * Connects (blocking; the client switches the channel to non-blocking once logged on).
     *
     * @param server where the server listens.
     * @param name   the SenderCompID.
     * @param window orders in flight at most.
     * @throws IOException if the connection fails.
     */
    LoadSession(final InetSocketAddress server, final String name, final int window) throws IOException
    {
        this.name = name;
        this.sender = LoadMessages.ascii(name);
        this.window = window;
        this.sentNs = new long[window];
        this.send = ByteBuffer.allocateDirect((window + 4) * LoadMessages.MAX_MESSAGE).flip(); // empty
        this.sendView = new UnsafeBuffer(send);
        this.channel = SocketChannel.open(server);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }

    /**
     * Writes the orders the window allows (they go out in one write with what was pending).
     *
     * @param messages the writer.
     * @param nowNs    the time each is sent at, for its latency.
     * @param millis   the SendingTime and TransactTime.
     */
    void topUp(final LoadMessages messages, final long nowNs, final long millis)
    {
        if (sent - acked >= window)
        {
            return;
        }
        int at = appendAt();
        while (sent - acked < window && at + LoadMessages.MAX_MESSAGE <= send.capacity())
        {
            final long clOrdId = ++sent;
            at = messages.order(sendView, at, nextOut++, sender, millis, clOrdId, (clOrdId & 1) == 1);
            sentNs[(int)(clOrdId % window)] = nowNs;
        }
        appended(at);
    }

    /**
     * An ExecutionReport New for order {@code clOrdId} came back.
     *
     * @return the order's latency (from its write to now), in nanoseconds.
     * @throws IllegalStateException if it is not the next order to be acknowledged.
     */
    long acknowledged(final long clOrdId, final long nowNs)
    {
        if (clOrdId != acked + 1)
        {
            throw new IllegalStateException(name + ": ExecutionReport New for ClOrdID " + clOrdId + ", expected " +
                (acked + 1));
        }
        acked = clOrdId;
        return nowNs - sentNs[(int)(clOrdId % window)];
    }

    /** Answers a TestRequest whose TestReqID is at {@code idAt} in the receive buffer. */
    void heartbeat(final LoadMessages messages, final long millis, final int idAt, final int idLength)
    {
        final int at = appendAt();
        appended(messages.heartbeat(sendView, at, nextOut++, sender, millis, receiveView, idAt, idLength));
    }

    /** Queues a Logout. */
    void logout(final LoadMessages messages, final long millis)
    {
        final int at = appendAt();
        appended(messages.logout(sendView, at, nextOut++, sender, millis));
    }

    /** Queues the Logon. */
    void logon(final LoadMessages messages, final long millis)
    {
        final int at = appendAt();
        appended(messages.logon(sendView, at, nextOut++, sender, millis));
    }

    /**
     * Writes what is pending, as much as the socket takes.
     *
     * @return true if something is still pending.
     * @throws IOException if the write fails.
     */
    boolean flush() throws IOException
    {
        if (send.hasRemaining())
        {
            channel.write(send);
        }
        writePending = send.hasRemaining();
        return writePending;
    }

    /** @return where the next message goes: pending bytes move to the front, the buffer is open for writing. */
    private int appendAt()
    {
        send.compact();
        return send.position();
    }

    /** What is written up to {@code end} becomes pending. */
    private void appended(final int end)
    {
        send.position(end);
        send.flip();
    }

    /**
     * Logs the session on (not timed; it may allocate): the Logon out, the server's Logon in, then non-blocking.
     *
     * @throws IOException if the Logon is not answered with a Logon within 10 seconds.
     */
    void logOn(final LoadMessages messages, final FixFrameCodec framing, final FixMessage in) throws IOException
    {
        channel.configureBlocking(false);
        logon(messages, System.currentTimeMillis());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            flush();
            if (channel.read(receive) < 0 || System.nanoTime() > deadline)
            {
                throw new IOException(name + ": no Logon came back");
            }
            receive.flip();
            final int length = framing.frameLength(receiveView, 0, receive.remaining());
            if (length > 0)
            {
                in.wrap(receiveView, 0, length);
                if (in.msgType() != 'A')
                {
                    throw new IOException(name + ": the Logon was answered with " + text(0, length));
                }
                expectedIn = in.getLong(34, 0) + 1;
                receive.position(length);
                receive.compact(); // anything after the Logon is read with the rest
                return;
            }
            if (length != FrameCodec.NEED_MORE)
            {
                throw new IOException(name + ": a garbled answer to the Logon: " + text(0, receive.remaining()));
            }
            receive.position(receive.limit()).limit(receive.capacity()); // read on
            LockSupport.parkNanos(100_000); // the server is logging the session on
        }
    }

    /** @return received bytes as text, SOH shown as '|' (for errors only). */
    String text(final int at, final int length)
    {
        final byte[] bytes = new byte[Math.max(0, length)];
        receiveView.getBytes(at, bytes);
        return new String(bytes, StandardCharsets.US_ASCII).replace('\u0001', '|');
    }

    /** Closes the socket. */
    void close() throws IOException
    {
        channel.close();
    }
}
