package dev.sluice.connection;

/**
 * Connection ids: unique within an engine for its whole life, and telling which loop and slot a connection is on, so
 * the engine can route to it without a map. Layout: open sequence of the slot's loop (32 bits) | slot (24 bits) |
 * loop (8 bits). {@code EngineConfig} keeps a loop below 2^24 slots.
 */
public final class ConnectionIds
{
    private ConnectionIds()
    {
    }

    /**
     * How the engine numbers a connection; applications only take ids apart.
     *
     * @param sequence the open sequence of the slot's loop.
     * @param slot     the slot within the loop.
     * @param loop     the loop's index.
     * @return the connection id.
     */
    public static long compose(final long sequence, final int slot, final int loop)
    {
        return (sequence << 32) | ((long)slot << 8) | loop;
    }

    /**
     * @param connectionId a connection id.
     * @return the index of its loop.
     */
    public static int loopOf(final long connectionId)
    {
        return (int)(connectionId & 0xFF);
    }

    /**
     * @param connectionId a connection id.
     * @return its slot within its loop.
     */
    public static int slotOf(final long connectionId)
    {
        return (int)((connectionId >>> 8) & 0xFF_FFFF);
    }
}
