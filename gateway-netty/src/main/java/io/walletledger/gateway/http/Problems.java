package io.walletledger.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Every failure of the HTTP API is an RFC 9457 problem document, {@code application/problem+json}:
 * <pre>
 * {"type":"urn:wallet-ledger:problem:exceeds-credits","title":"Exceeds credits","status":422,
 *  "detail":"...","code":"EXCEEDS_CREDITS","transaction_id":"..."}
 * </pre>
 * {@code code} is the ledger's result or error code (upper case, as in the binary protocol and the docs), or for a
 * refusal of the HTTP layer itself one of {@code MALFORMED}, {@code NOT_FOUND}, {@code METHOD_NOT_ALLOWED},
 * {@code REQUEST_TOO_LARGE}, {@code UNAUTHENTICATED}, {@code FORBIDDEN}, {@code RATE_LIMITED}, {@code TIMEOUT}, ...;
 * {@code type} names it as a URN; {@code title} is the same for every occurrence of a code, {@code detail} says what
 * happened this time. The fields that identify what failed ({@code id}, {@code transaction_id}, ...) follow.
 */
final class Problems
{
    static final String CONTENT_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "urn:wallet-ledger:problem:";

    private Problems()
    {
    }

    /**
     * @param status the response's status, 400 or more.
     * @param body   what the endpoint said: its {@code code} and {@code message} if any, and the fields that identify
     *               what failed.
     * @return the problem document.
     */
    static ObjectNode of(final HttpResponseStatus status, final JsonNode body)
    {
        final String given = body.path("code").asText("");
        final String code = given.isEmpty() ? codeOf(status) : given.toUpperCase(Locale.ROOT);
        final String title = title(code);
        final String message = body.path("message").asText("");
        final ObjectNode problem = JsonBodies.MAPPER.createObjectNode()
            .put("type", TYPE_PREFIX + code.toLowerCase(Locale.ROOT).replace('_', '-'))
            .put("title", title)
            .put("status", status.code())
            .put("detail", message.isEmpty() ? title : message)
            .put("code", code);
        for (final Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext(); )
        {
            final Map.Entry<String, JsonNode> field = fields.next();
            if (!problem.has(field.getKey()) && !field.getKey().equals("message"))
            {
                problem.set(field.getKey(), field.getValue());
            }
        }
        return problem;
    }

    /**
     * @return the code of a failure the endpoint gave none for, from its status.
     */
    static String codeOf(final HttpResponseStatus status)
    {
        switch (status.code())
        {
            case 400: return "MALFORMED";
            case 401: return "UNAUTHENTICATED";
            case 403: return "FORBIDDEN";
            case 404: return "NOT_FOUND";
            case 405: return "METHOD_NOT_ALLOWED";
            case 408: return "REQUEST_TIMEOUT";
            case 409: return "CONFLICT";
            case 413: return "REQUEST_TOO_LARGE";
            case 422: return "REJECTED";
            case 429: return "RATE_LIMITED";
            case 503: return "BUSY";
            case 504: return "TIMEOUT";
            case 507: return "DISK_FULL";
            default: return status.code() >= 500 ? "INTERNAL_ERROR" : "MALFORMED";
        }
    }

    /**
     * @return {@code EXCEEDS_CREDITS} as {@code Exceeds credits}.
     */
    static String title(final String code)
    {
        final String words = code.toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
