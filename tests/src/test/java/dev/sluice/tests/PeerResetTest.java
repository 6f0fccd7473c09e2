package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sluice.config.EngineConfig;
import dev.sluice.config.ThreadingMode;
import dev.sluice.connection.CloseReason;
import dev.sluice.connection.Connection;
import dev.sluice.connection.ConnectionHandler;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.FrameClient;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

/** A peer that resets its connection (an abortive close) ends that connection alone, as an I/O error. */
class PeerResetTest
{
    @Test
    void aPeerThatResetsIsClosedAsAnIoErrorAndItsNeighbourGoesOn() throws Exception
    {
        final List<CloseReason> closes = new CopyOnWriteArrayList<>();
        final List<Connection> open = new CopyOnWriteArrayList<>();
        try (Engine engine = Engine.start(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).build()))
        {
            final InetSocketAddress address = engine.listen(Loopback.ANY_PORT, new ConnectionHandler()
            {
                @Override
                public void onOpen(final Connection connection)
                {
                    open.add(connection);
                }

                @Override
                public void onFrame(final Connection c, final DirectBuffer buffer, final int offset, final int length)
                {
                    c.send(buffer, offset, length);
                }

                @Override
                public void onClose(final Connection connection, final CloseReason reason)
                {
                    closes.add(reason);
                }
            });
            try (FrameClient neighbour = FrameClient.connect(address))
            {
                final Socket resetting = new Socket(address.getAddress(), address.getPort());
                Loopback.pumpUntil(engine, () -> open.size() == 2, "both open");
                resetting.getOutputStream().write(new byte[] {0, 0, 0, 9, 1, 2}); // half a frame
                resetting.setSoLinger(true, 0);
                resetting.close(); // an RST, not a FIN
                Loopback.pumpUntil(engine, () -> !closes.isEmpty(), "the reset seen");
                assertEquals(List.of(CloseReason.IO_ERROR), closes);
                neighbour.send(new byte[] {7});
                final byte[][] echo = new byte[1][];
                final Thread reader = new Thread(() ->
                {
                    try
                    {
                        echo[0] = neighbour.read();
                    }
                    catch (final java.io.IOException ex)
                    {
                        // left null: the assertion below says so
                    }
                });
                reader.start();
                Loopback.pumpUntil(engine, () -> !reader.isAlive(), "the neighbour's echo");
                assertEquals(1, echo[0].length, "the neighbour is still served");
            }
        }
    }
}
