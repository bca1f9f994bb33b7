package io.walletledger.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.walletledger.gateway.LedgerEvent;
import io.walletledger.protocol.Currency;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.AccountAction;
import io.walletledger.protocol.sbe.AccountCommandsEncoder;
import io.walletledger.protocol.sbe.AccountFlagsDecoder;
import io.walletledger.protocol.sbe.AccountStatus;
import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.SetAccountLimitsEncoder;

import java.util.Locale;
import java.util.Set;

import static io.walletledger.gateway.http.JsonBodies.MAPPER;
import static io.walletledger.gateway.http.JsonFields.choice;
import static io.walletledger.gateway.http.JsonFields.flags;
import static io.walletledger.gateway.http.JsonFields.requireObject;
import static io.walletledger.gateway.http.JsonFields.unsigned;
import static io.walletledger.gateway.http.JsonFields.unsigned64;
import static io.walletledger.gateway.http.LedgerCall.SINGLE_EVENT_CAPACITY;
import static io.walletledger.gateway.http.LedgerReplies.notFound;
import static io.walletledger.gateway.http.LedgerReplies.outcome;
import static io.walletledger.gateway.http.LedgerReplies.singleResult;
import static io.walletledger.gateway.http.LedgerReplies.statusOf;

/**
 * The account endpoints, each with its body's parse, the SBE request it becomes, and how the reply answers:
 *
 * <pre>
 *  POST   /v1/accounts                 create an account
 *  GET    /v1/accounts/{id}            an account with its balances, status and limits
 *  POST   /v1/accounts/{id}/freeze     {"scope":"debits"|"all"}; no body: debits
 *  POST   /v1/accounts/{id}/unfreeze   no body
 *  POST   /v1/accounts/{id}/close      no body; needs a zero balance and no holds
 *  PUT    /v1/accounts/{id}/limits     the four limits (left out: 0 = none)
 * </pre>
 */
final class AccountEndpoints
{
    private static final Set<String> ACCOUNT_FIELDS = Set.of("id", "currency", "flags", "code", "user_data");
    private static final Set<String> FREEZE_FIELDS = Set.of("scope");

    private final CurrencyRegistry currencies;

    AccountEndpoints(final CurrencyRegistry currencies)
    {
        this.currencies = currencies;
    }

    /**
     * @param s the path's segments after {@code /v1}, the first being {@code accounts}.
     * @return the ledger request, or null if no endpoint has this path.
     */
    LedgerCall route(final HttpMethod method, final String[] s, final ByteBuf content)
    {
        if (s.length == 1)
        {
            HttpRoutes.requireMethod(method, HttpMethod.POST);
            return create(JsonBodies.parse(content));
        }
        if (s.length == 2)
        {
            HttpRoutes.requireMethod(method, HttpMethod.GET);
            return lookup(JsonFields.accountIdFromPath(s[1]));
        }
        if (s.length != 3)
        {
            return null;
        }
        switch (s[2])
        {
            case "freeze":
            {
                HttpRoutes.requireMethod(method, HttpMethod.POST);
                final long id = JsonFields.accountIdFromPath(s[1]);
                final FreezeScope scope = freezeScope(JsonBodies.parseOptional(content));
                return command(id, AccountAction.FREEZE, scope, "frozen",
                    subject(id).put("freeze_scope", scope.name().toLowerCase(Locale.ROOT)));
            }
            case "unfreeze":
            case "close":
            {
                HttpRoutes.requireMethod(method, HttpMethod.POST);
                final long id = JsonFields.accountIdFromPath(s[1]);
                JsonBodies.requireEmpty(content, "the " + s[2]);
                final boolean close = s[2].equals("close");
                return command(id, close ? AccountAction.CLOSE : AccountAction.UNFREEZE, FreezeScope.NONE,
                    close ? "closed" : "active", subject(id));
            }
            case "limits":
            {
                HttpRoutes.requireMethod(method, HttpMethod.PUT);
                return limits(JsonFields.accountIdFromPath(s[1]), PolicyEndpoints.limits(JsonBodies.parse(content)));
            }
            default:
                return null;
        }
    }

    /**
     * {@code {"id":"1001","currency":"USD","flags":["debits_must_not_exceed_credits"],"code":1,"user_data":"7"}}.
     */
    private LedgerCall create(final JsonNode body)
    {
        requireObject(body, ACCOUNT_FIELDS, "the account");
        final long id = unsigned64(body, "id", true);
        final Currency currency = JsonFields.currency(currencies, body, "currency");
        final int code = (int)unsigned(body, "code", JsonFields.U16_MAX);
        final long userData = unsigned64(body, "user_data", false);
        boolean debitsLimited = false;
        boolean creditsLimited = false;
        for (final String flag : flags(body))
        {
            switch (flag)
            {
                case "debits_must_not_exceed_credits" -> debitsLimited = true;
                case "credits_must_not_exceed_debits" -> creditsLimited = true;
                default -> throw new BadRequestException("unknown account flag \"" + flag + "\": use " +
                    "debits_must_not_exceed_credits or credits_must_not_exceed_debits");
            }
        }
        final boolean debits = debitsLimited;
        final boolean credits = creditsLimited;
        final String idText = body.path("id").asText();
        return new LedgerCall(SINGLE_EVENT_CAPACITY, (correlationId, out) ->
        {
            final CreateAccountsEncoder encoder = new CreateAccountsEncoder()
                .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
            encoder.accountsCount(1).next().id(id).userData(userData).currency(currency.numericCode()).code(code)
                .flags().clear().debitsMustNotExceedCredits(debits).creditsMustNotExceedDebits(credits);
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        }, (header, reply) ->
        {
            final ResultCode result = singleResult(header, reply);
            final ObjectNode answer = MAPPER.createObjectNode();
            if (result == ResultCode.OK || result == ResultCode.EXISTS)
            {
                answer.put("status", result == ResultCode.OK ? "created" : "exists").put("id", idText);
                return new LedgerCall.Answer(
                    result == ResultCode.OK ? HttpResponseStatus.CREATED : HttpResponseStatus.OK, answer);
            }
            answer.put("code", result.name()).put("id", idText);
            return new LedgerCall.Answer(statusOf(result), answer);
        });
    }

    private LedgerCall lookup(final long id)
    {
        return new LedgerCall(SINGLE_EVENT_CAPACITY, (correlationId, out) ->
        {
            final LookupAccountsEncoder encoder = new LookupAccountsEncoder()
                .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
            encoder.idsCount(1).next().id(id);
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        }, (header, reply) ->
        {
            final LookupAccountsResponseDecoder decoder =
                new LookupAccountsResponseDecoder().wrapAndApplyHeader(reply, 0, header);
            for (final LookupAccountsResponseDecoder.AccountsDecoder account : decoder.accounts())
            {
                return new LedgerCall.Answer(HttpResponseStatus.OK, account(account));
            }
            return notFound("no such account");
        });
    }

    /**
     * {@code {"scope":"debits"}} or {@code {"scope":"all"}}; no body or {@code {}} means debits.
     */
    private static FreezeScope freezeScope(final JsonNode body)
    {
        requireObject(body, FREEZE_FIELDS, "the freeze");
        return choice(body, "scope", "debits", "debits", "all").equals("all") ? FreezeScope.ALL : FreezeScope.DEBITS;
    }

    private static LedgerCall command(
        final long id, final AccountAction action, final FreezeScope scope, final String status, final ObjectNode subject)
    {
        return new LedgerCall(SINGLE_EVENT_CAPACITY, (correlationId, out) ->
        {
            final AccountCommandsEncoder encoder = new AccountCommandsEncoder()
                .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
            encoder.commandsCount(1).next().accountId(id).action(action).freezeScope(scope);
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        }, (header, reply) -> outcome(header, reply, status, subject));
    }

    private static LedgerCall limits(final long id, final PolicyEndpoints.Limits limits)
    {
        final ObjectNode subject = subject(id);
        return new LedgerCall(SINGLE_EVENT_CAPACITY, (correlationId, out) ->
        {
            final SetAccountLimitsEncoder encoder = new SetAccountLimitsEncoder()
                .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
            encoder.limitsCount(1).next()
                .accountId(id)
                .transferAmountLimit(limits.transferAmountLimit())
                .dailyDebitLimit(limits.dailyDebitLimit())
                .velocityDebitLimit(limits.velocityDebitLimit())
                .velocityWindowSeconds(limits.velocityWindowSeconds());
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        }, (header, reply) -> outcome(header, reply, "updated", subject));
    }

    private static ObjectNode subject(final long id)
    {
        return MAPPER.createObjectNode().put("id", Long.toUnsignedString(id));
    }

    private ObjectNode account(final LookupAccountsResponseDecoder.AccountsDecoder a)
    {
        return accountJson(currencies, new LedgerEvent.AccountState(a.id(), a.userData(), a.timestamp(),
            a.currency(), a.code(), a.flags().getRaw(), a.statusRaw(), a.freezeScopeRaw(), a.debitsPending(),
            a.debitsPosted(), a.creditsPending(), a.creditsPosted(), a.transferAmountLimit(), a.dailyDebitLimit(),
            a.dailyDebitsUsed(), a.velocityDebitLimit(), a.velocityWindowSeconds()));
    }

    /**
     * @return an account as {@code GET /v1/accounts/{id}} answers it.
     */
    static ObjectNode accountJson(final CurrencyRegistry currencies, final LedgerEvent.AccountState a)
    {
        final ObjectNode json = MAPPER.createObjectNode();
        json.put("id", Long.toUnsignedString(a.id()));
        final int numeric = a.currency();
        final Currency currency = currencies.isKnown(numeric) ? currencies.byNumericCode(numeric) : null;
        json.put("currency", currency == null ? Integer.toString(numeric) : currency.alphaCode());
        putBalances(json, currency, a.debitsPending(), a.debitsPosted(), a.creditsPending(), a.creditsPosted());
        json.put("status", AccountStatus.get((short)a.status()).name().toLowerCase(Locale.ROOT));
        json.put("freeze_scope", FreezeScope.get((short)a.freezeScope()).name().toLowerCase(Locale.ROOT));
        final ArrayNode flags = json.putArray("flags");
        if (AccountFlagsDecoder.debitsMustNotExceedCredits((short)a.flags()))
        {
            flags.add("debits_must_not_exceed_credits");
        }
        if (AccountFlagsDecoder.creditsMustNotExceedDebits((short)a.flags()))
        {
            flags.add("credits_must_not_exceed_debits");
        }
        json.put("code", a.code());
        json.put("user_data", Long.toUnsignedString(a.userData()));
        JsonFields.putAmount(json, "transfer_amount_limit", currency, a.transferAmountLimit());
        JsonFields.putAmount(json, "daily_debit_limit", currency, a.dailyDebitLimit());
        JsonFields.putAmount(json, "daily_debits_used", currency, a.dailyDebitsUsed());
        json.put("velocity_debit_limit", a.velocityDebitLimit());
        json.put("velocity_window_seconds", a.velocityWindowSeconds());
        JsonFields.putTimestamp(json, "timestamp", a.createdAt());
        return json;
    }

    /**
     * Writes an account's balance (credits posted minus debits posted), available (that minus debits pending) and its
     * four balance fields, each in major units and {@code _minor}.
     */
    static void putBalances(final ObjectNode json, final Currency currency, final long debitsPending,
        final long debitsPosted, final long creditsPending, final long creditsPosted)
    {
        final long balance = creditsPosted - debitsPosted;
        JsonFields.putAmount(json, "balance", currency, balance);
        JsonFields.putAmount(json, "available", currency, balance - debitsPending);
        JsonFields.putAmount(json, "debits_pending", currency, debitsPending);
        JsonFields.putAmount(json, "debits_posted", currency, debitsPosted);
        JsonFields.putAmount(json, "credits_pending", currency, creditsPending);
        JsonFields.putAmount(json, "credits_posted", currency, creditsPosted);
    }
}
