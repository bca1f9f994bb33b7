package io.walletledger.server;

import io.walletledger.server.cli.WalletCli;
import com.fasterxml.jackson.databind.JsonNode;
import io.walletledger.config.WalletSettings;
import io.walletledger.server.HttpTestClient.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.walletledger.server.HttpTestClient.expectBadRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP/JSON API of a real server on loopback, through {@code java.net.http.HttpClient}: the documented
 * endpoints, and a 4xx that says what is wrong for every kind of bad request.
 */
public class HttpApiTest
{
    @TempDir
    Path data;

    private WalletServer server;
    private HttpTestClient http;

    @BeforeEach
    void start()
    {
        server = WalletServer.start(settings(data));
        http = new HttpTestClient(server);
    }

    public static WalletSettings settings(final Path data)
    {
        return WalletSettings.load().withOverrides(Map.of(
            "wallet.data-dir", data.toString(),
            "wallet.server.port", 0,
            "wallet.server.http-port", 0,
            "wallet.security.mode", "development",
            "wallet.ledger.accounts-max", 1024,
            "wallet.ledger.idempotency-window", 4096,
            "wallet.ledger.pending-transfers-max", 1024,
            "wallet.ledger.batch-events-max", 64,
            "wallet.http.max-body-bytes", 4096));
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    @Test
    void amountsHaveOneUnitPerName() throws Exception
    {
        createWallets();
        // The same transfer in major units and in minor units.
        assertEquals(200, http.post("/v1/wallet/balance_transfer", "{\"from_account\":\"1001\",\"to_account\":" +
            "\"1002\",\"amount_minor\":\"150\",\"currency\":\"USD\",\"transaction_id\":\"" + UUID.randomUUID() +
            "\"}").status());
        assertEquals(200, http.post("/v1/transfers", "{\"transfers\":[{\"id\":\"31\",\"debit_account_id\":\"1001\"," +
            "\"credit_account_id\":\"1002\",\"amount\":\"1.50\",\"currency\":\"USD\",\"code\":1}]}").status());
        final JsonNode payee = http.get("/v1/accounts/1002").body();
        assertEquals("3.00", payee.get("balance").asText());
        assertEquals("300", payee.get("balance_minor").asText());
        assertEquals("150", http.get("/v1/transfers/31").body().get("amount_minor").asText());

        expectBadRequest(http.post("/v1/transfers", "{\"transfers\":[{\"id\":\"32\",\"debit_account_id\":\"1001\"," +
            "\"credit_account_id\":\"1002\",\"amount\":\"1.50\",\"amount_minor\":\"150\",\"currency\":\"USD\"," +
            "\"code\":1}]}"), "not both");
        expectBadRequest(http.post("/v1/transfers", "{\"transfers\":[{\"id\":\"33\",\"debit_account_id\":\"1001\"," +
            "\"credit_account_id\":\"1002\",\"amount\":\"1.505\",\"currency\":\"USD\",\"code\":1}]}"), "amount");
        // Before major units, "amount" here meant minor units: an integer for a currency with decimals is refused,
        // never read as a hundred times more.
        expectBadRequest(http.post("/v1/transfers", "{\"transfers\":[{\"id\":\"35\",\"debit_account_id\":\"1001\"," +
            "\"credit_account_id\":\"1002\",\"amount\":\"150\",\"currency\":\"USD\",\"code\":1}]}"),
            "an integer here may be minor units, which go in \"amount_minor\"");
        expectBadRequest(http.put("/v1/review-thresholds/USD", "{\"threshold\":\"50\"}"), "\"threshold_minor\"");
        assertEquals(200, http.post("/v1/transfers", "{\"transfers\":[{\"id\":\"36\",\"debit_account_id\":\"1001\"," +
            "\"credit_account_id\":\"1002\",\"amount\":\"150\",\"currency\":\"JPY\",\"code\":1}]}").status(),
            "no decimals, nothing to mistake (the transfer itself fails: the wallets hold dollars)");
        // A post that leaves the currency to the hold has no major unit to go by.
        expectBadRequest(http.post("/v1/transfers", "{\"transfers\":[{\"id\":\"34\",\"pending_id\":\"31\"," +
            "\"amount\":\"1.00\",\"flags\":[\"post_pending\"]}]}"), "give \"amount_minor\"");
        // Limits name no currency: minor units only, and a bare name says why it is refused.
        expectBadRequest(http.put("/v1/accounts/1001/limits", "{\"transfer_amount_limit\":\"5.00\"}"),
            "transfer_amount_limit_minor");
        assertEquals(200, http.put("/v1/accounts/1001/limits", "{\"transfer_amount_limit_minor\":\"500\"}").status());
        final JsonNode limited = http.get("/v1/accounts/1001").body();
        assertEquals("5.00", limited.get("transfer_amount_limit").asText(), "answered in the account's currency");
        assertEquals("500", limited.get("transfer_amount_limit_minor").asText());

        // A fee in major units of the path's currency, answered both ways; a code's limits in minor units only.
        assertEquals(200, http.put("/v1/fees/9/USD", "{\"fixed_amount\":\"0.25\",\"maximum_minor\":\"500\"," +
            "\"fee_account_id\":\"1\"}").status());
        assertEquals(200, http.put("/v1/codes/4/limits", "{\"daily_debit_limit_minor\":\"700\"}").status());
        final JsonNode policies = http.get("/v1/policies").body();
        final JsonNode fee = policies.get("fees").get(0);
        assertEquals("0.25", fee.get("fixed_amount").asText());
        assertEquals("25", fee.get("fixed_amount_minor").asText());
        assertEquals("5.00", fee.get("maximum").asText());
        final JsonNode codeLimits = policies.get("code_limits").get(0);
        assertEquals("700", codeLimits.get("daily_debit_limit_minor").asText());
        assertFalse(codeLimits.has("daily_debit_limit"), "no major units without a currency: " + codeLimits);
    }

    @Test
    void everyFailureIsAProblemDocument() throws Exception
    {
        createWallets();
        HttpTestClient.expectProblem(http.post("/v1/accounts", "{not json"), 400, "MALFORMED");
        HttpTestClient.expectProblem(http.get("/v1/nowhere"), 404, "NOT_FOUND");
        HttpTestClient.expectProblem(http.delete("/v1/accounts"), 405, "METHOD_NOT_ALLOWED");
        HttpTestClient.expectProblem(http.get("/v1/accounts/424242"), 404, "NOT_FOUND");
        final String transactionId = UUID.randomUUID().toString();
        assertEquals(200, http.post("/v1/wallet/balance_transfer", "{\"from_account\":\"1001\",\"to_account\":" +
            "\"1002\",\"amount\":\"1.00\",\"currency\":\"USD\",\"transaction_id\":\"" + transactionId + "\"}")
            .status());
        final Response different = http.post("/v1/wallet/balance_transfer", "{\"from_account\":\"1001\"," +
            "\"to_account\":\"1002\",\"amount\":\"2.00\",\"currency\":\"USD\",\"transaction_id\":\"" +
            transactionId + "\"}");
        HttpTestClient.expectProblem(different, 409, "EXISTS_WITH_DIFFERENT_AMOUNT");
        assertEquals(transactionId, different.text("transaction_id"), "names the transfer: " + different.body());
        HttpTestClient.expectProblem(http.post("/v1/wallet/balance_transfer", "{\"from_account\":\"999\"," +
            "\"to_account\":\"1002\",\"amount\":\"1\",\"currency\":\"USD\",\"transaction_id\":\"" +
            UUID.randomUUID() + "\"}"), 404, "DEBIT_ACCOUNT_NOT_FOUND");
    }

    @Test
    void accountsAndBalanceTransfersWork() throws Exception
    {
        createWallets();
        final String transaction = UUID.randomUUID().toString();
        final String transfer = "{\"from_account\":\"1001\",\"to_account\":\"1002\",\"amount\":\"12.34\"," +
            "\"currency\":\"USD\",\"transaction_id\":\"" + transaction + "\"}";
        Response response = http.post("/v1/wallet/balance_transfer", transfer);
        assertEquals(200, response.status(), response.body().toString());
        assertEquals("success", response.body().get("status").asText());
        assertEquals(transaction, response.body().get("transaction_id").asText());

        // An identical retry succeeds again and moves nothing more.
        response = http.post("/v1/wallet/balance_transfer", transfer);
        assertEquals(200, response.status());
        assertEquals("success", response.body().get("status").asText());

        final JsonNode payer = http.get("/v1/accounts/1001").body();
        assertEquals("87.66", payer.get("balance").asText());
        assertEquals("87.66", payer.get("available").asText());
        assertEquals("12.34", payer.get("debits_posted").asText(), "major units under the bare name");
        assertEquals("1234", payer.get("debits_posted_minor").asText(), "minor units under _minor");
        assertEquals("100.00", payer.get("credits_posted").asText());
        assertEquals("10000", payer.get("credits_posted_minor").asText());
        assertEquals("8766", payer.get("balance_minor").asText());
        assertEquals("USD", payer.get("currency").asText());
        assertEquals("active", payer.get("status").asText());
        assertEquals("debits_must_not_exceed_credits", payer.get("flags").get(0).asText());
        assertEquals("none", payer.get("freeze_scope").asText());
        assertEquals("0.00", payer.get("transfer_amount_limit").asText());
        assertEquals("0", payer.get("daily_debit_limit_minor").asText());
        assertEquals("0.00", payer.get("daily_debits_used").asText());
        assertTrue(payer.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z"),
            "RFC 3339 with nanoseconds: " + payer);
        assertEquals(java.time.Instant.parse(payer.get("timestamp").asText()),
            java.time.Instant.ofEpochSecond(0, Long.parseLong(payer.get("timestamp_ns").asText())),
            "the same instant as the engine's integer");
        assertEquals(0, payer.get("velocity_debit_limit").asInt());
        assertEquals(0, payer.get("velocity_window_seconds").asInt());
        assertEquals("12.34", http.get("/v1/accounts/1002").body().get("balance").asText());

        final Response found = http.get("/v1/transfers/" + transaction);
        assertEquals(200, found.status());
        assertEquals("12.34", found.body().get("amount").asText());
        assertEquals("1234", found.body().get("amount_minor").asText());
        assertEquals("1001", found.body().get("debit_account_id").asText());
        assertEquals("0.00", found.body().get("fee").asText());
        assertEquals("0", found.body().get("fee_minor").asText());
        assertEquals("0", found.body().get("fee_account_id").asText());
        assertEquals("[]", found.body().get("flags").toString());

        // The same transaction id with another amount is a conflict, not a second transfer.
        response = http.post("/v1/wallet/balance_transfer", transfer.replace("12.34", "12.35"));
        assertEquals(409, response.status());
        assertEquals("EXISTS_WITH_DIFFERENT_AMOUNT", response.body().get("code").asText());
    }

    @Test
    void businessRejectionsNameTheirCode() throws Exception
    {
        createWallets();
        Response response = http.post("/v1/wallet/balance_transfer", "{\"from_account\":\"1001\",\"to_account\":" +
            "\"1002\",\"amount\":\"1000.00\",\"currency\":\"USD\",\"transaction_id\":\"" + UUID.randomUUID() + "\"}");
        HttpTestClient.expectProblem(response, 422, "EXCEEDS_CREDITS");
        assertEquals("Exceeds credits", response.text("title"));
        assertTrue(response.body().hasNonNull("transaction_id"), "names what failed: " + response.body());

        response = http.post("/v1/wallet/balance_transfer", "{\"from_account\":\"999\",\"to_account\":\"1002\"," +
            "\"amount\":\"1\",\"currency\":\"USD\",\"transaction_id\":\"" + UUID.randomUUID() + "\"}");
        assertEquals(404, response.status());
        assertEquals("DEBIT_ACCOUNT_NOT_FOUND", response.body().get("code").asText());

        assertEquals(404, http.get("/v1/accounts/4242").status());
        assertEquals(404, http.get("/v1/transfers/" + UUID.randomUUID()).status());
        response = http.post("/v1/accounts", "{\"id\":\"1001\",\"currency\":\"EUR\"}");
        assertEquals(409, response.status());
        assertEquals("EXISTS_WITH_DIFFERENT_FLAGS", response.body().get("code").asText());
    }

    @Test
    void aBatchOfTransfersWithHoldsGivesOneResultPerTransfer() throws Exception
    {
        createWallets();
        final Response response = http.post("/v1/transfers", "{\"transfers\":[" +
            "{\"id\":\"7\",\"debit_account_id\":\"1001\",\"credit_account_id\":\"1002\",\"amount\":\"5.00\"," +
            "\"currency\":\"USD\",\"code\":1,\"flags\":[\"pending\"],\"timeout\":60}," +
            "{\"id\":\"8\",\"pending_id\":\"7\",\"amount_minor\":\"200\",\"currency\":\"USD\",\"code\":1," +
            "\"flags\":[\"post_pending\"]}," +
            "{\"id\":\"9\",\"debit_account_id\":\"1001\",\"credit_account_id\":\"1001\",\"amount\":\"0.01\"," +
            "\"currency\":\"USD\",\"code\":1}]}");
        assertEquals(200, response.status(), response.body().toString());
        assertEquals("OK", response.body().get("results").get(0).get("result").asText());
        assertEquals("OK", response.body().get("results").get(1).get("result").asText());
        assertEquals("ACCOUNTS_MUST_BE_DIFFERENT", response.body().get("results").get(2).get("result").asText());
        assertEquals("posted", http.get("/v1/transfers/7").body().get("pending_status").asText());
        assertEquals("2.00", http.get("/v1/accounts/1002").body().get("balance").asText());

        // A post or void need not repeat what the hold says: no accounts, no currency.
        final Response hold = http.post("/v1/transfers", "{\"transfers\":[{\"id\":\"10\",\"debit_account_id\":" +
            "\"1001\",\"credit_account_id\":\"1002\",\"amount\":\"3.00\",\"currency\":\"USD\",\"code\":1," +
            "\"flags\":[\"pending\"]},{\"id\":\"11\",\"pending_id\":\"10\",\"amount_minor\":\"300\"," +
            "\"flags\":[\"post_pending\"]}]}");
        assertEquals("OK", hold.body().get("results").get(1).get("result").asText(), hold.body().toString());
        final JsonNode post = http.get("/v1/transfers/11").body();
        assertEquals("USD", post.get("currency").asText(), "the hold's currency");
        assertEquals("1001", post.get("debit_account_id").asText(), "the hold's debit account");
        assertEquals("5.00", http.get("/v1/accounts/1002").body().get("balance").asText());
    }

    @Test
    void anIdempotencyKeyIsTheIdOfWhatAPostCreates() throws Exception
    {
        createWallets();
        final Response account = keyed("/v1/accounts", "7001", "{\"currency\":\"USD\"}");
        assertEquals(201, account.status(), account.body().toString());
        assertEquals("7001", account.body().get("id").asText());
        assertEquals(200, keyed("/v1/accounts", "\"7001\"", "{\"currency\":\"USD\"}").status(),
            "the same key again (quoted, as the draft writes it): exists");
        expectBadRequest(keyed("/v1/accounts", "7002", "{\"id\":\"7003\",\"currency\":\"USD\"}"),
            "Idempotency-Key \"7002\" differs from the body's \"id\" \"7003\"");

        final String key = UUID.randomUUID().toString();
        final String payment = "{\"from_account\":\"1001\",\"to_account\":\"1002\",\"amount\":\"1.00\"," +
            "\"currency\":\"USD\"}";
        final Response paid = keyed("/v1/wallet/balance_transfer", key, payment);
        assertEquals(200, paid.status(), paid.body().toString());
        assertEquals(key, paid.body().get("transaction_id").asText());
        assertEquals(200, keyed("/v1/wallet/balance_transfer", key, payment).status(), "a retry");
        assertEquals("1.00", http.get("/v1/accounts/1002").body().get("balance").asText(), "paid once");

        final Response transfer = keyed("/v1/transfers", "77", "{\"transfers\":[{\"debit_account_id\":\"1001\"," +
            "\"credit_account_id\":\"1002\",\"amount_minor\":\"5\",\"currency\":\"USD\",\"code\":1}]}");
        assertEquals("77", transfer.body().get("results").get(0).get("id").asText(), transfer.body().toString());
        assertEquals("OK", transfer.body().get("results").get(0).get("result").asText());
        expectBadRequest(keyed("/v1/transfers", "78", "{\"transfers\":[{\"id\":\"1\"},{\"id\":\"2\"}]}"),
            "Idempotency-Key is the id of one transfer");
        // A review decision: the key is the decision's id.
        assertEquals(200, http.put("/v1/review-thresholds/USD", "{\"threshold\":\"0.50\"}").status());
        final String held = UUID.randomUUID().toString();
        assertEquals(202, http.post("/v1/wallet/balance_transfer", "{\"from_account\":\"1001\",\"to_account\":" +
            "\"1002\",\"amount\":\"1.00\",\"currency\":\"USD\",\"transaction_id\":\"" + held + "\"}").status());
        final Response decided = keyed("/v1/transfers/" + held + "/review", "9001", "{\"decision\":\"approve\"}");
        assertEquals(200, decided.status(), decided.body().toString());
        assertEquals("9001", decided.body().get("id").asText());

        assertEquals(200, keyed("/v1/accounts/1001/freeze", "whatever", "").status(),
            "freezing is idempotent as it is: the key changes nothing");
    }

    private Response keyed(final String path, final String key, final String body) throws Exception
    {
        return http.send(http.json(path).header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void aBalanceTransferTakesAnOptionalCode() throws Exception
    {
        createWallets();
        final String id = UUID.randomUUID().toString();
        final Response coded = http.post("/v1/wallet/balance_transfer", "{\"from_account\":\"1001\",\"to_account\":" +
            "\"1002\",\"amount\":\"1.00\",\"currency\":\"USD\",\"code\":7,\"transaction_id\":\"" + id + "\"}");
        assertEquals(200, coded.status(), coded.body().toString());
        assertEquals(7, http.get("/v1/transfers/" + id).body().get("code").asInt());
        final String plain = UUID.randomUUID().toString();
        assertEquals(200, http.post("/v1/wallet/balance_transfer", "{\"from_account\":\"1001\",\"to_account\":" +
            "\"1002\",\"amount\":\"1.00\",\"currency\":\"USD\",\"transaction_id\":\"" + plain + "\"}").status());
        assertEquals(1, http.get("/v1/transfers/" + plain).body().get("code").asInt(), "code 1 when absent");
        expectBadRequest(http.post("/v1/wallet/balance_transfer", "{\"from_account\":\"1001\",\"to_account\":" +
            "\"1002\",\"amount\":\"1.00\",\"currency\":\"USD\",\"code\":65536,\"transaction_id\":\"" +
            UUID.randomUUID() + "\"}"), "\"code\"");
    }

    @Test
    void badRequestsAreRefusedWithAMessageThatSaysWhatIsWrong() throws Exception
    {
        createWallets();
        expectBadRequest(http.post("/v1/accounts", "{\"id\":\"1003\""), "malformed JSON");
        expectBadRequest(http.post("/v1/accounts", ""), "JSON body");
        expectBadRequest(http.post("/v1/accounts", "[1,2]"), "must be a JSON object");
        expectBadRequest(http.post("/v1/accounts", "{\"id\":true,\"currency\":\"USD\"}"), "\"id\"");
        expectBadRequest(http.post("/v1/accounts", "{\"id\":\"18446744073709551616\",\"currency\":\"USD\"}"), "\"id\"");
        expectBadRequest(http.post("/v1/accounts", "{\"id\":\"1003\",\"currency\":\"XXX\"}"), "unknown currency");
        expectBadRequest(http.post("/v1/accounts", "{\"id\":\"1003\",\"currency\":\"USD\",\"colour\":1}"),
            "unknown field \"colour\"");
        expectBadRequest(http.post("/v1/accounts", "{\"id\":\"1003\",\"currency\":\"USD\",\"flags\":[\"vip\"]}"),
            "unknown account flag");
        final String valid = "{\"from_account\":\"1001\",\"to_account\":\"1002\",\"amount\":\"1.00\"," +
            "\"currency\":\"USD\",\"transaction_id\":\"" + UUID.randomUUID() + "\"}";
        expectBadRequest(http.post("/v1/wallet/balance_transfer", valid.replaceAll("[0-9a-f-]{36}", "not-a-uuid")),
            "transaction_id");
        expectBadRequest(http.post("/v1/wallet/balance_transfer", valid.replace("\"1.00\"", "1.00")), "decimal string");
        expectBadRequest(http.post("/v1/wallet/balance_transfer", valid.replace("\"1.00\"", "\"1.001\"")),
            "2 decimal places");
        expectBadRequest(http.post("/v1/wallet/balance_transfer", valid.replace("\"1001\"", "\"-1\"")), "from_account");
        expectBadRequest(http.get("/v1/accounts/abc"), "account id");
        expectBadRequest(http.get("/v1/transfers/xyz"), "transfer id");
        expectBadRequest(http.post("/v1/transfers", "{\"transfers\":[]}"), "non-empty array");

        final StringBuilder big = new StringBuilder("{\"id\":\"1003\",\"currency\":\"USD\",\"pad\":\"");
        big.append("x".repeat(5000)).append("\"}");
        final Response tooLarge = http.post("/v1/accounts", big.toString());
        HttpTestClient.expectProblem(tooLarge, 413, "REQUEST_TOO_LARGE");
        assertTrue(tooLarge.text("detail").contains("wallet.http.max-body-bytes"), tooLarge.body().toString());

        assertEquals(404, http.get("/v2/nothing").status());
        assertEquals(405, http.delete("/v1/accounts/1001").status());
        // None of that changed anything.
        assertEquals("100.00", http.get("/v1/accounts/1001").body().get("balance").asText());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception
    {
        createWallets();
        final String transfer = "{\"from_account\":\"1001\",\"to_account\":\"1002\",\"amount\":\"1.00\"," +
            "\"currency\":\"USD\",\"transaction_id\":\"" + UUID.randomUUID() + "\"}";
        final String requests =
            "POST /v1/wallet/balance_transfer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
            "Content-Length: " + transfer.length() + "\r\n\r\n" + transfer +
            "POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}" +
            "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.httpAddress().getPort()))
        {
            socket.getOutputStream().write(requests.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            final String answers = new String(socket.getInputStream().readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
            final int success = answers.indexOf("\"status\":\"success\"");
            final int refused = answers.indexOf("400 Bad Request");
            final int health = answers.indexOf("\"status\":\"up\"");
            assertTrue(success >= 0 && refused > success && health > refused, answers);
        }
    }

    @Test
    void healthAndMetrics() throws Exception
    {
        createWallets();
        // Wallet 1002 is empty: a failure, counted under its own result code.
        assertEquals(422, http.post("/v1/wallet/balance_transfer", "{\"from_account\":\"1002\",\"to_account\":" +
            "\"1001\",\"amount\":\"1\",\"currency\":\"USD\",\"transaction_id\":\"" + UUID.randomUUID() + "\"}")
            .status());
        final Response health = http.get("/health");
        assertEquals(200, health.status());
        assertEquals("up", health.body().get("status").asText());
        assertEquals("up", http.get("/health/live").body().get("status").asText());
        final Response ready = http.get("/health/ready");
        assertEquals(200, ready.status());
        assertEquals("ready", ready.body().get("status").asText());
        assertEquals(405, http.post("/health/ready", "{}").status());
        final HttpResponse<String> metrics =
            http.sendForText(HttpRequest.newBuilder(URI.create(http.base() + "/metrics")).build());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("wallet_transfers_total{result=\"OK\"} 1.0\n"), metrics.body());
        assertTrue(metrics.body().contains("wallet_transfers_total{result=\"EXCEEDS_CREDITS\"} 1.0\n"),
            metrics.body());
        assertTrue(metrics.body().contains("wallet_ring_occupancy"), metrics.body());
        assertTrue(metrics.body().contains("wallet_journal_bytes_total"), metrics.body());
        assertTrue(metrics.body().contains("wallet_request_duration_seconds_count{protocol=\"http\"," +
            "request=\"create_transfers\"} "), metrics.body());
    }

    @Test
    void aServerWhoseSnapshotsStoppedIsLiveButNotReady() throws Exception
    {
        server.close();
        server = WalletServer.start(settings(data).withOverrides(Map.of("wallet.snapshot.every-commands", 2)));
        http = new HttpTestClient(server);
        // Where snapshots go is now a file: the next snapshot fails, and the follower stops.
        final Path snapshots = data.resolve("snapshots");
        try (java.util.stream.Stream<Path> files = Files.list(snapshots))
        {
            for (final Path file : files.toList())
            {
                Files.delete(file);
            }
        }
        Files.delete(snapshots);
        Files.writeString(snapshots, "not a directory");
        createWallets();
        Response ready = http.get("/health/ready");
        for (int i = 0; i < 100 && ready.status() == 200; i++)
        {
            TimeUnit.MILLISECONDS.sleep(100);
            ready = http.get("/health/ready");
        }
        assertEquals(503, ready.status(), ready.body().toString());
        assertEquals("not ready", ready.body().get("status").asText());
        assertTrue(ready.body().get("reason").asText().startsWith("snapshots and the permanent record stopped"),
            ready.body().toString());
        assertEquals(200, http.get("/health/live").status(), "it still serves");
        assertEquals(200, http.get("/health").status());
        Files.delete(snapshots);
        Files.createDirectory(snapshots); // for the final snapshot at close
    }

    @Test
    void silentConnectionsAreClosedAndConnectionsAreCapped() throws Exception
    {
        final java.util.Map<String, Object> overrides = new java.util.HashMap<>();
        overrides.put("wallet.data-dir", data.resolve("limited").toString());
        overrides.put("wallet.server.port", 0);
        overrides.put("wallet.server.http-port", 0);
        overrides.put("wallet.ledger.accounts-max", 1024);
        overrides.put("wallet.ledger.idempotency-window", 4096);
        overrides.put("wallet.gateway.idle-timeout", "300 ms");
        overrides.put("wallet.gateway.max-connections", 2);
        overrides.put("wallet.security.mode", "development");
        try (WalletServer limited = WalletServer.start(WalletSettings.load().withOverrides(overrides)))
        {
            final int port = limited.httpAddress().getPort();
            try (java.net.Socket first = new java.net.Socket("127.0.0.1", port);
                java.net.Socket second = new java.net.Socket("127.0.0.1", port);
                java.net.Socket third = new java.net.Socket("127.0.0.1", port))
            {
                third.setSoTimeout(5_000);
                assertEquals(-1, third.getInputStream().read(), "the third connection is closed at once");
                first.setSoTimeout(5_000);
                assertEquals(-1, first.getInputStream().read(), "a silent connection is closed after the idle timeout");
            }
        }
    }

    @Test
    void invalidSettingsStopTheServerCommandWithTheSettingNamed() throws IOException
    {
        final Path config = data.resolve("bad.conf");
        Files.writeString(config, "wallet.journal.durability = sometimes\n");
        final StringWriter err = new StringWriter();
        final int status = WalletCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
            "server", "--config", config.toString(), "--data-dir", data.resolve("never").toString());
        assertEquals(2, status);
        assertTrue(err.toString().contains("wallet.journal.durability"), err.toString());
        assertTrue(Files.notExists(data.resolve("never")), "nothing was started");
    }

    private void createWallets() throws Exception
    {
        assertEquals(201, http.post("/v1/accounts", "{\"id\":\"1\",\"currency\":\"USD\"}").status());
        assertEquals(201, http.post("/v1/accounts",
            "{\"id\":\"1001\",\"currency\":\"USD\",\"flags\":[\"debits_must_not_exceed_credits\"]}").status());
        assertEquals(201, http.post("/v1/accounts",
            "{\"id\":\"1002\",\"currency\":\"USD\",\"flags\":[\"debits_must_not_exceed_credits\"]}").status());
        final Response again = http.post("/v1/accounts", "{\"id\":\"1\",\"currency\":\"USD\"}");
        assertEquals(200, again.status());
        assertEquals("exists", again.body().get("status").asText());
        assertEquals(200, http.post("/v1/wallet/balance_transfer", "{\"from_account\":\"1\",\"to_account\":\"1001\"," +
            "\"amount\":\"100\",\"currency\":\"USD\",\"transaction_id\":\"" + UUID.randomUUID() + "\"}").status());
    }
}
