package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.sluice.examples.fix.FixGateway;
import dev.sluice.examples.fix.FixGatewayMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable gateway starts as its sessions file says, and names a setting that is missing or wrong. */
class FixGatewayMainTest
{
    @Test
    void aGatewayStartsFromItsSessionsFileWithItsJournalAndStore(@TempDir final Path dir) throws Exception
    {
        final Path journal = dir.resolve("store/orders.journal");
        final Path file = dir.resolve("sessions.properties");
        Files.writeString(file, "compId=GATEWAY\nport=0\nclients=CLIENT, OTHER\nsymbols=ACME\njournal=" +
            journal.toString().replace('\\', '/') + "\nstore=" + dir.resolve("sessions").toString().replace('\\', '/') +
            "\n");
        try (FixGateway gateway = FixGatewayMain.start(file);
            Socket socket = new Socket(gateway.address().getAddress(), gateway.address().getPort()))
        {
            socket.getOutputStream().write(ZeroGarbageFixGatewayTest.message("A", 1, "98=0\u0001108=30\u0001"));
            ZeroGarbageFixGatewayTest.awaitLogon(socket.getInputStream());
            assertEquals(1, gateway.logons());
            assertTrue(Files.exists(journal), "the journal was opened where the file says");
            assertTrue(Files.exists(dir.resolve("sessions/CLIENT.reports")), "and the session store");
        }
    }

    @Test
    void aMissingOrWrongSettingIsNamed(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("sessions.properties");
        Files.writeString(file, "compId=GATEWAY\nport=0\nsymbols=ACME\n");
        assertEquals("the sessions file has no clients",
            assertThrows(IllegalArgumentException.class, () -> FixGatewayMain.start(file)).getMessage());
        Files.writeString(file, "compId=GATEWAY\nport=ninety\nclients=CLIENT\nsymbols=ACME\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FixGatewayMain.start(file)).getMessage()
            .startsWith("port is not a number"));
    }
}
