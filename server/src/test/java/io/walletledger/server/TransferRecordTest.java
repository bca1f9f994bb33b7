package io.walletledger.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.walletledger.config.WalletSettings;
import io.walletledger.server.HttpTestClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The permanent record through a real server's HTTP API: a transfer is found long after the engine's idempotency
 * window has forgotten it, a failed one answers its failure, a closed hold its status; across a restart; and a
 * record that is lost or damaged is rebuilt from the journal before it answers, never answering wrong.
 */
class TransferRecordTest
{
    /** Far smaller than the traffic of each test, so that the engine forgets the first transfers. */
    private static final int WINDOW = 64;
    /** Requests of 50, several times the window. */
    private static final int NEWER_TRANSFERS = 8 * 50;

    @TempDir
    Path data;

    static WalletSettings settings(final Path data)
    {
        return HttpApiTest.settings(data).withOverrides(Map.of(
            "wallet.ledger.idempotency-window", WINDOW,
            "wallet.record.enabled", true,
            "wallet.http.max-body-bytes", 65536));
    }

    @Test
    void aTransferTheEngineForgotIsFoundWithItsFeeAndOutcome() throws Exception
    {
        try (WalletServer server = WalletServer.start(settings(data)))
        {
            final HttpTestClient http = new HttpTestClient(server);
            fundWallets(http);
            transfers(http, "{\"id\":\"7001\",\"debit_account_id\":\"1001\",\"credit_account_id\":\"1002\"," +
                "\"amount_minor\":\"250\",\"currency\":\"USD\",\"code\":1,\"user_data_64\":\"42\"}");
            transfers(http, "{\"id\":\"7002\",\"debit_account_id\":\"1002\",\"credit_account_id\":\"1001\"," +
                "\"amount_minor\":\"999999\",\"currency\":\"USD\",\"code\":1}");
            transfers(http, "{\"id\":\"7003\",\"debit_account_id\":\"1001\",\"credit_account_id\":\"1002\"," +
                "\"amount_minor\":\"40\",\"currency\":\"USD\",\"code\":1,\"flags\":[\"pending\"],\"timeout\":600}," +
                "{\"id\":\"7004\",\"pending_id\":\"7003\",\"amount_minor\":\"40\",\"currency\":\"USD\",\"code\":1," +
                "\"flags\":[\"post_pending\"]}");
            newerTransfers(http, 100_000);

            final Response paid = http.get("/v1/transfers/7001");
            assertEquals(200, paid.status(), paid.body().toString());
            assertEquals("250", paid.text("amount_minor"));
            assertEquals("1001", paid.text("debit_account_id"));
            assertEquals("42", paid.text("user_data_64"));
            assertEquals("none", paid.text("pending_status"));
            assertNull(paid.body().get("result"), "a transfer that applied has no result field");

            final Response failed = http.get("/v1/transfers/7002");
            assertEquals(200, failed.status(), failed.body().toString());
            assertEquals("EXCEEDS_CREDITS", failed.text("result"));

            assertEquals("posted", http.get("/v1/transfers/7003").text("pending_status"));
            assertEquals(404, http.get("/v1/transfers/7999").status());
        }
    }

    @Test
    void anAccountsHistoryPagesThroughEveryTransferOnceWhileTransfersKeepArriving() throws Exception
    {
        try (WalletServer server = WalletServer.start(settings(data)))
        {
            final HttpTestClient http = new HttpTestClient(server);
            fundWallets(http);
            newerTransfers(http, 300_000);
            // Wallet 1001: its funding, then every one of the newer transfers, as payer or payee.
            final int expected = 1 + NEWER_TRANSFERS;

            final List<String> newestFirst = new ArrayList<>();
            String cursor = null;
            long previous = Long.MAX_VALUE;
            do
            {
                final Response page = http.get("/v1/accounts/1001/transfers?limit=50" +
                    (cursor == null ? "" : "&cursor=" + cursor));
                assertEquals(200, page.status(), page.body().toString());
                for (final JsonNode transfer : page.body().get("transfers"))
                {
                    final long timestamp = Long.parseUnsignedLong(transfer.get("timestamp_ns").asText());
                    assertTrue(timestamp < previous, "newest first");
                    previous = timestamp;
                    newestFirst.add(transfer.get("id").asText());
                }
                cursor = page.body().get("next_cursor").isNull() ? null : page.body().get("next_cursor").asText();
                // Writes between pages: newer than the first page, so no page skips or repeats a transfer.
                newerTransfers(http, 400_000 + 10_000L * newestFirst.size(), 50);
            }
            while (cursor != null);
            assertEquals(expected, newestFirst.size(), "every transfer of the account, once");
            assertEquals(expected, new HashSet<>(newestFirst).size(), "no transfer twice");

            final Response oldest = http.get("/v1/accounts/1001/transfers?order=asc&limit=3");
            assertEquals(newestFirst.get(newestFirst.size() - 1), oldest.body().get("transfers").get(0).get("id")
                .asText(), "oldest first: the funding");
            for (final JsonNode paid : http.get("/v1/accounts/1001/transfers?direction=debits&limit=1000").body()
                .get("transfers"))
            {
                assertEquals("1001", paid.get("debit_account_id").asText());
            }

            final Response balances = http.get("/v1/accounts/1001/balances?limit=1");
            assertEquals(200, balances.status(), balances.body().toString());
            final JsonNode latest = balances.body().get("balances").get(0);
            final Response account = http.get("/v1/accounts/1001");
            assertEquals(account.text("balance"), latest.get("balance").asText(), "the newest balance is the balance");
            assertEquals(account.text("credits_posted_minor"), latest.get("credits_posted_minor").asText());

            final JsonNode middle = http.get("/v1/accounts/1001/balances?limit=1000").body().get("balances").get(200);
            final long time = Long.parseUnsignedLong(middle.get("timestamp_ns").asText());
            final String rfc3339 = Instant.ofEpochSecond(time / 1_000_000_000L, time % 1_000_000_000L).toString();
            for (final String at : List.of(Long.toString(time), rfc3339))
            {
                final Response then = http.get("/v1/accounts/1001?at=" + at);
                assertEquals(200, then.status(), then.body().toString());
                assertEquals(middle.get("balance").asText(), then.text("balance"), "the balance as it was at " + at);
                assertEquals(middle.get("transfer_id").asText(), then.text("transfer_id"));
            }
            assertEquals(middle.get("transfer_id").asText(), http.get("/v1/accounts/1001/transfers?limit=1&to=" +
                rfc3339).body().get("transfers").get(0).get("id").asText(), "newest first, up to a time");
            assertEquals(middle.get("transfer_id").asText(), http.get("/v1/accounts/1001/transfers?order=asc" +
                "&limit=1&from=" + time).body().get("transfers").get(0).get("id").asText(), "oldest first, from it");
            assertEquals(404, http.get("/v1/accounts/1001?at=1").status(), "nothing before its first transfer");
            HttpTestClient.expectBadRequest(http.get("/v1/accounts/1001?at=yesterday"), "RFC 3339");

            HttpTestClient.expectBadRequest(http.get("/v1/accounts/1001/transfers?limit=0"), "limit");
            HttpTestClient.expectBadRequest(http.get("/v1/accounts/1001/transfers?cursor=xyz"), "cursor");
            HttpTestClient.expectBadRequest(http.get("/v1/accounts/1001/transfers?colour=red"), "colour");
            assertEquals(0, http.get("/v1/accounts/4242/transfers").body().get("transfers").size(),
                "an account with no transfers has an empty history");
        }
    }

    @Test
    void aRestartResumesTheRecordAndALostOrDamagedOneIsRebuiltFromTheJournal() throws Exception
    {
        final String expected;
        try (WalletServer server = WalletServer.start(settings(data)))
        {
            final HttpTestClient http = new HttpTestClient(server);
            fundWallets(http);
            transfers(http, "{\"id\":\"8001\",\"debit_account_id\":\"1001\",\"credit_account_id\":\"1002\"," +
                "\"amount_minor\":\"17\",\"currency\":\"USD\",\"code\":1}");
            newerTransfers(http, 200_000);
            expected = http.get("/v1/transfers/8001").body().toString();
        }
        assertTrue(expected.contains("\"amount_minor\":\"17\""), expected);

        assertEquals(expected, lookUpAfterRestart("8001"), "a restart resumes the record");

        deleteRecursively(data.resolve("record"));
        assertEquals(expected, lookUpAfterRestart("8001"), "a lost record is rebuilt from the journal");

        Files.writeString(data.resolve("record").resolve("CURRENT"), "damaged\n", StandardCharsets.US_ASCII);
        assertEquals(expected, lookUpAfterRestart("8001"), "a damaged record is set aside and rebuilt");
        try (Stream<Path> entries = Files.list(data))
        {
            assertTrue(entries.anyMatch(p -> p.getFileName().toString().startsWith("record.set-aside-")),
                "the damaged record is kept aside for inspection");
        }
    }

    private String lookUpAfterRestart(final String id) throws Exception
    {
        try (WalletServer server = WalletServer.start(settings(data)))
        {
            final Response found = new HttpTestClient(server).get("/v1/transfers/" + id);
            assertEquals(200, found.status(), found.body().toString());
            return found.body().toString();
        }
    }

    static void fundWallets(final HttpTestClient http) throws Exception
    {
        assertEquals(201, http.post("/v1/accounts", "{\"id\":\"1\",\"currency\":\"USD\"}").status());
        for (final String wallet : new String[] {"1001", "1002"})
        {
            assertEquals(201, http.post("/v1/accounts", "{\"id\":\"" + wallet + "\",\"currency\":\"USD\"," +
                "\"flags\":[\"debits_must_not_exceed_credits\"]}").status());
        }
        transfers(http, "{\"id\":\"1\",\"debit_account_id\":\"1\",\"credit_account_id\":\"1001\"," +
            "\"amount_minor\":\"100000\",\"currency\":\"USD\",\"code\":1}");
    }

    static void transfers(final HttpTestClient http, final String transfers) throws Exception
    {
        final Response response = http.post("/v1/transfers", "{\"transfers\":[" + transfers + "]}");
        assertEquals(200, response.status(), response.body().toString());
    }

    /**
     * Sends {@link #NEWER_TRANSFERS} transfers of one minor unit between the wallets, ids from {@code firstId}.
     */
    static void newerTransfers(final HttpTestClient http, final long firstId) throws Exception
    {
        newerTransfers(http, firstId, NEWER_TRANSFERS);
    }

    /**
     * Sends {@code count} (a multiple of 50) transfers of one minor unit between the wallets, ids from
     * {@code firstId}.
     */
    static void newerTransfers(final HttpTestClient http, final long firstId, final int count) throws Exception
    {
        final int perRequest = 50;
        for (int sent = 0; sent < count; sent += perRequest)
        {
            final StringBuilder batch = new StringBuilder();
            for (int i = 0; i < perRequest; i++)
            {
                final boolean back = i % 2 == 1;
                batch.append(i == 0 ? "" : ",").append("{\"id\":\"").append(firstId + sent + i)
                    .append("\",\"debit_account_id\":\"").append(back ? "1002" : "1001")
                    .append("\",\"credit_account_id\":\"").append(back ? "1001" : "1002")
                    .append("\",\"amount_minor\":\"1\",\"currency\":\"USD\",\"code\":1}");
            }
            transfers(http, batch.toString());
        }
    }

    private static void deleteRecursively(final Path directory) throws IOException
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
