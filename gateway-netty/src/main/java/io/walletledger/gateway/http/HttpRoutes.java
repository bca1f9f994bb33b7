package io.walletledger.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.walletledger.protocol.CurrencyRegistry;

import java.util.Arrays;

/**
 * Which endpoint group answers a path under {@code /v1}: {@link AccountEndpoints}, {@link TransferEndpoints} or
 * {@link PolicyEndpoints}, each of which checks the method and the body, so a bad request is refused with 400 before
 * it reaches the ledger.
 */
final class HttpRoutes
{
    private final AccountEndpoints accounts;
    private final TransferEndpoints transfers;
    private final PolicyEndpoints policies;

    HttpRoutes(final CurrencyRegistry currencies, final int batchEventsMax)
    {
        this.accounts = new AccountEndpoints(currencies);
        this.transfers = new TransferEndpoints(currencies, batchEventsMax);
        this.policies = new PolicyEndpoints(currencies);
    }

    /**
     * @return whether the path needs no key: the health checks ({@code /health}, the same as {@code /health/live},
     * and {@code /health/ready}) and the API's description, {@code /openapi.json}.
     */
    static boolean isOpen(final String path)
    {
        return path.equals("/health") || path.equals("/health/live") || path.equals("/health/ready") ||
            path.equals(OpenApiDocument.PATH);
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
        return switch (s[0])
        {
            case "accounts" -> accounts.route(method, s, content);
            case "wallet", "transfers" -> transfers.route(method, s, content);
            case "codes", "fees", "review-thresholds", "settings", "policies" -> policies.route(method, s, content);
            default -> null;
        };
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
