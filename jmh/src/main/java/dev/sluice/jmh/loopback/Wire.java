package dev.sluice.jmh.loopback;

/** The frames every benchmark here exchanges: a 4-byte big-endian length, then the payload. */
final class Wire
{
    /** Length prefix. */
    static final int HEADER = 4;
    /** Payload of every frame (the "64-byte frames"). */
    static final int PAYLOAD = 64;
    /** Bytes on the wire per frame. */
    static final int FRAME = HEADER + PAYLOAD;
    /** The payload's bytes, for servers that copy a template into each frame. */
    static final byte[] PAYLOAD_BYTES = new byte[PAYLOAD];
    /** Frames per batch where a benchmark batches (Netty tasks, pre-packed buffers). */
    static final int BATCH = 64;

    private Wire()
    {
    }
}
