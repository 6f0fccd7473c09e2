package dev.sluice.engine;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.sluice.config.EngineConfig;

/**
 * Zero garbage needs the JVM flag {@value #FLAG}: the JDK's epoll selector boxes the file descriptor of every ready
 * key ({@code Map<Integer, ...>}), which allocates for descriptors above the Integer cache (127 by default). At start
 * the engine works out the highest descriptor it may see (the descriptors open now, plus one per connection it may
 * hold, plus a margin for listeners and selectors, within the process's descriptor limit) and checks that boxing it
 * returns a cached object. If not, it logs a warning naming the flag, or refuses to start when
 * {@code requireZeroGarbage} is set.
 */
final class IntegerCacheCheck
{
    /** The flag, with the value the build and the demonstration use. */
    static final String FLAG = "-XX:AutoBoxCacheMax=65536";
    /** Listeners, selectors and their wake-up pipes, the counters file: descriptors besides the connections'. */
    private static final int MARGIN = 64;

    private IntegerCacheCheck()
    {
    }

    static void check(final EngineConfig config)
    {
        final int highest = highestDescriptor(config.maxConnections());
        if (isCached(highest))
        {
            return;
        }
        final String message = "the JVM's Integer cache ends below socket descriptor " + highest +
            ", so the JDK's selector allocates for every ready key above it; start the JVM with " + FLAG +
            " for zero garbage (see docs/users-guide.md, 'JVM flags')";
        if (config.requireZeroGarbage())
        {
            throw new IllegalStateException("requireZeroGarbage is set and " + message);
        }
        System.getLogger("dev.sluice.engine").log(Level.WARNING, message);
    }

    /** @return true if boxing {@code value} returns the cached object (the JLS caches -128..127 and at most more). */
    static boolean isCached(final int value)
    {
        return Integer.valueOf(value) == Integer.valueOf(value);
    }

    static int highestDescriptor(final int maxConnections)
    {
        long open = 0;
        long limit = Integer.MAX_VALUE;
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean)
        {
            open = ((UnixOperatingSystemMXBean)os).getOpenFileDescriptorCount();
            limit = ((UnixOperatingSystemMXBean)os).getMaxFileDescriptorCount();
        }
        final long highest = Math.min(open + maxConnections + MARGIN, limit - 1);
        return (int)Math.max(0, Math.min(highest, Integer.MAX_VALUE));
    }
}
