package io.walletledger.gateway;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.walletledger.gateway.http.HttpGateway;
import io.walletledger.gateway.http.HttpSettings;
import io.walletledger.gateway.security.BearerAuthenticator;
import io.walletledger.gateway.security.GatewaySecurity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the HTTP/JSON request path: bytes off the socket through the HTTP listener's own
 * pipeline (Netty's HTTP codec, the body limit, {@link HttpApi} with {@link JsonCodec}) into a real
 * {@code LedgerEngine} that already holds a settlement account and two funded wallets.
 * <p>
 * The first byte of an input picks what it is: the body of one of the JSON endpoints, the id in a lookup's path, or
 * raw bytes that may be several pipelined requests or no HTTP at all; the rest is that body, id or stream. Whatever
 * it is, nothing may throw out of the pipeline; each whole request gets exactly one response, never a 500, with a
 * JSON body (text for {@code GET /metrics}); a request refused as malformed (400, 405, 413) leaves the ledger as it
 * was; only valid requests reach it, and the books balance ({@link EngineLedger}).
 * <p>
 * {@code ./mvnw verify} fuzzes for a few seconds; without JAZZER_FUZZ it replays the inputs under
 * {@code src/test/resources/.../HttpRequestFuzzTestInputs}. docs/security.md gives the longer run.
 */
class HttpRequestFuzzTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int USD = 840;
    private static final int BODY_BYTES_MAX = 4096;
    private static final Set<Integer> STATUSES = Set.of(200, 201, 400, 404, 405, 409, 413, 422);
    private static final Set<Integer> REFUSED_UNREAD = Set.of(400, 405, 413);
    private static final String[] POSTS = { "/v1/accounts", "/v1/wallet/balance_transfer", "/v1/transfers" };

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({ "\"id\"", "\"currency\"", "\"USD\"", "\"BTC\"", "\"flags\"", "\"code\"", "\"user_data\"",
        "\"debits_must_not_exceed_credits\"", "\"credits_must_not_exceed_debits\"", "\"linked\"", "\"from_account\"",
        "\"to_account\"", "\"amount\"", "\"transaction_id\"", "\"transfers\"", "\"debit_account_id\"",
        "\"credit_account_id\"", "\"pending\"", "\"post_pending\"", "\"void_pending\"", "\"pending_id\"",
        "\"timeout\"", "\"user_data_128\"", "\"user_data_64\"", "\"user_data_32\"", "\"1001\"", "\"1002\"", "\"1\"",
        "\"18446744073709551615\"", "\"0.01\"", "\"-1\"", "1e308", "\"3f2b8c1e-5d4a-4e7b-9c1d-2a6f8e0b7c35\"",
        "HTTP/1.1\\x0D\\x0A", "Content-Length: ", "Transfer-Encoding: chunked\\x0D\\x0A", "\\x0D\\x0A\\x0D\\x0A" })
    void anyRequestGetsOneJsonAnswerAndMalformedOnesNeverReachTheLedger(final byte[] data)
    {
        final EngineLedger ledger = new EngineLedger();
        fund(ledger);
        final HttpSettings settings = new HttpSettings("127.0.0.1", 0, EngineLedger.BATCH_EVENTS_MAX, BODY_BYTES_MAX,
            Duration.ofSeconds(10), 16, 0, Duration.ZERO, Duration.ofSeconds(30), null);
        final EmbeddedChannel channel = new EmbeddedChannel();
        // Development mode: every request goes straight to the API (HttpApiSecurityTest covers authentication).
        final GatewaySecurity security = GatewaySecurity.development();
        final GatewayContext context = new GatewayContext(ledger, security,
            new GatewayMetrics(new PrometheusRegistry()), CurrencyRegistry.withIsoDefaults().build(), () -> true,
            () -> null, TransferArchive.NONE);
        HttpGateway.addProtocolHandlers(channel.pipeline(), context, settings, new BearerAuthenticator(security));
        final long before = ledger.stateHash();
        final int submittedBefore = ledger.submitted();

        final int selector = data.length == 0 ? 0 : data[0] & 7;
        final byte[] rest = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
        final boolean raw = selector == 7;
        final byte[] request = switch (selector)
        {
            case 0, 1, 2 -> request("POST", POSTS[selector], rest);
            case 3 -> request("GET", "/v1/accounts/" + pathSegment(rest), new byte[0]);
            case 4 -> request("GET", "/v1/transfers/" + pathSegment(rest), new byte[0]);
            case 5 -> request("PUT", "/v1/transfers", rest);
            case 6 -> request("POST", "/v1/transfers", Arrays.copyOf(rest, rest.length * 64)); // large, maybe too
            default -> rest;
        };
        channel.writeInbound(Unpooled.wrappedBuffer(request));
        channel.runPendingTasks();
        channel.checkException();

        final List<FullHttpResponse> responses = responses(channel);
        assertNull(ledger.failure());
        if (!raw)
        {
            assertEquals(1, responses.size(), "one response to one request");
        }
        for (final FullHttpResponse response : responses)
        {
            final int status = response.status().code();
            final String body = response.content().toString(StandardCharsets.UTF_8);
            assertTrue(STATUSES.contains(status), status + " " + body);
            if (String.valueOf(response.headers().get("Content-Type")).startsWith("text/plain"))
            {
                assertEquals(200, status, "only GET /metrics answers text");
                response.release();
                continue;
            }
            final JsonNode json = json(body);
            assertTrue(json.isObject(), body);
            if (!raw && REFUSED_UNREAD.contains(status))
            {
                assertEquals(submittedBefore, ledger.submitted(), "a refused request never reached the ledger");
                assertEquals(before, ledger.stateHash(), "a refused request changed nothing");
                assertFalse(json.path("detail").asText().isEmpty(), "a refusal says why: " + body);
                assertEquals(status, json.path("status").asInt(), "a problem document: " + body);
            }
            response.release();
        }
        channel.finishAndReleaseAll();
    }

    /**
     * The fuzzed bytes as they are, but for the three that would end the request line and start another request.
     */
    private static String pathSegment(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.ISO_8859_1).replace(" ", "%20").replace("\r", "%0D")
            .replace("\n", "%0A");
    }

    private static byte[] request(final String method, final String path, final byte[] body)
    {
        final byte[] head = (method + " " + path + " HTTP/1.1\r\nHost: wallet\r\nContent-Type: application/json\r\n" +
            "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        final byte[] request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    private static List<FullHttpResponse> responses(final EmbeddedChannel channel)
    {
        final EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder(),
            new HttpObjectAggregator(1 << 20));
        for (ByteBuf chunk = channel.readOutbound(); chunk != null; chunk = channel.readOutbound())
        {
            client.writeInbound(chunk);
        }
        final List<FullHttpResponse> responses = new ArrayList<>();
        for (Object message = client.readInbound(); message != null; message = client.readInbound())
        {
            final FullHttpResponse response = (FullHttpResponse)message;
            assertTrue(response.decoderResult().isSuccess(), "a well-formed response");
            responses.add(response);
        }
        client.finishAndReleaseAll();
        return responses;
    }

    private static JsonNode json(final String body)
    {
        try
        {
            return MAPPER.readTree(body);
        }
        catch (final IOException ex)
        {
            throw new AssertionError("not JSON: " + body, ex);
        }
    }

    /**
     * Settlement account 1 (may go negative) and wallets 1001 and 1002 (may not), each wallet funded with 100.00 USD.
     */
    private static void fund(final EngineLedger ledger)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final CreateAccountsEncoder accounts = new CreateAccountsEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(1);
        final CreateAccountsEncoder.AccountsEncoder account = accounts.accountsCount(3);
        for (final long id : new long[] { 1, 1001, 1002 })
        {
            account.next().id(id).userData(0).currency(USD).code(1).flags().clear().debitsMustNotExceedCredits(id > 1);
        }
        ledger.apply(buffer, MessageHeaderEncoder.ENCODED_LENGTH + accounts.encodedLength());

        final CreateTransfersEncoder transfers = new CreateTransfersEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(2);
        final CreateTransfersEncoder.TransfersEncoder transfer = transfers.transfersCount(2);
        for (final long wallet : new long[] { 1001, 1002 })
        {
            transfer.next().id().lo(wallet).hi(0);
            transfer.debitAccountId(1).creditAccountId(wallet).amount(100_00);
            transfer.pendingId().lo(0).hi(0);
            transfer.userData128().lo(0).hi(0);
            transfer.userData64(0).userData32(0).timeout(0).currency(USD).code(1).flags().clear();
        }
        ledger.apply(buffer, MessageHeaderEncoder.ENCODED_LENGTH + transfers.encodedLength());
    }
}
