package dev.sluice.examples.mqtt;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the MQTT broker until the process is stopped (Ctrl-C):
 * <pre>
 * mvn -B -Pmqtt-broker -DskipTests verify                              (port 1883 on 127.0.0.1, one loop)
 * mvn -B -Pmqtt-broker -DskipTests verify -Dmqtt.port=11883 -Dmqtt.loops=2 -Dmqtt.host=0.0.0.0
 * </pre>
 * Any MQTT 3.1.1 client can then connect, {@code mosquitto_sub -p 1883 -t 'prices/#'} for one. On the way out it
 * prints why its clients' connections ended.
 */
public final class MqttBrokerMain
{
    private MqttBrokerMain()
    {
    }

    /**
     * @param args host, port and loops (defaults 127.0.0.1, 1883, 1).
     * @throws Exception if the broker cannot start.
     */
    public static void main(final String[] args) throws Exception
    {
        final String host = args.length > 0 ? args[0] : "127.0.0.1";
        final int port = args.length > 1 ? Integer.parseInt(args[1]) : 1883;
        final int loops = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        final MqttBroker broker = new MqttBroker(new InetSocketAddress(host, port), loops, 4096,
            MqttBroker.DEFAULT_MAX_PACKET, 256);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            broker.close(); // first: the clients it disconnects are counted too
            for (final MqttCloseReason reason : MqttCloseReason.values())
            {
                if (broker.closes(reason) > 0)
                {
                    System.out.println(reason.text() + ": " + broker.closes(reason));
                }
            }
            System.out.println("publishes: " + broker.publishes() + ", fan-outs: " + broker.fanOuts() +
                ", wills: " + broker.willsPublished());
        }, "mqtt-broker-stop"));
        System.out.println("MQTT broker listening on " + broker.address() + " (Ctrl-C stops it)");
        new CountDownLatch(1).await();
    }
}
