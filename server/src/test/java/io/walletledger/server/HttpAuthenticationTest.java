package io.walletledger.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walletledger.server.cli.WalletCli;
import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.KeysFile;
import io.walletledger.protocol.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Authorization: Bearer <keyId>:<secret>} on the HTTP API of a real server on loopback: 401, 403 and 429
 * with JSON bodies, open {@code /health}, and the development mode.
 */
class HttpAuthenticationTest
{
    @TempDir
    static Path directory;

    private static WalletServer server;
    private static final Map<String, String> SECRETS = new HashMap<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws IOException
    {
        final Path keysFile = directory.resolve("keys.json");
        final List<ApiKey> keys = new ArrayList<>();
        keys.add(key("admin", EnumSet.of(Role.ADMIN), new long[0], 0, 0));
        keys.add(key("payer", EnumSet.of(Role.TRANSFER), new long[0], 2, 2));
        keys.add(key("other", EnumSet.of(Role.TRANSFER), new long[0], 0, 0));
        keys.add(key("reader", EnumSet.of(Role.READ), new long[0], 0, 0));
        keys.add(key("wallet1001", EnumSet.of(Role.TRANSFER), new long[] {1001}, 0, 0));
        KeysFile.save(keysFile, keys);
        server = WalletServer.start(BinaryAuthenticationTest.requiredSettings(directory.resolve("data"), keysFile,
            Map.of()));
        for (final String account : List.of("{\"id\":\"1\",\"currency\":\"USD\"}",
            "{\"id\":\"1001\",\"currency\":\"USD\"}", "{\"id\":\"1002\",\"currency\":\"USD\"}"))
        {
            assertEquals(201, send("admin", "POST", "/v1/accounts", account).statusCode());
        }
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    private static ApiKey key(
        final String id, final EnumSet<Role> roles, final long[] accounts, final long rate, final long burst)
    {
        final KeysFile.NewKey created = KeysFile.create(id, roles, accounts, BinaryAuthenticationTest.ITERATIONS,
            rate, burst);
        SECRETS.put(id, created.secret());
        return created.key();
    }

    private static HttpResponse<String> send(final String keyId, final String method, final String path,
        final String body) throws IOException
    {
        return sendAs(keyId == null ? null : "Bearer " + keyId + ":" + SECRETS.get(keyId), method, path, body);
    }

    private static HttpResponse<String> sendAs(final String authorization, final String method, final String path,
        final String body) throws IOException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" +
            server.httpAddress().getPort() + path)).method(method, body == null ? HttpRequest.BodyPublishers.noBody() :
            HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null)
        {
            request.header("Authorization", authorization);
        }
        try
        {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
    }

    @Test
    void anAccountsHistoryIsForKeysThatMayUseTheAccount() throws IOException
    {
        assertEquals(200, send("wallet1001", "GET", "/v1/accounts/1001/transfers", null).statusCode());
        assertEquals(200, send("reader", "GET", "/v1/accounts/1002/balances", null).statusCode());
        final HttpResponse<String> other = send("wallet1001", "GET", "/v1/accounts/1002/transfers", null);
        assertEquals(403, other.statusCode(), other.body());
        assertTrue(other.body().contains("may not use account 1002"), other.body());
        assertEquals(401, send(null, "GET", "/v1/accounts/1001/transfers", null).statusCode());
    }

    @Test
    void theChangeStreamShowsARestrictedKeyTheEventsOfItsAccountsAndOnlyTheirBalances() throws IOException
    {
        assertEquals(200, send("admin", "POST", "/v1/wallet/balance_transfer", transfer("1", "1001")).statusCode());
        assertEquals(200, send("admin", "POST", "/v1/wallet/balance_transfer", transfer("1", "1002")).statusCode());
        assertEquals(200, send("wallet1001", "POST", "/v1/wallet/balance_transfer", transfer("1001", "1002"))
            .statusCode());
        // A history query waits for the record to hold what the ledger applied: then the stream has it too.
        assertEquals(200, send("reader", "GET", "/v1/accounts/1001/transfers?limit=1", null).statusCode());
        final JsonNode mine = JSON.readTree(send("wallet1001", "GET", "/v1/events?wait=0&limit=1000", null).body());
        final JsonNode all = JSON.readTree(send("reader", "GET", "/v1/events?wait=0&limit=1000", null).body());
        assertTrue(all.get("events").size() > mine.get("events").size(), all.toString());
        int paidByWallet = 0;
        for (final JsonNode event : mine.get("events"))
        {
            assertTrue(event.toString().contains("\"1001\""), "every event touches account 1001: " + event);
            for (final JsonNode balances : event.path("balances"))
            {
                assertEquals("1001", balances.get("id").asText(), "only the key's own balances: " + event);
            }
            if (event.path("transfer").path("debit_account_id").asText().equals("1001"))
            {
                paidByWallet++;
                assertTrue(event.get("balances").has("debit_account"));
                assertFalse(event.get("balances").has("credit_account"), "the payee's balance is not the key's");
            }
        }
        assertTrue(paidByWallet >= 1, mine.toString());
        final HttpResponse<String> other = send("wallet1001", "GET", "/v1/events?account=1002", null);
        assertEquals(403, other.statusCode(), other.body());
        assertTrue(other.body().contains("may not use account 1002"), other.body());
        assertEquals(401, send(null, "GET", "/v1/events", null).statusCode());
    }

    private static String transfer(final String from, final String to)
    {
        return transfer(from, to, UUID.randomUUID().toString());
    }

    private static String transfer(final String from, final String to, final String transactionId)
    {
        return "{\"from_account\":\"" + from + "\",\"to_account\":\"" + to + "\",\"amount\":\"1.00\"," +
            "\"currency\":\"USD\",\"transaction_id\":\"" + transactionId + "\"}";
    }

    @Test
    void healthNeedsNoKeyButEverythingElseDoes() throws IOException
    {
        assertEquals(200, send(null, "GET", "/health", null).statusCode());
        assertEquals(200, send(null, "GET", "/health/live", null).statusCode());
        assertEquals(200, send(null, "GET", "/health/ready", null).statusCode());
        final HttpResponse<String> description = send(null, "GET", "/openapi.json", null);
        assertEquals(200, description.statusCode(), "the API's description needs no key");
        assertTrue(description.body().contains("\"openapi\": \"3.1.0\""), description.body());
        final HttpResponse<String> missing = send(null, "GET", "/v1/accounts/1", null);
        assertEquals(401, missing.statusCode());
        assertEquals("Bearer realm=\"wallet\"", missing.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertTrue(missing.body().contains("\"code\":\"UNAUTHENTICATED\""), missing.body());
        assertEquals("application/problem+json", missing.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(401, send(null, "GET", "/metrics", null).statusCode());
        assertEquals(401, sendAs("Basic YWRtaW46eA==", "GET", "/v1/accounts/1", null).statusCode());
    }

    @Test
    void aWrongSecretOrAnUnknownKeyIs401() throws IOException
    {
        final HttpResponse<String> wrong = sendAs("Bearer admin:" + SECRETS.get("other"), "GET", "/v1/accounts/1",
            null);
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElseThrow().contains("invalid_token"));
        assertEquals(401, sendAs("Bearer nobody:" + SECRETS.get("admin"), "GET", "/v1/accounts/1", null)
            .statusCode());
        // The right secret still works afterwards, and a wrong one still fails after the right one was cached.
        assertEquals(200, send("admin", "GET", "/v1/accounts/1", null).statusCode());
        assertEquals(401, sendAs("Bearer admin:" + SECRETS.get("admin") + "x", "GET", "/v1/accounts/1", null)
            .statusCode());
    }

    @Test
    void eachRoleMayDoItsOwnAndNothingMore() throws IOException
    {
        assertEquals(200, send("reader", "GET", "/v1/accounts/1", null).statusCode());
        assertEquals(200, send("reader", "GET", "/metrics", null).statusCode());
        final HttpResponse<String> readerTransfer = send("reader", "POST", "/v1/wallet/balance_transfer",
            transfer("1", "1002"));
        assertEquals(403, readerTransfer.statusCode());
        assertTrue(readerTransfer.body().contains("\"code\":\"FORBIDDEN\""), readerTransfer.body());
        assertEquals("application/problem+json", readerTransfer.headers().firstValue("Content-Type").orElseThrow());

        assertEquals(200, send("other", "POST", "/v1/wallet/balance_transfer", transfer("1", "1002")).statusCode());
        assertEquals(403, send("other", "POST", "/v1/accounts", "{\"id\":\"7\",\"currency\":\"USD\"}").statusCode());
        assertEquals(403, send("other", "PUT", "/v1/review-thresholds/USD", "{\"threshold\":\"100.00\"}").statusCode());
        assertEquals(404, send("other", "GET", "/v1/accounts/7", null).statusCode(), "the account was not made");

        assertEquals(200, send("admin", "PUT", "/v1/review-thresholds/USD", "{\"threshold\":\"10000.00\"}")
            .statusCode());
    }

    @Test
    void aRestrictedKeyMayDebitOnlyItsAccounts() throws IOException
    {
        assertEquals(200, send("admin", "POST", "/v1/wallet/balance_transfer", transfer("1", "1001")).statusCode());
        assertEquals(200, send("wallet1001", "POST", "/v1/wallet/balance_transfer", transfer("1001", "1002"))
            .statusCode());
        assertEquals(403, send("wallet1001", "POST", "/v1/wallet/balance_transfer", transfer("1002", "1001"))
            .statusCode());
        assertEquals(200, send("wallet1001", "GET", "/v1/accounts/1001", null).statusCode());
        assertEquals(403, send("wallet1001", "GET", "/v1/accounts/1002", null).statusCode());
    }

    @Test
    void aRestrictedKeySeesOnlyTransfersOfItsAccounts() throws IOException
    {
        final String own = UUID.randomUUID().toString();
        final String foreign = UUID.randomUUID().toString();
        assertEquals(200, send("admin", "POST", "/v1/wallet/balance_transfer", transfer("1", "1001", own)).statusCode());
        assertEquals(200, send("admin", "POST", "/v1/wallet/balance_transfer", transfer("1", "1002", foreign))
            .statusCode());

        assertEquals(200, send("wallet1001", "GET", "/v1/transfers/" + own, null).statusCode());
        assertEquals(404, send("wallet1001", "GET", "/v1/transfers/" + foreign, null).statusCode(),
            "another account's transfer reads as not found");
        assertEquals(200, send("reader", "GET", "/v1/transfers/" + foreign, null).statusCode());
    }

    @Test
    void anOverLimitKeyGets429WithRetryAfterWhileAnotherKeyIsServed() throws IOException
    {
        int limited = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 6 && limited == 0; i++)
        {
            last = send("payer", "POST", "/v1/wallet/balance_transfer", transfer("1", "1002"));
            if (last.statusCode() == 429)
            {
                limited++;
            }
            else
            {
                assertEquals(200, last.statusCode(), last.body());
            }
        }
        assertEquals(1, limited, "2 transfers a second, a burst of 2: one of six quick ones is refused");
        assertTrue(last.body().contains("\"code\":\"RATE_LIMITED\""), last.body());
        assertTrue(last.body().contains("\"status\":429"), last.body());
        assertTrue(Integer.parseInt(last.headers().firstValue("Retry-After").orElseThrow()) >= 1);
        for (int i = 0; i < 6; i++)
        {
            assertEquals(200, send("other", "POST", "/v1/wallet/balance_transfer", transfer("1", "1002"))
                .statusCode());
        }
    }

    @Test
    void developmentModeNeedsNoKey(@TempDir final Path data) throws Exception
    {
        try (WalletServer development = WalletServer.start(HttpApiTest.settings(data)))
        {
            final HttpTestClient http = new HttpTestClient(development);
            assertEquals(201, http.post("/v1/accounts", "{\"id\":\"1\",\"currency\":\"USD\"}").status());
        }
    }

    @Test
    void aServerThatRequiresKeysDoesNotStartWithoutItsKeysFile(@TempDir final Path data)
    {
        final StringWriter err = new StringWriter();
        final int status = WalletCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "server",
            "--data-dir", data.resolve("d").toString(), "--port", "0", "--http-port", "0");

        assertEquals(1, status, err.toString());
        assertTrue(err.toString().contains("keys file " + data.resolve("d").resolve("keys.json") +
            " does not exist; create a key with: ./wallet keys create"), err.toString());
        assertTrue(Files.notExists(data.resolve("d").resolve("journal")));
    }
}
