package io.walletledger.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.walletledger.gateway.AccountHistory;
import io.walletledger.protocol.Currency;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.ProtocolLimits;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.walletledger.gateway.http.JsonBodies.MAPPER;

/**
 * An account's history, from the permanent record:
 * <pre>
 *  GET /v1/accounts/{id}/transfers?limit=&amp;cursor=&amp;order=desc|asc&amp;direction=debits|credits&amp;from=&amp;to=
 *  GET /v1/accounts/{id}/balances?(the same)
 *  GET /v1/accounts/{id}?at=     the account's balances as they were at a time
 * </pre>
 * Newest first by default, at most {@code limit} (default 100, at most 1,000) per page; {@code next_cursor} gives the
 * next page (null at the end). A page starts after the cursor's transfer, so writes that arrive between pages never
 * make one skip or repeat a transfer. {@code debits}: the transfers the account paid (and the fees it paid);
 * {@code credits}: those it received, and the fees it collected. {@code from}, {@code to} and {@code at} are RFC 3339
 * times ({@code 2026-12-07T14:00:00.123456789Z}) or engine timestamps (nanoseconds since the epoch), inclusive.
 */
final class HistoryEndpoints
{
    static final int LIMIT_DEFAULT = 100;
    static final int LIMIT_MAX = ProtocolLimits.HISTORY_PAGE_MAX;
    private static final Set<String> PARAMETERS = Set.of("limit", "cursor", "order", "direction", "from", "to");

    private HistoryEndpoints()
    {
    }

    /** What a history endpoint answers with. */
    enum View
    {
        TRANSFERS, BALANCES, ACCOUNT_AT
    }

    /**
     * A history request: what to read, and how to answer.
     */
    record Query(View view, AccountHistory.Query history)
    {
    }

    /**
     * @return the query, or null if the path is not a history endpoint.
     * @throws BadRequestException if a parameter is not valid.
     */
    static Query parse(final HttpMethod method, final String path, final String uri)
    {
        final String[] s = path.split("/", -1);
        if (s.length < 4 || s.length > 5 || !s[1].equals("v1") || !s[2].equals("accounts"))
        {
            return null;
        }
        final Map<String, List<String>> parameters = parameters(uri);
        if (s.length == 4)
        {
            return parameters.containsKey("at") ? accountAt(method, s[3], parameters) : null;
        }
        if (!s[4].equals("transfers") && !s[4].equals("balances"))
        {
            return null;
        }
        HttpRoutes.requireMethod(method, HttpMethod.GET);
        final long accountId = JsonFields.accountIdFromPath(s[3]);
        for (final String name : parameters.keySet())
        {
            if (!PARAMETERS.contains(name))
            {
                throw new BadRequestException("unknown parameter \"" + name + "\": use limit, cursor, order, " +
                    "direction, from, to");
            }
        }
        final String order = one(parameters, "order", "desc");
        if (!order.equals("desc") && !order.equals("asc"))
        {
            throw new BadRequestException("order is desc or asc, not \"" + order + "\"");
        }
        final String direction = one(parameters, "direction", "");
        final int parts = switch (direction)
        {
            case "" -> AccountHistory.DEBIT | AccountHistory.CREDIT | AccountHistory.FEE;
            case "debits" -> AccountHistory.DEBIT;
            case "credits" -> AccountHistory.CREDIT | AccountHistory.FEE;
            default -> throw new BadRequestException("direction is debits or credits, not \"" + direction + "\"");
        };
        final String from = one(parameters, "from", "");
        final String to = one(parameters, "to", "");
        return new Query(s[4].equals("balances") ? View.BALANCES : View.TRANSFERS, new AccountHistory.Query(accountId,
            cursor(one(parameters, "cursor", "")), limit(one(parameters, "limit", Integer.toString(LIMIT_DEFAULT))),
            order.equals("desc"), parts, from.isEmpty() ? 0 : time("from", from),
            to.isEmpty() ? Long.MAX_VALUE : time("to", to)));
    }

    /**
     * {@code GET /v1/accounts/{id}?at=}: the newest entry of the account's history at or before the time.
     */
    private static Query accountAt(final HttpMethod method, final String id, final Map<String, List<String>> parameters)
    {
        HttpRoutes.requireMethod(method, HttpMethod.GET);
        if (parameters.size() != 1)
        {
            throw new BadRequestException("an account as it was takes the one parameter at");
        }
        return new Query(View.ACCOUNT_AT, new AccountHistory.Query(JsonFields.accountIdFromPath(id), -1, 1, true,
            AccountHistory.DEBIT | AccountHistory.CREDIT | AccountHistory.FEE, 0, time("at", one(parameters, "at", ""))));
    }

    /**
     * @return the answer to a history request: the page; for an account at a time, its balances then, or 404 if the
     * record holds none of its transfers at or before it.
     */
    static FullHttpResponse response(final CurrencyRegistry currencies, final Query query, final AccountHistory page)
    {
        if (query.view() != View.ACCOUNT_AT)
        {
            return HttpResponses.response(HttpResponseStatus.OK, json(currencies, query, page));
        }
        final String id = Long.toUnsignedString(query.history().accountId());
        if (page.entries().isEmpty())
        {
            return HttpResponses.response(HttpResponseStatus.NOT_FOUND, HttpResponses.failure("the record holds no " +
                "transfer of account " + id + " at or before " + JsonFields.rfc3339(query.history().to())));
        }
        final ObjectNode json = balances(currencies, page.entries().get(0));
        json.put("id", id);
        JsonFields.putTimestamp(json, "at", query.history().to());
        return HttpResponses.response(HttpResponseStatus.OK, json);
    }

    private static ObjectNode json(final CurrencyRegistry currencies, final Query query, final AccountHistory page)
    {
        final boolean balances = query.view() == View.BALANCES;
        final ObjectNode json = MAPPER.createObjectNode();
        final ArrayNode items = json.putArray(balances ? "balances" : "transfers");
        for (final AccountHistory.Entry entry : page.entries())
        {
            items.add(balances ? balances(currencies, entry) :
                TransferEndpoints.transferJson(currencies, entry.transfer()));
        }
        if (page.next() < 0)
        {
            json.putNull("next_cursor");
        }
        else
        {
            json.put("next_cursor", cursorText(page.next()));
        }
        return json;
    }

    private static ObjectNode balances(final CurrencyRegistry currencies, final AccountHistory.Entry entry)
    {
        final int numeric = entry.transfer().currency();
        final Currency currency = currencies.isKnown(numeric) ? currencies.byNumericCode(numeric) : null;
        final ObjectNode json = MAPPER.createObjectNode();
        JsonFields.putTimestamp(json, "timestamp", entry.timestamp());
        json.put("transfer_id", JsonFields.idText(entry.transfer().idHi(), entry.transfer().idLo()));
        AccountEndpoints.putBalances(json, currency, entry.debitsPending(), entry.debitsPosted(),
            entry.creditsPending(), entry.creditsPosted());
        return json;
    }

    static Map<String, List<String>> parameters(final String uri)
    {
        try
        {
            return new QueryStringDecoder(uri).parameters();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadRequestException("malformed query: " + ex.getMessage());
        }
    }

    static String one(final Map<String, List<String>> parameters, final String name, final String absent)
    {
        final List<String> values = parameters.get(name);
        if (values == null)
        {
            return absent;
        }
        if (values.size() != 1)
        {
            throw new BadRequestException("parameter \"" + name + "\" is given " + values.size() + " times");
        }
        return values.get(0);
    }

    /**
     * @return an RFC 3339 time or an engine timestamp, as an engine timestamp (nanoseconds since the epoch).
     */
    static long time(final String name, final String text)
    {
        try
        {
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit))
            {
                return Long.parseLong(text);
            }
            final Instant instant = OffsetDateTime.parse(text).toInstant();
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        }
        catch (final DateTimeParseException | ArithmeticException | NumberFormatException ex)
        {
            throw new BadRequestException(name + " is an RFC 3339 time (2026-12-07T14:00:00Z) or an engine " +
                "timestamp in nanoseconds, not \"" + text + "\"");
        }
    }

    private static int limit(final String text)
    {
        try
        {
            final int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= LIMIT_MAX)
            {
                return limit;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // Answered below.
        }
        throw new BadRequestException("limit is an integer in 1.." + LIMIT_MAX + ", not \"" + text + "\"");
    }

    private static long cursor(final String text)
    {
        if (text.isEmpty())
        {
            return -1;
        }
        try
        {
            final byte[] bytes = Base64.getUrlDecoder().decode(text);
            if (bytes.length == Long.BYTES)
            {
                final long position = ByteBuffer.wrap(bytes).getLong();
                if (position >= 0)
                {
                    return position;
                }
            }
        }
        catch (final IllegalArgumentException ignored)
        {
            // Answered below.
        }
        throw new BadRequestException("cursor is not one this server gave: \"" + text + "\"");
    }

    private static String cursorText(final long position)
    {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(ByteBuffer.allocate(Long.BYTES).putLong(position)
            .array());
    }
}
