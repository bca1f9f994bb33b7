package io.walletledger.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walletledger.server.HttpTestClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The change stream on a real server: every change the ledger applied is an event, in order, with its position;
 * a long poll waits for the next one; filters; Server-Sent Events resume after {@code Last-Event-ID}; and the stream
 * is the same, position for position, after a restart and after the record is rebuilt from the journal.
 */
class ChangeStreamTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void everyChangeIsAnEventInOrderAndALongPollWaitsForTheNext() throws Exception
    {
        final List<JsonNode> events;
        try (WalletServer server = WalletServer.start(TransferRecordTest.settings(data)))
        {
            final HttpTestClient http = new HttpTestClient(server);
            TransferRecordTest.fundWallets(http);
            changes(http);
            events = readAll(http, "", 13);
            // The start journals the configured policy settings: the stream's first events.
            assertEquals(List.of("holds_per_account_max", "hold_timeout_max_seconds"), events.subList(0, 2).stream()
                .map(e -> e.get("policy").get("setting").asText()).toList());
            final List<JsonNode> applied = events.subList(2, events.size());
            assertEquals(List.of("account_created", "account_created", "account_created", "transfer_created",
                "hold_created", "hold_posted", "hold_created", "hold_voided", "transfer_failed", "account_frozen",
                "account_unfrozen", "account_created", "fee_set", "transfer_created", "review_threshold_set",
                "transfer_held_for_review", "review_approved", "transfer_held_for_review", "review_rejected",
                "account_limits_set", "code_limits_set", "policy_setting_set"),
                applied.stream().map(e -> e.get("type").asText()).toList());
            long previous = 0;
            for (final JsonNode event : events)
            {
                assertEquals(1, event.get("version").asInt());
                assertTrue(event.get("position").asLong() > previous, "strictly increasing positions");
                previous = event.get("position").asLong();
                assertFalse(event.get("timestamp").asText().isEmpty());
            }

            final JsonNode funding = applied.get(3);
            assertEquals("1", funding.get("transfer").get("id").asText());
            assertEquals("1000.00", funding.get("transfer").get("amount").asText());
            assertEquals("1000.00", funding.get("balances").get("credit_account").get("balance").asText(),
                "the payee's balance right after the transfer");
            assertEquals("1001", funding.get("balances").get("credit_account").get("id").asText());
            assertEquals("-1000.00", funding.get("balances").get("debit_account").get("balance").asText());
            assertEquals("1001", applied.get(1).get("account").get("id").asText());
            assertEquals("[\"debits_must_not_exceed_credits\"]", applied.get(1).get("account").get("flags").toString());
            assertEquals("EXCEEDS_CREDITS", applied.get(8).get("transfer").get("result").asText());
            assertEquals("frozen", applied.get(9).get("account").get("status").asText());
            assertEquals("debits", applied.get(9).get("account").get("freeze_scope").asText());
            assertEquals("0.10", applied.get(12).get("policy").get("fixed_amount").asText());
            assertEquals("9000", applied.get(12).get("policy").get("fee_account_id").asText());
            assertEquals("0.10", applied.get(13).get("transfer").get("fee").asText());
            assertEquals("0.10", applied.get(13).get("balances").get("fee_account").get("balance").asText());
            assertEquals("50.00", applied.get(14).get("policy").get("threshold").asText());
            assertEquals("7.00", applied.get(19).get("account").get("transfer_amount_limit").asText());
            assertEquals("day_start_seconds", applied.get(21).get("policy").get("setting").asText());

            // Filters: by account (any part in it) and by type.
            final List<JsonNode> of1002 = readAll(http, "&account=1002&type=transfer_created,account_created", 13);
            assertEquals(List.of("account_created", "transfer_created"),
                of1002.stream().map(e -> e.get("type").asText()).toList());

            // A long poll at the end waits for the next event.
            final long last = events.get(events.size() - 1).get("position").asLong();
            final CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() ->
                get(http, "/v1/events?wait=30&after=" + last));
            Thread.sleep(200);
            assertFalse(waiting.isDone(), "nothing new yet: the poll waits");
            TransferRecordTest.transfers(http, "{\"id\":\"60\",\"debit_account_id\":\"1001\"," +
                "\"credit_account_id\":\"1002\",\"amount_minor\":\"3\",\"currency\":\"USD\",\"code\":2}");
            final Response next = waiting.get(30, TimeUnit.SECONDS);
            assertEquals(200, next.status(), next.body().toString());
            assertEquals("60", next.body().get("events").get(0).get("transfer").get("id").asText());
            final Response empty = http.get("/v1/events?wait=0&after=" + next.body().get("next_after").asLong());
            assertEquals("{\"events\":[],\"next_after\":" + next.body().get("next_after").asLong() + "}",
                empty.body().toString(), "wait=0 answers at once");

            HttpTestClient.expectBadRequest(http.get("/v1/events?after=-1"), "after");
            HttpTestClient.expectBadRequest(http.get("/v1/events?limit=0"), "limit");
            HttpTestClient.expectBadRequest(http.get("/v1/events?wait=61"), "wait");
            HttpTestClient.expectBadRequest(http.get("/v1/events?type=transfer"), "not an event type");
            HttpTestClient.expectBadRequest(http.get("/v1/events?colour=red"), "colour");
            assertEquals(405, http.post("/v1/events", "{}").status());
        }
        try (WalletServer server = WalletServer.start(TransferRecordTest.settings(data)))
        {
            assertEquals(events, readAll(new HttpTestClient(server), "", 13).subList(0, events.size()),
                "the same stream after a restart");
        }
        deleteRecursively(data.resolve("record"));
        try (WalletServer server = WalletServer.start(TransferRecordTest.settings(data)))
        {
            assertEquals(events, readAll(new HttpTestClient(server), "", 13).subList(0, events.size()),
                "the same stream from a record rebuilt from the journal");
        }
    }

    @Test
    void serverSentEventsStreamEveryEventAndResumeAfterTheLastEventId() throws Exception
    {
        try (WalletServer server = WalletServer.start(TransferRecordTest.settings(data)))
        {
            final HttpTestClient http = new HttpTestClient(server);
            TransferRecordTest.fundWallets(http);
            final List<JsonNode> all = readAll(http, "", 100);
            final HttpClient client = HttpClient.newHttpClient();
            final HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(
                URI.create(http.base() + "/v1/events?limit=2")).header("Accept", "text/event-stream")
                .header("Last-Event-ID", all.get(0).get("position").asText()).build(),
                HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, stream.statusCode());
            assertEquals("text/event-stream; charset=utf-8", stream.headers().firstValue("Content-Type").orElse(""));
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(),
                StandardCharsets.UTF_8)))
            {
                for (final JsonNode expected : all.subList(1, all.size()))
                {
                    assertEquals(expected, nextEvent(lines, expected.get("position").asText()));
                }
                // New events arrive on the open stream.
                TransferRecordTest.transfers(http, "{\"id\":\"70\",\"debit_account_id\":\"1001\"," +
                    "\"credit_account_id\":\"1002\",\"amount_minor\":\"5\",\"currency\":\"USD\",\"code\":1}");
                final JsonNode arrived = nextEvent(lines, null);
                assertEquals("70", arrived.get("transfer").get("id").asText());
                assertEquals("transfer_created", arrived.get("type").asText());
            }
        }
    }

    /**
     * @return the next event of a stream, checking its id (if given) against its position.
     */
    private static JsonNode nextEvent(final BufferedReader lines, final String id) throws Exception
    {
        String eventId = null;
        for (String line = lines.readLine(); line != null; line = lines.readLine())
        {
            if (line.startsWith("id: "))
            {
                eventId = line.substring(4);
            }
            else if (line.startsWith("data: "))
            {
                final JsonNode event = JSON.readTree(line.substring(6));
                assertEquals(event.get("position").asText(), eventId, "the id is the position");
                if (id != null)
                {
                    assertEquals(id, eventId);
                }
                return event;
            }
        }
        throw new AssertionError("the stream ended");
    }

    /**
     * Every kind of change: holds posted and voided, a failure, a freeze, a fee, review decisions, limits, a setting.
     */
    private static void changes(final HttpTestClient http) throws Exception
    {
        TransferRecordTest.transfers(http, "{\"id\":\"10\",\"debit_account_id\":\"1001\",\"credit_account_id\":" +
            "\"1002\",\"amount_minor\":\"40\",\"currency\":\"USD\",\"code\":1,\"flags\":[\"pending\"],\"timeout\":600}");
        TransferRecordTest.transfers(http, "{\"id\":\"11\",\"pending_id\":\"10\",\"amount_minor\":\"40\"," +
            "\"currency\":\"USD\",\"code\":1,\"flags\":[\"post_pending\"]}");
        TransferRecordTest.transfers(http, "{\"id\":\"12\",\"debit_account_id\":\"1001\",\"credit_account_id\":" +
            "\"1002\",\"amount_minor\":\"40\",\"currency\":\"USD\",\"code\":1,\"flags\":[\"pending\"],\"timeout\":600}");
        TransferRecordTest.transfers(http, "{\"id\":\"13\",\"pending_id\":\"12\",\"amount_minor\":\"40\",\"currency\":\"USD\",\"code\":1," +
            "\"flags\":[\"void_pending\"]}");
        TransferRecordTest.transfers(http, "{\"id\":\"14\",\"debit_account_id\":\"1002\",\"credit_account_id\":" +
            "\"1001\",\"amount_minor\":\"999999\",\"currency\":\"USD\",\"code\":1}");
        assertEquals(200, http.post("/v1/accounts/1002/freeze", "").status());
        assertEquals(200, http.post("/v1/accounts/1002/unfreeze", "").status());
        assertEquals(201, http.post("/v1/accounts", "{\"id\":\"9000\",\"currency\":\"USD\"}").status());
        Response response = http.put("/v1/fees/2/USD", "{\"fixed_amount\":\"0.10\",\"fee_account_id\":\"9000\"}");
        assertEquals(200, response.status(), response.body().toString());
        TransferRecordTest.transfers(http, "{\"id\":\"15\",\"debit_account_id\":\"1001\",\"credit_account_id\":" +
            "\"1002\",\"amount_minor\":\"100\",\"currency\":\"USD\",\"code\":2}");
        response = http.put("/v1/review-thresholds/USD", "{\"threshold\":\"50.00\"}");
        assertEquals(200, response.status(), response.body().toString());
        for (final String[] review : new String[][] {{"16", "17", "approve"}, {"18", "19", "reject"}})
        {
            response = http.post("/v1/transfers", "{\"transfers\":[{\"id\":\"" + review[0] + "\",\"debit_account_id\":" +
                "\"1001\",\"credit_account_id\":\"1002\",\"amount_minor\":\"6000\",\"currency\":\"USD\",\"code\":1}]}");
            assertEquals(200, response.status(), response.body().toString());
            response = http.post("/v1/transfers/" + review[0] + "/review", "{\"id\":\"" + review[1] +
                "\",\"decision\":\"" + review[2] + "\"}");
            assertEquals(200, response.status(), response.body().toString());
        }
        response = http.put("/v1/accounts/1001/limits", "{\"transfer_amount_limit_minor\":\"700\"}");
        assertEquals(200, response.status(), response.body().toString());
        response = http.put("/v1/codes/5/limits", "{\"daily_debit_limit_minor\":\"100\"}");
        assertEquals(200, response.status(), response.body().toString());
        response = http.put("/v1/settings", "{\"day_start_seconds\":3600}");
        assertEquals(200, response.status(), response.body().toString());
    }

    /**
     * @return every event from the start, read in pages of {@code limit}, up to the last one the ledger applied.
     */
    private static List<JsonNode> readAll(final HttpTestClient http, final String filter, final int limit)
        throws Exception
    {
        // A history query waits for the record to hold what the ledger applied: then the stream has it too.
        assertEquals(200, http.get("/v1/accounts/1001/transfers?limit=1").status());
        final List<JsonNode> events = new ArrayList<>();
        long after = 0;
        while (true)
        {
            final Response page = http.get("/v1/events?wait=0&limit=" + limit + "&after=" + after + filter);
            assertEquals(200, page.status(), page.body().toString());
            page.body().get("events").forEach(events::add);
            final long next = page.body().get("next_after").asLong();
            if (page.body().get("events").isEmpty() && next == after)
            {
                return events;
            }
            after = next;
        }
    }

    private static Response get(final HttpTestClient http, final String path)
    {
        try
        {
            return http.get(path);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static void deleteRecursively(final Path directory) throws Exception
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
