package dev.sluice.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may connect to an open port, and how many connections one address may hold: an allow-list of address ranges
 * (CIDR, IPv4 or IPv6) and/or a filter of the application's own, applied before any byte of a new connection is read,
 * and a per-address limit on accepted connections. Outbound connections are not subject to either. The default admits
 * everyone without a per-address limit.
 * <p>
 * A peer refused by the ranges or the filter is closed at once and counted as {@code connections rejected (accept
 * filter)}; one past its address's limit as {@code connections rejected (per-address limit)}. Immutable.
 */
public final class AdmissionConfig
{
    private final byte[][] networks;
    private final int[] prefixes;
    private final AcceptFilter filter;
    private final int maxConnectionsPerAddress;

    private AdmissionConfig(final Builder b)
    {
        networks = b.networks.toArray(new byte[0][]);
        prefixes = b.prefixes.stream().mapToInt(Integer::intValue).toArray();
        filter = b.filter;
        maxConnectionsPerAddress = b.maxConnectionsPerAddress;
    }

    /** @return a builder admitting everyone, without a per-address limit. */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Whether a peer is admitted: inside one of the allowed ranges (if any were given) and admitted by the filter (if
     * one was given).
     *
     * @param address the peer's address.
     * @return true to take it.
     */
    public boolean admits(final InetAddress address)
    {
        if (networks.length > 0 && !inRanges(address.getAddress()))
        {
            return false;
        }
        return filter == null || filter.admits(address);
    }

    /** @return true if neither ranges nor a filter were given: every peer is admitted. */
    public boolean admitsAll()
    {
        return networks.length == 0 && filter == null;
    }

    /** @return accepted connections one address may hold at once; 0: no limit (the default). */
    public int maxConnectionsPerAddress()
    {
        return maxConnectionsPerAddress;
    }

    private boolean inRanges(final byte[] address)
    {
        for (int i = 0; i < networks.length; i++)
        {
            final byte[] network = networks[i];
            if (network.length == address.length && samePrefix(network, address, prefixes[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean samePrefix(final byte[] network, final byte[] address, final int bits)
    {
        final int whole = bits / 8;
        for (int i = 0; i < whole; i++)
        {
            if (network[i] != address[i])
            {
                return false;
            }
        }
        final int rest = bits % 8;
        if (rest == 0)
        {
            return true;
        }
        final int mask = 0xFF << (8 - rest) & 0xFF;
        return (network[whole] & mask) == (address[whole] & mask);
    }

    /** Collects admission settings. */
    public static final class Builder
    {
        private final List<byte[]> networks = new ArrayList<>();
        private final List<Integer> prefixes = new ArrayList<>();
        private AcceptFilter filter;
        private int maxConnectionsPerAddress;

        private Builder()
        {
        }

        /**
         * Admits only peers inside these ranges (added to any given before).
         *
         * @param cidrs ranges such as {@code 10.0.0.0/8}, {@code 192.168.1.7} (one address) or {@code fd00::/8},
         *              written as literal addresses: no name is looked up.
         * @return this builder.
         * @throws IllegalArgumentException if a range is not an address with an optional prefix length.
         */
        public Builder allow(final String... cidrs)
        {
            for (final String cidr : cidrs)
            {
                final int slash = cidr.indexOf('/');
                final String host = slash < 0 ? cidr : cidr.substring(0, slash);
                if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*"))
                {
                    throw new IllegalArgumentException("not a literal address: " + cidr);
                }
                final byte[] network;
                try
                {
                    network = InetAddress.getByName(host).getAddress();
                }
                catch (final UnknownHostException ex)
                {
                    throw new IllegalArgumentException("not an address: " + cidr, ex);
                }
                final int bits;
                try
                {
                    bits = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
                }
                catch (final NumberFormatException ex)
                {
                    throw new IllegalArgumentException("not a prefix length: " + cidr, ex);
                }
                if (bits < 0 || bits > network.length * 8)
                {
                    throw new IllegalArgumentException("prefix length out of range: " + cidr);
                }
                networks.add(network);
                prefixes.add(bits);
            }
            return this;
        }

        /** @param acceptFilter a check of the application's own, after the ranges. @return this builder. */
        public Builder filter(final AcceptFilter acceptFilter)
        {
            filter = acceptFilter;
            return this;
        }

        /** @param n accepted connections one address may hold at once (0: no limit). @return this builder. */
        public Builder maxConnectionsPerAddress(final int n)
        {
            if (n < 0)
            {
                throw new IllegalArgumentException("maxConnectionsPerAddress must not be negative: " + n);
            }
            maxConnectionsPerAddress = n;
            return this;
        }

        /** @return the settings. */
        public AdmissionConfig build()
        {
            return new AdmissionConfig(this);
        }
    }
}
