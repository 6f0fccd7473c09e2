package dev.sluice.tests;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import dev.sluice.examples.mqtt.MqttBroker;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A publisher faster than the loop can hand its packets on: with push groups sized for 64-byte packets, one read of a
 * burst of PUBLISHes fills a group's queue, the publisher is told "not now" and its packets are taken again later.
 * Nothing is lost, nothing is duplicated, and a topic matching two filters reaches each filter's subscriber once per
 * packet, in order, although the retry finds one of the groups already served: the wildcard's queue also carries a
 * second topic, so it fills first, after the exact filter's group has taken the packet.
 */
class MqttPublisherBackPressureTest
{
    private static final int MESSAGES = 400;

    /** @return a QoS 0 PUBLISH's topic (3 bytes here) and payload. */
    private static String text(final byte[] packet)
    {
        final int topicAt = RawMqttClient.bodyOffset(packet) + 2;
        return new String(packet, topicAt, 3, StandardCharsets.US_ASCII) + " " +
            new String(packet, topicAt + 3, packet.length - topicAt - 3, StandardCharsets.US_ASCII);
    }

    @Test
    void aFullGroupQueuePausesThePublisherAndEveryPacketArrivesOnceInOrder() throws Exception
    {
        try (MqttBroker broker = new MqttBroker(new InetSocketAddress("127.0.0.1", 0), 1, 16, 64, 8);
            RawMqttClient exact = new RawMqttClient(broker.address()).connect("exact", 0).subscribe("a/b");
            RawMqttClient wildcard = new RawMqttClient(broker.address()).connect("wildcard", 0).subscribe("a/+");
            RawMqttClient publisher = new RawMqttClient(broker.address()).connect("publisher", 0))
        {
            final ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < MESSAGES; i++)
            {
                final byte[] number = String.format("%08d", i).getBytes(StandardCharsets.US_ASCII);
                burst.writeBytes(RawMqttClient.publishPacket(0, "a/b", number));
                burst.writeBytes(RawMqttClient.publishPacket(0, "a/c", number)); // for the wildcard only
            }
            publisher.write(burst.toByteArray()); // about 12 KB: far more than a 1 KiB group queue holds
            for (int i = 0; i < MESSAGES; i++)
            {
                assertEquals("a/b " + String.format("%08d", i), text(exact.readPacket()), "once and in order");
                assertEquals("a/b " + String.format("%08d", i), text(wildcard.readPacket()), "once and in order");
                assertEquals("a/c " + String.format("%08d", i), text(wildcard.readPacket()), "once and in order");
            }
            assertTrue(broker.publishesPaused() > 0, "the publisher was told \"not now\"");
            assertEquals(2L * MESSAGES, broker.publishes(), "each PUBLISH counted once, however often it was tried");
            assertEquals(3L * MESSAGES, broker.fanOuts(), "one push per matching filter per PUBLISH");
            publisher.write(new byte[] {(byte)0xC0, 0});
            exact.write(new byte[] {(byte)0xC0, 0});
            assertEquals(0xD0, exact.readPacket()[0] & 0xFF, "nothing more was waiting for the exact subscriber");
        }
    }
}
