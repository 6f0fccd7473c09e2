package dev.sluice.tests;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.sluice.examples.fix.FixGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FIX gateway allocates nothing per order once a session is logged on: over a million execution reports (orders
 * parsed in place on the loop, matched on the matching thread, journaled and released through the gate, encoded into
 * the send buffer), the loop thread and the matching thread allocate 0 bytes. The client is ours and allocates freely.
 */
class ZeroGarbageFixGatewayTest
{
    private static final String SOH = "\u0001";

    @Test
    void theLoopAndTheMatchingThreadAllocateNothingPerOrder(@TempDir final Path dir) throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (FixGateway gateway = new FixGateway("GATEWAY", new String[] {"CLIENT"}, new String[] {"ACME"}, 0,
            dir.resolve("orders.journal"));
            Socket socket = new Socket(gateway.address().getAddress(), gateway.address().getPort()))
        {
            socket.setTcpNoDelay(true);
            final OutputStream out = socket.getOutputStream();
            final InputStream in = socket.getInputStream();
            out.write(message("A", 1, "98=0" + SOH + "108=30" + SOH + "141=Y" + SOH));
            out.flush();
            awaitLogon(in);
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread reader = new Thread(() -> drain(in, stop, failure), "fix-test-reader");
            final Thread writer = new Thread(() -> sendOrders(out, stop, failure), "fix-test-writer");
            reader.start();
            writer.start();
            try
            {
                final long[] watched = {gateway.engine().loopThread(0).getId(), matchingThread().getId()};
                QuietWarmUp.run(threads, watched, 4_000_000_000L, () -> Thread.sleep(100));
                final QuietWarmUp.Windows windows = QuietWarmUp.measureWhileRunning(threads,
                    new long[][] {{watched[0]}, {watched[1]}}, new String[] {"loop", "matching thread"},
                    gateway.engine().counters(0).responsesSent::get, "execution reports");
                assertNull(failure.get());
                assertTrue(gateway.journalForces() > 0, "gated: the journal forced its groups");
                assertTrue(windows.clean(), "no window of a million execution reports without allocation:" +
                    windows.report());
            }
            finally
            {
                stop.set(true);
                socket.shutdownInput(); // the reader sees the end, and the writer's next write fails
                socket.shutdownOutput();
                writer.join(10_000);
                reader.join(10_000);
            }
        }
    }

    private static Thread matchingThread()
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().equals("fix-matching"))
            {
                return thread;
            }
        }
        throw new AssertionError("no matching thread");
    }

    /** Pairs of orders that trade with each other (buy 1 rests, sell 1 fills it): four reports, an empty book. */
    private static void sendOrders(final OutputStream out, final AtomicBoolean stop,
        final AtomicReference<Throwable> failure)
    {
        try
        {
            for (int sequence = 2; !stop.get(); sequence += 2)
            {
                out.write(order(sequence, '1'));
                out.write(order(sequence + 1, '2'));
                if ((sequence & 63) == 0)
                {
                    out.flush();
                }
            }
        }
        catch (final IOException ex)
        {
            if (!stop.get())
            {
                failure.set(ex);
            }
        }
    }

    private static byte[] order(final int sequence, final char side)
    {
        return message("D", sequence, "11=o" + sequence + SOH + "55=ACME" + SOH + "54=" + side + SOH +
            "60=20261202-12:00:00.000" + SOH + "38=1" + SOH + "40=2" + SOH + "44=10.5" + SOH + "59=0" + SOH);
    }

    private static void drain(final InputStream in, final AtomicBoolean stop, final AtomicReference<Throwable> failure)
    {
        final byte[] chunk = new byte[64 * 1024];
        try
        {
            while (in.read(chunk) >= 0)
            {
                // what the gateway sends is counted on its side
            }
        }
        catch (final IOException ex)
        {
            if (!stop.get())
            {
                failure.set(ex);
            }
        }
    }

    static void awaitLogon(final InputStream in) throws IOException
    {
        final StringBuilder received = new StringBuilder();
        final byte[] chunk = new byte[4096];
        while (!received.toString().contains(SOH + "35=A" + SOH))
        {
            final int n = in.read(chunk);
            assertTrue(n > 0, "logged on: " + received);
            received.append(new String(chunk, 0, n, StandardCharsets.US_ASCII));
        }
    }

    static byte[] message(final String msgType, final int sequence, final String fields)
    {
        return message("CLIENT", msgType, sequence, fields);
    }

    /** A message from {@code sender} to GATEWAY, with BodyLength and CheckSum. */
    static byte[] message(final String sender, final String msgType, final int sequence, final String fields)
    {
        final String body = "35=" + msgType + SOH + "34=" + sequence + SOH + "49=" + sender + SOH +
            "52=20261202-12:00:00.000" + SOH + "56=GATEWAY" + SOH + fields;
        final String head = "8=FIX.4.4" + SOH + "9=" + body.length() + SOH;
        int sum = 0;
        for (final byte b : (head + body).getBytes(StandardCharsets.US_ASCII))
        {
            sum += b;
        }
        return (head + body + String.format("10=%03d", sum & 0xFF) + SOH).getBytes(StandardCharsets.US_ASCII);
    }
}
