package io.walletledger.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.walletledger.gateway.ArchivedTransfer;
import io.walletledger.protocol.Currency;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersEncoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.ReviewDecision;
import io.walletledger.protocol.sbe.ReviewTransfersEncoder;
import org.agrona.DirectBuffer;

import java.util.Arrays;
import java.util.Set;
import java.util.UUID;

import static io.walletledger.gateway.http.JsonBodies.MAPPER;
import static io.walletledger.gateway.http.JsonFields.choice;
import static io.walletledger.gateway.http.JsonFields.flags;
import static io.walletledger.gateway.http.JsonFields.idText;
import static io.walletledger.gateway.http.JsonFields.requireObject;
import static io.walletledger.gateway.http.JsonFields.transferId;
import static io.walletledger.gateway.http.JsonFields.unsigned;
import static io.walletledger.gateway.http.JsonFields.unsigned64;
import static io.walletledger.gateway.http.JsonFields.uuid;
import static io.walletledger.gateway.http.LedgerCall.SINGLE_EVENT_CAPACITY;
import static io.walletledger.gateway.http.LedgerReplies.outcome;
import static io.walletledger.gateway.http.LedgerReplies.requireTemplate;
import static io.walletledger.gateway.http.LedgerReplies.singleResult;
import static io.walletledger.gateway.http.LedgerReplies.statusOf;

/**
 * The transfer endpoints, each with its body's parse, the SBE request it becomes, and how the reply answers:
 *
 * <pre>
 *  POST   /v1/wallet/balance_transfer    move an amount in major units, idempotent by transaction_id
 *  POST   /v1/transfers                  a batch of transfers with every field, amounts in minor units
 *  GET    /v1/transfers/{id}             a transfer, with its fee
 *  POST   /v1/transfers/{id}/review      approve or reject the hold {id} held for review
 * </pre>
 */
final class TransferEndpoints
{
    private static final Set<String> BALANCE_TRANSFER_FIELDS =
        Set.of("from_account", "to_account", "amount", "amount_minor", "currency", "transaction_id", "code");
    /** The transfer code of a balance transfer that names none. */
    static final int BALANCE_TRANSFER_CODE_DEFAULT = 1;
    private static final Set<String> TRANSFER_FIELDS = Set.of("id", "debit_account_id", "credit_account_id", "amount",
        "amount_minor", "currency", "code", "flags", "pending_id", "timeout", "user_data_128", "user_data_64",
        "user_data_32");
    private static final Set<String> REVIEW_FIELDS = Set.of("id", "decision");

    private final CurrencyRegistry currencies;
    private final int batchEventsMax;

    TransferEndpoints(final CurrencyRegistry currencies, final int batchEventsMax)
    {
        this.currencies = currencies;
        this.batchEventsMax = batchEventsMax;
    }

    /**
     * @param s the path's segments after {@code /v1}, the first being {@code wallet} or {@code transfers}.
     * @return the ledger request, or null if no endpoint has this path.
     */
    LedgerCall route(final HttpMethod method, final String[] s, final ByteBuf content)
    {
        if (s[0].equals("wallet"))
        {
            if (s.length == 2 && s[1].equals("balance_transfer"))
            {
                HttpRoutes.requireMethod(method, HttpMethod.POST);
                return balanceTransfer(JsonBodies.parse(content));
            }
            return null;
        }
        if (s.length == 1)
        {
            HttpRoutes.requireMethod(method, HttpMethod.POST);
            return createTransfers(JsonBodies.parse(content));
        }
        if (s.length == 2)
        {
            HttpRoutes.requireMethod(method, HttpMethod.GET);
            return lookup(JsonFields.transferIdFromPath(s[1]));
        }
        if (s.length == 3 && s[2].equals("review"))
        {
            HttpRoutes.requireMethod(method, HttpMethod.POST);
            return review(JsonFields.transferIdFromPath(s[1]), JsonBodies.parse(content));
        }
        return null;
    }

    /**
     * {@code {"from_account":"1001","to_account":"1002","amount":"12.34","currency":"USD","transaction_id":"<uuid>"}},
     * and optionally {@code "code"} (0..65535; {@value #BALANCE_TRANSFER_CODE_DEFAULT} when absent), which selects the
     * fee schedule entry and the limits of the transfer's code.
     */
    private LedgerCall balanceTransfer(final JsonNode body)
    {
        requireObject(body, BALANCE_TRANSFER_FIELDS, "the transfer");
        final long from = unsigned64(body, "from_account", true);
        final long to = unsigned64(body, "to_account", true);
        final Currency currency = JsonFields.currency(currencies, body, "currency");
        final long amount = JsonFields.amount(body, "amount", currency, true, false);
        final UUID transactionId = uuid(body, "transaction_id");
        final int code = body.has("code") ? (int)unsigned(body, "code", JsonFields.U16_MAX) :
            BALANCE_TRANSFER_CODE_DEFAULT;
        final String transactionText = body.path("transaction_id").asText();
        return new LedgerCall(SINGLE_EVENT_CAPACITY, (correlationId, out) ->
        {
            final CreateTransfersEncoder encoder = new CreateTransfersEncoder()
                .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
            final CreateTransfersEncoder.TransfersEncoder transfer = encoder.transfersCount(1).next();
            transfer.id().hi(transactionId.getMostSignificantBits()).lo(transactionId.getLeastSignificantBits());
            transfer.debitAccountId(from).creditAccountId(to).amount(amount);
            transfer.pendingId().hi(0).lo(0);
            transfer.userData128().hi(0).lo(0);
            transfer.userData64(0).userData32(0).timeout(0).currency(currency.numericCode()).code(code);
            transfer.flags().clear();
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        }, (header, reply) -> balanceTransferAnswer(singleResult(header, reply), transactionText));
    }

    private static LedgerCall.Answer balanceTransferAnswer(final ResultCode result, final String transactionId)
    {
        final ObjectNode body = MAPPER.createObjectNode();
        if (result == ResultCode.OK || result == ResultCode.EXISTS)
        {
            body.put("status", "success").put("transaction_id", transactionId);
            return new LedgerCall.Answer(HttpResponseStatus.OK, body);
        }
        if (result == ResultCode.HELD_FOR_REVIEW)
        {
            // Accepted but not done: the money is held until an operator approves or rejects it.
            body.put("status", "held_for_review").put("transaction_id", transactionId);
            return new LedgerCall.Answer(HttpResponseStatus.ACCEPTED, body);
        }
        body.put("code", result.name()).put("transaction_id", transactionId);
        return new LedgerCall.Answer(statusOf(result), body);
    }

    /**
     * {@code {"transfers":[{"id":"1","debit_account_id":"1","credit_account_id":"2","amount":"100",
     * "currency":"USD","code":1,"flags":["pending"],...}]}}: {@code amount} in major units of the transfer's
     * currency, or {@code amount_minor}; a post or void that leaves out the currency gives {@code amount_minor}.
     */
    private LedgerCall createTransfers(final JsonNode body)
    {
        requireObject(body, Set.of("transfers"), "the request");
        final JsonNode transfers = body.get("transfers");
        if (transfers == null || !transfers.isArray() || transfers.isEmpty())
        {
            throw new BadRequestException("\"transfers\" must be a non-empty array of transfers");
        }
        if (transfers.size() > batchEventsMax)
        {
            throw new BadRequestException("\"transfers\" holds " + transfers.size() + " transfers; at most " +
                batchEventsMax + " per request");
        }
        final String[] ids = new String[transfers.size()];
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = transfers.get(i).path("id").asText();
        }
        return new LedgerCall(ProtocolLimits.messageLengthMax(ids.length),
            (correlationId, out) -> encodeTransfers(transfers, correlationId, out),
            (header, reply) -> transferResults(header, reply, ids));
    }

    private int encodeTransfers(
        final JsonNode transfers, final long correlationId, final org.agrona.MutableDirectBuffer out)
    {
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder()
            .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
        final CreateTransfersEncoder.TransfersEncoder group = encoder.transfersCount(transfers.size());
        int index = 0;
        for (final JsonNode t : transfers)
        {
            final String where = "transfers[" + index++ + "]";
            requireObject(t, TRANSFER_FIELDS, where);
            final long[] id = transferId(t, "id", true);
            final long[] pendingId = transferId(t, "pending_id", false);
            final long[] userData128 = transferId(t, "user_data_128", false);
            final int flags = transferFlags(t, where);
            // A post or void may leave out what the hold says (accounts, currency): 0 stands for "as the hold".
            final boolean resolvesHold = (flags & (4 | 8)) != 0;
            final Currency named = resolvesHold && !t.hasNonNull("currency") ? null :
                JsonFields.currency(currencies, t, "currency");
            final int currency = named == null ? 0 : named.numericCode();
            final long amount = JsonFields.amount(t, "amount", named, true, true);
            group.next();
            group.id().hi(id[0]).lo(id[1]);
            group.debitAccountId(unsigned64(t, "debit_account_id", false))
                .creditAccountId(unsigned64(t, "credit_account_id", false))
                .amount(amount);
            group.pendingId().hi(pendingId[0]).lo(pendingId[1]);
            group.userData128().hi(userData128[0]).lo(userData128[1]);
            group.userData64(unsigned64(t, "user_data_64", false))
                .userData32(unsigned(t, "user_data_32", JsonFields.U32_MAX))
                .timeout(unsigned(t, "timeout", JsonFields.U32_MAX))
                .currency(currency)
                .code((int)unsigned(t, "code", JsonFields.U16_MAX));
            group.flags().clear().linked((flags & 1) != 0).pending((flags & 2) != 0).postPending((flags & 4) != 0)
                .voidPending((flags & 8) != 0);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private static int transferFlags(final JsonNode transfer, final String where)
    {
        int flags = 0;
        for (final String flag : flags(transfer))
        {
            flags |= switch (flag)
            {
                case "linked" -> 1;
                case "pending" -> 2;
                case "post_pending" -> 4;
                case "void_pending" -> 8;
                default -> throw new BadRequestException(where + ": unknown transfer flag \"" + flag +
                    "\": use linked, pending, post_pending or void_pending");
            };
        }
        return flags;
    }

    private static LedgerCall.Answer transferResults(
        final MessageHeaderDecoder header, final DirectBuffer reply, final String[] ids)
    {
        requireTemplate(header, CreateTransfersResponseDecoder.TEMPLATE_ID);
        final CreateTransfersResponseDecoder decoder =
            new CreateTransfersResponseDecoder().wrapAndApplyHeader(reply, 0, header);
        final ResultCode[] results = new ResultCode[ids.length];
        Arrays.fill(results, ResultCode.OK);
        for (final CreateTransfersResponseDecoder.ResultsDecoder r : decoder.results())
        {
            results[r.index()] = r.result();
        }
        final ObjectNode body = MAPPER.createObjectNode();
        final ArrayNode list = body.putArray("results");
        for (int i = 0; i < results.length; i++)
        {
            list.addObject().put("index", i).put("id", ids[i]).put("result", results[i].name());
        }
        return new LedgerCall.Answer(HttpResponseStatus.OK, body);
    }

    private LedgerCall lookup(final long[] id)
    {
        return new LedgerCall(SINGLE_EVENT_CAPACITY, (correlationId, out) ->
        {
            final LookupTransfersEncoder encoder = new LookupTransfersEncoder()
                .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
            encoder.idsCount(1).next().id().hi(id[0]).lo(id[1]);
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        }, (header, reply) ->
        {
            final LookupTransfersResponseDecoder decoder =
                new LookupTransfersResponseDecoder().wrapAndApplyHeader(reply, 0, header);
            for (final LookupTransfersResponseDecoder.TransfersDecoder transfer : decoder.transfers())
            {
                return new LedgerCall.Answer(HttpResponseStatus.OK, transfer(transfer));
            }
            return LedgerCall.Answer.fromArchive(id);
        });
    }

    /**
     * {@code {"id":"<uuid>","decision":"approve"}} or {@code "reject"}: the decision on the hold {@code pendingId},
     * recorded under its own transfer id.
     */
    private static LedgerCall review(final long[] pendingId, final JsonNode body)
    {
        requireObject(body, REVIEW_FIELDS, "the review");
        final long[] id = transferId(body, "id", true);
        final ReviewDecision decision =
            choice(body, "decision", null, "approve", "reject").equals("approve") ? ReviewDecision.APPROVE :
            ReviewDecision.REJECT;
        final ObjectNode subject = MAPPER.createObjectNode()
            .put("id", idText(id[0], id[1]))
            .put("pending_id", idText(pendingId[0], pendingId[1]));
        return new LedgerCall(SINGLE_EVENT_CAPACITY, (correlationId, out) ->
        {
            final ReviewTransfersEncoder encoder = new ReviewTransfersEncoder()
                .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
            final ReviewTransfersEncoder.DecisionsEncoder entry = encoder.decisionsCount(1).next();
            entry.id().hi(id[0]).lo(id[1]);
            entry.pendingId().hi(pendingId[0]).lo(pendingId[1]);
            entry.decision(decision);
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        }, (header, reply) -> outcome(header, reply,
            decision == ReviewDecision.APPROVE ? "approved" : "rejected", subject));
    }

    private ObjectNode transfer(final LookupTransfersResponseDecoder.TransfersDecoder t)
    {
        return transferJson(currencies, new ArchivedTransfer(t.id().hi(), t.id().lo(), t.debitAccountId(),
            t.creditAccountId(), t.amount(), t.fee(), t.feeAccountId(), t.currency(), t.code(), t.flags().getRaw(),
            t.pendingId().hi(), t.pendingId().lo(), t.timeout(), t.userData128().hi(), t.userData128().lo(),
            t.userData64(), t.userData32(), t.timestamp(), t.pendingStatus(), ResultCode.OK));
    }

    /**
     * @return a transfer as {@code GET /v1/transfers/{id}} answers it, from the engine or from the archive; a
     * transfer that failed has {@code "result"} (its result code) beside the fields it asked for.
     */
    static ObjectNode transferJson(final CurrencyRegistry currencies, final ArchivedTransfer t)
    {
        final ObjectNode json = MAPPER.createObjectNode();
        json.put("id", idText(t.idHi(), t.idLo()));
        json.put("debit_account_id", Long.toUnsignedString(t.debitAccountId()));
        json.put("credit_account_id", Long.toUnsignedString(t.creditAccountId()));
        final Currency currency = currencies.isKnown(t.currency()) ? currencies.byNumericCode(t.currency()) : null;
        JsonFields.putAmount(json, "amount", currency, t.amount());
        JsonFields.putAmount(json, "fee", currency, t.fee());
        json.put("fee_account_id", Long.toUnsignedString(t.feeAccountId()));
        json.put("currency", JsonFields.currencyText(currencies, t.currency()));
        json.put("code", t.code());
        final ArrayNode flags = json.putArray("flags");
        t.flagNames().forEach(flags::add);
        json.put("pending_id", idText(t.pendingIdHi(), t.pendingIdLo()));
        json.put("timeout", t.timeout());
        json.put("user_data_128", idText(t.userData128Hi(), t.userData128Lo()));
        json.put("user_data_64", Long.toUnsignedString(t.userData64()));
        json.put("user_data_32", t.userData32());
        JsonFields.putTimestamp(json, "timestamp", t.timestamp());
        json.put("pending_status", t.pendingStatusName());
        if (t.result() != ResultCode.OK)
        {
            json.put("result", t.result().name());
        }
        return json;
    }
}
