package dev.sluice.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * A plain blocking client speaking the default framing (4-byte big-endian length, then payload), for tests and the
 * demonstration. It is deliberately independent of the engine, so it checks the engine from outside. Reads time out
 * so a broken test fails instead of hanging.
 */
public final class FrameClient implements AutoCloseable
{
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    private FrameClient(final Socket socket) throws IOException
    {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
    }

    /**
     * Connects with {@code TCP_NODELAY} and a 10 s read timeout.
     *
     * @param address server address.
     * @return the connected client.
     * @throws IOException if the connection fails.
     */
    public static FrameClient connect(final InetSocketAddress address) throws IOException
    {
        return connect(address, 0);
    }

    /**
     * Connects with {@code TCP_NODELAY}, a 10 s read timeout and, if positive, the given receive buffer size.
     *
     * @param address           server address.
     * @param receiveBufferSize {@code SO_RCVBUF}, or 0 for the default.
     * @return the connected client.
     * @throws IOException if the connection fails.
     */
    public static FrameClient connect(final InetSocketAddress address, final int receiveBufferSize)
        throws IOException
    {
        final Socket socket = new Socket();
        if (receiveBufferSize > 0)
        {
            socket.setReceiveBufferSize(receiveBufferSize);
        }
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        socket.connect(address, 10_000);
        return new FrameClient(socket);
    }

    /**
     * Buffers one frame; call {@link #flush()} to send.
     *
     * @param payload the payload.
     * @throws IOException on a socket error.
     */
    public void write(final byte[] payload) throws IOException
    {
        out.writeInt(payload.length);
        out.write(payload);
    }

    /**
     * Buffers raw bytes, framing or not (for malformed input).
     *
     * @param bytes the bytes.
     * @throws IOException on a socket error.
     */
    public void writeRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
    }

    /**
     * Sends what is buffered.
     *
     * @throws IOException on a socket error.
     */
    public void flush() throws IOException
    {
        out.flush();
    }

    /**
     * Writes and flushes one frame.
     *
     * @param payload the payload.
     * @throws IOException on a socket error.
     */
    public void send(final byte[] payload) throws IOException
    {
        write(payload);
        flush();
    }

    /**
     * Reads one whole frame.
     *
     * @return its payload.
     * @throws IOException on a socket error, end of stream, or after 10 s without data.
     */
    public byte[] read() throws IOException
    {
        final int length = in.readInt();
        if (length < 0)
        {
            throw new IOException("negative frame length " + length);
        }
        final byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    /**
     * Waits until the server closes the connection, discarding any frames still arriving.
     *
     * @return true if the stream ended or was reset; false if it stayed open for 10 s.
     * @throws IOException on an unexpected error.
     */
    public boolean awaitClosedByServer() throws IOException
    {
        try
        {
            final byte[] sink = new byte[8192];
            while (true)
            {
                if (in.read(sink) < 0)
                {
                    return true;
                }
            }
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final EOFException | SocketException ex)
        {
            return true;
        }
    }

    /**
     * Bytes that can be read without blocking.
     *
     * @return bytes available.
     * @throws IOException on a socket error.
     */
    public int available() throws IOException
    {
        return in.available();
    }

    /**
     * Changes the read timeout.
     *
     * @param millis timeout in milliseconds.
     * @throws IOException on a socket error.
     */
    public void readTimeout(final int millis) throws IOException
    {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
