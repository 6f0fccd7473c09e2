package dev.sluice.internal.loop;

import dev.sluice.internal.connection.ConnectionTable;

/**
 * A connection to close by its id, after delivering what was sent to it ({@code Engine.closeConnection} from a thread
 * other than the connection's loop). It holds nothing: refused by a stopping loop, it has nothing to give back, and the
 * loop closes every connection as it stops.
 */
final class ConnectionClose extends LoopCommand
{
    private final long connectionId;

    ConnectionClose(final long connectionId)
    {
        this.connectionId = connectionId;
    }

    @Override
    void execute(final CommandStage stage)
    {
        stage.closeConnection(connectionId);
    }

    @Override
    void refuse(final ConnectionTable table)
    {
    }
}
