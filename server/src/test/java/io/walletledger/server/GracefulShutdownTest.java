package io.walletledger.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.server.node.LedgerNodeTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM under load: a real server process takes pipelined transfer requests on eight binary connections when it
 * is asked to stop, as a service manager asks. Every request sent before the signal gets an answer before its
 * connection closes: applied, or refused because the ledger is shutting down. Restarted, every request answered as
 * applied is in the ledger, every one refused was not applied, and no request sent at any time was applied without
 * its answer reaching the client (one the server never read is not applied: the client may send it again).
 */
class GracefulShutdownTest
{
    private static final int CONNECTIONS = 8;
    /** As many as a connection may have in the ledger (max-in-flight-per-connection): a backlog when the signal comes. */
    private static final int IN_FLIGHT = 64;
    private static final int TRANSFERS_PER_REQUEST = 64;
    private static final String WINDOW = "wallet.ledger.idempotency-window";

    @TempDir
    Path data;

    /** The outcome of each request by its first transfer id: "applied" or "shutting down". */
    private final Map<Long, String> answered = new ConcurrentHashMap<>();
    /** When each request was whole in its socket, by its first transfer id. */
    private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    /** When each answer was read, by the request's first transfer id. */
    private final Map<Long, Long> answeredAt = new ConcurrentHashMap<>();

    @Test
    void everyRequestSentBeforeSigtermIsAnswered() throws Exception
    {
        final long signalled;
        // A window that holds every id of the run: each transfer is judged by the engine alone.
        try (DevServerProcess child = DevServerProcess.start(data, DevServerProcess.SMALL_LEDGER + WINDOW + " = " +
            (1 << 20) + "\n"))
        {
            final HttpClient http = HttpClient.newHttpClient();
            for (final String account : new String[] { "{\"id\":\"1\",\"currency\":\"USD\"}",
                "{\"id\":\"2\",\"currency\":\"USD\",\"flags\":[\"debits_must_not_exceed_credits\"]}" })
            {
                assertEquals(201, http.send(HttpRequest.newBuilder(URI.create(child.httpBase() + "/v1/accounts"))
                    .POST(HttpRequest.BodyPublishers.ofString(account)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            final AtomicBoolean stop = new AtomicBoolean();
            final List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++)
            {
                final RawConnection connection =
                    new RawConnection(new InetSocketAddress("127.0.0.1", child.binaryPort()));
                final Semaphore window = new Semaphore(IN_FLIGHT);
                final long firstId = (c + 1L) << 40;
                threads.add(start("writer " + c, () -> write(connection, window, firstId, stop)));
                threads.add(start("reader " + c, () -> read(connection, window)));
            }
            TimeUnit.MILLISECONDS.sleep(1_500);
            signalled = System.nanoTime();
            child.terminate();
            final int status = child.awaitExit(60);
            assertTrue(status == 0 || status == 128 + 15, "the server stopped by itself after SIGTERM: " + status);
            stop.set(true);
            for (final Thread thread : threads)
            {
                thread.join(30_000);
            }
        }

        int beforeSignal = 0;
        int inFlightAtSignal = 0;
        for (final Map.Entry<Long, Long> sent : sentAt.entrySet())
        {
            if (sent.getValue() < signalled)
            {
                beforeSignal++;
                inFlightAtSignal += answeredAt.getOrDefault(sent.getKey(), Long.MAX_VALUE) > signalled ? 1 : 0;
                assertTrue(answered.containsKey(sent.getKey()), "request " + sent.getKey() + " was sent " +
                    TimeUnit.NANOSECONDS.toMicros(signalled - sent.getValue()) + " µs before SIGTERM and never " +
                    "answered");
            }
        }
        assertTrue(beforeSignal > 100, "the load before the signal: " + beforeSignal + " requests");
        assertTrue(inFlightAtSignal > 0, "some requests were in flight when the signal came");

        try (WalletServer restarted = WalletServer.start(TransferRecordTest.settings(data).withOverrides(Map.of(
            WINDOW, 1 << 20))))
        {
            final HttpTestClient http = new HttpTestClient(restarted);
            long applied = 0;
            for (final Map.Entry<Long, String> answer : answered.entrySet())
            {
                final int status = http.get("/v1/transfers/" + answer.getKey()).status();
                if (answer.getValue().equals("applied"))
                {
                    assertEquals(200, status, "request " + answer.getKey() + " was answered as applied");
                    applied++;
                }
                else
                {
                    assertEquals(404, status, "request " + answer.getKey() + " was answered as not applied");
                }
            }
            // And no request was applied without its answer, whenever it was sent: the ledger drained before the
            // connections closed.
            int appliedUnanswered = 0;
            for (final long id : sentAt.keySet())
            {
                if (!answered.containsKey(id) && http.get("/v1/transfers/" + id).status() == 200)
                {
                    appliedUnanswered++;
                }
            }
            assertEquals(0, appliedUnanswered, "requests applied whose answers were lost");
            final JsonNode wallet = http.get("/v1/accounts/2").body();
            assertTrue(applied > 0);
            assertTrue(Long.parseLong(wallet.get("credits_posted_minor").asText()) >= applied * TRANSFERS_PER_REQUEST * 100,
                wallet.toString());
            System.out.printf("%d requests sent before SIGTERM, %d of them in flight when it came; %d applied%n",
                beforeSignal, inFlightAtSignal, applied);
        }
    }

    private void write(final RawConnection connection, final Semaphore window, final long firstId,
        final AtomicBoolean stop)
    {
        try
        {
            for (long id = firstId; !stop.get(); id += TRANSFERS_PER_REQUEST)
            {
                if (!window.tryAcquire(100, TimeUnit.MILLISECONDS))
                {
                    continue;
                }
                connection.send(BinaryRequests.fundings(id, TRANSFERS_PER_REQUEST));
                sentAt.put(id, System.nanoTime());
            }
        }
        catch (final IOException | InterruptedException ex)
        {
            // The server closed the connection: what was sent before is judged by its answers.
        }
    }

    private void read(final RawConnection connection, final Semaphore window)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        try (connection)
        {
            while (true)
            {
                final byte[] reply = connection.receive();
                final int template = LedgerNodeTest.templateOf(reply);
                if (template == CreateTransfersResponseDecoder.TEMPLATE_ID)
                {
                    final CreateTransfersResponseDecoder response = new CreateTransfersResponseDecoder()
                        .wrapAndApplyHeader(RawConnection.buffer(reply), 0, header);
                    final CreateTransfersResponseDecoder.ResultsDecoder results = response.results();
                    assertEquals(0, results.count(), () -> "a funding transfer always succeeds, not " +
                        results.next().result());
                    answeredAt.put(response.correlationId(), System.nanoTime());
                    answered.put(response.correlationId(), "applied");
                }
                else
                {
                    assertEquals(ErrorResponseDecoder.TEMPLATE_ID, template);
                    final ErrorResponseDecoder error = new ErrorResponseDecoder()
                        .wrapAndApplyHeader(RawConnection.buffer(reply), 0, header);
                    assertEquals(ErrorCode.BUSY, error.code());
                    final long id = error.correlationId();
                    final String message = error.message();
                    assertTrue(message.contains("shutting down"), message);
                    answeredAt.put(id, System.nanoTime());
                    answered.put(id, "shutting down");
                }
                window.release();
            }
        }
        catch (final IOException ex)
        {
            // End of stream: the server closed the connection.
        }
    }

    private static Thread start(final String name, final Runnable task)
    {
        final Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
