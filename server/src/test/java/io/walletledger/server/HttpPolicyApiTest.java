package io.walletledger.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.walletledger.server.HttpTestClient.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.UUID;

import static io.walletledger.server.HttpTestClient.expectBadRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wallet-policy endpoints of the HTTP API on a real server on loopback: account lifecycle, limits, fees, review
 * of large transfers, settings and the policy lookup. For each: what success answers and changes, a business
 * refusal with its result code, and a 400 naming the field for every kind of bad request.
 */
class HttpPolicyApiTest
{
    private static final String SETTLEMENT = "1";
    private static final String ALICE = "1001";
    private static final String BOB = "1002";

    @TempDir
    Path data;

    private WalletServer server;
    private HttpTestClient http;

    @BeforeEach
    void start() throws Exception
    {
        server = WalletServer.start(HttpApiTest.settings(data));
        http = new HttpTestClient(server);
        createAccount(SETTLEMENT, "");
        createAccount(ALICE, ",\"flags\":[\"debits_must_not_exceed_credits\"]");
        createAccount(BOB, ",\"flags\":[\"debits_must_not_exceed_credits\"]");
        assertEquals(200, transfer(SETTLEMENT, ALICE, "100.00").status());
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    @Test
    void aFrozenAccountReceivesButDoesNotSendAndAClosedOneDoesNeither() throws Exception
    {
        Response response = http.post("/v1/accounts/1001/freeze", "");
        assertEquals(200, response.status(), response.body().toString());
        assertEquals("{\"status\":\"frozen\",\"id\":\"1001\",\"freeze_scope\":\"debits\"}", response.body().toString());
        JsonNode alice = account(ALICE);
        assertEquals("frozen", alice.get("status").asText());
        assertEquals("debits", alice.get("freeze_scope").asText());
        expectRefusal(transfer(ALICE, BOB, "1.00"), 422, "DEBIT_ACCOUNT_FROZEN");
        assertEquals(200, transfer(SETTLEMENT, ALICE, "1.00").status(), "a frozen account still receives");

        response = http.post("/v1/accounts/1001/freeze", "{\"scope\":\"all\"}");
        assertEquals(200, response.status());
        assertEquals("all", response.text("freeze_scope"));
        expectRefusal(transfer(SETTLEMENT, ALICE, "1.00"), 422, "CREDIT_ACCOUNT_FROZEN");
        assertEquals(200, http.post("/v1/accounts/1001/freeze", "{\"scope\":\"all\"}").status(), "already holds");

        response = http.post("/v1/accounts/1001/unfreeze", "");
        assertEquals("{\"status\":\"active\",\"id\":\"1001\"}", response.body().toString());
        alice = account(ALICE);
        assertEquals("active", alice.get("status").asText());
        assertEquals("none", alice.get("freeze_scope").asText());
        assertEquals(200, transfer(ALICE, BOB, "1.00").status());

        expectRefusal(http.post("/v1/accounts/1001/close", ""), 422, "ACCOUNT_BALANCE_NOT_ZERO");
        createAccount("1003", "");
        assertEquals("OK", transfers("{\"id\":\"31\",\"debit_account_id\":\"1\",\"credit_account_id\":\"1003\"," +
            "\"amount_minor\":\"500\",\"currency\":\"USD\",\"flags\":[\"pending\"]}").get(0).get("result").asText());
        expectRefusal(http.post("/v1/accounts/1003/close", "{}"), 422, "ACCOUNT_HAS_PENDING_TRANSFERS");
        assertEquals("OK", transfers("{\"id\":\"32\",\"pending_id\":\"31\",\"amount_minor\":\"0\",\"currency\":\"USD\"," +
            "\"flags\":[\"void_pending\"]}").get(0).get("result").asText());
        response = http.post("/v1/accounts/1003/close", "");
        assertEquals("{\"status\":\"closed\",\"id\":\"1003\"}", response.body().toString());
        assertEquals(200, http.post("/v1/accounts/1003/close", "").status(), "already holds");
        assertEquals("closed", account("1003").get("status").asText());
        expectRefusal(http.post("/v1/accounts/1003/freeze", ""), 422, "ACCOUNT_CLOSED");
        expectRefusal(http.post("/v1/accounts/1003/unfreeze", ""), 422, "ACCOUNT_CLOSED");
        expectRefusal(transfer(SETTLEMENT, "1003", "1.00"), 422, "CREDIT_ACCOUNT_CLOSED");
        expectRefusal(http.post("/v1/accounts/4242/close", ""), 404, "ACCOUNT_NOT_FOUND");
    }

    @Test
    void badLifecycleRequestsAreRefusedAndChangeNothing() throws Exception
    {
        expectBadRequest(http.post("/v1/accounts/1001/freeze", "{\"scope\":\"credits\"}"),
            "\"scope\" must be one of debits, all");
        expectBadRequest(http.post("/v1/accounts/1001/freeze", "{\"scope\":2}"), "\"scope\" must be one of");
        expectBadRequest(http.post("/v1/accounts/1001/freeze", "{\"colour\":1}"), "unknown field \"colour\"");
        expectBadRequest(http.post("/v1/accounts/1001/freeze", "{\"scope\":\"all\""), "malformed JSON");
        expectBadRequest(http.post("/v1/accounts/1001/unfreeze", "{\"scope\":\"all\"}"), "unknown field \"scope\"");
        expectBadRequest(http.post("/v1/accounts/1001/close", "[]"), "must be a JSON object");
        expectBadRequest(http.post("/v1/accounts/abc/close", ""), "account id");
        final Response wrongMethod = http.get("/v1/accounts/1001/freeze");
        assertEquals(405, wrongMethod.status());
        assertEquals("POST", wrongMethod.allow());
        assertEquals(404, http.post("/v1/accounts/1001/suspend", "").status());
        assertEquals("active", account(ALICE).get("status").asText());
    }

    @Test
    void accountLimitsAreShownAndEnforced() throws Exception
    {
        Response response = http.put("/v1/accounts/1001/limits", "{\"transfer_amount_limit_minor\":\"2000\"," +
            "\"daily_debit_limit_minor\":\"3000\",\"velocity_debit_limit\":3,\"velocity_window_seconds\":3600}");
        assertEquals("{\"status\":\"updated\",\"id\":\"1001\"}", response.body().toString());
        JsonNode alice = account(ALICE);
        assertEquals("2000", alice.get("transfer_amount_limit_minor").asText());
        assertEquals("3000", alice.get("daily_debit_limit_minor").asText());
        assertEquals("0.00", alice.get("daily_debits_used").asText());
        assertEquals(3, alice.get("velocity_debit_limit").asInt());
        assertEquals(3600, alice.get("velocity_window_seconds").asInt());

        expectRefusal(transfer(ALICE, BOB, "20.01"), 422, "EXCEEDS_TRANSFER_AMOUNT_LIMIT");
        assertEquals(200, transfer(ALICE, BOB, "20.00").status());
        assertEquals("20.00", account(ALICE).get("daily_debits_used").asText());
        expectRefusal(transfer(ALICE, BOB, "10.01"), 422, "EXCEEDS_DAILY_DEBIT_LIMIT");
        assertEquals(200, transfer(ALICE, BOB, "10.00").status());

        // Only the velocity limit now; what was spent today still counts.
        assertEquals(200, http.put("/v1/accounts/1001/limits",
            "{\"velocity_debit_limit\":3,\"velocity_window_seconds\":3600}").status());
        alice = account(ALICE);
        assertEquals("0", alice.get("transfer_amount_limit_minor").asText());
        assertEquals("30.00", alice.get("daily_debits_used").asText());
        assertEquals(200, transfer(ALICE, BOB, "1.00").status(), "the third debit within the hour");
        expectRefusal(transfer(ALICE, BOB, "1.00"), 422, "EXCEEDS_VELOCITY_LIMIT");

        expectRefusal(http.put("/v1/accounts/1001/limits", "{\"transfer_amount_limit_minor\":\"-1\"}"), 422,
            "LIMIT_MUST_NOT_BE_NEGATIVE");
        expectRefusal(http.put("/v1/accounts/1001/limits", "{\"velocity_debit_limit\":3}"), 422,
            "VELOCITY_WINDOW_MUST_NOT_BE_ZERO");
        expectRefusal(http.put("/v1/accounts/1001/limits",
            "{\"velocity_debit_limit\":100000,\"velocity_window_seconds\":60}"), 422, "VELOCITY_LIMIT_TOO_LARGE");
        expectRefusal(http.put("/v1/accounts/4242/limits", "{}"), 404, "ACCOUNT_NOT_FOUND");
        expectRefusal(transfer(ALICE, BOB, "1.00"), 422, "EXCEEDS_VELOCITY_LIMIT");

        assertEquals(200, http.put("/v1/accounts/1001/limits", "{}").status(), "no field: no limit");
        assertEquals(0, account(ALICE).get("velocity_debit_limit").asInt());
        assertEquals(200, transfer(ALICE, BOB, "1.00").status());
    }

    @Test
    void badLimitRequestsAreRefused() throws Exception
    {
        expectBadRequest(http.put("/v1/accounts/1001/limits", ""), "JSON body");
        expectBadRequest(http.put("/v1/accounts/1001/limits", "{\"velocity_debit_limit\":\"3\"}"),
            "\"velocity_debit_limit\" must be an integer from 0 to 4294967295");
        expectBadRequest(http.put("/v1/accounts/1001/limits", "{\"velocity_window_seconds\":4294967296}"),
            "\"velocity_window_seconds\" must be an integer");
        expectBadRequest(http.put("/v1/accounts/1001/limits", "{\"daily_debit_limit_minor\":\"12.50\"}"),
            "\"daily_debit_limit_minor\" must be an integer number of minor units");
        expectBadRequest(http.put("/v1/accounts/1001/limits", "{\"daily_debit_limit\":\"12.50\"}"),
            "\"daily_debit_limit\" is in major units of a currency, and this names none");
        expectBadRequest(http.put("/v1/accounts/1001/limits", "{\"daily_limit\":\"1\"}"),
            "unknown field \"daily_limit\"");
        expectBadRequest(http.put("/v1/accounts/18446744073709551616/limits", "{}"), "account id");
        final Response wrongMethod = http.post("/v1/accounts/1001/limits", "{}");
        assertEquals(405, wrongMethod.status());
        assertEquals("PUT", wrongMethod.allow());

        expectBadRequest(http.put("/v1/codes/65536/limits", "{}"), "an account code is an integer from 0 to 65535");
        expectBadRequest(http.put("/v1/codes/x/limits", "{}"), "account code");
        expectBadRequest(http.put("/v1/codes/5/limits", "{\"velocity_window_seconds\":-1}"),
            "\"velocity_window_seconds\" must be an integer");
        expectBadRequest(http.send(http.json("/v1/codes/5/limits")
            .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"code\":5}")).build()), "unknown field \"code\"");
        final Response codeMethod = http.get("/v1/codes/5/limits");
        assertEquals(405, codeMethod.status());
        assertEquals("PUT, DELETE", codeMethod.allow());
        assertEquals(404, http.put("/v1/codes/5", "{}").status());
        assertEquals("0", account(ALICE).get("transfer_amount_limit_minor").asText());
    }

    @Test
    void codeLimitsGoToAccountsCreatedLaterWithThatCode() throws Exception
    {
        Response response = http.put("/v1/codes/5/limits", "{\"transfer_amount_limit_minor\":\"1000\"}");
        assertEquals("{\"status\":\"updated\",\"account_code\":5}", response.body().toString());
        createAccount("2001", ",\"code\":5");
        expectRefusal(transfer("2001", BOB, "10.01"), 422, "EXCEEDS_TRANSFER_AMOUNT_LIMIT");
        assertEquals(200, transfer("2001", BOB, "10.00").status());
        assertEquals("1000", account("2001").get("transfer_amount_limit_minor").asText());
        assertEquals("0", account(ALICE).get("transfer_amount_limit_minor").asText(), "another code");
        final JsonNode entry = policies().get("code_limits").get(0);
        assertEquals("{\"code\":5,\"transfer_amount_limit_minor\":\"1000\",\"daily_debit_limit_minor\":\"0\"," +
            "\"velocity_debit_limit\":0,\"velocity_window_seconds\":0}", entry.toString(), "no currency: minor only");

        response = http.put("/v1/codes/5/limits", "{\"daily_debit_limit_minor\":\"-5\"}");
        expectRefusal(response, 422, "LIMIT_MUST_NOT_BE_NEGATIVE");
        assertEquals(5, response.body().get("account_code").asInt());
        response = http.delete("/v1/codes/5/limits");
        assertEquals("{\"status\":\"removed\",\"account_code\":5}", response.body().toString());
        assertEquals(0, policies().get("code_limits").size());
        assertEquals("1000", account("2001").get("transfer_amount_limit_minor").asText(), "an existing account keeps them");
        createAccount("2002", ",\"code\":5");
        assertEquals("0", account("2002").get("transfer_amount_limit_minor").asText());
    }

    @Test
    void aFeeIsPaidWithItsTransferAndShownOnIt() throws Exception
    {
        createAccount("9000", "");
        Response response = http.put("/v1/fees/1/USD", "{\"fixed_amount_minor\":\"10\",\"basis_points\":100," +
            "\"maximum_minor\":\"500\",\"fee_account_id\":\"9000\"}");
        assertEquals("{\"status\":\"updated\",\"transfer_code\":1,\"currency\":\"USD\"}", response.body().toString());
        final String paid = UUID.randomUUID().toString();
        // balance_transfer uses transfer code 1: fee = 10 + 1% of 1234 (12.34, rounded half up to 12) = 22.
        assertEquals(200, transfer(ALICE, BOB, "12.34", paid).status());
        assertEquals("87.44", account(ALICE).get("balance").asText());
        assertEquals("12.34", account(BOB).get("balance").asText());
        assertEquals("0.22", account("9000").get("balance").asText());
        final JsonNode found = http.get("/v1/transfers/" + paid).body();
        assertEquals("1234", found.get("amount_minor").asText());
        assertEquals("22", found.get("fee_minor").asText());
        assertEquals("9000", found.get("fee_account_id").asText());
        assertEquals("{\"transfer_code\":1,\"currency\":\"USD\",\"fixed_amount\":\"0.10\",\"fixed_amount_minor\":\"10\"," +
            "\"basis_points\":100,\"minimum\":\"0.00\",\"minimum_minor\":\"0\",\"maximum\":\"5.00\"," +
            "\"maximum_minor\":\"500\",\"fee_account_id\":\"9000\"}", policies().get("fees").get(0).toString());

        expectRefusal(http.put("/v1/fees/1/USD", "{\"basis_points\":10001,\"fee_account_id\":\"9000\"}"), 422,
            "FEE_BASIS_POINTS_TOO_LARGE");
        expectRefusal(http.put("/v1/fees/1/USD", "{\"minimum_minor\":\"600\",\"maximum_minor\":\"500\",\"fee_account_id\":\"9000\"}"),
            422, "FEE_MINIMUM_EXCEEDS_MAXIMUM");
        expectRefusal(http.put("/v1/fees/1/USD", "{\"fixed_amount_minor\":\"-1\",\"fee_account_id\":\"9000\"}"), 422,
            "FEE_MUST_NOT_BE_NEGATIVE");
        assertEquals(200, http.put("/v1/fees/1/USD", "{\"fixed_amount_minor\":\"1\",\"fee_account_id\":\"777\"}").status());
        expectRefusal(transfer(ALICE, BOB, "1.00"), 404, "FEE_ACCOUNT_NOT_FOUND");

        response = http.delete("/v1/fees/1/USD");
        assertEquals("{\"status\":\"removed\",\"transfer_code\":1,\"currency\":\"USD\"}", response.body().toString());
        assertEquals(0, policies().get("fees").size());
        final String free = UUID.randomUUID().toString();
        assertEquals(200, transfer(ALICE, BOB, "1.00", free).status());
        assertEquals("0", http.get("/v1/transfers/" + free).body().get("fee_minor").asText());
        assertEquals("0", http.get("/v1/transfers/" + free).body().get("fee_account_id").asText());
    }

    @Test
    void badFeeRequestsAreRefused() throws Exception
    {
        final String valid = "{\"fee_account_id\":\"9000\"}";
        expectBadRequest(http.put("/v1/fees/1/XXX", valid), "unknown currency \"XXX\"");
        expectBadRequest(http.put("/v1/fees/70000/USD", valid), "a transfer code is an integer from 0 to 65535");
        expectBadRequest(http.put("/v1/fees/1/USD", "{\"fixed_amount_minor\":\"1\"}"), "\"fee_account_id\" is required");
        expectBadRequest(http.put("/v1/fees/1/USD", "{\"fee_account_id\":\"0\"}"), "must not be zero");
        expectBadRequest(http.put("/v1/fees/1/USD", "{\"basis_points\":-1,\"fee_account_id\":\"9000\"}"),
            "\"basis_points\" must be an integer from 0");
        expectBadRequest(http.put("/v1/fees/1/USD", "{\"basis_points\":\"100\",\"fee_account_id\":\"9000\"}"),
            "\"basis_points\" must be an integer from 0");
        expectBadRequest(http.put("/v1/fees/1/USD", "{\"fixed_amount_minor\":\"0.10\",\"fee_account_id\":\"9000\"}"),
            "\"fixed_amount_minor\" must be an integer number of minor units");
        expectBadRequest(http.put("/v1/fees/1/USD", "{\"fixed_amount\":\"0.101\",\"fee_account_id\":\"9000\"}"),
            "\"fixed_amount\"");
        expectBadRequest(http.put("/v1/fees/1/USD", "{\"fee\":\"1\",\"fee_account_id\":\"9000\"}"),
            "unknown field \"fee\"");
        assertEquals(404, http.put("/v1/fees/1", valid).status());
        final Response wrongMethod = http.post("/v1/fees/1/USD", valid);
        assertEquals(405, wrongMethod.status());
        assertEquals("PUT, DELETE", wrongMethod.allow());
        assertEquals(0, policies().get("fees").size(), "nothing was set");
    }

    @Test
    void aLargeTransferIsHeldForReviewUntilAnOperatorDecides() throws Exception
    {
        Response response = http.put("/v1/review-thresholds/USD", "{\"threshold_minor\":\"5000\"}");
        assertEquals("{\"status\":\"updated\",\"currency\":\"USD\"}", response.body().toString());
        final String held = UUID.randomUUID().toString();
        response = transfer(ALICE, BOB, "60.00", held);
        assertEquals(202, response.status(), response.body().toString());
        assertEquals("{\"status\":\"held_for_review\",\"transaction_id\":\"" + held + "\"}", response.body().toString());
        assertEquals(202, transfer(ALICE, BOB, "60.00", held).status(), "a retry answers the same");
        JsonNode hold = http.get("/v1/transfers/" + held).body();
        assertEquals("[\"pending\",\"review\"]", hold.get("flags").toString());
        assertEquals("pending", hold.get("pending_status").asText());
        assertEquals("60.00", account(ALICE).get("debits_pending").asText());
        assertEquals("40.00", account(ALICE).get("available").asText());
        assertEquals("PENDING_TRANSFER_UNDER_REVIEW", transfers("{\"id\":\"41\",\"pending_id\":\"" + held + "\"," +
            "\"amount_minor\":\"0\",\"currency\":\"USD\",\"flags\":[\"post_pending\"]}").get(0).get("result").asText());

        final String approval = UUID.randomUUID().toString();
        final String approve = "{\"id\":\"" + approval + "\",\"decision\":\"approve\"}";
        response = http.post("/v1/transfers/" + held + "/review", approve);
        assertEquals(200, response.status(), response.body().toString());
        assertEquals("{\"status\":\"approved\",\"id\":\"" + approval + "\",\"pending_id\":\"" + held + "\"}",
            response.body().toString());
        assertEquals(200, http.post("/v1/transfers/" + held + "/review", approve).status(), "an identical retry");
        expectRefusal(http.post("/v1/transfers/" + held + "/review", approve.replace("approve", "reject")), 409,
            "EXISTS_WITH_DIFFERENT_FLAGS");
        assertEquals("posted", http.get("/v1/transfers/" + held).body().get("pending_status").asText());
        assertEquals("40.00", account(ALICE).get("balance").asText());
        assertEquals("60.00", account(BOB).get("balance").asText());

        // At the threshold is not above it: not held.
        assertEquals(200, transfer(SETTLEMENT, ALICE, "50.00").status());
        final String rejected = UUID.randomUUID().toString();
        assertEquals(202, transfer(ALICE, BOB, "60.00", rejected).status());
        response = http.post("/v1/transfers/" + rejected + "/review", "{\"id\":\"40\",\"decision\":\"reject\"}");
        assertEquals("rejected", response.text("status"));
        assertEquals("voided", http.get("/v1/transfers/" + rejected).body().get("pending_status").asText());
        assertEquals("90.00", account(ALICE).get("available").asText());

        assertEquals("OK", transfers("{\"id\":\"42\",\"debit_account_id\":\"1001\",\"credit_account_id\":\"1002\"," +
            "\"amount_minor\":\"100\",\"currency\":\"USD\",\"flags\":[\"pending\"]}").get(0).get("result").asText());
        expectRefusal(http.post("/v1/transfers/42/review", "{\"id\":\"43\",\"decision\":\"approve\"}"), 422,
            "PENDING_TRANSFER_NOT_UNDER_REVIEW");
        expectRefusal(http.post("/v1/transfers/999999/review", "{\"id\":\"44\",\"decision\":\"reject\"}"), 404,
            "PENDING_TRANSFER_NOT_FOUND");

        assertEquals("{\"currency\":\"USD\",\"threshold\":\"50.00\",\"threshold_minor\":\"5000\"}",
            policies().get("review_thresholds").get(0).toString());
        expectRefusal(http.put("/v1/review-thresholds/USD", "{\"threshold_minor\":\"-1\"}"), 422,
            "THRESHOLD_MUST_NOT_BE_NEGATIVE");
        response = http.delete("/v1/review-thresholds/USD");
        assertEquals("{\"status\":\"removed\",\"currency\":\"USD\"}", response.body().toString());
        assertEquals(0, policies().get("review_thresholds").size());
        assertEquals(200, transfer(ALICE, BOB, "60.00").status());
    }

    @Test
    void badReviewRequestsAreRefused() throws Exception
    {
        expectBadRequest(http.put("/v1/review-thresholds/XXX", "{\"threshold_minor\":\"1\"}"), "unknown currency");
        expectBadRequest(http.put("/v1/review-thresholds/USD", "{}"),
            "\"threshold\" (major units, such as \"12.34\") or \"threshold_minor\" (minor units) is required");
        expectBadRequest(http.put("/v1/review-thresholds/USD", "{\"threshold_minor\":\"1.5\"}"), "\"threshold_minor\"");
        expectBadRequest(http.put("/v1/review-thresholds/USD", "{\"threshold\":\"1.505\"}"), "\"threshold\"");
        expectBadRequest(http.put("/v1/review-thresholds/USD", "{\"threshold_minor\":\"1\",\"currency\":\"USD\"}"),
            "unknown field \"currency\"");
        expectBadRequest(http.post("/v1/transfers/7/review", "{\"decision\":\"approve\"}"), "\"id\" is required");
        expectBadRequest(http.post("/v1/transfers/7/review", "{\"id\":\"x\",\"decision\":\"approve\"}"), "transfer id");
        expectBadRequest(http.post("/v1/transfers/7/review", "{\"id\":\"45\",\"decision\":\"maybe\"}"),
            "\"decision\" must be one of approve, reject");
        expectBadRequest(http.post("/v1/transfers/7/review", "{\"id\":\"45\"}"), "\"decision\" must be one of");
        expectBadRequest(http.post("/v1/transfers/zzz/review", "{\"id\":\"45\",\"decision\":\"reject\"}"),
            "transfer id");
        final Response wrongMethod = http.get("/v1/transfers/7/review");
        assertEquals(405, wrongMethod.status());
        assertEquals("POST", wrongMethod.allow());
        final Response thresholdMethod = http.post("/v1/review-thresholds/USD", "{\"threshold_minor\":\"1\"}");
        assertEquals(405, thresholdMethod.status());
        assertEquals("PUT, DELETE", thresholdMethod.allow());
        assertEquals(0, policies().get("review_thresholds").size(), "nothing was set");
    }

    @Test
    void theDayStartIsSetAndEveryPolicyIsReadBack() throws Exception
    {
        JsonNode policies = policies();
        assertEquals(0, policies.get("day_start_seconds").asInt());
        assertTrue(policies.get("config_digest").asText().matches("[0-9a-f]{16}"), policies.toString());
        assertEquals("[]", policies.get("fees").toString());
        assertEquals("[]", policies.get("review_thresholds").toString());
        assertEquals("[]", policies.get("code_limits").toString());

        final Response response = http.put("/v1/settings", "{\"day_start_seconds\":3600}");
        assertEquals("{\"status\":\"updated\",\"day_start_seconds\":3600}", response.body().toString());
        assertEquals(3600, policies().get("day_start_seconds").asInt());
        expectRefusal(http.put("/v1/settings", "{\"day_start_seconds\":86400}"), 422, "SETTING_OUT_OF_RANGE");
        expectRefusal(http.put("/v1/settings", "{\"day_start_seconds\":-1}"), 422, "SETTING_OUT_OF_RANGE");

        assertEquals(10_000, policies.get("holds_per_account_max").asLong(), "wallet.policies.holds-per-account-max");
        assertEquals(0, policies.get("hold_timeout_max_seconds").asLong());
        final Response holds = http.put("/v1/settings", "{\"holds_per_account_max\":2,\"hold_timeout_max_seconds\":60}");
        assertEquals("{\"status\":\"updated\",\"holds_per_account_max\":2,\"hold_timeout_max_seconds\":60}",
            holds.body().toString());
        assertEquals(2, policies().get("holds_per_account_max").asLong());
        assertEquals(60, policies().get("hold_timeout_max_seconds").asLong());
        expectRefusal(http.put("/v1/settings", "{\"hold_timeout_max_seconds\":4294967296}"), 422,
            "SETTING_OUT_OF_RANGE");

        expectBadRequest(http.put("/v1/settings", ""), "JSON body");
        expectBadRequest(http.put("/v1/settings", "{}"), "the settings name at least one of day_start_seconds, " +
            "holds_per_account_max, hold_timeout_max_seconds");
        expectBadRequest(http.put("/v1/settings", "{\"day_start_seconds\":\"3600\"}"),
            "\"day_start_seconds\" must be an integer");
        expectBadRequest(http.put("/v1/settings", "{\"day_start_seconds\":1.5}"), "must be an integer");
        expectBadRequest(http.put("/v1/settings", "{\"config_digest\":\"1\"}"), "unknown field \"config_digest\"");
        assertEquals("PUT", http.get("/v1/settings").allow());
        assertEquals("GET", http.post("/v1/policies", "{}").allow());
        assertEquals(404, http.get("/v1/policies/fees").status());
        assertEquals(3600, policies().get("day_start_seconds").asInt(), "nothing else changed it");
    }

    private void createAccount(final String id, final String more) throws Exception
    {
        final Response response = http.post("/v1/accounts", "{\"id\":\"" + id + "\",\"currency\":\"USD\"" + more + "}");
        assertEquals(201, response.status(), response.body().toString());
    }

    private Response transfer(final String from, final String to, final String amount) throws Exception
    {
        return transfer(from, to, amount, UUID.randomUUID().toString());
    }

    private Response transfer(final String from, final String to, final String amount, final String transactionId)
        throws Exception
    {
        return http.post("/v1/wallet/balance_transfer", "{\"from_account\":\"" + from + "\",\"to_account\":\"" + to +
            "\",\"amount\":\"" + amount + "\",\"currency\":\"USD\",\"transaction_id\":\"" + transactionId + "\"}");
    }

    /**
     * @return the results of a {@code POST /v1/transfers} of the transfers given as JSON objects.
     */
    private JsonNode transfers(final String transfers) throws Exception
    {
        final Response response = http.post("/v1/transfers", "{\"transfers\":[" + transfers + "]}");
        assertEquals(200, response.status(), response.body().toString());
        return response.body().get("results");
    }

    private JsonNode account(final String id) throws Exception
    {
        final Response response = http.get("/v1/accounts/" + id);
        assertEquals(200, response.status(), response.body().toString());
        return response.body();
    }

    private JsonNode policies() throws Exception
    {
        final Response response = http.get("/v1/policies");
        assertEquals(200, response.status(), response.body().toString());
        return response.body();
    }

    private static void expectRefusal(final Response response, final int status, final String code)
    {
        HttpTestClient.expectProblem(response, status, code);
    }
}
