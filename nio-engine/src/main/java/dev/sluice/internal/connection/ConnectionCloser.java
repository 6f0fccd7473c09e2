package dev.sluice.internal.connection;

import dev.sluice.connection.CloseReason;

/**
 * Closes a connection once, with its reason: how a rule that finds a connection broken (a slow consumer, a malformed
 * frame, a budget exceeded) ends it without knowing what closing involves. The loop implements it.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
@FunctionalInterface
public interface ConnectionCloser
{
    /**
     * Closes the connection if it is not closed yet.
     *
     * @param connection the connection.
     * @param reason     why.
     */
    void close(LoopConnection connection, CloseReason reason);
}
