package dev.sluice.tests;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.sluice.examples.mqtt.MqttBroker;
import dev.sluice.examples.mqtt.MqttCloseReason;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MQTT broker with the Eclipse Paho client, a client nobody here wrote: connecting, wildcards, retained messages,
 * last wills, keep-alive pings, QoS 1 and 2 publishes, persistent sessions, a client id taken over, and Paho
 * subscribers that get every message in order while a subscriber that stopped reading is dropped. The broker runs
 * two loops, so clients meet across loops.
 */
class MqttBrokerPahoTest
{
    private MqttBroker broker;
    private final List<MqttClient> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception
    {
        broker = new MqttBroker(new InetSocketAddress("127.0.0.1", 0), 2, 256, MqttBroker.DEFAULT_MAX_PACKET, 64);
    }

    @AfterEach
    void stop() throws Exception
    {
        for (final MqttClient client : clients)
        {
            try
            {
                if (client.isConnected())
                {
                    client.disconnectForcibly(100, 100);
                }
                client.close(true);
            }
            catch (final MqttException ignored)
            {
                // already gone
            }
        }
        broker.close();
    }

    @Test
    void subscribersGetWhatTheirFiltersMatchWildcardsIncluded() throws Exception
    {
        final BlockingQueue<String> prices = new LinkedBlockingQueue<>();
        final BlockingQueue<String> news = new LinkedBlockingQueue<>();
        final MqttClient a = client("a", options(true));
        a.subscribe("prices/+/bid", (topic, message) -> prices.add(topic + "=" + text(message)));
        final MqttClient b = client("b", options(true));
        b.subscribe("news/#", (topic, message) -> news.add(topic + "=" + text(message)));
        final MqttClient publisher = client("publisher", options(true));
        publish(publisher, "prices/ACME/bid", "10.5", 0, false);
        publish(publisher, "prices/ACME/ask", "10.6", 0, false);
        publish(publisher, "prices/ACME/bid/depth", "3", 0, false);
        publish(publisher, "news", "all", 0, false);
        publish(publisher, "news/acme/earnings", "up", 0, false);
        publish(publisher, "prices/BETA/bid", "7", 0, false);
        assertEquals("prices/ACME/bid=10.5", prices.poll(5, TimeUnit.SECONDS));
        assertEquals("prices/BETA/bid=7", prices.poll(5, TimeUnit.SECONDS));
        assertEquals("news=all", news.poll(5, TimeUnit.SECONDS), "news/# matches its parent level too");
        assertEquals("news/acme/earnings=up", news.poll(5, TimeUnit.SECONDS));
        assertNull(prices.poll(200, TimeUnit.MILLISECONDS), "nothing else matched prices/+/bid");
        assertNull(news.poll(10, TimeUnit.MILLISECONDS));
        b.unsubscribe("news/#");
        publish(publisher, "news", "after", 0, false);
        publish(publisher, "prices/C/bid", "1", 0, false);
        assertEquals("prices/C/bid=1", prices.poll(5, TimeUnit.SECONDS));
        assertNull(news.poll(200, TimeUnit.MILLISECONDS), "an unsubscribed filter gets nothing");
        assertEquals(1, broker.filters(), "the unsubscribed filter was given back");
    }

    @Test
    void retainedMessagesReachLaterSubscribersUntilClearedByAnEmptyOne() throws Exception
    {
        final MqttClient publisher = client("publisher", options(true));
        publish(publisher, "status/gateway", "up", 1, true);
        publish(publisher, "status/feed", "down", 1, true);
        final BlockingQueue<String> got = new LinkedBlockingQueue<>();
        final MqttClient late = client("late", options(true));
        late.subscribe("status/+", (topic, message) ->
            got.add(topic + "=" + text(message) + ":" + message.isRetained()));
        final String first = got.poll(5, TimeUnit.SECONDS);
        final String second = got.poll(5, TimeUnit.SECONDS);
        assertTrue(List.of("status/gateway=up:true", "status/feed=down:true").containsAll(List.of(first, second)),
            first + ", " + second);
        publish(publisher, "status/gateway", "live", 0, false);
        assertEquals("status/gateway=live:false", got.poll(5, TimeUnit.SECONDS),
            "a retained topic's new message reaches subscribers as it is, not as retained");
        publish(publisher, "status/feed", "", 1, true);
        assertEquals("status/feed=:false", got.poll(5, TimeUnit.SECONDS));
        assertEquals(1, broker.retainedTopics(), "the empty retained message cleared its topic");
        final BlockingQueue<String> later = new LinkedBlockingQueue<>();
        client("later", options(true)).subscribe("status/#", (topic, message) -> later.add(topic));
        assertEquals("status/gateway", later.poll(5, TimeUnit.SECONDS));
        assertNull(later.poll(300, TimeUnit.MILLISECONDS), "the cleared topic is not retained any more");
    }

    @Test
    void retainedMessagesPastTheSendCapReachANewSubscriberWithoutDroppingIt() throws Exception
    {
        final int topics = 1_500; // about 170 KB of retained messages: more than the 64 KiB send cap
        try (RawMqttClient publisher = new RawMqttClient(broker.address()).connect("bulk", 0))
        {
            for (int i = 0; i < topics; i++)
            {
                publisher.write(RawMqttClient.publishPacket(0x01, "bulk/" + i, new byte[100]));
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (broker.retainedTopics() < topics && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(topics, broker.retainedTopics());
        final BlockingQueue<String> got = new LinkedBlockingQueue<>();
        final MqttClient subscriber = client("everything", options(true));
        subscriber.subscribe("bulk/#", (topic, message) -> got.add(topic));
        for (int i = 0; i < topics; i++)
        {
            assertNotNull(got.poll(10, TimeUnit.SECONDS), "retained message " + i + " of " + topics);
        }
        assertTrue(subscriber.isConnected());
        assertEquals(0, broker.closes(MqttCloseReason.SLOW_SUBSCRIBER));
    }

    @Test
    void aLastWillIsPublishedWhenItsClientVanishesAndNotWhenItDisconnects() throws Exception
    {
        final BlockingQueue<String> wills = new LinkedBlockingQueue<>();
        client("watcher", options(true)).subscribe("clients/+/state", (topic, message) ->
            wills.add(topic + "=" + text(message)));
        final MqttConnectOptions polite = options(true);
        polite.setWill("clients/polite/state", "gone".getBytes(StandardCharsets.UTF_8), 0, false);
        client("polite", polite).disconnect();
        final MqttConnectOptions abrupt = options(true);
        abrupt.setWill("clients/abrupt/state", "lost".getBytes(StandardCharsets.UTF_8), 1, true);
        final MqttClient vanishing = client("abrupt", abrupt);
        vanishing.disconnectForcibly(0, 100, false); // the socket closes without DISCONNECT
        assertEquals("clients/abrupt/state=lost", wills.poll(5, TimeUnit.SECONDS));
        assertNull(wills.poll(300, TimeUnit.MILLISECONDS), "a client that sent DISCONNECT leaves no will");
        awaitCount(MqttCloseReason.CONNECTION_LOST, 1);
        assertEquals(1, broker.closes(MqttCloseReason.DISCONNECTED));
        assertEquals(1, broker.retainedTopics(), "a retained will is kept for later subscribers");
        assertEquals(1, broker.willsPublished());
    }

    @Test
    void keepAlivePingsKeepAnIdleClientConnected() throws Exception
    {
        final MqttConnectOptions options = options(true);
        options.setKeepAliveInterval(2);
        final MqttClient idle = client("idle", options);
        Thread.sleep(5_000); // well past the 3 s the broker allows between packets
        assertTrue(idle.isConnected(), "PINGREQ every second answered, the connection kept");
        assertEquals(0, broker.closes(MqttCloseReason.KEEP_ALIVE_EXPIRED));
    }

    @Test
    void qos1AndQos2PublishesAreAcknowledgedAndDeliveredOnce() throws Exception
    {
        final BlockingQueue<String> got = new LinkedBlockingQueue<>();
        client("sub", options(true)).subscribe("orders/#", (topic, message) ->
            got.add(text(message) + ":qos" + message.getQos()));
        final MqttClient publisher = client("pub", options(true));
        publish(publisher, "orders/1", "one", 1, false); // returns once PUBACK came
        publish(publisher, "orders/2", "two", 2, false); // returns once PUBCOMP came
        assertEquals("one:qos0", got.poll(5, TimeUnit.SECONDS), "subscriptions are granted QoS 0");
        assertEquals("two:qos0", got.poll(5, TimeUnit.SECONDS));
        assertNull(got.poll(300, TimeUnit.MILLISECONDS));
        assertEquals(2, broker.publishes());
    }

    @Test
    void aPersistentSessionKeepsItsSubscriptionsAcrossAReconnect() throws Exception
    {
        final BlockingQueue<String> got = new LinkedBlockingQueue<>();
        final MqttConnectOptions persistent = options(false);
        final MqttClient first = client("keeper", persistent);
        first.subscribe("alerts/#");
        first.disconnect();
        final MqttClient again = new MqttClient(uri(), "keeper", new MemoryPersistence());
        clients.add(again);
        again.setCallback(new Collecting(got));
        final IMqttToken token = again.connectWithResult(persistent);
        assertTrue(token.getSessionPresent(), "CONNACK says the session was kept");
        publish(client("pub", options(true)), "alerts/fire", "now", 0, false);
        assertEquals("alerts/fire=now", got.poll(5, TimeUnit.SECONDS), "delivered without subscribing again");
        again.disconnect();
        final MqttClient clean = new MqttClient(uri(), "keeper", new MemoryPersistence());
        clients.add(clean);
        assertFalse(clean.connectWithResult(options(true)).getSessionPresent(), "a clean session starts afresh");
    }

    @Test
    void aSecondConnectionWithTheSameClientIdTakesOver() throws Exception
    {
        final CountDownLatch lost = new CountDownLatch(1);
        final MqttClient older = client("same", options(true));
        older.setCallback(new Collecting(new LinkedBlockingQueue<>())
        {
            @Override
            public void connectionLost(final Throwable cause)
            {
                lost.countDown();
            }
        });
        final MqttClient newer = client("same", options(true));
        assertTrue(lost.await(5, TimeUnit.SECONDS), "the older connection was disconnected");
        assertTrue(newer.isConnected());
        awaitCount(MqttCloseReason.TAKEN_OVER, 1);
    }

    @Test
    @SuppressWarnings("try") // the stalled client is there only to not read
    void aSubscriberThatStopsReadingIsDroppedWhileTheOthersGetEverythingInOrder() throws Exception
    {
        final long[] lastSeen = new long[2]; // guarded by itself: written by Paho's callback threads
        final List<String> errors = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 2; i++)
        {
            final int reader = i;
            client("reader" + i, options(true)).subscribe("feed", (topic, message) ->
            {
                final long n = Long.parseLong(new String(message.getPayload(), 0, 8, StandardCharsets.US_ASCII).trim());
                synchronized (lastSeen)
                {
                    if (n != lastSeen[reader] + 1)
                    {
                        errors.add("reader " + reader + " expected " + (lastSeen[reader] + 1) + ", got " + n);
                    }
                    lastSeen[reader] = n;
                }
            });
        }
        try (RawMqttClient stalled = new RawMqttClient(broker.address(), 4096).connect("stalled", 0)
                .subscribe("feed");
            RawMqttClient publisher = new RawMqttClient(broker.address()).connect("publisher", 0))
        {
            final byte[] filler = new byte[1000];
            int sent = 0;
            while (broker.closes(MqttCloseReason.SLOW_SUBSCRIBER) == 0 && sent < 200_000)
            {
                for (int i = 0; i < 16; i++)
                {
                    publisher.write(numbered(++sent, filler));
                }
                awaitReaders(lastSeen, sent); // the readers keep up; only the stalled client falls behind
            }
            assertEquals(1, broker.closes(MqttCloseReason.SLOW_SUBSCRIBER), "the stalled subscriber was dropped");
            for (int i = 0; i < 100; i++)
            {
                publisher.write(numbered(++sent, filler));
                awaitReaders(lastSeen, sent); // paced: bursts past a reader's send cap would drop it too
            }
            assertEquals(List.of(), errors);
            synchronized (lastSeen)
            {
                assertEquals(sent, lastSeen[0], "every message, in order");
                assertEquals(sent, lastSeen[1], "every message, in order");
            }
            assertEquals(1, broker.closes(MqttCloseReason.SLOW_SUBSCRIBER), "nobody else was dropped");
        }
    }

    private static void awaitReaders(final long[] lastSeen, final long atLeast) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            synchronized (lastSeen)
            {
                if (Math.min(lastSeen[0], lastSeen[1]) >= atLeast)
                {
                    return;
                }
            }
            Thread.sleep(1);
        }
    }

    private static byte[] numbered(final int n, final byte[] filler)
    {
        final byte[] payload = new byte[8 + filler.length];
        System.arraycopy(String.format("%8d", n).getBytes(StandardCharsets.US_ASCII), 0, payload, 0, 8);
        return RawMqttClient.publishPacket(0, "feed", payload);
    }

    private void awaitCount(final MqttCloseReason reason, final long count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (broker.closes(reason) < count && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(count, broker.closes(reason), reason.text());
    }

    private MqttClient client(final String id, final MqttConnectOptions options) throws MqttException
    {
        final MqttClient client = new MqttClient(uri(), id, new MemoryPersistence());
        clients.add(client);
        client.connect(options);
        return client;
    }

    private String uri()
    {
        return "tcp://127.0.0.1:" + broker.address().getPort();
    }

    private static MqttConnectOptions options(final boolean cleanSession)
    {
        final MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(5);
        return options;
    }

    private static void publish(final MqttClient client, final String topic, final String text, final int qos,
        final boolean retained) throws MqttException
    {
        client.publish(topic, text.getBytes(StandardCharsets.UTF_8), qos, retained);
    }

    private static String text(final MqttMessage message)
    {
        return new String(message.getPayload(), StandardCharsets.UTF_8);
    }

    /** Collects topic=payload of every message. */
    private static class Collecting implements MqttCallback
    {
        private final BlockingQueue<String> into;

        Collecting(final BlockingQueue<String> into)
        {
            this.into = into;
        }

        @Override
        public void connectionLost(final Throwable cause)
        {
        }

        @Override
        public void messageArrived(final String topic, final MqttMessage message)
        {
            into.add(topic + "=" + text(message));
        }

        @Override
        public void deliveryComplete(final IMqttDeliveryToken token)
        {
        }
    }
}
