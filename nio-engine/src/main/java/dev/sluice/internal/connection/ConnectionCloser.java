package dev.sluice.internal.connection;

import dev.sluice.connection.CloseReason;

/**
 * Closes a connection once, with its reason: how a rule that finds a connection broken (a slow consumer, a malformed
 * frame, a budget exceeded) ends it without knowing what closing involves, and how the application's {@code close()}
 * first delivers what it sent. The loop implements it.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
public interface ConnectionCloser
{
    /**
     * Starts a close that first delivers what is in the connection's send buffer: from here on the connection is not
     * open (nothing is read, sent or pushed any more), and it closes with {@code reason} once its bytes are written,
     * at once if there are none. The no-progress rule still applies: a peer that takes nothing for its timeout is
     * dropped as a slow consumer.
     *
     * @param connection an open connection; anything else is closed at once.
     * @param reason     the close's reason ({@code CLOSED_LOCALLY}, or {@code ENGINE_SHUTDOWN} for a drain).
     */
    void closeAfterFlush(LoopConnection connection, CloseReason reason);

    /**
     * Closes the connection if it is not closed yet.
     *
     * @param connection the connection.
     * @param reason     why.
     */
    void close(LoopConnection connection, CloseReason reason);
}
