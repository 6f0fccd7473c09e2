package dev.sluice.examples.fix;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the FIX gateway from a sessions file until the process is stopped (Ctrl-C):
 * <pre>
 * mvn -B -Pfix-gateway -DskipTests verify                                  (tests/fix-gateway.properties)
 * mvn -B -Pfix-gateway -DskipTests verify -Dfix.config=/path/to/sessions.properties
 * </pre>
 * The file names the gateway's CompID, the port, the clients' SenderCompIDs, the symbols traded, to release
 * execution reports only once they are on disk the journal file (its directory is created), and, to keep the
 * sessions' sequence numbers and sent reports across restarts, the store directory:
 * <pre>
 * compId=GATEWAY
 * port=9878
 * clients=CLIENT1,CLIENT2
 * symbols=ACME,BETA
 * journal=target/fix-store/orders.journal
 * store=target/fix-store
 * </pre>
 * A relative journal path is taken from the working directory ({@code tests/} under Maven).
 */
public final class FixGatewayMain
{
    private FixGatewayMain()
    {
    }

    /**
     * @param args the sessions file.
     * @throws Exception if the file cannot be read or the gateway cannot start.
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length != 1)
        {
            System.err.println("usage: FixGatewayMain <sessions file>   (see tests/fix-gateway.properties)");
            System.exit(2);
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        try (FixGateway gateway = start(Path.of(args[0])))
        {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "fix-gateway-stop"));
            System.out.println("FIX gateway listening on " + gateway.address() + " (Ctrl-C stops it)");
            stopped.await();
        }
    }

    /**
     * Starts a gateway as a sessions file describes it.
     *
     * @param file the sessions file.
     * @return the running gateway.
     * @throws IOException              if the file cannot be read, the journal opened or the port bound.
     * @throws IllegalArgumentException if a required setting is missing or wrong (the message names it).
     */
    public static FixGateway start(final Path file) throws IOException
    {
        final Properties settings = new Properties();
        try (Reader reader = Files.newBufferedReader(file))
        {
            settings.load(reader);
        }
        final String compId = required(settings, "compId");
        final String[] clients = list(required(settings, "clients"));
        final String[] symbols = list(required(settings, "symbols"));
        final int port;
        try
        {
            port = Integer.parseInt(required(settings, "port"));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("port is not a number in " + file + ": " + settings.get("port"), ex);
        }
        final String journalSetting = settings.getProperty("journal", "").trim();
        Path journal = null;
        if (!journalSetting.isEmpty())
        {
            journal = Path.of(journalSetting);
            if (journal.getParent() != null)
            {
                Files.createDirectories(journal.getParent());
            }
        }
        final String storeSetting = settings.getProperty("store", "").trim();
        final Path store = storeSetting.isEmpty() ? null : Path.of(storeSetting);
        return new FixGateway(compId, clients, symbols, port, journal, store);
    }

    private static String required(final Properties settings, final String name)
    {
        final String value = settings.getProperty(name, "").trim();
        if (value.isEmpty())
        {
            throw new IllegalArgumentException("the sessions file has no " + name);
        }
        return value;
    }

    private static String[] list(final String value)
    {
        final String[] items = value.split(",");
        for (int i = 0; i < items.length; i++)
        {
            items[i] = items[i].trim();
        }
        return items;
    }
}
