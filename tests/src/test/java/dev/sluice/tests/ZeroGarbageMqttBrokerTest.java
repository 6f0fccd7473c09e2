package dev.sluice.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.examples.mqtt.MqttBroker;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MQTT broker allocates nothing per PUBLISH once subscriptions are set up: over a million deliveries to 150
 * subscribers (PUBLISH parsed in place, topics matched in the subscription tree, pushed to the filter's group, copied
 * into each subscriber's send buffer; QoS 1 retained publishes re-encoded, kept and acknowledged too), the loop thread
 * allocates 0 bytes. More than 128 connections are open, so the JDK selector's boxing of descriptors would show. The
 * clients are ours and allocate freely.
 */
class ZeroGarbageMqttBrokerTest
{
    private static final int SUBSCRIBERS = 150;

    @Test
    void theLoopAllocatesNothingPerPublish() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final List<SocketChannel> subscribers = new ArrayList<>();
        try (MqttBroker broker = new MqttBroker(new InetSocketAddress("127.0.0.1", 0), 1, 512,
            MqttBroker.DEFAULT_MAX_PACKET, 16);
            Selector selector = Selector.open();
            Socket publisher = new Socket(broker.address().getAddress(), broker.address().getPort()))
        {
            for (int i = 0; i < SUBSCRIBERS; i++)
            {
                subscribers.add(subscribe(broker.address(), "s" + i, selector));
            }
            publisher.setTcpNoDelay(true);
            final OutputStream out = publisher.getOutputStream();
            final InputStream in = publisher.getInputStream();
            out.write(RawMqttClient.connectPacket("publisher", 0, "MQTT", 4));
            out.flush();
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread drainer = new Thread(() -> drain(selector, in, stop, failure), "mqtt-test-drain");
            final Thread writer = new Thread(() -> publish(out, stop, failure), "mqtt-test-publish");
            drainer.start();
            writer.start();
            try
            {
                final long[] loop = {broker.engine().loopThread(0).getId()};
                QuietWarmUp.run(threads, loop, 4_000_000_000L, () -> Thread.sleep(100));
                final QuietWarmUp.Windows windows = QuietWarmUp.measureWhileRunning(threads, new long[][] {loop},
                    new String[] {"loop"}, broker.engine().counters(0).groupDeliveries::get, "deliveries");
                assertNull(failure.get());
                assertTrue(broker.retainedTopics() == 1, "the QoS 1 publishes were retained");
                assertTrue(windows.clean(), "no window of a million deliveries without allocation:" +
                    windows.report());
            }
            finally
            {
                stop.set(true);
                publisher.shutdownOutput();
                writer.join(10_000);
                drainer.join(10_000);
                for (final SocketChannel channel : subscribers)
                {
                    channel.close();
                }
            }
        }
    }

    private static SocketChannel subscribe(final InetSocketAddress broker, final String id, final Selector selector)
        throws IOException
    {
        final SocketChannel channel = SocketChannel.open(broker);
        channel.socket().setTcpNoDelay(true);
        final Socket socket = channel.socket();
        socket.getOutputStream().write(RawMqttClient.connectPacket(id, 0, "MQTT", 4));
        final byte[] subscribe = RawMqttClient.packet(0x82, new byte[] {0, 1, 0, 10, 'm', 'd', '/', '+', '/', 't',
            'r', 'a', 'd', 'e', 0});
        socket.getOutputStream().write(subscribe);
        final byte[] replies = new byte[4 + 5]; // CONNACK and SUBACK
        int read = 0;
        while (read < replies.length)
        {
            final int n = socket.getInputStream().read(replies, read, replies.length - read);
            assertTrue(n > 0, "CONNACK and SUBACK");
            read += n;
        }
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
        return channel;
    }

    /** QoS 0 publishes (forwarded as they came) and, one in eight, a QoS 1 retained one (re-encoded, kept, acked). */
    private static void publish(final OutputStream out, final AtomicBoolean stop,
        final AtomicReference<Throwable> failure)
    {
        final byte[] plain = RawMqttClient.publishPacket(0, "md/ACME/trade", new byte[64]);
        final byte[] retained = RawMqttClient.publishPacket(0x03, "md/BETA/trade", new byte[64]);
        final ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < 8; i++)
        {
            burst.writeBytes(i == 7 ? retained : plain);
        }
        final byte[] bytes = burst.toByteArray();
        try
        {
            while (!stop.get())
            {
                out.write(bytes);
            }
        }
        catch (final IOException ex)
        {
            if (!stop.get())
            {
                failure.set(ex);
            }
        }
    }

    private static void drain(final Selector selector, final InputStream acks, final AtomicBoolean stop,
        final AtomicReference<Throwable> failure)
    {
        final ByteBuffer chunk = ByteBuffer.allocateDirect(256 * 1024);
        final byte[] ackChunk = new byte[64 * 1024];
        try
        {
            while (!stop.get())
            {
                selector.select(key ->
                {
                    try
                    {
                        chunk.clear();
                        ((SocketChannel)key.channel()).read(chunk);
                    }
                    catch (final IOException ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                }, 1);
                while (acks.available() > 0 && acks.read(ackChunk) > 0)
                {
                    // PUBACKs: counted on the broker's side
                }
            }
        }
        catch (final IOException ex)
        {
            if (!stop.get())
            {
                failure.set(ex);
            }
        }
    }
}
