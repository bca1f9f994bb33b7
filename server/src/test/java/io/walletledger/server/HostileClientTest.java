package io.walletledger.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.walletledger.server.BinaryRequests.createAccounts;
import static io.walletledger.server.BinaryRequests.fundAndExpectSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that try to tie the server up, against a real server on loopback: slowloris clients that send a request
 * one byte per second on both ports, and an HTTP client that pipelines requests and never reads the answers. While
 * they do, a well-behaved client on each port keeps getting its answers. (The binary client that never reads its
 * replies is {@code BinaryGatewayTest.aClientThatDoesNotReadItsRepliesIsDisconnectedAndOthersGoOn}; silent
 * connections and the connection cap are in {@code HttpApiTest}.)
 */
class HostileClientTest
{
    private static final int SLOW_CLIENTS = 8;
    private static final long WELL_BEHAVED_MILLIS = 4_000;

    @TempDir
    Path data;

    private WalletServer server;
    private HttpClient http;
    private final List<Thread> hostile = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start()
    {
        server = WalletServer.start(HttpApiTest.settings(data));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() throws Exception
    {
        for (final Socket socket : sockets)
        {
            socket.close();
        }
        for (final Thread thread : hostile)
        {
            thread.interrupt();
            thread.join(10_000);
        }
        assertNull(server.node().failure(), "the node stayed healthy");
        server.close();
    }

    @Test
    void slowlorisClientsOnBothPortsDoNotHoldUpAWellBehavedClient() throws Exception
    {
        final byte[] binaryRequest = RawConnection.frame(BinaryRequests.fundings(7L << 40, 4));
        final byte[] httpRequest = ("POST /v1/accounts HTTP/1.1\r\nHost: wallet\r\nContent-Type: application/json\r\n" +
            "Content-Length: 29\r\n\r\n{\"id\":\"77\",\"currency\":\"USD\"}").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < SLOW_CLIENTS; i++)
        {
            trickle(server.binaryAddress(), binaryRequest);
            trickle(server.httpAddress(), httpRequest);
        }

        try (RawConnection good = new RawConnection(server.binaryAddress()))
        {
            createAccounts(good);
            long id = 1L << 32;
            int httpAnswers = 0;
            final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WELL_BEHAVED_MILLIS);
            while (System.nanoTime() < end)
            {
                fundAndExpectSuccess(good, id, 4);
                id += 4;
                assertEquals(200, health().statusCode());
                httpAnswers++;
                TimeUnit.MILLISECONDS.sleep(50);
            }
            assertTrue(httpAnswers > 0);
        }
    }

    @Test
    void anHttpClientTooSlowToSendAWholeRequestIsDisconnectedButAnIdleKeepAliveOneIsNot() throws Exception
    {
        server.close();
        server = WalletServer.start(HttpApiTest.settings(data).withOverrides(
            Map.of("wallet.http.request-read-timeout", "2 s")));
        final byte[] request = ("GET /health HTTP/1.1\r\nHost: wallet\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        // A slowloris: a byte every 300 ms keeps it from being idle, but its request never completes in time.
        final Socket slow = connect(server.httpAddress());
        slow.setSoTimeout(10_000);
        final OutputStream slowOut = slow.getOutputStream();
        boolean closedByServer = false;
        for (int i = 0; i < request.length - 1 && !closedByServer; i++)
        {
            try
            {
                slowOut.write(request[i]);
                slowOut.flush();
                TimeUnit.MILLISECONDS.sleep(300);
                closedByServer = isClosed(slow);
            }
            catch (final IOException ex)
            {
                closedByServer = true;
            }
        }
        // The request never completed (its last byte was never sent) and no idle timeout is set: only the read
        // deadline can have closed the connection.
        assertTrue(closedByServer || isClosed(slow), "the slow client was not disconnected");

        // A keep-alive client that waits longer than the deadline between two whole requests is served both times.
        final Socket patient = connect(server.httpAddress());
        patient.setSoTimeout(10_000);
        for (int i = 0; i < 2; i++)
        {
            patient.getOutputStream().write(request);
            patient.getOutputStream().flush();
            final byte[] answer = new byte[512];
            final int read = patient.getInputStream().read(answer);
            assertTrue(read > 0 && new String(answer, 0, read, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"),
                "answer " + i);
            TimeUnit.MILLISECONDS.sleep(3_000);
        }
    }

    /**
     * @return true if the server closed the socket: a read with a short timeout sees the end of the stream.
     */
    private static boolean isClosed(final Socket socket) throws IOException
    {
        final int timeout = socket.getSoTimeout();
        socket.setSoTimeout(50);
        try
        {
            return socket.getInputStream().read() == -1;
        }
        catch (final java.net.SocketTimeoutException ex)
        {
            return false;
        }
        finally
        {
            socket.setSoTimeout(timeout);
        }
    }

    @Test
    void anHttpClientThatNeverReadsIsNoLongerReadAndOthersAreServed() throws Exception
    {
        final Socket greedy = connect(server.httpAddress());
        final AtomicLong written = new AtomicLong();
        final byte[] request = "GET /v1/accounts/1 HTTP/1.1\r\nHost: wallet\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        start("greedy-http-client", () ->
        {
            final OutputStream out = greedy.getOutputStream();
            for (int i = 0; i < 10_000_000; i++)
            {
                out.write(request);
                written.addAndGet(request.length);
            }
        });

        // The server stops reading from it once its answers back up, so its writes stall: nothing piles up there.
        long before;
        do
        {
            before = written.get();
            TimeUnit.MILLISECONDS.sleep(1_000);
        }
        while (written.get() != before);
        assertTrue(written.get() < 256L << 20, "the server stopped reading after " + written.get() + " bytes");

        for (int i = 0; i < 20; i++)
        {
            assertEquals(200, health().statusCode());
        }
        try (RawConnection good = new RawConnection(server.binaryAddress()))
        {
            createAccounts(good);
            fundAndExpectSuccess(good, 1L << 32, 4);
        }
    }

    private HttpResponse<String> health() throws IOException, InterruptedException
    {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpAddress().getPort() +
            "/health")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A slowloris client: sends {@code request} one byte per second until the test ends or the server hangs up.
     */
    private void trickle(final InetSocketAddress address, final byte[] request) throws IOException
    {
        final Socket socket = connect(address);
        start("slowloris-" + address.getPort(), () ->
        {
            final OutputStream out = socket.getOutputStream();
            for (final byte b : request)
            {
                out.write(b);
                out.flush();
                TimeUnit.SECONDS.sleep(1);
            }
        });
    }

    private Socket connect(final InetSocketAddress address) throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(address, 5_000);
        sockets.add(socket);
        return socket;
    }

    private void start(final String name, final HostileAction action)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                action.run();
            }
            catch (final IOException | InterruptedException ex)
            {
                // Closed by the server or by the test: the end of this hostile client either way.
            }
        }, name);
        thread.setDaemon(true);
        hostile.add(thread);
        thread.start();
    }

    @FunctionalInterface
    private interface HostileAction
    {
        void run() throws IOException, InterruptedException;
    }
}
