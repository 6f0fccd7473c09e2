package dev.sluice.push;

import java.util.concurrent.TimeUnit;

import org.agrona.BitUtil;

/**
 * Settings of the push path, fixed at engine construction. Defaults are documented on each accessor and in
 * {@code docs/users-guide.md}, "Pushes".
 */
public final class PushConfig
{
    /** Smallest queue: 128 bytes (a 16-byte payload at most). */
    public static final int MIN_QUEUE_BYTES = 128;
    /** Largest queue: 256 MiB. */
    public static final int MAX_QUEUE_BYTES = 1 << 28;
    /** Most push groups an engine may have open at once. */
    public static final int MAX_PUSH_GROUPS = 1 << 20;

    private final int highQueueBytes;
    private final int lowQueueBytes;
    private final int maxHighBeforeLow;
    private final long timeSliceNs;
    private final long ratePerSecond;
    private final long burst;
    private final PushPolicy policy;
    private final int batchPerConnection;
    private final double lowPriorityShedShare;
    private final int groupHighQueueBytes;
    private final int groupLowQueueBytes;
    private final int maxPushGroups;

    private PushConfig(final Builder b)
    {
        check(BitUtil.isPowerOfTwo(b.highQueueBytes) && BitUtil.isPowerOfTwo(b.lowQueueBytes) &&
            b.highQueueBytes >= MIN_QUEUE_BYTES && b.lowQueueBytes >= MIN_QUEUE_BYTES &&
            b.highQueueBytes <= MAX_QUEUE_BYTES && b.lowQueueBytes <= MAX_QUEUE_BYTES,
            "queue sizes must be powers of two from " + MIN_QUEUE_BYTES + " to " + MAX_QUEUE_BYTES + " bytes: " +
            b.highQueueBytes + ", " + b.lowQueueBytes);
        check(validQueue(b.groupHighQueueBytes) && validQueue(b.groupLowQueueBytes),
            "group queue sizes must be powers of two from " + MIN_QUEUE_BYTES + " to " + MAX_QUEUE_BYTES + " bytes: " +
            b.groupHighQueueBytes + ", " + b.groupLowQueueBytes);
        check(b.maxPushGroups >= 1 && b.maxPushGroups <= MAX_PUSH_GROUPS,
            "maxPushGroups must be 1.." + MAX_PUSH_GROUPS + ": " + b.maxPushGroups);
        groupHighQueueBytes = b.groupHighQueueBytes;
        groupLowQueueBytes = b.groupLowQueueBytes;
        maxPushGroups = b.maxPushGroups;
        highQueueBytes = b.highQueueBytes;
        lowQueueBytes = b.lowQueueBytes;
        maxHighBeforeLow = b.maxHighBeforeLow;
        timeSliceNs = b.timeSliceNs;
        ratePerSecond = b.ratePerSecond;
        burst = b.burst > 0 ? b.burst : b.ratePerSecond;
        policy = b.policy;
        batchPerConnection = b.batchPerConnection;
        lowPriorityShedShare = b.lowPriorityShedShare;
        check(maxHighBeforeLow >= 0 && timeSliceNs >= 0, "fairness settings must not be negative");
        check(ratePerSecond >= 0 && burst >= 0, "rate and burst must not be negative");
        check(batchPerConnection >= 1, "batchPerConnection must be positive");
        check(lowPriorityShedShare > 0 && lowPriorityShedShare <= 1,
            "lowPriorityShedShare must be above 0 and at most 1: " + lowPriorityShedShare);
    }

    private static boolean validQueue(final int bytes)
    {
        return BitUtil.isPowerOfTwo(bytes) && bytes >= MIN_QUEUE_BYTES && bytes <= MAX_QUEUE_BYTES;
    }

    private static void check(final boolean ok, final String message)
    {
        if (!ok)
        {
            throw new IllegalArgumentException(message);
        }
    }

    /** @return a builder with every default set. */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * @return bytes of each connection's high-priority queue (default 8 KiB): frames wait there in place, each taking
     *     its payload plus an 8-byte header, rounded up to 8 bytes.
     */
    public int highQueueBytes()
    {
        return highQueueBytes;
    }

    /** @return bytes of each connection's low-priority queue (default 32 KiB). */
    public int lowQueueBytes()
    {
        return lowQueueBytes;
    }

    /** @return the largest push payload the queues take: an eighth of the smaller queue (default 1 KiB). */
    public int maxPushPayload()
    {
        return Math.min(highQueueBytes, lowQueueBytes) / 8;
    }

    /**
     * @return the share of the send cap past which low-priority pushes to a connection are refused with
     *     {@link PushResult#SHED} while high-priority ones still go (default 0.5; 1 = only the cap applies).
     */
    public double lowPriorityShedShare()
    {
        return lowPriorityShedShare;
    }

    /** @return consecutive high frames before a waiting low one goes (default 8; 0 = counter off). */
    public int maxHighBeforeLow()
    {
        return maxHighBeforeLow;
    }

    /** @return time high frames may run before a waiting low one goes (default 0 = off). */
    public long timeSliceNs()
    {
        return timeSliceNs;
    }

    /** @return pushes per second per connection, both priorities together (default 0 = unlimited). */
    public long ratePerSecond()
    {
        return ratePerSecond;
    }

    /** @return pushes allowed at once from a full bucket (default: the rate). */
    public long burst()
    {
        return burst;
    }

    /** @return what a non-blocking push does when full or rate limited (default {@link PushPolicy#ERROR_IF_FULL}). */
    public PushPolicy policy()
    {
        return policy;
    }

    /**
     * @return bytes of each push group's high-priority queue on each loop (default 8 KiB); its membership changes
     *     travel there too (16 bytes each, plus the header).
     */
    public int groupHighQueueBytes()
    {
        return groupHighQueueBytes;
    }

    /** @return bytes of each push group's low-priority queue on each loop (default 32 KiB). */
    public int groupLowQueueBytes()
    {
        return groupLowQueueBytes;
    }

    /** @return the largest frame payload a group push takes: an eighth of the smaller group queue (default 1 KiB). */
    public int maxGroupPayload()
    {
        return Math.min(groupHighQueueBytes, groupLowQueueBytes) / 8;
    }

    /**
     * @return push groups an engine may have open at once (default 1,024): each takes its two queues on every loop
     *     ({@code groupHighQueueBytes + groupLowQueueBytes} of direct memory per loop), allocated when it is created.
     */
    public int maxPushGroups()
    {
        return maxPushGroups;
    }

    /** @return most pushed frames one connection sends per loop iteration (default 64). */
    public int batchPerConnection()
    {
        return batchPerConnection;
    }

    /** Collects push settings. */
    public static final class Builder
    {
        private int highQueueBytes = 8 * 1024;
        private int lowQueueBytes = 32 * 1024;
        private int maxHighBeforeLow = 8;
        private long timeSliceNs;
        private long ratePerSecond;
        private long burst;
        private PushPolicy policy = PushPolicy.ERROR_IF_FULL;
        private int batchPerConnection = 64;
        private double lowPriorityShedShare = 0.5;
        private int groupHighQueueBytes = 8 * 1024;
        private int groupLowQueueBytes = 32 * 1024;
        private int maxPushGroups = 1024;

        private Builder()
        {
        }

        /**
         * @param high bytes of each connection's high-priority queue, a power of two.
         * @param low  bytes of each connection's low-priority queue, a power of two.
         * @return this builder.
         */
        public Builder queueBytes(final int high, final int low)
        {
            highQueueBytes = high;
            lowQueueBytes = low;
            return this;
        }

        /**
         * @param share of the send cap, above 0 and at most 1: once a connection's unsent bytes pass it, low-priority
         *              pushes to it are refused with {@link PushResult#SHED} (high priority still goes), until they
         *              fall below it again; past the whole cap the connection is dropped as a slow consumer.
         * @return this builder.
         */
        public Builder lowPriorityShedShare(final double share)
        {
            lowPriorityShedShare = share;
            return this;
        }

        /** @param n consecutive high frames before a low one (0 = off). @return this builder. */
        public Builder maxHighBeforeLow(final int n)
        {
            maxHighBeforeLow = n;
            return this;
        }

        /** @param time time slice for high (0 = off). @param unit its unit. @return this builder. */
        public Builder timeSlice(final long time, final TimeUnit unit)
        {
            timeSliceNs = unit.toNanos(time);
            return this;
        }

        /** @param perSecond rate per connection (0 = unlimited). @param burstSize 0 = the rate. @return this. */
        public Builder rateLimit(final long perSecond, final long burstSize)
        {
            ratePerSecond = perSecond;
            burst = burstSize;
            return this;
        }

        /** @param p non-blocking push policy. @return this builder. */
        public Builder policy(final PushPolicy p)
        {
            policy = p;
            return this;
        }

        /** @param frames most pushed frames one connection sends per iteration. @return this builder. */
        public Builder batchPerConnection(final int frames)
        {
            batchPerConnection = frames;
            return this;
        }

        /**
         * @param high bytes of each push group's high-priority queue on each loop, a power of two.
         * @param low  bytes of each push group's low-priority queue on each loop, a power of two.
         * @return this builder.
         */
        public Builder groupQueueBytes(final int high, final int low)
        {
            groupHighQueueBytes = high;
            groupLowQueueBytes = low;
            return this;
        }

        /** @param groups push groups that may be open at once. @return this builder. */
        public Builder maxPushGroups(final int groups)
        {
            maxPushGroups = groups;
            return this;
        }

        /** @return the validated settings. */
        public PushConfig build()
        {
            return new PushConfig(this);
        }
    }
}
