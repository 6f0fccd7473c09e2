package dev.sluice.internal.push;

import java.util.concurrent.ConcurrentHashMap;

import dev.sluice.push.PushHandle;
import dev.sluice.push.SessionRegistry;

/**
 * The engine's {@link SessionRegistry}: a concurrent map from session id to handle. The session id a handle is
 * registered under lives on the handle, so the loop can remove the entry when the connection closes without a
 * search. Registration and lookup may box the id: they are set-up operations, not per frame.
 */
public final class ConcurrentSessionRegistry implements SessionRegistry
{
    private final ConcurrentHashMap<Long, TargetPushHandle> handles = new ConcurrentHashMap<>();

    @Override
    public void register(final long sessionId, final PushHandle pushHandle)
    {
        if (!(pushHandle instanceof TargetPushHandle))
        {
            throw new IllegalArgumentException("not a handle of this engine: " + pushHandle);
        }
        final TargetPushHandle handle = (TargetPushHandle)pushHandle;
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

    @Override
    public PushHandle lookup(final long sessionId)
    {
        return handles.get(sessionId);
    }

    @Override
    public int size()
    {
        return handles.size();
    }

    /** Removes a closing connection's entry, if its session still maps to this handle. */
    void removeClosed(final TargetPushHandle handle)
    {
        final long sessionId = handle.sessionId;
        if (sessionId != 0)
        {
            handles.remove(sessionId, handle);
        }
    }
}
