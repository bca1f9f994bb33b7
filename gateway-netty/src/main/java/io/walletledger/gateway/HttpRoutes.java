package io.walletledger.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.walletledger.protocol.Currency;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.sbe.AccountAction;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.LookupPoliciesResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.ReviewDecision;
import org.agrona.DirectBuffer;

import java.util.Arrays;
import java.util.Locale;

import static io.walletledger.gateway.JsonCodec.MAPPER;
import static io.walletledger.gateway.LedgerCall.SINGLE_EVENT_CAPACITY;
import static io.walletledger.gateway.LedgerReplies.notFound;
import static io.walletledger.gateway.LedgerReplies.outcome;
import static io.walletledger.gateway.LedgerReplies.requireTemplate;
import static io.walletledger.gateway.LedgerReplies.singleResult;
import static io.walletledger.gateway.LedgerReplies.statusOf;

/**
 * The HTTP API's ledger endpoints: which request each method and path becomes, and what its reply answers. The
 * request is checked here (path, method, body), so a bad one is refused with 400 before it reaches the ledger.
 *
 * <pre>
 *  POST   /v1/accounts                           create an account
 *  GET    /v1/accounts/{id}                      an account with its balances, status and limits
 *  POST   /v1/accounts/{id}/freeze               {"scope":"debits"|"all"}; no body: debits
 *  POST   /v1/accounts/{id}/unfreeze             no body
 *  POST   /v1/accounts/{id}/close                no body; needs a zero balance and no holds
 *  PUT    /v1/accounts/{id}/limits               the four limits (left out: 0 = none)
 *  POST   /v1/wallet/balance_transfer            move an amount in major units, idempotent by transaction_id
 *  POST   /v1/transfers                          a batch of transfers with every field, amounts in minor units
 *  GET    /v1/transfers/{id}                     a transfer, with its fee
 *  POST   /v1/transfers/{id}/review              approve or reject the hold {id} held for review
 *  PUT    /v1/codes/{code}/limits                default limits of accounts created later with that code
 *  DELETE /v1/codes/{code}/limits
 *  PUT    /v1/fees/{transfer_code}/{currency}    the fee of transfers of that code and currency
 *  DELETE /v1/fees/{transfer_code}/{currency}
 *  PUT    /v1/review-thresholds/{currency}       transfers above it are held for review
 *  DELETE /v1/review-thresholds/{currency}
 *  PUT    /v1/settings                           {"day_start_seconds":...}
 *  GET    /v1/policies                           fees, review thresholds, code limits and settings
 * </pre>
 */
final class HttpRoutes
{
    private final JsonCodec json;
    private final PolicyJsonCodec policies;
    private final CurrencyRegistry currencies;
    private final int batchEventsMax;

    HttpRoutes(final CurrencyRegistry currencies, final int batchEventsMax)
    {
        this.json = new JsonCodec(currencies);
        this.policies = new PolicyJsonCodec(currencies);
        this.currencies = currencies;
        this.batchEventsMax = batchEventsMax;
    }

    /**
     * @param path the request path, without the query.
     * @return the ledger request, or null if no endpoint has this path.
     * @throws MethodNotAllowed   if the endpoint exists but not with this method.
     * @throws BadRequestException if the path or the body is not valid.
     */
    LedgerCall route(final HttpMethod method, final String path, final ByteBuf content)
    {
        final String[] segments = path.split("/", -1);
        if (segments.length < 3 || !segments[0].isEmpty() || !segments[1].equals("v1"))
        {
            return null;
        }
        final String[] s = Arrays.copyOfRange(segments, 2, segments.length);
        switch (s[0])
        {
            case "accounts":
                return accounts(method, s, content);
            case "wallet":
                if (s.length == 2 && s[1].equals("balance_transfer"))
                {
                    requireMethod(method, HttpMethod.POST);
                    return balanceTransfer(JsonCodec.parse(bytes(content)));
                }
                return null;
            case "transfers":
                return transfers(method, s, content);
            case "codes":
                if (s.length == 3 && s[2].equals("limits"))
                {
                    requireMethod(method, HttpMethod.PUT, HttpMethod.DELETE);
                    return codeLimits(method, JsonFields.codeFromPath("an account code", s[1]), content);
                }
                return null;
            case "fees":
                if (s.length == 3)
                {
                    requireMethod(method, HttpMethod.PUT, HttpMethod.DELETE);
                    return fee(method, JsonFields.codeFromPath("a transfer code", s[1]),
                        JsonFields.currencyFromPath(currencies, s[2]), content);
                }
                return null;
            case "review-thresholds":
                if (s.length == 2)
                {
                    requireMethod(method, HttpMethod.PUT, HttpMethod.DELETE);
                    return reviewThreshold(method, JsonFields.currencyFromPath(currencies, s[1]), content);
                }
                return null;
            case "settings":
                if (s.length == 1)
                {
                    requireMethod(method, HttpMethod.PUT);
                    final long seconds = PolicyJsonCodec.dayStartSeconds(JsonCodec.parse(bytes(content)));
                    return new LedgerCall(SINGLE_EVENT_CAPACITY,
                        (id, out) -> PolicyJsonCodec.dayStartSeconds(id, seconds, out),
                        (header, reply) -> outcome(header, reply, "updated",
                            MAPPER.createObjectNode().put("day_start_seconds", seconds)));
                }
                return null;
            case "policies":
                if (s.length == 1)
                {
                    requireMethod(method, HttpMethod.GET);
                    return new LedgerCall(SINGLE_EVENT_CAPACITY, PolicyJsonCodec::lookupPolicies, (header, reply) ->
                        new LedgerCall.Answer(HttpResponseStatus.OK, policies.policies(
                            new LookupPoliciesResponseDecoder().wrapAndApplyHeader(reply, 0, header))));
                }
                return null;
            default:
                return null;
        }
    }

    // ------------------------------------------------------------------------------------------ accounts

    private LedgerCall accounts(final HttpMethod method, final String[] s, final ByteBuf content)
    {
        if (s.length == 1)
        {
            requireMethod(method, HttpMethod.POST);
            final JsonNode body = JsonCodec.parse(bytes(content));
            return new LedgerCall(SINGLE_EVENT_CAPACITY, (id, out) -> json.createAccount(body, id, out),
                createAccountReader(body.path("id").asText()));
        }
        if (s.length == 2)
        {
            requireMethod(method, HttpMethod.GET);
            final long id = JsonFields.accountIdFromPath(s[1]);
            return new LedgerCall(SINGLE_EVENT_CAPACITY, (correlation, out) -> json.lookupAccount(id, correlation, out),
                (header, reply) ->
                {
                    final LookupAccountsResponseDecoder decoder =
                        new LookupAccountsResponseDecoder().wrapAndApplyHeader(reply, 0, header);
                    for (final LookupAccountsResponseDecoder.AccountsDecoder account : decoder.accounts())
                    {
                        return new LedgerCall.Answer(HttpResponseStatus.OK, json.account(account));
                    }
                    return notFound("no such account");
                });
        }
        if (s.length != 3)
        {
            return null;
        }
        switch (s[2])
        {
            case "freeze":
            {
                requireMethod(method, HttpMethod.POST);
                final long id = JsonFields.accountIdFromPath(s[1]);
                final FreezeScope scope = PolicyJsonCodec.freezeScope(JsonCodec.parseOptional(bytes(content)));
                return accountCommand(id, AccountAction.FREEZE, scope, "frozen",
                    accountSubject(id).put("freeze_scope", scope.name().toLowerCase(Locale.ROOT)));
            }
            case "unfreeze":
            case "close":
            {
                requireMethod(method, HttpMethod.POST);
                final long id = JsonFields.accountIdFromPath(s[1]);
                PolicyJsonCodec.requireEmpty(JsonCodec.parseOptional(bytes(content)), "the " + s[2]);
                final boolean close = s[2].equals("close");
                return accountCommand(id, close ? AccountAction.CLOSE : AccountAction.UNFREEZE, FreezeScope.NONE,
                    close ? "closed" : "active", accountSubject(id));
            }
            case "limits":
            {
                requireMethod(method, HttpMethod.PUT);
                final long id = JsonFields.accountIdFromPath(s[1]);
                final PolicyJsonCodec.Limits limits = PolicyJsonCodec.limits(JsonCodec.parse(bytes(content)));
                final ObjectNode subject = accountSubject(id);
                return new LedgerCall(SINGLE_EVENT_CAPACITY,
                    (correlation, out) -> PolicyJsonCodec.accountLimits(correlation, id, limits, out),
                    (header, reply) -> outcome(header, reply, "updated", subject));
            }
            default:
                return null;
        }
    }

    private static LedgerCall accountCommand(
        final long id, final AccountAction action, final FreezeScope scope, final String status, final ObjectNode subject)
    {
        return new LedgerCall(SINGLE_EVENT_CAPACITY,
            (correlation, out) -> PolicyJsonCodec.accountCommand(correlation, id, action, scope, out),
            (header, reply) -> outcome(header, reply, status, subject));
    }

    private static ObjectNode accountSubject(final long id)
    {
        return MAPPER.createObjectNode().put("id", Long.toUnsignedString(id));
    }

    private static LedgerCall.ReplyReader createAccountReader(final String id)
    {
        return (header, reply) ->
        {
            final ResultCode result = singleResult(header, reply);
            final ObjectNode body = MAPPER.createObjectNode();
            if (result == ResultCode.OK || result == ResultCode.EXISTS)
            {
                body.put("status", result == ResultCode.OK ? "created" : "exists").put("id", id);
                return new LedgerCall.Answer(result == ResultCode.OK ? HttpResponseStatus.CREATED : HttpResponseStatus.OK,
                    body);
            }
            body.put("status", "failed").put("code", result.name()).put("id", id);
            return new LedgerCall.Answer(statusOf(result), body);
        };
    }

    // ----------------------------------------------------------------------------------------- transfers

    private LedgerCall balanceTransfer(final JsonNode body)
    {
        return new LedgerCall(SINGLE_EVENT_CAPACITY, (id, out) -> json.balanceTransfer(body, id, out),
            balanceTransferReader(body.path("transaction_id").asText()));
    }

    private static LedgerCall.ReplyReader balanceTransferReader(final String transactionId)
    {
        return (header, reply) ->
        {
            final ResultCode result = singleResult(header, reply);
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
            body.put("status", "failed").put("code", result.name()).put("transaction_id", transactionId);
            return new LedgerCall.Answer(statusOf(result), body);
        };
    }

    private LedgerCall transfers(final HttpMethod method, final String[] s, final ByteBuf content)
    {
        if (s.length == 1)
        {
            requireMethod(method, HttpMethod.POST);
            final JsonNode body = JsonCodec.parse(bytes(content));
            final JsonNode transfers = body.path("transfers");
            final int events = transfers.isArray() ? transfers.size() : 0;
            final String[] ids = new String[events];
            for (int i = 0; i < events; i++)
            {
                ids[i] = transfers.get(i).path("id").asText();
            }
            return new LedgerCall(ProtocolLimits.messageLengthMax(Math.max(1, Math.min(events, batchEventsMax))),
                (id, out) -> json.createTransfers(body, id, batchEventsMax, out),
                (header, reply) -> transferResults(header, reply, ids));
        }
        if (s.length == 2)
        {
            requireMethod(method, HttpMethod.GET);
            final long[] id = JsonFields.transferIdFromPath(s[1]);
            return new LedgerCall(SINGLE_EVENT_CAPACITY, (correlation, out) -> json.lookupTransfer(id, correlation, out),
                (header, reply) ->
                {
                    final LookupTransfersResponseDecoder decoder =
                        new LookupTransfersResponseDecoder().wrapAndApplyHeader(reply, 0, header);
                    for (final LookupTransfersResponseDecoder.TransfersDecoder transfer : decoder.transfers())
                    {
                        return new LedgerCall.Answer(HttpResponseStatus.OK, json.transfer(transfer));
                    }
                    return notFound("no such transfer");
                });
        }
        if (s.length == 3 && s[2].equals("review"))
        {
            requireMethod(method, HttpMethod.POST);
            final long[] pendingId = JsonFields.transferIdFromPath(s[1]);
            final PolicyJsonCodec.Review review = PolicyJsonCodec.review(JsonCodec.parse(bytes(content)));
            final ObjectNode subject = MAPPER.createObjectNode()
                .put("id", JsonFields.idText(review.id()[0], review.id()[1]))
                .put("pending_id", JsonFields.idText(pendingId[0], pendingId[1]));
            return new LedgerCall(SINGLE_EVENT_CAPACITY,
                (correlation, out) -> PolicyJsonCodec.review(correlation, review, pendingId, out),
                (header, reply) -> outcome(header, reply,
                    review.decision() == ReviewDecision.APPROVE ? "approved" : "rejected", subject));
        }
        return null;
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

    // ------------------------------------------------------------------------------------------ policies

    private static LedgerCall codeLimits(final HttpMethod method, final int code, final ByteBuf content)
    {
        final boolean remove = method.equals(HttpMethod.DELETE);
        final PolicyJsonCodec.Limits limits = remove ? removal(content, PolicyJsonCodec.Limits.NONE) :
            PolicyJsonCodec.limits(JsonCodec.parse(bytes(content)));
        // Not "code": a failure's "code" is its result code.
        final ObjectNode subject = MAPPER.createObjectNode().put("account_code", code);
        return new LedgerCall(SINGLE_EVENT_CAPACITY,
            (correlation, out) -> PolicyJsonCodec.codeLimits(correlation, code, limits, out),
            (header, reply) -> outcome(header, reply, remove ? "removed" : "updated", subject));
    }

    private static LedgerCall fee(
        final HttpMethod method, final int transferCode, final Currency currency, final ByteBuf content)
    {
        final boolean remove = method.equals(HttpMethod.DELETE);
        final PolicyJsonCodec.Fee fee = remove ? removal(content, PolicyJsonCodec.Fee.NONE) :
            PolicyJsonCodec.fee(JsonCodec.parse(bytes(content)));
        final ObjectNode subject = MAPPER.createObjectNode()
            .put("transfer_code", transferCode).put("currency", currency.alphaCode());
        return new LedgerCall(SINGLE_EVENT_CAPACITY,
            (correlation, out) -> PolicyJsonCodec.fee(correlation, transferCode, currency.numericCode(), fee, out),
            (header, reply) -> outcome(header, reply, remove ? "removed" : "updated", subject));
    }

    private static LedgerCall reviewThreshold(final HttpMethod method, final Currency currency, final ByteBuf content)
    {
        final boolean remove = method.equals(HttpMethod.DELETE);
        final long threshold = remove ? removal(content, 0L) :
            PolicyJsonCodec.threshold(JsonCodec.parse(bytes(content)));
        final ObjectNode subject = MAPPER.createObjectNode().put("currency", currency.alphaCode());
        return new LedgerCall(SINGLE_EVENT_CAPACITY,
            (correlation, out) -> PolicyJsonCodec.reviewThreshold(correlation, currency.numericCode(), threshold, out),
            (header, reply) -> outcome(header, reply, remove ? "removed" : "updated", subject));
    }

    /**
     * A DELETE takes no body (or {@code {}}): it stands for the policy value that removes an entry.
     */
    private static <T> T removal(final ByteBuf content, final T removing)
    {
        PolicyJsonCodec.requireEmpty(JsonCodec.parseOptional(bytes(content)), "a removal");
        return removing;
    }

    private static byte[] bytes(final ByteBuf content)
    {
        return ByteBufUtil.getBytes(content);
    }

    static void requireMethod(final HttpMethod actual, final HttpMethod... allowed)
    {
        for (final HttpMethod method : allowed)
        {
            if (actual.equals(method))
            {
                return;
            }
        }
        throw new MethodNotAllowed(allowed);
    }

    /**
     * The path exists, the method does not: answered 405 with an {@code Allow} header.
     */
    static final class MethodNotAllowed extends RuntimeException
    {
        private static final long serialVersionUID = 1L;
        private final String allowed;

        MethodNotAllowed(final HttpMethod... allowed)
        {
            super(null, null, false, false);
            final StringBuilder names = new StringBuilder();
            for (final HttpMethod method : allowed)
            {
                names.append(names.length() == 0 ? "" : ", ").append(method.name());
            }
            this.allowed = names.toString();
        }

        String allowed()
        {
            return allowed;
        }
    }
}
