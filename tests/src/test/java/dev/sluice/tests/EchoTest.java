package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;
import dev.sluice.testkit.CloseLog;
import dev.sluice.testkit.EchoHandler;
import dev.sluice.testkit.FrameClient;
import org.junit.jupiter.api.Test;

class EchoTest
{
    private static final InetSocketAddress ANY_LOCAL = new InetSocketAddress("127.0.0.1", 0);

    static byte[] payload(final int connection, final int seq, final int size)
    {
        final byte[] p = new byte[size];
        for (int i = 0; i < size; i++)
        {
            p[i] = (byte)(connection * 31 + seq * 7 + i);
        }
        return p;
    }

    @Test
    void oneConnectionGetsEveryFrameBackInOrderByteIdentical() throws Exception
    {
        try (Engine engine = Engine.start(EngineConfig.builder().build()))
        {
            final InetSocketAddress address = engine.listen(ANY_LOCAL, new EchoHandler(new CloseLog()));
            try (FrameClient client = FrameClient.connect(address))
            {
                final int frames = 20_000;
                for (int round = 0; round < frames / 100; round++)
                {
                    for (int i = 0; i < 100; i++)
                    {
                        final int seq = round * 100 + i;
                        client.write(payload(0, seq, 1 + seq % 2000));
                    }
                    client.flush();
                    for (int i = 0; i < 100; i++)
                    {
                        final int seq = round * 100 + i;
                        assertArrayEquals(payload(0, seq, 1 + seq % 2000), client.read(), "frame " + seq);
                    }
                }
                assertEquals(frames, engine.counters(0).framesIn.get());
            }
        }
    }

    @Test
    void fiveHundredConcurrentConnectionsEachGetTheirOwnFramesBackInOrder() throws Exception
    {
        final int connections = 500;
        final int frames = 100;
        try (Engine engine = Engine.start(EngineConfig.builder().loops(2).build()))
        {
            final InetSocketAddress address = engine.listen(ANY_LOCAL, new EchoHandler(new CloseLog()));
            final List<FrameClient> clients = new ArrayList<>();
            try
            {
                for (int c = 0; c < connections; c++)
                {
                    clients.add(FrameClient.connect(address));
                }
                for (int round = 0; round < frames / 10; round++)
                {
                    for (int c = 0; c < connections; c++)
                    {
                        for (int i = 0; i < 10; i++)
                        {
                            clients.get(c).write(payload(c, round * 10 + i, 64 + c % 100));
                        }
                        clients.get(c).flush();
                    }
                    for (int c = 0; c < connections; c++)
                    {
                        for (int i = 0; i < 10; i++)
                        {
                            final int seq = round * 10 + i;
                            assertArrayEquals(payload(c, seq, 64 + c % 100), clients.get(c).read(),
                                "connection " + c + " frame " + seq);
                        }
                    }
                }
            }
            finally
            {
                for (final FrameClient client : clients)
                {
                    client.close();
                }
            }
            final long framesIn = engine.counters(0).framesIn.get() + engine.counters(1).framesIn.get();
            assertEquals((long)connections * frames, framesIn);
            final long accepted = engine.counters(0).accepted.get();
            assertEquals(connections, accepted);
        }
    }
}
