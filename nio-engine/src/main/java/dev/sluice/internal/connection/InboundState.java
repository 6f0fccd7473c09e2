package dev.sluice.internal.connection;

/**
 * What the inbound unit (budgets, read pauses, assembly, "not now") knows about a connection that the connection's
 * own methods report. The inbound unit owns that state and implements this; the connection asks.
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
     * A callback of the application threw: reported, and the connection closed as a handler error.
     *
     * @param connection the connection the callback was for.
     * @param ex         what it threw.
     */
    void handlerFailed(LoopConnection connection, RuntimeException ex);
}
