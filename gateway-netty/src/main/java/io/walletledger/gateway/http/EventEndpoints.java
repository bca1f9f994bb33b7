package io.walletledger.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.walletledger.gateway.EventPage;
import io.walletledger.gateway.LedgerEvent;
import io.walletledger.gateway.security.ApiKey;
import io.walletledger.protocol.Currency;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.PolicySetting;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

import static io.walletledger.gateway.http.JsonBodies.MAPPER;

/**
 * The change stream over HTTP:
 * <pre>
 *  GET /v1/events?after=&amp;limit=&amp;wait=&amp;account=&amp;type=
 * </pre>
 * answers {@code {"events":[...],"next_after":N}} once there is at least one event after {@code after} (a long poll:
 * it waits up to {@code wait} seconds, then answers with none), or, with {@code Accept: text/event-stream}, streams
 * them as Server-Sent Events, each with its position as its id, resuming after {@code Last-Event-ID}. The event
 * shape is version {@link #VERSION} (docs/events.md).
 */
final class EventEndpoints
{
    static final String PATH = "/v1/events";
    static final int VERSION = 1;
    static final int LIMIT_DEFAULT = 100;
    static final int LIMIT_MAX = 1000;
    static final int WAIT_DEFAULT_SECONDS = 20;
    static final int WAIT_MAX_SECONDS = 60;
    /** How long a stream waits for an event before it writes a comment, so that proxies keep the connection. */
    static final int STREAM_HEARTBEAT_SECONDS = 15;
    static final int ACCOUNTS_MAX = 100;
    static final Set<String> TYPES = Set.of("transfer_created", "transfer_failed", "transfer_held_for_review",
        "hold_created", "hold_posted", "hold_voided", "hold_expired", "review_approved", "review_rejected",
        "account_created", "account_frozen", "account_unfrozen", "account_closed", "account_limits_set",
        "code_limits_set", "fee_set", "review_threshold_set", "policy_setting_set");
    private static final Set<String> PARAMETERS = Set.of("after", "limit", "wait", "account", "type");

    private EventEndpoints()
    {
    }

    /**
     * @param lastEventId the {@code Last-Event-ID} of a stream that resumes, or null.
     * @return the query of an events request, for this key: a key restricted to accounts reads only the events that
     * touch them.
     * @throws BadRequestException if a parameter is not valid.
     */
    static EventPage.Query parse(final HttpMethod method, final String uri, final ApiKey key, final boolean stream,
        final String lastEventId)
    {
        HttpRoutes.requireMethod(method, HttpMethod.GET);
        final Map<String, List<String>> parameters = HistoryEndpoints.parameters(uri);
        for (final String name : parameters.keySet())
        {
            if (!PARAMETERS.contains(name))
            {
                throw new BadRequestException("unknown parameter \"" + name + "\": use after, limit, wait, account, " +
                    "type");
            }
        }
        long after = position("after", HistoryEndpoints.one(parameters, "after", "0"));
        if (stream && lastEventId != null && !lastEventId.isBlank())
        {
            after = position("Last-Event-ID", lastEventId.trim());
        }
        final int limit = (int)bounded("limit", HistoryEndpoints.one(parameters, "limit",
            Integer.toString(LIMIT_DEFAULT)), 1, LIMIT_MAX);
        final long wait = stream ? STREAM_HEARTBEAT_SECONDS : bounded("wait", HistoryEndpoints.one(parameters,
            "wait", Integer.toString(WAIT_DEFAULT_SECONDS)), 0, WAIT_MAX_SECONDS);
        final Set<String> types = new LinkedHashSet<>();
        for (final String list : parameters.getOrDefault("type", List.of()))
        {
            for (final String type : list.split(",", -1))
            {
                if (!TYPES.contains(type))
                {
                    throw new BadRequestException("type \"" + type + "\" is not an event type: " +
                        TYPES.stream().sorted().toList());
                }
                types.add(type);
            }
        }
        final List<String> accountTexts = parameters.getOrDefault("account", List.of());
        if (accountTexts.size() > ACCOUNTS_MAX)
        {
            throw new BadRequestException("at most " + ACCOUNTS_MAX + " account parameters");
        }
        long[] accounts = accountTexts.stream().mapToLong(JsonFields::accountIdFromPath).distinct().toArray();
        if (key.restricted())
        {
            for (final long account : accounts)
            {
                if (!key.mayUse(account))
                {
                    throw new ForbiddenAccountException(account);
                }
            }
            if (accounts.length == 0)
            {
                accounts = key.accounts();
            }
        }
        return new EventPage.Query(after, limit, TimeUnit.SECONDS.toNanos(wait), accounts, Set.copyOf(types));
    }

    /** A key restricted to accounts asked for the events of another account. */
    static final class ForbiddenAccountException extends RuntimeException
    {
        final long account;

        ForbiddenAccountException(final long account)
        {
            super(null, null, false, false);
            this.account = account;
        }
    }

    private static long position(final String name, final String text)
    {
        try
        {
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit))
            {
                return Long.parseLong(text);
            }
        }
        catch (final NumberFormatException ignored)
        {
            // Answered below.
        }
        throw new BadRequestException(name + " is the position of an event (a non-negative integer), not \"" + text +
            "\"");
    }

    private static long bounded(final String name, final String text, final long min, final long max)
    {
        try
        {
            final long value = Long.parseLong(text);
            if (value >= min && value <= max)
            {
                return value;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // Answered below.
        }
        throw new BadRequestException(name + " is an integer in " + min + ".." + max + ", not \"" + text + "\"");
    }

    /**
     * @return the answer to a long poll, {@code {"events":[...],"next_after":N}}: the events and where to read after
     * them.
     */
    static byte[] page(final CurrencyRegistry currencies, final EventPage page, final ApiKey key)
    {
        return new EventJsonWriter(currencies).page(page, key::mayUse);
    }

    /**
     * @return the events as Server-Sent Events, each with its position as id; a comment if there is none, which
     * keeps the connection through proxies that close a silent one.
     */
    static byte[] serverSentEvents(final CurrencyRegistry currencies, final EventPage page, final ApiKey key)
    {
        return new EventJsonWriter(currencies).serverSentEvents(page, key::mayUse);
    }

    /**
     * One event built from the API's other renderings (the transfer of {@code GET /v1/transfers/{id}}, the account of
     * {@code GET /v1/accounts/{id}}, the policies of {@code GET /v1/policies}): the definition of the event's JSON,
     * which {@link EventJsonWriter} writes faster, byte for byte the same (its test compares the two).
     *
     * @param mayUse which accounts' balances the reader may see: a key restricted to accounts sees those of its own
     *               accounts only.
     * @return one event, version {@link #VERSION}.
     */
    static ObjectNode event(final CurrencyRegistry currencies, final LedgerEvent event, final LongPredicate mayUse)
    {
        final ObjectNode json = MAPPER.createObjectNode();
        json.put("version", VERSION);
        json.put("position", event.position());
        json.put("type", event.type());
        JsonFields.putTimestamp(json, "timestamp", event.timestamp());
        if (event instanceof LedgerEvent.Transfer t)
        {
            json.set("transfer", TransferEndpoints.transferJson(currencies, t.transfer()));
            final Currency currency = PolicyEndpoints.known(currencies, t.transfer().currency());
            final ObjectNode balances = json.putObject("balances");
            for (final LedgerEvent.Balances b : t.balances())
            {
                if (mayUse.test(b.accountId()))
                {
                    final ObjectNode account = balances.putObject(b.role());
                    account.put("id", Long.toUnsignedString(b.accountId()));
                    AccountEndpoints.putBalances(account, currency, b.debitsPending(), b.debitsPosted(),
                        b.creditsPending(), b.creditsPosted());
                }
            }
        }
        else if (event instanceof LedgerEvent.Account a)
        {
            json.set("account", AccountEndpoints.accountJson(currencies, a.account()));
        }
        else
        {
            json.set("policy", policy(currencies, (LedgerEvent.Policy)event));
        }
        return json;
    }

    private static ObjectNode policy(final CurrencyRegistry currencies, final LedgerEvent.Policy p)
    {
        final long[] v = p.values();
        return switch (p.type())
        {
            case "fee_set" -> PolicyEndpoints.feeJson(currencies, (int)p.subject(), (int)v[0], v[1], v[2], v[3], v[4],
                v[5]);
            case "review_threshold_set" -> PolicyEndpoints.thresholdJson(currencies, (int)p.subject(), v[0]);
            case "code_limits_set" -> PolicyEndpoints.codeLimitsJson((int)p.subject(), v[0], v[1], v[2], v[3]);
            case "policy_setting_set" -> MAPPER.createObjectNode()
                .put("setting", PolicySetting.get((int)p.subject()).name().toLowerCase(Locale.ROOT))
                .put("value", v[0]);
            default -> throw new IllegalStateException("not a policy event: " + p.type() + " " + Arrays.toString(v));
        };
    }
}
