package dev.sluice.testkit;

import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import org.agrona.DirectBuffer;

/**
 * Sends every frame back on the connection it came from, and records close reasons for tests to inspect.
 */
public final class EchoHandler implements ConnectionHandler
{
    private final CloseLog closes;

    /**
     * Creates an echo handler.
     *
     * @param closes where close reasons are recorded.
     */
    public EchoHandler(final CloseLog closes)
    {
        this.closes = closes;
    }

    @Override
    public void onFrame(final Connection connection, final DirectBuffer buffer, final int offset, final int length)
    {
        connection.send(buffer, offset, length);
    }

    @Override
    public void onClose(final Connection connection, final dev.sluice.connection.CloseReason reason)
    {
        closes.record(connection.id(), reason);
    }
}
