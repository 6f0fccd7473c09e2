package dev.sluice.jmh.fix;

import java.nio.file.Path;

import quickfix.DefaultMessageFactory;
import quickfix.FileStoreFactory;
import quickfix.MemoryStoreFactory;
import quickfix.MessageStoreFactory;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.SocketAcceptor;

/**
 * QuickFIX/J's acceptor as {@link FixCompare}'s peer, in a process of its own, running the gateway's matching for
 * the benchmark's orders ({@link QuickFixMatcher}):
 * <pre>
 * java -cp jmh/target/benchmarks.jar dev.sluice.jmh.fix.QuickFixAcceptorMain PORT SESSIONS [STORE_DIR]
 * </pre>
 * A {@link SocketAcceptor} (QuickFIX/J's default thread model: one thread for every session's messages) on
 * 127.0.0.1:PORT, FIX 4.4, CompID {@code GATEWAY}, sessions {@code LOAD0} to {@code LOADn}; incoming messages
 * validated against the FIX 4.4 data dictionary QuickFIX/J ships ({@code UseDataDictionary=Y},
 * {@code ValidateUserDefinedFields=N}); {@code SocketTcpNoDelay=Y}; no message or event log (no {@code LogFactory}:
 * QuickFIX/J logs to nothing). Without a store directory the sessions keep their messages in a
 * {@link MemoryStoreFactory} store; with one, in a {@link FileStoreFactory} store with {@code FileStoreSync=Y}, which
 * puts every message stored and every sequence-number update on disk before it goes on (the files are opened in
 * synchronous mode and the message index is synced after each message). Speaks {@link ServerControl}.
 */
public final class QuickFixAcceptorMain
{
    private QuickFixAcceptorMain()
    {
    }

    /**
     * @param args PORT SESSIONS [STORE_DIR].
     * @throws Exception if the acceptor cannot start.
     */
    public static void main(final String[] args) throws Exception
    {
        final int port = Integer.parseInt(args[0]);
        final String[] clients = ServerControl.clients(Integer.parseInt(args[1]));
        final Path store = args.length > 2 ? Path.of(args[2]) : null;
        final SessionSettings settings = settings(port, clients, store);
        final QuickFixMatcher matcher = new QuickFixMatcher();
        final MessageStoreFactory stores = store == null ? new MemoryStoreFactory() : new FileStoreFactory(settings);
        final SocketAcceptor acceptor =
            new SocketAcceptor(matcher, stores, settings, null, new DefaultMessageFactory());
        acceptor.start();
        try
        {
            ServerControl.serve(matcher::stats);
        }
        finally
        {
            acceptor.stop(true);
        }
    }

    private static SessionSettings settings(final int port, final String[] clients, final Path store)
    {
        final SessionSettings settings = new SessionSettings();
        settings.setString("ConnectionType", "acceptor");
        settings.setString("SocketAcceptAddress", "127.0.0.1");
        settings.setLong("SocketAcceptPort", port);
        settings.setString("NonStopSession", "Y");
        settings.setString("UseDataDictionary", "Y");
        settings.setString("DataDictionary", "FIX44.xml");
        settings.setString("ValidateUserDefinedFields", "N");
        settings.setString("SocketTcpNoDelay", "Y");
        if (store != null)
        {
            settings.setString(FileStoreFactory.SETTING_FILE_STORE_PATH, store.toString());
            settings.setString(FileStoreFactory.SETTING_FILE_STORE_SYNC, "Y");
        }
        for (final String client : clients)
        {
            final SessionID id = new SessionID("FIX.4.4", LoadMessages.TARGET, client);
            settings.setString(id, "BeginString", "FIX.4.4"); // each session needs a section of its own
        }
        return settings;
    }
}
