package dev.sluice.examples;

import java.net.InetSocketAddress;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;

/**
 * The smallest Sluice server: every frame is sent back on the connection it came from. Quoted in
 * {@code docs/users-guide.md}; {@code ExamplesTest} runs it.
 */
public final class EchoServerExample
{
    private EchoServerExample()
    {
    }

    /**
     * Makes an engine echo on a port.
     *
     * @param engine a started engine.
     * @param port   port on 127.0.0.1 (0 for any free port).
     * @return the address bound.
     * @throws Exception if it cannot listen (e.g. the port is in use).
     */
    public static InetSocketAddress echo(final Engine engine, final int port) throws Exception
    {
        return engine.listen(new InetSocketAddress("127.0.0.1", port),
            (connection, buffer, offset, length) -> connection.send(buffer, offset, length));
    }

    /**
     * Runs the server until the process is stopped.
     *
     * @param args optional port (default 9000).
     * @throws Exception if it cannot start.
     */
    public static void main(final String[] args) throws Exception
    {
        final Engine engine = Engine.start(EngineConfig.builder().build());
        Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
        System.out.println("echoing on " + echo(engine, args.length > 0 ? Integer.parseInt(args[0]) : 9000));
        Thread.currentThread().join();
    }
}
