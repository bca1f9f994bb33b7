package io.walletledger.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.walletledger.config.WalletSettings;
import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.KeysFile;
import io.walletledger.protocol.Role;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.server.HttpTestClient.Response;
import io.walletledger.server.node.LedgerNodeTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Exactly once for any retry, through a real server with its default settings (the permanent record on): a payment
 * retried after more transfers than the idempotency window holds, or after a restricted key flushed the window with
 * failing transfers, answers its first outcome and moves no money a second time.
 */
class ExactlyOnceTest
{
    /** The server's defaults: wallet.ledger.idempotency-window and wallet.ledger.batch-events-max. */
    private static final int DEFAULT_WINDOW = 1 << 20;
    private static final int DEFAULT_BATCH = 8190;
    private static final long RETRY_FOR_NANOS = TimeUnit.SECONDS.toNanos(60);

    private static final String PAYMENT = "{\"id\":\"7001\",\"debit_account_id\":\"1\",\"credit_account_id\":\"1001\"," +
        "\"amount_minor\":\"250\",\"currency\":\"USD\",\"code\":1}";

    @TempDir
    Path data;

    @Test
    void aPaymentRetriedAfterMoreThanTheDefaultWindowOfNewerTransfersIsNotPaidTwice() throws Exception
    {
        final WalletSettings settings = WalletSettings.load().withOverrides(Map.of(
            "wallet.data-dir", data.resolve("data").toString(),
            "wallet.server.port", 0,
            "wallet.server.http-port", 0,
            "wallet.security.mode", "development",
            "wallet.ledger.accounts-max", 1024));
        try (WalletServer server = WalletServer.start(settings))
        {
            final HttpTestClient http = new HttpTestClient(server);
            createAccounts(http, null);
            assertEquals("OK", pay(http, null, PAYMENT));

            // More newer transfers than the window and its batch reserve hold, at the speed of the binary protocol.
            try (RawConnection binary = new RawConnection(server.binaryAddress()))
            {
                final int batches = (DEFAULT_WINDOW + 3 * DEFAULT_BATCH) / DEFAULT_BATCH;
                for (int batch = 0; batch < batches; batch++)
                {
                    binary.send(transfers(1L + batch * (long)DEFAULT_BATCH, DEFAULT_BATCH));
                    final byte[] reply = binary.receive();
                    assertEquals(CreateTransfersResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(reply));
                    assertEquals(0, new CreateTransfersResponseDecoder().wrapAndApplyHeader(RawConnection.buffer(reply),
                        0, new MessageHeaderDecoder()).results().count(), "every newer transfer applies");
                }
            }

            assertEquals("EXISTS", pay(http, null, PAYMENT), "the retry answers the first outcome");
            assertEquals("EXISTS_WITH_DIFFERENT_AMOUNT", pay(http, null, PAYMENT.replace("\"250\"", "\"251\"")));
            assertEquals("250", http.get("/v1/accounts/1001").text("credits_posted_minor"), "no second movement");
            final Response found = http.get("/v1/transfers/7001");
            assertEquals(200, found.status(), found.body().toString());
            assertEquals("250", found.text("amount_minor"));
        }
    }

    @Test
    void aKeyRestrictedToOneEmptyWalletCannotFlushAnotherClientsPaymentOutOfTheLedgersMemory() throws Exception
    {
        final Map<String, String> secrets = new HashMap<>();
        final List<ApiKey> keys = new ArrayList<>();
        keys.add(key(secrets, "admin", EnumSet.of(Role.ADMIN), new long[0]));
        keys.add(key(secrets, "payer", EnumSet.of(Role.TRANSFER), new long[0]));
        keys.add(key(secrets, "attacker", EnumSet.of(Role.TRANSFER), new long[] {1002}));
        final Path keysFile = data.resolve("keys.json");
        KeysFile.save(keysFile, keys);
        final int window = 1 << 14;
        final int batch = 4096;
        try (WalletServer server = WalletServer.start(BinaryAuthenticationTest.requiredSettings(data.resolve("data"),
            keysFile, Map.of("wallet.ledger.idempotency-window", window, "wallet.ledger.batch-events-max", batch,
                "wallet.http.max-body-bytes", 1 << 20))))
        {
            final HttpTestClient http = new HttpTestClient(server);
            createAccounts(http, "admin:" + secrets.get("admin"));
            final String payer = "payer:" + secrets.get("payer");
            assertEquals("OK", pay(http, payer, PAYMENT));

            // Wallet 1002 is empty and may not overdraw: every one of these fails, and each failure is remembered.
            final String attacker = "attacker:" + secrets.get("attacker");
            long id = 1_000_000;
            for (int sent = 0; sent < window + 3 * batch; sent += batch)
            {
                final StringBuilder body = new StringBuilder("{\"transfers\":[");
                for (int i = 0; i < batch; i++)
                {
                    body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id++).append("\",\"debit_account_id\":" +
                        "\"1002\",\"credit_account_id\":\"1001\",\"amount_minor\":\"1\",\"currency\":\"USD\",\"code\":1}");
                }
                final Response failed = send(http, attacker, body.append("]}").toString());
                assertEquals(200, failed.status(), failed.body().toString());
                for (final JsonNode result : failed.body().get("results"))
                {
                    assertEquals("EXCEEDS_CREDITS", result.get("result").asText());
                }
            }

            assertEquals("EXISTS", pay(http, payer, PAYMENT), "the payer's retry is recognised");
            assertEquals("250", get(http, "admin:" + secrets.get("admin"), "/v1/accounts/1001").path("credits_posted_minor").asText(),
                "no second movement");
        }
    }

    private static void createAccounts(final HttpTestClient http, final String key) throws Exception
    {
        for (final String account : List.of("{\"id\":\"1\",\"currency\":\"USD\"}",
            "{\"id\":\"1001\",\"currency\":\"USD\",\"flags\":[\"debits_must_not_exceed_credits\"]}",
            "{\"id\":\"1002\",\"currency\":\"USD\",\"flags\":[\"debits_must_not_exceed_credits\"]}"))
        {
            final Response created = send(http, key, "/v1/accounts", account);
            assertEquals(201, created.status(), created.body().toString());
        }
    }

    /**
     * Sends one transfer, again while the ledger answers {@code RECORD_BEHIND} (its record still catching up), as a
     * client is told to.
     *
     * @return its result.
     */
    private static String pay(final HttpTestClient http, final String key, final String transfer) throws Exception
    {
        final long deadline = System.nanoTime() + RETRY_FOR_NANOS;
        while (true)
        {
            final Response response = send(http, key, "{\"transfers\":[" + transfer + "]}");
            assertEquals(200, response.status(), response.body().toString());
            final String result = response.body().get("results").get(0).get("result").asText();
            if (!"RECORD_BEHIND".equals(result) || System.nanoTime() > deadline)
            {
                return result;
            }
            Thread.sleep(100);
        }
    }

    private static Response send(final HttpTestClient http, final String key, final String body) throws Exception
    {
        return send(http, key, "/v1/transfers", body);
    }

    private static Response send(final HttpTestClient http, final String key, final String path, final String body)
        throws Exception
    {
        final HttpRequest.Builder request = http.json(path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null)
        {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build());
    }

    private static JsonNode get(final HttpTestClient http, final String key, final String path) throws Exception
    {
        final Response response = http.send(HttpRequest.newBuilder(URI.create(http.base() + path))
            .header("Authorization", "Bearer " + key).GET().build());
        assertEquals(200, response.status(), response.body().toString());
        return response.body();
    }

    private static ApiKey key(
        final Map<String, String> secrets, final String id, final EnumSet<Role> roles, final long[] accounts)
    {
        final KeysFile.NewKey created = KeysFile.create(id, roles, accounts, BinaryAuthenticationTest.ITERATIONS, 0, 0);
        secrets.put(id, created.secret());
        return created.key();
    }

    /**
     * @return {@code count} transfers of one minor unit from account 1 to wallet 1002, ids {@code firstId} on with a
     * high half of 1 (above the payment's).
     */
    private static byte[] transfers(final long firstId, final int count)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH +
            CreateTransfersEncoder.BLOCK_LENGTH + 8 + count * CreateTransfersEncoder.TransfersEncoder.sbeBlockLength()]);
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder()
            .wrapAndApplyHeader(message, 0, new MessageHeaderEncoder()).correlationId(firstId);
        final CreateTransfersEncoder.TransfersEncoder group = encoder.transfersCount(count);
        for (int i = 0; i < count; i++)
        {
            group.next();
            group.id().lo(firstId + i).hi(1);
            group.debitAccountId(1).creditAccountId(1002).amount(1);
            group.pendingId().lo(0).hi(0);
            group.userData128().lo(0).hi(0);
            group.userData64(0).userData32(0).timeout(0).currency(840).code(1);
            group.flags().clear();
        }
        return Arrays.copyOf(message.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }
}
