package dev.sluice.gate;

import org.agrona.MutableDirectBuffer;

/**
 * Writes the batch-end terminator frame that follows a response ending a request. Called on the loop thread; must
 * not allocate. A failure (negative result or an exception) is logged and that terminator skipped; the connection
 * and everything else go on.
 */
@FunctionalInterface
public interface BatchEndEncoder
{
    /** The default terminator: an 8-byte payload, the big-endian wire sequence of the response it follows. */
    BatchEndEncoder SEQUENCE = (buffer, offset, connectionId, sequence) ->
    {
        buffer.putLong(offset, sequence, java.nio.ByteOrder.BIG_ENDIAN);
        return 8;
    };

    /**
     * Encodes the terminator payload (the codec adds the frame header).
     *
     * @param buffer       where to write.
     * @param offset       where the payload starts.
     * @param connectionId the connection.
     * @param sequence     wire sequence of the response that ended the request.
     * @return payload bytes written (at most {@link GateConfig#batchEndMaxLength()}), or negative on failure.
     */
    int encode(MutableDirectBuffer buffer, int offset, long connectionId, long sequence);
}
