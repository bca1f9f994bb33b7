package io.walletledger.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection slots cannot be held for ever: one client address gets at most
 * {@code wallet.gateway.max-connections-per-address} on each port (one more is closed at once), a silent HTTP
 * connection is closed after the request-read timeout counted from its opening (before the idle timeout), a silent
 * binary one after the idle timeout; meanwhile a client from
 * another address is served. The attacker's sockets come from 127.0.0.2, the honest client's from 127.0.0.1.
 */
class ConnectionSlotsTest
{
    private static final int PER_ADDRESS = 4;
    private static final InetAddress ATTACKER = loopback(2);

    @TempDir
    Path data;

    @Test
    void oneAddressHoldsAtMostItsShareAndSilentConnectionsAreClosed() throws Exception
    {
        try (WalletServer server = WalletServer.start(HttpApiTest.settings(data).withOverrides(Map.of(
            "wallet.gateway.max-connections-per-address", PER_ADDRESS,
            "wallet.gateway.idle-timeout", "4 seconds",
            "wallet.http.request-read-timeout", "1 second"))))
        {
            for (final InetSocketAddress port : List.of(server.httpAddress(), server.binaryAddress()))
            {
                final List<Socket> silent = new ArrayList<>();
                try
                {
                    for (int i = 0; i < PER_ADDRESS; i++)
                    {
                        silent.add(connectFrom(ATTACKER, port));
                    }
                    try (Socket oneMore = connectFrom(ATTACKER, port))
                    {
                        assertTrue(closedWithin(oneMore, 500), "one connection more from the same address is " +
                            "closed at once (" + port + ")");
                    }
                    assertEquals(200, new HttpTestClient(server).get("/health").status(),
                        "a client from another address is served meanwhile");
                    // HTTP: the request-read timeout from the connection's opening (1 s), well before the idle timeout;
                    // binary: the idle timeout (4 s).
                    final int within = port.equals(server.httpAddress()) ? 2_500 : 10_000;
                    for (final Socket socket : silent)
                    {
                        assertTrue(closedWithin(socket, within), "a connection that sends nothing is closed (" +
                            port + ")");
                    }
                }
                finally
                {
                    for (final Socket socket : silent)
                    {
                        socket.close();
                    }
                }
            }
            try (Socket again = connectFrom(ATTACKER, server.httpAddress()))
            {
                again.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
                final String answer = new String(again.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 200"), "the address's slots came back: " + answer);
            }
        }
    }

    private static Socket connectFrom(final InetAddress local, final InetSocketAddress server) throws IOException
    {
        final Socket socket = new Socket();
        socket.bind(new InetSocketAddress(local, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort()), 5_000);
        return socket;
    }

    /**
     * @return whether the server closed the connection within the time (a read sees the end of the stream).
     */
    private static boolean closedWithin(final Socket socket, final int millis) throws IOException
    {
        socket.setSoTimeout(millis);
        final InputStream in = socket.getInputStream();
        try
        {
            while (true)
            {
                if (in.read() < 0)
                {
                    return true;
                }
            }
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            return true; // reset by the server
        }
    }

    private static InetAddress loopback(final int last)
    {
        try
        {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte)last});
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
