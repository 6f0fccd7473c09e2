package dev.sluice.demo;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.stream.Collectors;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.EngineConfigBuilder;
import dev.sluice.config.IdleMode;
import dev.sluice.config.PinningMode;

/** The demonstration's command line, parsed and checked; each field holds its documented default until set. */
final class DemoOptions
{
    /** Each engine connection holds 128 KiB of direct memory; the demo runs with -Xmx1g. */
    static final int MAX_CONNECTIONS = 5000;
    static final int MAX_PUSH_RATE = 10_000_000;
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: Demo [--connections N] [--seconds S] [--push-rate R] [--port P] [--loops L]",
        "            [--idle blocking|backoff|spin] [--pin none|any|CPU,...] [--inflight K] [--payload BYTES]",
        "  --connections N  client connections, up to " + MAX_CONNECTIONS + " (default 100)",
        "  --seconds S      run time, of which the first 30% (3 s at most) is warm-up (default 10)",
        "  --push-rate R    server pushes per second over all connections, every 4th at high priority, the rest",
        "                   low; 0 = no pushes (default 20000)",
        "  --port P         listen port on 127.0.0.1, 0 = any free port (default 0)",
        "  --loops L        engine event loops (default 1)",
        "  --idle MODE      what an idle loop does: blocking, backoff or spin (default blocking)",
        "  --pin WHAT       pin loop threads: none, any (any free CPU) or a CPU list such as 1 or 1,3 (default none)",
        "  --inflight K     requests in flight per connection (default 4)",
        "  --payload BYTES  request payload, at least " + LoadClient.MIN_PAYLOAD + " (default 64)",
        "  --help           this text");

    int connections = 100;
    int seconds = 10;
    int pushRate = 20_000;
    int port;
    int loops = 1;
    IdleMode idle = IdleMode.BLOCKING;
    PinningMode pin = PinningMode.NONE;
    int[] pinCores = new int[0];
    int inflight = 4;
    int payload = 64;

    private DemoOptions()
    {
    }

    /**
     * Parses the arguments.
     *
     * @param args the command line.
     * @param out  where to say what is wrong.
     * @return the options, or null (after saying why) if the arguments are wrong.
     */
    static DemoOptions parse(final String[] args, final PrintStream out)
    {
        final DemoOptions o = new DemoOptions();
        try
        {
            for (int i = 0; i < args.length; i += 2)
            {
                final String name = args[i];
                final String value = i + 1 < args.length ? args[i + 1] : "";
                switch (name)
                {
                    case "--connections" -> o.connections = number(name, value, 1, MAX_CONNECTIONS);
                    case "--seconds" -> o.seconds = number(name, value, 1, 86_400);
                    case "--push-rate" -> o.pushRate = number(name, value, 0, MAX_PUSH_RATE);
                    case "--port" -> o.port = number(name, value, 0, 65_535);
                    case "--loops" -> o.loops = number(name, value, 1, EngineConfig.MAX_LOOPS);
                    case "--inflight" -> o.inflight = number(name, value, 1, 1 << 16);
                    case "--payload" -> o.payload = number(name, value, LoadClient.MIN_PAYLOAD,
                        EngineConfig.DEFAULT_RECEIVE_BUFFER - 4);
                    case "--idle" -> o.idle = switch (value)
                    {
                        case "blocking" -> IdleMode.BLOCKING;
                        case "backoff" -> IdleMode.BACKOFF;
                        case "spin" -> IdleMode.BUSY_SPIN;
                        default -> throw new IllegalArgumentException("--idle needs blocking, backoff or spin");
                    };
                    case "--pin" -> o.pin(value);
                    default -> throw new IllegalArgumentException("unknown option: " + name);
                }
            }
            if ((long)o.inflight * (4 + o.payload) > 1 << 20)
            {
                throw new IllegalArgumentException("--inflight x (--payload + 4) must be at most 1 MiB");
            }
            return o;
        }
        catch (final IllegalArgumentException ex)
        {
            out.println(ex.getMessage());
            return null;
        }
    }

    /** Sets the pinning of {@code builder} as asked; unpinned unless {@code --pin} said otherwise. */
    void applyPinning(final EngineConfigBuilder builder)
    {
        if (pin == PinningMode.ANY_CORE)
        {
            builder.pinToAnyCore();
        }
        else if (pin == PinningMode.CORES)
        {
            builder.pinToCores(pinCores);
        }
    }

    /** @return the pinning as asked, for the banner. */
    String pinning()
    {
        return switch (pin)
        {
            case NONE -> "none";
            case ANY_CORE -> "any free CPU";
            case CORES -> "CPU " + Arrays.stream(pinCores).mapToObj(Integer::toString).collect(Collectors.joining(","));
        };
    }

    private void pin(final String value)
    {
        switch (value)
        {
            case "none" -> pin = PinningMode.NONE;
            case "any" -> pin = PinningMode.ANY_CORE;
            default ->
            {
                if (!value.matches("\\d{1,4}(,\\d{1,4})*"))
                {
                    throw new IllegalArgumentException("--pin needs none, any or a CPU list such as 1,3: '" + value +
                        "'");
                }
                final String[] cpus = value.split(",");
                pinCores = new int[cpus.length];
                for (int i = 0; i < cpus.length; i++)
                {
                    pinCores[i] = Integer.parseInt(cpus[i]);
                }
                pin = PinningMode.CORES;
            }
        }
    }

    private static int number(final String name, final String value, final int min, final int max)
    {
        final long n = value.matches("-?\\d{1,10}") ? Long.parseLong(value) : Long.MIN_VALUE;
        if (n < min || n > max)
        {
            throw new IllegalArgumentException(name + " needs a number from " + min + " to " + max + ": '" +
                value + "'");
        }
        return (int)n;
    }
}
