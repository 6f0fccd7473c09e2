package dev.sluice.tests;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.sluice.examples.mqtt.MqttBroker;
import dev.sluice.examples.mqtt.MqttCloseReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that break the protocol, fall silent or never finish connecting are closed alone, each with its own reason
 * counted, while a well-behaved subscriber beside them keeps receiving. (A subscriber that stops reading is in
 * {@code MqttBrokerPahoTest}, beside Paho subscribers.)
 */
class MqttBrokerMisbehavingClientsTest
{
    private static final byte[] CONNECT = RawMqttClient.connectPacket("bad", 30, "MQTT", 4);

    private MqttBroker broker;

    @BeforeEach
    void start() throws Exception
    {
        broker = new MqttBroker(new InetSocketAddress("127.0.0.1", 0), 2, 64, MqttBroker.DEFAULT_MAX_PACKET, 16);
    }

    @AfterEach
    void stop()
    {
        broker.close();
    }

    static Stream<Arguments> violations()
    {
        return Stream.of(
            Arguments.of("a Remaining Length of five bytes", new byte[][] {{0x10, -1, -1, -1, -1, 0x01}},
                MqttCloseReason.BAD_REMAINING_LENGTH),
            Arguments.of("a packet larger than the broker takes", new byte[][] {CONNECT,
                {0x30, (byte)0xA0, (byte)0x8D, 0x06}}, MqttCloseReason.BAD_REMAINING_LENGTH),
            Arguments.of("a protocol name that is not MQTT", new byte[][] {RawMqttClient.connectPacket("bad", 30,
                "MQTX", 4)}, MqttCloseReason.BAD_PROTOCOL_NAME),
            Arguments.of("PUBLISH before CONNECT", new byte[][] {RawMqttClient.publishPacket(0, "ok/x", new byte[1])},
                MqttCloseReason.PACKET_BEFORE_CONNECT),
            Arguments.of("a topic with a NUL", new byte[][] {CONNECT, RawMqttClient.publishPacket(0, "ok/a\u0000b",
                new byte[1])}, MqttCloseReason.BAD_TOPIC),
            Arguments.of("a wildcard in a PUBLISH topic", new byte[][] {CONNECT, RawMqttClient.publishPacket(0,
                "ok/+", new byte[1])}, MqttCloseReason.BAD_TOPIC),
            Arguments.of("a topic that is not UTF-8", new byte[][] {CONNECT, RawMqttClient.packet(0x30,
                new byte[] {0, 2, 'o', (byte)0xC0, 'x'})}, MqttCloseReason.BAD_TOPIC),
            Arguments.of("SUBSCRIBE with its reserved flags clear", new byte[][] {CONNECT, RawMqttClient.packet(0x80,
                new byte[] {0, 1, 0, 1, 'a', 0})}, MqttCloseReason.RESERVED_FLAGS),
            Arguments.of("PINGREQ with a flag set", new byte[][] {CONNECT, {(byte)0xC1, 0}},
                MqttCloseReason.RESERVED_FLAGS),
            Arguments.of("a PUBLISH of QoS 3", new byte[][] {CONNECT, RawMqttClient.publishPacket(0x06, "ok/x",
                new byte[1])}, MqttCloseReason.RESERVED_FLAGS),
            Arguments.of("DUP on a QoS 0 PUBLISH", new byte[][] {CONNECT, RawMqttClient.publishPacket(0x08, "ok/x",
                new byte[1])}, MqttCloseReason.RESERVED_FLAGS),
            Arguments.of("a second CONNECT", new byte[][] {CONNECT, CONNECT}, MqttCloseReason.SECOND_CONNECT),
            Arguments.of("a SUBSCRIBE filter running past the packet", new byte[][] {CONNECT,
                RawMqttClient.packet(0x82, new byte[] {0, 1, 0, 9, 'a', 0})}, MqttCloseReason.MALFORMED_PACKET),
            Arguments.of("a SUBSCRIBE without filters", new byte[][] {CONNECT, RawMqttClient.packet(0x82,
                new byte[] {0, 1})}, MqttCloseReason.MALFORMED_PACKET),
            Arguments.of("a requested QoS of 3", new byte[][] {CONNECT, RawMqttClient.packet(0x82,
                new byte[] {0, 1, 0, 1, 'a', 3})}, MqttCloseReason.MALFORMED_PACKET),
            Arguments.of("a server packet from a client", new byte[][] {CONNECT, {(byte)0x90, 3, 0, 1, 0}},
                MqttCloseReason.MALFORMED_PACKET),
            Arguments.of("a CONNECT with the reserved flag", new byte[][] {connectWithFlags(0x03)},
                MqttCloseReason.RESERVED_FLAGS),
            Arguments.of("a password without a user name", new byte[][] {connectWithFlags(0x42)},
                MqttCloseReason.MALFORMED_PACKET));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void aClientBreakingTheProtocolIsClosedAloneWithItsReason(final String what, final byte[][] packets,
        final MqttCloseReason reason) throws Exception
    {
        try (RawMqttClient good = new RawMqttClient(broker.address()).connect("good", 30).subscribe("ok/#");
            RawMqttClient publisher = new RawMqttClient(broker.address()).connect("publisher", 30);
            RawMqttClient bad = new RawMqttClient(broker.address()))
        {
            for (final byte[] packet : packets)
            {
                bad.write(packet);
            }
            assertTrue(bad.closedByBroker(), what + ": the client was closed");
            awaitCount(reason);
            final byte[] after = RawMqttClient.publishPacket(0, "ok/after", "still here".getBytes(
                StandardCharsets.UTF_8));
            publisher.write(after);
            assertArrayEquals(after, good.readPacket(), "the good subscriber still receives");
            for (final MqttCloseReason other : MqttCloseReason.values())
            {
                if (other != reason)
                {
                    assertEquals(0, broker.closes(other), "nobody else closed: " + other.text());
                }
            }
        }
    }

    @Test
    void anUnsupportedProtocolLevelIsAnsweredBeforeTheClose() throws Exception
    {
        try (RawMqttClient old = new RawMqttClient(broker.address()))
        {
            old.write(RawMqttClient.connectPacket("old", 30, "MQIsdp", 3));
            assertArrayEquals(new byte[] {0x20, 2, 0, 1}, old.readPacket(), "CONNACK: unacceptable protocol version");
            assertTrue(old.closedByBroker());
            awaitCount(MqttCloseReason.BAD_PROTOCOL_LEVEL);
        }
    }

    @Test
    void anEmptyClientIdIsRefusedForAPersistentSession() throws Exception
    {
        try (RawMqttClient anonymous = new RawMqttClient(broker.address()))
        {
            anonymous.write(connectWithFlags(0x00));
            assertArrayEquals(new byte[] {0x20, 2, 0, 2}, anonymous.readPacket(), "CONNACK: identifier rejected");
            assertTrue(anonymous.closedByBroker());
            awaitCount(MqttCloseReason.IDENTIFIER_REJECTED);
        }
    }

    @Test
    void aClientSilentForOneAndAHalfKeepAlivesIsClosed() throws Exception
    {
        try (RawMqttClient silent = new RawMqttClient(broker.address()).connect("silent", 1);
            RawMqttClient chatty = new RawMqttClient(broker.address()).connect("chatty", 1))
        {
            final long connected = System.nanoTime();
            final AtomicLong closedAfter = new AtomicLong(-1);
            final Thread watcher = new Thread(() ->
            {
                if (silent.closedByBroker())
                {
                    closedAfter.set(System.nanoTime() - connected);
                }
            });
            watcher.start();
            for (int i = 0; i < 5; i++)
            {
                Thread.sleep(500);
                chatty.write(new byte[] {(byte)0xC0, 0});
                assertArrayEquals(new byte[] {(byte)0xD0, 0}, chatty.readPacket(), "PINGRESP");
            }
            watcher.join(10_000);
            final long millis = TimeUnit.NANOSECONDS.toMillis(closedAfter.get());
            // 1.5 s after the CONNECT, give or take a timer tick and a busy machine; never the broker's 10 s
            assertTrue(millis >= 1_400 && millis < 5_000, "closed after " + millis + " ms");
            awaitCount(MqttCloseReason.KEEP_ALIVE_EXPIRED);
            chatty.write(new byte[] {(byte)0xC0, 0});
            assertArrayEquals(new byte[] {(byte)0xD0, 0}, chatty.readPacket(), "the pinging client stays");
        }
    }

    @Test
    void aClientThatTricklesBytesWithoutEverCompletingConnectIsClosed() throws Exception
    {
        try (RawMqttClient trickling = new RawMqttClient(broker.address()))
        {
            trickling.write(new byte[] {0x10});
            Thread.sleep(4_000);
            trickling.write(new byte[] {0x7F}); // a Remaining Length of 127: the CONNECT never comes whole
            assertTrue(trickling.closedByBroker(), "closed 10 s after it connected, bytes or not");
            awaitCount(MqttCloseReason.NO_CONNECT);
        }
    }

    private static byte[] connectWithFlags(final int flags)
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, (byte)flags, 0, 30, 0, 0});
        if ((flags & 0x40) != 0)
        {
            body.writeBytes(new byte[] {0, 1, 'p'});
        }
        return RawMqttClient.packet(0x10, body.toByteArray());
    }

    private void awaitCount(final MqttCloseReason reason) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (broker.closes(reason) == 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertEquals(1, broker.closes(reason), reason.text());
    }
}
