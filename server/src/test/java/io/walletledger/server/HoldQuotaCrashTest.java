package io.walletledger.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walletledger.config.WalletSettings;
import io.walletledger.server.HttpTestClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The holds an account may have open ({@code wallet.policies.holds-per-account-max}), across SIGKILL: a real server
 * process with a limit of 3 lets one wallet open 3 holds and refuses the rest, while another account opens its own;
 * killed mid-request and restarted, the same holds are open, each reserved its money once, a hold sent again is
 * recognised, the full wallet is still refused a fourth, and a void gives its place back. So the count of open holds
 * per account, which the engine derives rather than stores, comes back the same from snapshot and journal.
 */
class HoldQuotaCrashTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIMIT = "wallet.policies.holds-per-account-max = 3\n";

    @TempDir
    Path data;

    @Test
    void theOpenHoldsOfAnAccountAreCountedAgainItsLimitAfterSigkill() throws Exception
    {
        try (DevServerProcess child = DevServerProcess.start(data, DevServerProcess.SMALL_LEDGER + LIMIT))
        {
            final HttpClient http = HttpClient.newHttpClient();
            final String base = child.httpBase();
            post(http, base, "/v1/accounts", "{\"id\":\"1\",\"currency\":\"USD\"}");
            for (final String wallet : new String[] { "2", "3" })
            {
                post(http, base, "/v1/accounts", "{\"id\":\"" + wallet + "\",\"currency\":\"USD\"," +
                    "\"flags\":[\"debits_must_not_exceed_credits\"]}");
            }
            assertEquals("OK", result(post(http, base, "/v1/transfers", transfer(1, "1", "2", 10_000, ""))));
            for (int id = 10; id < 13; id++)
            {
                assertEquals("OK", result(post(http, base, "/v1/transfers", hold(id, "2"))), "hold " + id);
            }
            for (int id = 13; id < 16; id++)
            {
                assertEquals("HOLDS_PER_ACCOUNT_FULL", result(post(http, base, "/v1/transfers", hold(id, "2"))),
                    "hold " + id);
            }
            for (int id = 20; id < 23; id++)
            {
                assertEquals("OK", result(post(http, base, "/v1/transfers", hold(id, "1"))),
                    "another account's hold " + id);
            }
            http.sendAsync(request(base, "/v1/transfers", hold(16, "2")), HttpResponse.BodyHandlers.ofString());
            child.kill();
        }

        final WalletSettings settings = TransferRecordTest.settings(data).withOverrides(Map.of(
            "wallet.policies.holds-per-account-max", 3));
        try (WalletServer restarted = WalletServer.start(settings))
        {
            final HttpTestClient http = new HttpTestClient(restarted);
            final JsonNode wallet = http.get("/v1/accounts/2").body();
            assertEquals("300", wallet.get("debits_pending_minor").asText(), "three holds of 1.00 reserved, once each");
            for (int id = 10; id < 13; id++)
            {
                assertEquals("EXISTS", result(http.post("/v1/transfers", hold(id, "2"))), "hold " + id + " again");
            }
            assertEquals("HOLDS_PER_ACCOUNT_FULL", result(http.post("/v1/transfers", hold(17, "2"))));
            assertEquals("OK", result(http.post("/v1/transfers", transfer(18, "2", "3", 0,
                ",\"flags\":[\"void_pending\"],\"pending_id\":\"10\""))));
            assertEquals("OK", result(http.post("/v1/transfers", hold(19, "2"))), "the void gave its place back");
            assertEquals("HOLDS_PER_ACCOUNT_FULL", result(http.post("/v1/transfers", hold(23, "1"))),
                "the other account's own three holds count too");
            assertEquals("300", http.get("/v1/accounts/2").body().get("debits_pending_minor").asText());

            final String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" +
                restarted.httpAddress().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("\nwallet_holds_open 6.0\n"), "3 holds of wallet 2, 3 of account 1:\n" + metrics);
            assertTrue(metrics.contains("\nwallet_holds_capacity 1024.0\n"), metrics);
            assertTrue(metrics.contains("wallet_transfers_total{result=\"HOLDS_PER_ACCOUNT_FULL\"} 2.0\n"), metrics);
        }
    }

    private static String hold(final long id, final String debit)
    {
        return transfer(id, debit, "3", 100, ",\"flags\":[\"pending\"],\"timeout\":3600");
    }

    private static String transfer(final long id, final String debit, final String credit, final long amount,
        final String more)
    {
        return "{\"transfers\":[{\"id\":\"" + id + "\",\"debit_account_id\":\"" + debit + "\",\"credit_account_id\":\"" +
            credit + "\",\"amount_minor\":\"" + amount + "\",\"currency\":\"USD\",\"code\":1" + more + "}]}";
    }

    private static String result(final JsonNode body)
    {
        return body.get("results").get(0).get("result").asText();
    }

    private static String result(final Response response)
    {
        return result(response.body());
    }

    private static JsonNode post(final HttpClient http, final String base, final String path, final String body)
        throws Exception
    {
        final HttpResponse<String> response = http.send(request(base, path, body), HttpResponse.BodyHandlers.ofString());
        assertEquals(path.equals("/v1/accounts") ? 201 : 200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static HttpRequest request(final String base, final String path, final String body)
    {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
