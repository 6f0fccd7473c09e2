package dev.sluice.examples.mqtt;

/**
 * Why the broker ended a client's connection, in MQTT's terms; each is counted ({@link MqttBroker#closes}). The
 * engine's own {@code CloseReason} says how the socket ended; this says what the client did.
 */
public enum MqttCloseReason
{
    /** The client sent DISCONNECT: a clean end, its last will is discarded. */
    DISCONNECTED("client disconnected"),
    /** The connection ended without a DISCONNECT (the peer closed, an I/O error): the last will is published. */
    CONNECTION_LOST("connection lost"),
    /** The client sent nothing for 1.5 times its keep-alive. */
    KEEP_ALIVE_EXPIRED("keep-alive expired"),
    /** No CONNECT within 10 s of the connection opening. */
    NO_CONNECT("no CONNECT in time"),
    /** A Remaining Length longer than four bytes, or a packet larger than the broker takes. */
    BAD_REMAINING_LENGTH("bad remaining length"),
    /** The CONNECT's protocol name was neither MQTT nor MQIsdp. */
    BAD_PROTOCOL_NAME("bad protocol name"),
    /** The CONNECT asked for a protocol level other than 4 (MQTT 3.1.1); CONNACK said so first. */
    BAD_PROTOCOL_LEVEL("unacceptable protocol level"),
    /** A zero-length client id with clean session off; CONNACK said so first. */
    IDENTIFIER_REJECTED("identifier rejected"),
    /** A packet other than CONNECT came first. */
    PACKET_BEFORE_CONNECT("packet before CONNECT"),
    /** A second CONNECT on one connection. */
    SECOND_CONNECT("second CONNECT"),
    /** Fixed-header flags that the packet type reserves were set (or a QoS of 3, or DUP on QoS 0). */
    RESERVED_FLAGS("reserved flags set"),
    /** A PUBLISH topic that is empty, holds a NUL or a wildcard, or is not UTF-8 the protocol allows. */
    BAD_TOPIC("bad topic"),
    /** A packet whose fields do not add up to its Remaining Length, or that the client may not send. */
    MALFORMED_PACKET("malformed packet"),
    /** Another connection came with the same client id: the older one is disconnected. */
    TAKEN_OVER("session taken over"),
    /** The client stopped reading and what waited for it passed the send cap. */
    SLOW_SUBSCRIBER("slow subscriber"),
    /** The broker is shutting down: last wills are not published. */
    BROKER_SHUTDOWN("broker shutdown"),
    /** The broker failed while handling the client's packet (logged by the engine): a bug, counted apart. */
    BROKER_ERROR("broker error");

    private final String text;

    MqttCloseReason(final String text)
    {
        this.text = text;
    }

    /** @return the reason in words. */
    public String text()
    {
        return text;
    }
}
