package dev.sluice.internal.connection;

/**
 * Which thread owns a loop: the one that ran its latest iteration (its dedicated thread, or the caller of
 * {@code doWork} in invoker mode). Methods meant for the loop thread check it under {@code assert}, the way Netty's
 * {@code inEventLoop()} guards its channels: free when assertions are off, a clear failure in tests when an
 * application touches a connection from another thread.
 * <p>
 * <b>Threading:</b> written and read by the loop thread; a read from another thread may see an older owner, which
 * can only make the check fail, as it should.
 */
public final class LoopOwner
{
    private Thread thread;

    /** The calling thread now drives the loop. */
    public void claim()
    {
        thread = Thread.currentThread();
    }

    /**
     * The strict form of {@link #isOwner()}, for code that may run on any thread and takes a shortcut only on the
     * loop's own: another thread never sees itself here (it can only see a thread that drove the loop before it, or
     * none), so the answer is false for it.
     *
     * @return true only on the thread that ran the loop's latest iteration; false before any thread has.
     */
    public boolean isCurrentThread()
    {
        return thread == Thread.currentThread();
    }

    /** @return true on the thread that drives the loop, or before any thread has. */
    public boolean isOwner()
    {
        final Thread owner = thread;
        return owner == null || owner == Thread.currentThread();
    }
}
