package io.walletledger.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;

import static io.walletledger.gateway.http.JsonBodies.MAPPER;

/**
 * The {@code Idempotency-Key} header (the IETF draft's; a bare or quoted string): on a POST that creates something it
 * is the id of what it creates, when the body gives none; a body that gives another is refused.
 * <pre>
 *  POST /v1/accounts                       "id"
 *  POST /v1/wallet/balance_transfer        "transaction_id"
 *  POST /v1/transfers                      "id" of its one transfer (a batch of several is refused)
 *  POST /v1/transfers/{pending_id}/review  "id" of the decision
 * </pre>
 * The other POSTs (freeze, unfreeze, close) are idempotent as they are: the header changes nothing there. The id is
 * checked by the endpoint as if the body had held it.
 */
final class IdempotencyKeys
{
    static final String HEADER = "Idempotency-Key";

    private IdempotencyKeys()
    {
    }

    /**
     * @return the body to route: {@code content} itself, or a copy with the key as its id.
     * @throws BadRequestException if the body names another id, or the request cannot take a key.
     */
    static ByteBuf apply(final HttpMethod method, final String path, final ByteBuf content, final String header)
    {
        if (header == null || !HttpMethod.POST.equals(method))
        {
            return content;
        }
        final String key = unquoted(header.strip());
        final boolean transfers = path.equals("/v1/transfers");
        final String field = switch (path)
        {
            case "/v1/accounts", "/v1/transfers" -> "id";
            case "/v1/wallet/balance_transfer" -> "transaction_id";
            default -> path.startsWith("/v1/transfers/") && path.endsWith("/review") ? "id" : null;
        };
        if (field == null)
        {
            return content;
        }
        if (key.isEmpty())
        {
            throw new BadRequestException(HEADER + " is empty");
        }
        final JsonNode body = JsonBodies.parse(content);
        ObjectNode target = body instanceof ObjectNode object ? object : null;
        if (target != null && transfers)
        {
            final JsonNode list = target.get("transfers");
            if (list == null || !list.isArray() || list.size() != 1 || !list.get(0).isObject())
            {
                throw new BadRequestException(HEADER + " is the id of one transfer: send a request of exactly one " +
                    "transfer with it, or give each transfer its \"id\"");
            }
            target = (ObjectNode)list.get(0);
        }
        if (target == null)
        {
            return content; // not an object: the endpoint says what is wrong
        }
        final JsonNode given = target.get(field);
        if (given == null || given.isNull())
        {
            target.put(field, key);
        }
        else if (!given.asText().equals(key))
        {
            throw new BadRequestException(HEADER + " \"" + key + "\" differs from the body's \"" + field + "\" " +
                given + ": give one, or the same in both");
        }
        try
        {
            return Unpooled.wrappedBuffer(MAPPER.writeValueAsBytes(body));
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("a parsed body always writes", ex);
        }
    }

    private static String unquoted(final String value)
    {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ?
            value.substring(1, value.length() - 1) : value;
    }
}
