package dev.sluice.internal.connection;

/**
 * Claims opened during application callbacks and not yet committed or aborted. A callback may hold claims on several
 * connections; what is still open when the callback returns is aborted, because a later flush would send it
 * half-written. Callbacks nest (a callback may close another connection, whose {@code onClose} runs inside it), so
 * each callback aborts only the claims opened since it started: it takes a {@link #mark()} first and calls
 * {@link #abortSince(int)} with it after.
 * <p>
 * <b>Threading:</b> the loop thread only.
 */
public final class OpenClaims
{
    private static final int MAX_OPEN = 64;

    private final LoopConnection[] open = new LoopConnection[MAX_OPEN];
    private int depth;

    /** @return the mark to abort back to when the callback about to run returns. */
    public int mark()
    {
        return depth;
    }

    void opened(final LoopConnection c)
    {
        if (depth == MAX_OPEN)
        {
            throw new IllegalStateException("more than " + MAX_OPEN + " claims open at once");
        }
        open[depth++] = c;
    }

    void closed(final LoopConnection c)
    {
        for (int i = depth - 1; i >= 0; i--)
        {
            if (open[i] == c)
            {
                System.arraycopy(open, i + 1, open, i, depth - i - 1);
                open[--depth] = null;
                return;
            }
        }
    }

    /**
     * Aborts every claim opened after the mark, newest first.
     *
     * @param mark what {@link #mark()} returned before the callback.
     */
    public void abortSince(final int mark)
    {
        while (depth > mark)
        {
            open[depth - 1].abortClaim(); // calls closed(), which pops it
        }
    }
}
