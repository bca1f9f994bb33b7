package io.walletledger.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walletledger.server.HttpTestClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The record across SIGKILL: a real server process, with a small idempotency window and the record on, takes
 * transfers over HTTP and is killed at a random moment while it writes them; restarted on the same directory, every
 * transfer it acknowledged is found by id (most of them only in the record by then), none is found twice over (the
 * balances equal what the acknowledged and the found transfers moved), every one of them sent again is recognised
 * (far beyond the window: no money moves twice), and the record equals one rebuilt from the journal alone, which
 * recognises them too.
 */
class TransferRecordCrashTest
{
    private static final int PER_REQUEST = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    /** The account {@link #lookUp} read last. */
    private JsonNode balance;
    /** The change stream {@link #lookUp} read last, every event as JSON. */
    private List<String> stream;

    @Test
    void everyAcknowledgedTransferIsInTheRecordAfterSigkillAndTheRecordEqualsARebuild() throws Exception
    {
        final List<Long> acknowledged = new ArrayList<>();
        long nextId = 1_000;
        try (DevServerProcess server = DevServerProcess.start(data, DevServerProcess.SMALL_LEDGER))
        {
            final String base = server.httpBase();
            final HttpClient http = HttpClient.newHttpClient();
            post(http, base, "/v1/accounts", "{\"id\":\"1\",\"currency\":\"USD\"}");
            post(http, base, "/v1/accounts", "{\"id\":\"2\",\"currency\":\"USD\"}");
            final long killAfter = ThreadLocalRandom.current().nextLong(20, 60);
            for (int request = 0; request < killAfter; request++)
            {
                final List<Long> ids = new ArrayList<>();
                final StringBuilder batch = new StringBuilder("{\"transfers\":[");
                for (int i = 0; i < PER_REQUEST; i++)
                {
                    final long id = nextId++;
                    ids.add(id);
                    batch.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id)
                        .append("\",\"debit_account_id\":\"1\",\"credit_account_id\":\"2\",\"amount_minor\":\"")
                        .append(id).append("\",\"currency\":\"USD\",\"code\":1}");
                }
                post(http, base, "/v1/transfers", batch.append("]}").toString());
                acknowledged.addAll(ids);
            }
            // One more request in flight while the process dies: applied or not, never half.
            http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/transfers"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"transfers\":[{\"id\":\"" + nextId +
                    "\",\"debit_account_id\":\"1\",\"credit_account_id\":\"2\",\"amount_minor\":\"" + nextId +
                    "\",\"currency\":\"USD\",\"code\":1}]}")).build(), HttpResponse.BodyHandlers.ofString());
            server.kill();
        }

        final long lastId = nextId;
        final Map<Long, String> found = lookUp(acknowledged, lastId);
        long moved = 0;
        for (final long id : acknowledged)
        {
            assertTrue(found.containsKey(id), "acknowledged transfer " + id + " is in the record");
        }
        for (final long id : found.keySet())
        {
            moved += id;
        }
        assertEquals(Long.toString(moved), balanceOf("2"), "the wallet holds exactly what the found transfers moved");

        final List<String> streamed = new ArrayList<>();
        for (final String event : stream)
        {
            final JsonNode json = JSON.readTree(event);
            if (json.get("type").asText().equals("transfer_created"))
            {
                streamed.add(json.get("transfer").get("id").asText());
            }
        }
        assertEquals(found.keySet().stream().map(String::valueOf).toList(), streamed,
            "the change stream has every transfer found, once, in the order they were sent");

        final List<String> before = stream;
        deleteRecursively(data.resolve("record"));
        assertEquals(found, lookUp(acknowledged, lastId), "the record equals one rebuilt from the journal");
        assertEquals(before, stream, "the change stream equals one rebuilt from the journal, position for position");
    }

    /**
     * @return the transfers found by id after a restart, as their JSON: every acknowledged one, and the one that was
     * in flight if the ledger applied it.
     */
    private Map<Long, String> lookUp(final List<Long> acknowledged, final long inFlight) throws Exception
    {
        final Map<Long, String> found = new LinkedHashMap<>();
        try (WalletServer server = WalletServer.start(TransferRecordTest.settings(data)))
        {
            final HttpTestClient http = new HttpTestClient(server);
            for (final long id : acknowledged)
            {
                final Response response = http.get("/v1/transfers/" + id);
                assertEquals(200, response.status(), "transfer " + id + ": " + response.body());
                found.put(id, response.body().toString());
            }
            final Response last = http.get("/v1/transfers/" + inFlight);
            if (last.status() == 200)
            {
                found.put(inFlight, last.body().toString());
            }
            else
            {
                assertEquals(404, last.status(), last.body().toString());
            }
            stream = new ArrayList<>();
            long after = 0;
            for (Response page = http.get("/v1/events?wait=0&limit=1000"); !page.body().get("events").isEmpty();
                page = http.get("/v1/events?wait=0&limit=1000&after=" + after))
            {
                assertEquals(200, page.status(), page.body().toString());
                page.body().get("events").forEach(event -> stream.add(event.toString()));
                after = page.body().get("next_after").asLong();
            }
            resend(http, found.keySet());
            balance = http.get("/v1/accounts/2").body();
        }
        return found;
    }

    /**
     * Sends every transfer found again, as a client that never got its acknowledgement would: each is recognised
     * ({@code EXISTS}), again while the ledger answers {@code RECORD_BEHIND} (its record still catching up).
     */
    private static void resend(final HttpTestClient http, final Iterable<Long> ids) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (final long id : ids)
        {
            String result;
            do
            {
                final Response response = http.post("/v1/transfers", "{\"transfers\":[{\"id\":\"" + id +
                    "\",\"debit_account_id\":\"1\",\"credit_account_id\":\"2\",\"amount_minor\":\"" + id +
                    "\",\"currency\":\"USD\",\"code\":1}]}");
                assertEquals(200, response.status(), response.body().toString());
                result = response.body().get("results").get(0).get("result").asText();
            }
            while ("RECORD_BEHIND".equals(result) && System.nanoTime() < deadline);
            assertEquals("EXISTS", result, "transfer " + id + " sent again");
        }
    }

    private String balanceOf(final String account)
    {
        assertEquals(account, balance.get("id").asText());
        return balance.get("credits_posted_minor").asText();
    }

    private static void post(final HttpClient http, final String base, final String path, final String body)
        throws Exception
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() == 200 || response.statusCode() == 201, response.body());
    }

    private static void deleteRecursively(final Path directory) throws Exception
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
