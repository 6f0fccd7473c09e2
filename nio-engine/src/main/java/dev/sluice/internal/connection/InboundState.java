package dev.sluice.internal.connection;

/**
 * What the inbound unit (budgets, read pauses, assembly, "not now", the idle timeout) knows about a connection that
 * the connection's own methods report or set. The inbound unit owns that state and implements this; the connection
 * asks.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
public interface InboundState
{
    /**
     * @param connection a connection of the loop.
     * @return bytes of messages being assembled for it.
     */
    int assemblingBytes(LoopConnection connection);

    /**
     * @param connection a connection of the loop.
     * @return true while its reading is paused ("not now" or a budget's soft limit).
     */
    boolean isReadPaused(LoopConnection connection);

    /**
     * The application said "not now" on this connection; it counts only during that connection's {@code onFrame}.
     *
     * @param connection the connection.
     */
    void notNow(LoopConnection connection);

    /**
     * The application set the connection's idle timeout, for it alone; it counts from the peer's last bytes.
     *
     * @param connection an open connection.
     * @param timeoutNs  the timeout in nanoseconds, 0 for none.
     */
    void idleTimeout(LoopConnection connection, long timeoutNs);

    /**
     * A callback of the application threw: reported, and the connection closed as a handler error.
     *
     * @param connection the connection the callback was for.
     * @param ex         what it threw.
     */
    void handlerFailed(LoopConnection connection, RuntimeException ex);
}
