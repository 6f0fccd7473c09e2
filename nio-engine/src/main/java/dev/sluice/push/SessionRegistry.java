package dev.sluice.push;

/**
 * Session id to push handle, from any thread. An application registers a handle when a session logs on and looks it
 * up wherever it needs to push; an entry is removed when its connection closes. A handle that outlives its
 * connection (looked up just before the close) answers {@link PushResult#CLOSED}.
 * <p>
 * Registration and lookup are set-up operations (they may box the id): producers look a handle up once and keep it.
 */
public interface SessionRegistry
{
    /**
     * Maps a session to a connection's handle, replacing an earlier mapping (e.g. a session that reconnected).
     *
     * @param sessionId the application's session id, not 0.
     * @param handle    the connection's push handle, as {@code Connection.pushHandle()} returned it.
     * @throws IllegalArgumentException if the id is 0 or the handle is not one of this engine's.
     */
    void register(long sessionId, PushHandle handle);

    /**
     * Finds a session's handle.
     *
     * @param sessionId the session id.
     * @return the handle, or null if none is registered.
     */
    PushHandle lookup(long sessionId);

    /** @return sessions currently registered. */
    int size();
}
