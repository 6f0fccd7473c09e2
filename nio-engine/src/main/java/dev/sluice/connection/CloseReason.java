package dev.sluice.connection;

/**
 * Why a connection closed. Every close carries exactly one reason, handed to
 * {@link ConnectionHandler#onClose(Connection, CloseReason)} and counted per loop.
 */
public enum CloseReason
{
    /** The peer closed its side (read returned end of stream). */
    PEER_CLOSED("peer closed"),
    /** Bytes waiting for the peer passed the send cap, or made no progress for the no-progress timeout. */
    SLOW_CONSUMER("slow consumer"),
    /** The peer sent bytes the codec can never decode (e.g. a negative or oversized length prefix). */
    MALFORMED_FRAME("malformed frame"),
    /** An inbound memory budget was exceeded. */
    BUDGET_EXCEEDED("budget exceeded"),
    /** The peer sent nothing for the idle timeout. */
    IDLE_TIMEOUT("idle timeout"),
    /** A read or write failed (e.g. connection reset). */
    IO_ERROR("I/O error"),
    /** The application closed it. */
    CLOSED_LOCALLY("closed locally"),
    /** A handler callback threw; the exception is logged. */
    HANDLER_ERROR("handler error"),
    /** The engine is shutting down. */
    ENGINE_SHUTDOWN("engine shutdown"),
    /** An outbound connection could not be established. */
    CONNECT_FAILED("connect failed");

    private final String text;

    CloseReason(final String text)
    {
        this.text = text;
    }

    /** @return the reason in words, as logged and shown by the counters. */
    public String text()
    {
        return text;
    }
}
