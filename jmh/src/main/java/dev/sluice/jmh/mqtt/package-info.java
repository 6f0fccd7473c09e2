/**
 * The MQTT broker example against mosquitto: a zero-garbage load client that speaks the wire protocol
 * ({@link dev.sluice.jmh.mqtt.MqttLoad}) and the comparison that runs both brokers under it
 * ({@link dev.sluice.jmh.mqtt.MqttCompare}, {@code jmh/mqtt-compare.sh}).
 */
package dev.sluice.jmh.mqtt;
