package dev.sluice.config;

import java.net.InetAddress;

/**
 * Decides, before a byte is read, whether a peer may connect at all. Called on the accepting loop for every accepted
 * connection (accepting may allocate; this must not block). A peer refused is closed at once and counted
 * ({@code connections rejected (accept filter)}).
 */
@FunctionalInterface
public interface AcceptFilter
{
    /**
     * @param address the peer's address.
     * @return true to take the connection.
     */
    boolean admits(InetAddress address);
}
