package io.walletledger.gateway;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.walletledger.gateway.binary.BinaryGateway;
import io.walletledger.gateway.binary.BinarySettings;
import io.walletledger.gateway.http.HttpGateway;
import io.walletledger.gateway.http.HttpSettings;
import io.walletledger.gateway.security.BearerAuthenticator;
import io.walletledger.gateway.security.GatewaySecurity;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.sbe.HistoryOrder;
import io.walletledger.protocol.sbe.LookupAccountHistoryEncoder;
import io.walletledger.protocol.sbe.LookupAccountHistoryResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.PendingStatus;
import io.walletledger.protocol.sbe.ResultCode;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the queries the permanent record answers: an account's history and balances over time
 * over HTTP ({@code GET /v1/accounts/{id}/transfers|balances?...}, {@code GET /v1/accounts/{id}?at=}), and
 * {@code LookupAccountHistory} and {@code LookupTransfers} over the binary protocol, through each listener's own
 * pipeline to a {@link ModelArchive} of 60 transfers among four wallets.
 * <p>
 * Whatever the query, nothing throws out of the pipeline; each request gets exactly one answer (a JSON body, or a
 * whole binary frame of a response template); the archive is only ever asked well-formed queries (a limit within
 * 1..{@value ProtocolLimits#HISTORY_PAGE_MAX}, a cursor of -1 or more, non-negative times, parts of debit, credit and
 * fee); and a page holds no more than its limit, only the asked account's transfers, in the order asked.
 * <p>
 * {@code ./mvnw verify} fuzzes for a few seconds; without JAZZER_FUZZ it replays the kept inputs. docs/security.md
 * gives the longer run.
 */
class HistoryQueryFuzzTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int USD = 840;
    private static final Set<Integer> HTTP_STATUSES = Set.of(200, 400, 404, 405);
    private static final String[] VIEWS = { "transfers", "balances" };

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({ "limit=", "cursor=", "order=", "direction=", "from=", "to=", "at=", "desc", "asc", "debits",
        "credits", "&", "%", "%00", "1001", "1002", "2026-12-07T14:00:00.123456789Z", "9223372036854775807",
        "18446744073709551615", "-1", "1000", "1001" })
    void anyHistoryQueryGetsOneAnswerAndTheRecordOnlyWellFormedOnes(final byte[] data)
    {
        final ModelArchive archive = new ModelArchive();
        final int selector = data.length == 0 ? 0 : data[0] & 3;
        final byte[] rest = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
        if (selector < 3)
        {
            http(archive, selector, rest);
        }
        else
        {
            binary(archive, rest);
        }
        assertEquals(List.of(), archive.violations, "the record was asked only well-formed queries");
    }

    private static void http(final ModelArchive archive, final int selector, final byte[] rest)
    {
        final HttpSettings settings = new HttpSettings("127.0.0.1", 0, EngineLedger.BATCH_EVENTS_MAX, 4096,
            Duration.ofSeconds(10), 16, 0, Duration.ZERO, Duration.ofSeconds(30), null);
        final EmbeddedChannel channel = new EmbeddedChannel();
        final GatewaySecurity security = GatewaySecurity.development();
        final GatewayContext context = new GatewayContext(new EngineLedger(), security,
            new GatewayMetrics(new PrometheusRegistry()), CurrencyRegistry.withIsoDefaults().build(), () -> true,
            () -> null, archive);
        HttpGateway.addProtocolHandlers(channel.pipeline(), context, settings, new BearerAuthenticator(security));

        // The first bytes up to a '?' are the account, the rest the query string; selector 2 asks for a past balance.
        final String text = escaped(rest);
        final int question = text.indexOf('?');
        final String account = question < 0 ? "1001" : text.substring(0, question);
        final String query = question < 0 ? text : text.substring(question + 1);
        final String path = selector == 2 ? "/v1/accounts/" + account + "?at=" + query :
            "/v1/accounts/" + account + "/" + VIEWS[selector] + "?" + query;
        final byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: wallet\r\nContent-Length: 0\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
        channel.writeInbound(Unpooled.wrappedBuffer(request));
        channel.runPendingTasks();
        channel.checkException();

        final EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 22));
        for (ByteBuf chunk = channel.readOutbound(); chunk != null; chunk = channel.readOutbound())
        {
            client.writeInbound(chunk);
        }
        final List<FullHttpResponse> responses = new ArrayList<>();
        for (Object message = client.readInbound(); message != null; message = client.readInbound())
        {
            responses.add((FullHttpResponse)message);
        }
        if (responses.size() != 1)
        {
            responses.forEach(FullHttpResponse::release);
        }
        assertEquals(1, responses.size(), "one response to " + path);
        final FullHttpResponse response = responses.get(0);
        assertTrue(response.decoderResult().isSuccess(), "a well-formed response");
        final String body = response.content().toString(StandardCharsets.UTF_8);
        assertTrue(HTTP_STATUSES.contains(response.status().code()), response.status() + " " + body + " to " + path);
        final JsonNode json = json(body);
        assertTrue(json.isObject(), body);
        final JsonNode page = json.has("transfers") ? json.get("transfers") : json.get("balances");
        if (response.status().code() == 200 && page != null)
        {
            assertTrue(page.size() <= ProtocolLimits.HISTORY_PAGE_MAX, "a page within the limit");
            assertTrue(json.has("next_cursor"), body);
        }
        response.release();
        client.finishAndReleaseAll();
        channel.finishAndReleaseAll();
    }

    /**
     * Everything but the bytes that end the request line; '%' stays, so malformed escapes are tried too.
     */
    private static String escaped(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.ISO_8859_1).replace(" ", "%20").replace("\r", "%0D")
            .replace("\n", "%0A");
    }

    private static void binary(final ModelArchive archive, final byte[] rest)
    {
        final BinarySettings settings = new BinarySettings("127.0.0.1", 0, EngineLedger.BATCH_EVENTS_MAX,
            ProtocolLimits.messageLengthMax(EngineLedger.BATCH_EVENTS_MAX), 4, 8 * 1024, 64 * 1024,
            Duration.ofSeconds(30), Duration.ZERO, 16, 0, null);
        final EmbeddedChannel channel = new EmbeddedChannel();
        BinaryGateway.addProtocolHandlers(channel.pipeline(), new GatewayContext(new EngineLedger(),
            GatewaySecurity.development(), new GatewayMetrics(new PrometheusRegistry()),
            CurrencyRegistry.withIsoDefaults().build(), () -> true, () -> null, archive), settings);

        // Each frame: one of the two queries, valid, with bytes the input chooses written over it, or cut short.
        int frames = 0;
        int position = 0;
        while (position < rest.length && channel.isActive() && frames < 16)
        {
            final byte[] message = (rest[position++] & 1) == 0 ? historyQuery() : transfersLookup();
            final int edits = position < rest.length ? rest[position++] & 7 : 0;
            for (int i = 0; i < edits && position + 1 < rest.length; i++, position += 2)
            {
                message[(rest[position] & 0xFF) % message.length] = rest[position + 1];
            }
            final int length = position < rest.length && (rest[position++] & 0xF0) == 0xF0 ?
                (rest[position - 1] & 0x0F) * message.length / 16 : message.length;
            channel.writeInbound(Unpooled.buffer().writeIntLE(length).writeBytes(message, 0, length));
            channel.runPendingTasks();
            frames++;
        }
        channel.runPendingTasks();
        channel.checkException();

        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final int replies = BinaryRequestFuzzTest.checkReplies(channel, reply ->
        {
            header.wrap(reply, 0);
            if (header.templateId() == LookupAccountHistoryResponseDecoder.TEMPLATE_ID)
            {
                final LookupAccountHistoryResponseDecoder page = new LookupAccountHistoryResponseDecoder()
                    .wrapAndApplyHeader(reply, 0, header);
                assertTrue(page.entries().count() <= ProtocolLimits.HISTORY_PAGE_MAX, "a page within the limit");
            }
        });
        if (channel.isActive())
        {
            assertEquals(frames, replies, "one reply per frame while the connection is open");
        }
        channel.finishAndReleaseAll();
    }

    private static byte[] historyQuery()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final LookupAccountHistoryEncoder query = new LookupAccountHistoryEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(7);
        query.queriesCount(1).next().accountId(1001).cursor(-1).fromTimestamp(0).toTimestamp(Long.MAX_VALUE)
            .limit(10).order(HistoryOrder.OLDEST_FIRST).parts().clear().debit(true).credit(true);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + query.encodedLength());
    }

    private static byte[] transfersLookup()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final LookupTransfersEncoder lookup = new LookupTransfersEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(8);
        final LookupTransfersEncoder.IdsEncoder ids = lookup.idsCount(3);
        ids.next().id().lo(1).hi(0);
        ids.next().id().lo(30).hi(0);
        ids.next().id().lo(99).hi(0);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + lookup.encodedLength());
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
     * The record as a list: transfers 1 to 60 at timestamps 1,000 apart, among wallets 1001 to 1004, every fifth one
     * failed; it notes every query that a well-behaved gateway would never send it.
     */
    private static final class ModelArchive implements TransferArchive
    {
        private static final int TRANSFERS = 60;
        private final List<String> violations = new ArrayList<>();

        private static ArchivedTransfer transfer(final long id)
        {
            final long debit = 1001 + id % 4;
            final long credit = 1001 + (id + 1) % 4;
            return new ArchivedTransfer(0, id, debit, credit, id * 10, 0, 0, USD, 1, 0, 0, 0, 0, 0, 0, 0, 0,
                id * 1_000, PendingStatus.NONE, id % 5 == 0 ? ResultCode.EXCEEDS_CREDITS : ResultCode.OK);
        }

        @Override
        public CompletableFuture<ArchivedTransfer> find(final long idHi, final long idLo)
        {
            return CompletableFuture.completedFuture(idHi == 0 && idLo >= 1 && idLo <= TRANSFERS ? transfer(idLo) :
                null);
        }

        @Override
        public CompletableFuture<EventPage> events(final EventPage.Query query)
        {
            return CompletableFuture.failedFuture(new ArchiveMissingException());
        }

        @Override
        public CompletableFuture<AccountHistory> history(final AccountHistory.Query query)
        {
            final int allParts = AccountHistory.DEBIT | AccountHistory.CREDIT | AccountHistory.FEE;
            if (query.limit() < 1 || query.limit() > ProtocolLimits.HISTORY_PAGE_MAX || query.after() < -1 ||
                query.from() < 0 || query.to() < 0 || query.parts() == 0 || (query.parts() & ~allParts) != 0)
            {
                violations.add(query.toString());
                return CompletableFuture.failedFuture(new IllegalArgumentException(query.toString()));
            }
            final List<AccountHistory.Entry> entries = new ArrayList<>();
            long next = -1;
            for (int i = 1; i <= TRANSFERS; i++)
            {
                final long id = query.descending() ? TRANSFERS + 1 - i : i;
                final ArchivedTransfer transfer = transfer(id);
                final int parts = (transfer.debitAccountId() == query.accountId() ? AccountHistory.DEBIT : 0) |
                    (transfer.creditAccountId() == query.accountId() ? AccountHistory.CREDIT : 0);
                final boolean afterCursor = query.after() < 0 ||
                    (query.descending() ? id < query.after() : id > query.after());
                if ((parts & query.parts()) == 0 || !afterCursor || transfer.timestamp() < query.from() ||
                    transfer.timestamp() > query.to())
                {
                    continue;
                }
                if (entries.size() == query.limit())
                {
                    next = entries.get(entries.size() - 1).position();
                    break;
                }
                entries.add(new AccountHistory.Entry(transfer, id, parts, transfer.timestamp(), 0, id, 0, id * 2));
            }
            return CompletableFuture.completedFuture(new AccountHistory(entries, next));
        }
    }
}
