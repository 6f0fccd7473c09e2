package dev.sluice.jmh.fix;

import java.nio.file.Path;
import java.util.Locale;

import dev.sluice.examples.fix.FixGateway;

/**
 * The FIX gateway example as {@link FixCompare}'s server under test, in a process of its own:
 * <pre>
 * java -cp jmh/target/benchmarks.jar dev.sluice.jmh.fix.FixGatewayBenchMain PORT SESSIONS [JOURNAL]
 * </pre>
 * CompID {@code GATEWAY} on 127.0.0.1:PORT, clients {@code LOAD0} to {@code LOADn}, the symbol {@code ACME}; without a
 * journal file ungated (execution reports go out as soon as they are matched), with one gated (released once the
 * journal has forced them to disk). Speaks {@link ServerControl}: its counters are the journal's forces and
 * position, reports released ahead of the journal (0 unless the gate is wrong), logons, refused logons, sessions
 * dropped as silent and garbled frames.
 */
public final class FixGatewayBenchMain
{
    private FixGatewayBenchMain()
    {
    }

    /**
     * @param args PORT SESSIONS [JOURNAL].
     * @throws Exception if the gateway cannot start.
     */
    public static void main(final String[] args) throws Exception
    {
        final int port = Integer.parseInt(args[0]);
        final String[] clients = ServerControl.clients(Integer.parseInt(args[1]));
        final Path journal = args.length > 2 ? Path.of(args[2]) : null;
        try (FixGateway gateway = new FixGateway(LoadMessages.TARGET, clients, new String[] {LoadMessages.SYMBOL},
            port, journal))
        {
            ServerControl.serve(() -> String.format(Locale.ROOT,
                "forces=%d journaled=%d releasedAhead=%d logons=%d refusedLogons=%d silentDisconnects=%d garbled=%d",
                gateway.journalForces(), gateway.journalPosition(), gateway.releasedAheadOfJournal(),
                gateway.logons(), gateway.refusedLogons(), gateway.silentDisconnects(),
                gateway.engine().counters(0).framesGarbled.get()));
        }
    }
}
