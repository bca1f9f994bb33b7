package io.walletledger.server;

import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.KeysFile;
import io.walletledger.protocol.Role;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.server.node.CrashWorkload;
import io.walletledger.server.node.LedgerNodeTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads per second per key ({@code wallet.security.reads-per-second}, {@code reads-burst}) on a real server on
 * loopback: an id looked up costs one read, a history page as many as its limit, over the binary protocol and HTTP
 * alike; a key past its reads is refused ({@code RATE_LIMITED}, HTTP 429 with Retry-After) while another key is
 * served. A rate of 2 reads a second with a burst of 20 makes the refusals certain however slow the machine.
 */
class ReadRateLimitTest
{
    private static final int BURST = 20;
    /** The first of the accounts {@link BinaryRequests#createAccounts} creates. */
    private static final long FIRST_ACCOUNT = CrashWorkload.accountIds()[0];

    @TempDir
    static Path directory;

    private static WalletServer server;
    private static final Map<String, String> SECRETS = new HashMap<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException
    {
        final Path keysFile = directory.resolve("keys.json");
        final List<ApiKey> keys = new ArrayList<>();
        for (final String id : List.of("admin", "binary-reader", "http-reader", "binary-bystander",
            "http-bystander"))
        {
            final KeysFile.NewKey created = KeysFile.create(id, EnumSet.of(id.equals("admin") ? Role.ADMIN : Role.READ),
                new long[0], BinaryAuthenticationTest.ITERATIONS, 0, 0);
            SECRETS.put(id, created.secret());
            keys.add(created.key());
        }
        KeysFile.save(keysFile, keys);
        server = WalletServer.start(BinaryAuthenticationTest.requiredSettings(directory.resolve("data"), keysFile,
            Map.of("wallet.security.reads-per-second", 2, "wallet.security.reads-burst", BURST)));
        try (RawConnection admin = connect("admin"))
        {
            BinaryRequests.createAccounts(admin);
        }
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    @Test
    void binaryLookupsCostOneReadPerIdAndStopAtTheKeysBurst() throws IOException
    {
        try (RawConnection reader = connect("binary-reader"); RawConnection bystander = connect("binary-bystander"))
        {
            reader.send(lookup(1, BURST + 1));
            BinaryRequests.assertError(reader.receive(), ErrorCode.RATE_LIMITED, 1); // more than it may ever read

            reader.send(lookup(2, BURST));
            assertEquals(LookupAccountsResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(reader.receive()));
            reader.send(lookup(3, 2));
            BinaryRequests.assertError(reader.receive(), ErrorCode.RATE_LIMITED, 3); // its burst is spent

            bystander.send(lookup(4, BURST));
            assertEquals(LookupAccountsResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(bystander.receive()),
                "another key reads from its own bucket");
        }
    }

    @Test
    void httpReadsAndHistoryPagesCountAgainstTheSameRate() throws Exception
    {
        final String account = Long.toUnsignedString(FIRST_ACCOUNT);
        final HttpResponse<String> tooLarge = get("http-reader", "/v1/accounts/" + account + "/transfers?limit=" +
            (BURST + 1));
        assertEquals(429, tooLarge.statusCode(), tooLarge.body());
        assertTrue(tooLarge.body().contains("at most " + BURST + " reads at once"), tooLarge.body());

        assertEquals(200, get("http-reader", "/v1/accounts/" + account + "/transfers?limit=" + (BURST - 1))
            .statusCode());
        assertEquals(200, get("http-reader", "/v1/accounts/" + account).statusCode(), "one read left");
        final HttpResponse<String> spent = get("http-reader", "/v1/accounts/" + account);
        assertEquals(429, spent.statusCode(), spent.body());
        assertTrue(spent.body().contains("\"code\":\"RATE_LIMITED\""), spent.body());
        assertTrue(spent.body().contains("limited to 2 reads per second"), spent.body());
        assertTrue(Integer.parseInt(spent.headers().firstValue("Retry-After").orElseThrow()) >= 1);

        assertEquals(200, get("http-bystander", "/v1/accounts/" + account + "/balances?limit=" + BURST).statusCode(),
            "another key reads from its own bucket");
    }

    private static RawConnection connect(final String keyId) throws IOException
    {
        final RawConnection connection = new RawConnection(server.binaryAddress());
        assertTrue(ScramTestClient.authenticate(connection, keyId, SECRETS.get(keyId)).ok(), keyId);
        return connection;
    }

    private static HttpResponse<String> get(final String keyId, final String path) throws Exception
    {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpAddress().getPort() +
            path)).header("Authorization", "Bearer " + keyId + ":" + SECRETS.get(keyId)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /**
     * @return a lookup of the first {@code count} accounts of the test workload.
     */
    private static byte[] lookup(final long correlationId, final int count)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[4096]);
        final LookupAccountsEncoder encoder = new LookupAccountsEncoder()
            .wrapAndApplyHeader(message, 0, new MessageHeaderEncoder()).correlationId(correlationId);
        final LookupAccountsEncoder.IdsEncoder ids = encoder.idsCount(count);
        for (int i = 0; i < count; i++)
        {
            ids.next().id(FIRST_ACCOUNT + i);
        }
        return Arrays.copyOf(message.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }
}
