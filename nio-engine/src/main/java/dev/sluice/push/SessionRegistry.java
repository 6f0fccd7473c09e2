package dev.sluice.push;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Session id to push handle, from any thread. An application registers a handle when a session logs on and looks it
 * up wherever it needs to push; an entry is removed when its connection closes. A handle that outlives its
 * connection (looked up just before the close) answers {@link PushResult#CLOSED}.
 * <p>
 * Registration and lookup are set-up operations (they may box the id): producers look a handle up once and keep it.
 */
public final class SessionRegistry
{
    private final ConcurrentHashMap<Long, PushHandle> handles = new ConcurrentHashMap<>();

    /**
     * Maps a session to a connection's handle, replacing an earlier mapping (e.g. a session that reconnected).
     *
     * @param sessionId the application's session id, not 0.
     * @param handle    the connection's push handle.
     * @throws IllegalArgumentException if the id is 0.
     */
    public void register(final long sessionId, final PushHandle handle)
    {
        if (sessionId == 0)
        {
            throw new IllegalArgumentException("session id 0 is reserved");
        }
        final long previous = handle.sessionId;
        if (previous != 0 && previous != sessionId)
        {
            handles.remove(previous, handle); // one session per handle: the close removes only the latest id
        }
        handle.sessionId = sessionId;
        handles.put(sessionId, handle);
        // A close that ran meanwhile may have missed the entry: the loop marks the handle closed before it reads
        // the session id, and this thread wrote the id before it looks at the handle, so one of the two removes it.
        if (!handle.isOpen())
        {
            handles.remove(sessionId, handle);
        }
    }

    /**
     * Finds a session's handle.
     *
     * @param sessionId the session id.
     * @return the handle, or null if none is registered.
     */
    public PushHandle lookup(final long sessionId)
    {
        return handles.get(sessionId);
    }

    /** @return sessions currently registered. */
    public int size()
    {
        return handles.size();
    }

    /** Removes a closing connection's entry, if its session still maps to this handle. */
    void removeClosed(final PushHandle handle)
    {
        final long sessionId = handle.sessionId;
        if (sessionId != 0)
        {
            handles.remove(sessionId, handle);
        }
    }
}
