/**
 * An MQTT 3.1.1 broker on the engine ({@link dev.sluice.examples.mqtt.MqttBroker}), built as an application would
 * build it: the Remaining Length framing is a {@code FrameCodec} ({@link dev.sluice.examples.mqtt.MqttFrameCodec}),
 * subscriptions are a tree of topic-filter levels whose nodes own engine push groups, and a PUBLISH is pushed once
 * per matching filter, at low priority, to every subscriber of it. Tested with the Eclipse Paho client; run it with
 * {@link dev.sluice.examples.mqtt.MqttBrokerMain}.
 */
package dev.sluice.examples.mqtt;
