package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import dev.sluice.config.EngineConfig;
import dev.sluice.engine.Engine;
import dev.sluice.examples.EchoServerExample;
import dev.sluice.examples.GatewayClientExample;
import org.junit.jupiter.api.Test;

/** The examples quoted in the users' guide work as written. */
class ExamplesTest
{
    @Test
    void gatewayClientGetsItsRequestEchoedByTheEchoServer() throws Exception
    {
        try (Engine server = Engine.start(EngineConfig.builder().build());
            Engine client = Engine.start(EngineConfig.builder().build()))
        {
            final InetSocketAddress address = EchoServerExample.echo(server, 0);
            assertEquals("new order 42",
                GatewayClientExample.request(client, address, "new order 42").get(10, TimeUnit.SECONDS));
        }
    }
}
