package dev.sluice.examples;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import dev.sluice.config.EngineConfig;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An outbound connection, as a gateway opens to an exchange: send a frame when connected, encoded in place in the
 * send buffer, and take the first reply. Quoted in {@code docs/users-guide.md}; {@code ExamplesTest} runs it.
 */
public final class GatewayClientExample
{
    private GatewayClientExample()
    {
    }

    /**
     * Connects, sends {@code text}, and completes with the first frame received.
     *
     * @param engine the engine whose loops carry the connection.
     * @param peer   where to connect.
     * @param text   what to send.
     * @return the reply as text, or an exception if the connection closed first.
     * @throws Exception if the connect cannot be started.
     */
    public static CompletableFuture<String> request(final Engine engine, final InetSocketAddress peer,
        final String text) throws Exception
    {
        final CompletableFuture<String> reply = new CompletableFuture<>();
        final byte[] request = text.getBytes(StandardCharsets.US_ASCII);
        engine.connect(peer, new ConnectionHandler()
        {
            @Override
            public void onOpen(final Connection connection)
            {
                final int at = connection.claim(request.length);     // room in the send buffer
                final MutableDirectBuffer out = connection.sendBuffer();
                out.putBytes(at, new UnsafeBuffer(request), 0, request.length); // encode in place
                connection.commit(request.length);                   // header written, frame queued
            }

            @Override
            public void onFrame(final Connection connection, final DirectBuffer buffer, final int offset,
                final int length)
            {
                reply.complete(buffer.getStringWithoutLengthAscii(offset, length)); // copy: the view dies here
                connection.close();
            }

            @Override
            public void onClose(final Connection connection, final CloseReason reason)
            {
                reply.completeExceptionally(new IllegalStateException("closed: " + reason.text()));
            }
        });
        return reply;
    }

    /**
     * Sends one request to an echo server on 127.0.0.1 and prints the reply.
     *
     * @param args optional port (default 9000).
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int port = args.length > 0 ? Integer.parseInt(args[0]) : 9000;
        try (Engine engine = Engine.start(EngineConfig.builder().build()))
        {
            System.out.println(request(engine, new InetSocketAddress("127.0.0.1", port), "hello").get());
        }
    }
}
