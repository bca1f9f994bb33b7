package io.walletledger.client;

import io.walletledger.config.WalletSettings;
import io.walletledger.server.WalletServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The change stream from Java: a subscription to a real server delivers every event once, in order, across a
 * restart of the server; a listener that throws stops it at that event; a refused subscription says why.
 */
class WalletEventStreamTest
{
    private static final Pattern TRANSFER_ID = Pattern.compile("\"transfer\":\\{\"id\":\"(\\d+)\"");
    private static final Pattern POSITION = Pattern.compile("\"position\":(\\d+)");

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newHttpClient();
    private int httpPort;

    @Test
    void aSubscriptionDeliversEveryEventOnceInOrderAcrossARestartOfTheServer() throws Exception
    {
        httpPort = freePort();
        final List<ChangeEvent> received = Collections.synchronizedList(new ArrayList<>());
        final List<String> sent = new ArrayList<>();
        EventSubscription subscription = null;
        try
        {
            try (WalletServer server = WalletServer.start(settings()))
            {
                post("/v1/accounts", "{\"id\":\"1\",\"currency\":\"USD\"}");
                post("/v1/accounts", "{\"id\":\"2\",\"currency\":\"USD\"}");
                subscription = WalletEventStream.builder(base()).types("transfer_created").build()
                    .subscribe(0, received::add);
                transfers(sent, 100, 20);
                await(() -> received.size() == 20, received);
            }
            // The server is gone: the subscription waits, then resumes after the last event it delivered.
            try (WalletServer server = WalletServer.start(settings()))
            {
                transfers(sent, 200, 20);
                await(() -> received.size() == 40, received);
                assertTrue(subscription.isRunning());
                assertEquals(received.get(39).position(), subscription.position());
                assertEquals(sent, received.stream().map(event -> match(TRANSFER_ID, event.json())).toList(),
                    "every transfer once, in order");
                for (final ChangeEvent event : received)
                {
                    assertEquals("transfer_created", event.type());
                    assertEquals(Long.toString(event.position()), match(POSITION, event.json()));
                }
            }
        }
        finally
        {
            if (subscription != null)
            {
                subscription.close();
            }
        }
        assertFalse(subscription.isRunning());
        assertEquals(null, subscription.failure(), "closed, not failed");
    }

    @Test
    void aListenerThatThrowsStopsTheSubscriptionAtThatEventAndARefusalSaysWhy() throws Exception
    {
        httpPort = freePort();
        try (WalletServer server = WalletServer.start(settings()))
        {
            post("/v1/accounts", "{\"id\":\"1\",\"currency\":\"USD\"}");
            post("/v1/accounts", "{\"id\":\"2\",\"currency\":\"USD\"}");
            transfers(new ArrayList<>(), 100, 3);
            final List<ChangeEvent> taken = Collections.synchronizedList(new ArrayList<>());
            final EventSubscription stopping = WalletEventStream.builder(base()).types("transfer_created").build()
                .subscribe(0, event ->
                {
                    if (taken.size() == 1)
                    {
                        throw new IllegalStateException("cannot take this one");
                    }
                    taken.add(event);
                });
            await(() -> !stopping.isRunning(), taken);
            assertEquals("cannot take this one", stopping.failure().getMessage());
            assertEquals(1, taken.size());
            assertEquals(taken.get(0).position(), stopping.position(), "the event it threw at is not delivered");

            final List<ChangeEvent> resumed = Collections.synchronizedList(new ArrayList<>());
            try (EventSubscription again = WalletEventStream.builder(base()).types("transfer_created").build()
                .subscribe(stopping.position(), resumed::add))
            {
                await(() -> resumed.size() == 2, resumed);
                assertTrue(resumed.get(0).position() > stopping.position());
            }

            final EventSubscription refused = WalletEventStream.builder(base()).types("no_such_type").build()
                .subscribe(0, event -> { });
            await(() -> !refused.isRunning(), List.of());
            assertNotNull(refused.failure());
            assertTrue(refused.failure().getMessage().contains("400"), refused.failure().getMessage());
        }
    }

    private WalletSettings settings()
    {
        return WalletSettings.load().withOverrides(Map.of(
            "wallet.data-dir", data.toString(),
            "wallet.server.port", 0,
            "wallet.server.http-port", httpPort,
            "wallet.security.mode", "development",
            "wallet.ledger.accounts-max", 64,
            "wallet.ledger.idempotency-window", 1024,
            "wallet.ledger.pending-transfers-max", 64,
            "wallet.ledger.batch-events-max", 64));
    }

    private URI base()
    {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    private void transfers(final List<String> sent, final long firstId, final int count) throws Exception
    {
        for (long id = firstId; id < firstId + count; id++)
        {
            post("/v1/transfers", "{\"transfers\":[{\"id\":\"" + id + "\",\"debit_account_id\":\"1\"," +
                "\"credit_account_id\":\"2\",\"amount_minor\":\"" + id + "\",\"currency\":\"USD\",\"code\":1}]}");
            sent.add(Long.toString(id));
        }
    }

    private void post(final String path, final String body) throws Exception
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(base().resolve(path))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() == 200 || response.statusCode() == 201, response.body());
    }

    private static void await(final BooleanSupplier condition, final List<?> seen) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "waited in vain; so far: " + seen);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static String match(final Pattern pattern, final String text)
    {
        final Matcher matcher = pattern.matcher(text);
        assertTrue(matcher.find(), text);
        return matcher.group(1);
    }

    private static int freePort() throws Exception
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
