package io.walletledger.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walletledger.config.WalletSettings;
import io.walletledger.server.HttpTestClient.Response;
import io.walletledger.server.cli.WalletCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Capacities and a currency changed on a live ledger, across SIGKILL: a real server process with room for 8 accounts
 * fills them and takes transfers, is killed; restarted with room for 16 and a currency more it journals the change,
 * creates what it refused before, takes more transfers and is killed again mid-request. Restarted once more, every
 * acknowledged transfer is there, each moved its money once, every one sent again is recognised, and
 * {@code wallet verify} replays the journal alone, from the settings the ledger was created with through the change,
 * to the same state as the snapshots.
 */
class LedgerSettingsCrashTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SMALL = "wallet.ledger.accounts-max = 8\n";
    private static final String LARGER = "wallet.ledger.accounts-max = 16\n" +
        "wallet.ledger.currencies = [ { code = \"BTC\", numeric = 1001, exponent = 8 } ]\n";
    private static final String COMMON = "wallet.ledger.idempotency-window = 64\nwallet.ledger.batch-events-max = 64\n" +
        "wallet.ledger.pending-transfers-max = 1024\nwallet.http.max-body-bytes = 65536\n" +
        "wallet.record.enabled = true\n";

    @TempDir
    Path data;

    @Test
    void aChangeOfSettingsSurvivesSigkillAndReplaysFromTheJournalAlone() throws Exception
    {
        final List<Long> acknowledged = new ArrayList<>();
        long nextId = 1_000;
        try (Child first = new Child(SMALL))
        {
            for (int account = 1; account <= 8; account++)
            {
                assertEquals(201, first.post("/v1/accounts", "{\"id\":\"" + account + "\",\"currency\":\"USD\"}"));
            }
            final JsonNode full = first.json("/v1/accounts", "{\"id\":\"9\",\"currency\":\"USD\"}");
            assertEquals("ACCOUNTS_FULL", full.get("code").asText(), full.toString());
            for (int i = 0; i < 20; i++)
            {
                assertEquals("OK", first.transfer(nextId));
                acknowledged.add(nextId++);
            }
            first.kill();
        }
        try (Child second = new Child(LARGER))
        {
            assertEquals(201, second.post("/v1/accounts", "{\"id\":\"9\",\"currency\":\"USD\"}"),
                "the account refused before fits now");
            assertEquals(201, second.post("/v1/accounts", "{\"id\":\"20\",\"currency\":\"BTC\"}"),
                "a currency added by the change");
            final long killAfter = ThreadLocalRandom.current().nextLong(5, 30);
            for (int i = 0; i < killAfter; i++)
            {
                assertEquals("OK", second.transfer(nextId));
                acknowledged.add(nextId++);
            }
            second.sendWithoutWaiting(nextId);
            second.kill();
        }

        final WalletSettings settings = TransferRecordTest.settings(data).withOverrides(Map.of(
            "wallet.ledger.accounts-max", 16,
            "wallet.ledger.currencies", List.of(Map.of("code", "BTC", "numeric", 1001, "exponent", 8))));
        long moved = 0;
        try (WalletServer restarted = WalletServer.start(settings))
        {
            final HttpTestClient http = new HttpTestClient(restarted);
            final List<Long> found = new ArrayList<>(acknowledged);
            for (final long id : acknowledged)
            {
                final Response response = http.get("/v1/transfers/" + id);
                assertEquals(200, response.status(), "acknowledged transfer " + id + ": " + response.body());
            }
            if (http.get("/v1/transfers/" + nextId).status() == 200)
            {
                found.add(nextId);
            }
            for (final long id : found)
            {
                moved += id;
                final Response again = http.post("/v1/transfers", transferBody(id));
                assertEquals("EXISTS", again.body().get("results").get(0).get("result").asText(),
                    "transfer " + id + " sent again");
            }
            assertEquals(Long.toString(moved), http.get("/v1/accounts/2").body().get("credits_posted_minor").asText(),
                "every transfer found moved its money once");
            assertEquals(200, http.get("/v1/accounts/20").status());
        }

        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = WalletCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "verify",
            "--data-dir", data.toString());
        assertEquals(0, status, out + "\n" + err);
        assertTrue(out.toString().contains("journal alone:          every entry from 1 verified, same state hash"),
            out.toString());
    }

    private static String transferBody(final long id)
    {
        return "{\"transfers\":[{\"id\":\"" + id + "\",\"debit_account_id\":\"1\",\"credit_account_id\":\"2\"," +
            "\"amount_minor\":\"" + id + "\",\"currency\":\"USD\",\"code\":1}]}";
    }

    /**
     * A server process on the data directory, with the given ledger settings.
     */
    private final class Child implements AutoCloseable
    {
        private final DevServerProcess process;
        private final String base;
        private final HttpClient http = HttpClient.newHttpClient();

        Child(final String ledgerSettings) throws Exception
        {
            process = DevServerProcess.start(data, COMMON + ledgerSettings);
            base = process.httpBase();
        }

        int post(final String path, final String body) throws Exception
        {
            return send(path, body).statusCode();
        }

        JsonNode json(final String path, final String body) throws Exception
        {
            return JSON.readTree(send(path, body).body());
        }

        String transfer(final long id) throws Exception
        {
            final HttpResponse<String> response = send("/v1/transfers", transferBody(id));
            assertEquals(200, response.statusCode(), response.body());
            return JSON.readTree(response.body()).get("results").get(0).get("result").asText();
        }

        void sendWithoutWaiting(final long id)
        {
            http.sendAsync(request("/v1/transfers", transferBody(id)), HttpResponse.BodyHandlers.ofString());
        }

        private HttpResponse<String> send(final String path, final String body) throws Exception
        {
            return http.send(request(path, body), HttpResponse.BodyHandlers.ofString());
        }

        private HttpRequest request(final String path, final String body)
        {
            return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }

        void kill() throws Exception
        {
            process.kill();
        }

        @Override
        public void close()
        {
            process.close();
        }
    }
}
