package dev.sluice.internal.loop;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Accepted connections per peer address, against {@code AdmissionConfig.maxConnectionsPerAddress}: taken by the loop
 * that opens an accepted connection, given back by the loop that closes it.
 * <p>
 * <b>Threading:</b> any loop; one monitor guards the map. It is taken once per accepted connection and once per close
 * of one, never per frame; a new address allocates its entry (accepting may allocate), a close allocates nothing.
 */
final class AddressLimits
{
    private final int max;
    private final Map<InetAddress, int[]> counts = new HashMap<>();

    /** @param max connections one address may hold; 0: no limit (nothing is counted). */
    AddressLimits(final int max)
    {
        this.max = max;
    }

    /** @return true if addresses are counted. */
    boolean limited()
    {
        return max > 0;
    }

    /**
     * @param address a peer's address.
     * @return true if it may hold one more connection (now counted), false if it holds the most already.
     */
    synchronized boolean acquire(final InetAddress address)
    {
        final int[] count = counts.computeIfAbsent(address, a -> new int[1]);
        if (count[0] >= max)
        {
            return false;
        }
        count[0]++;
        return true;
    }

    /** @param address an address {@link #acquire} counted a connection for, now closed. */
    synchronized void release(final InetAddress address)
    {
        final int[] count = counts.get(address);
        if (count != null && --count[0] == 0)
        {
            counts.remove(address);
        }
    }

    /** @return addresses holding at least one connection (for tests and the counters' readers). */
    synchronized int addresses()
    {
        return counts.size();
    }
}
