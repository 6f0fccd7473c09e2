package dev.sluice.tests;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A byte-level MQTT 3.1.1 client for tests that need packets no real client would send, or a client that stops
 * reading: it writes whatever it is given and reads packets back whole.
 */
final class RawMqttClient implements AutoCloseable
{
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    /**
     * @param address       the broker.
     * @param receiveBuffer the socket's receive buffer in bytes (0: the system's default).
     */
    RawMqttClient(final InetSocketAddress address, final int receiveBuffer) throws IOException
    {
        socket = new Socket();
        if (receiveBuffer > 0)
        {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(address, 5_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    }

    RawMqttClient(final InetSocketAddress address) throws IOException
    {
        this(address, 0);
    }

    /** Writes raw bytes. */
    void write(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /** Sends CONNECT (clean session, no will) and checks the CONNACK accepts it. */
    RawMqttClient connect(final String clientId, final int keepAliveSeconds) throws IOException
    {
        write(connectPacket(clientId, keepAliveSeconds, "MQTT", 4));
        final byte[] connack = readPacket();
        if (connack[0] != 0x20 || connack[3] != 0)
        {
            throw new IOException("not accepted: CONNACK return code " + connack[3]);
        }
        return this;
    }

    /** Subscribes to one filter at QoS 0 and waits for the SUBACK. */
    RawMqttClient subscribe(final String filter) throws IOException
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(1);
        string(body, filter);
        body.write(0);
        write(packet(0x82, body.toByteArray()));
        final byte[] suback = readPacket();
        if ((suback[0] & 0xFF) != 0x90)
        {
            throw new IOException("expected SUBACK, got type " + ((suback[0] & 0xFF) >> 4));
        }
        return this;
    }

    /** @return a CONNECT with clean session and no will. */
    static byte[] connectPacket(final String clientId, final int keepAliveSeconds, final String protocol,
        final int level)
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, protocol);
        body.write(level);
        body.write(0x02);
        body.write(keepAliveSeconds >> 8);
        body.write(keepAliveSeconds);
        string(body, clientId);
        return packet(0x10, body.toByteArray());
    }

    /** @return a PUBLISH (QoS from the flags; a packet id of 1 is added for QoS above 0). */
    static byte[] publishPacket(final int flags, final String topic, final byte[] payload)
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        if (((flags >> 1) & 3) > 0)
        {
            body.write(0);
            body.write(1);
        }
        body.write(payload, 0, payload.length);
        return packet(0x30 | flags, body.toByteArray());
    }

    /** @return a packet of the given first byte and body, with its Remaining Length. */
    static byte[] packet(final int firstByte, final byte[] body)
    {
        final ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(firstByte);
        int length = body.length;
        do
        {
            int b = length & 0x7F;
            length >>>= 7;
            packet.write(length > 0 ? b | 0x80 : b);
        }
        while (length > 0);
        packet.write(body, 0, body.length);
        return packet.toByteArray();
    }

    private static void string(final ByteArrayOutputStream out, final String s)
    {
        final byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    /** @return where a packet's variable header starts (past the type byte and the Remaining Length). */
    static int bodyOffset(final byte[] packet)
    {
        int at = 1;
        while ((packet[at] & 0x80) != 0)
        {
            at++;
        }
        return at + 1;
    }

    /** @return the next whole packet, fixed header included. */
    byte[] readPacket() throws IOException
    {
        final ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(in.readUnsignedByte());
        int length = 0;
        int shift = 0;
        int b;
        do
        {
            b = in.readUnsignedByte();
            packet.write(b);
            length |= (b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        final byte[] body = new byte[length];
        in.readFully(body);
        packet.write(body, 0, body.length);
        return packet.toByteArray();
    }

    /**
     * Reads until the broker closes the connection, skipping whatever packets come first.
     *
     * @return true if the connection ended (end of stream or reset) within the socket timeout.
     */
    boolean closedByBroker()
    {
        try
        {
            final InputStream raw = socket.getInputStream();
            final byte[] chunk = new byte[4096];
            while (raw.read(chunk) >= 0)
            {
                // packets the broker sent before closing (a CONNACK refusing the client, say)
            }
            return true;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final EOFException ex)
        {
            return true;
        }
        catch (final IOException ex)
        {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
