package io.walletledger.gateway.http;

import io.netty.handler.ssl.SslContext;

import java.time.Duration;

/**
 * The limits of the HTTP/JSON listener.
 *
 * @param host           to bind.
 * @param port           to bind; 0 for any free port.
 * @param batchEventsMax the most transfers in one {@code POST /v1/transfers}.
 * @param bodyBytesMax   the largest request body; larger ones are answered 413.
 * @param requestTimeout a request the ledger has not answered by then is answered 504 (its outcome unknown).
 * @param connectionsMax connections open at once; more are closed at once.
 * @param connectionsPerAddressMax connections from one client address at once; more are closed at once; 0: no
 *                       limit.
 * @param idleTimeout    a connection that sends nothing for this long, with no request of its own pending, is
 *                       closed; zero: never.
 * @param requestReadTimeout the longest a client may take to send a whole request, from its first byte, before the
 *                       connection is closed (a slowloris defence); zero for no limit.
 * @param tls            the server's TLS context ({@link ServerTls#context}), making this HTTPS; null for plain HTTP.
 */
public record HttpSettings(
    String host,
    int port,
    int batchEventsMax,
    int bodyBytesMax,
    Duration requestTimeout,
    int connectionsMax,
    int connectionsPerAddressMax,
    Duration idleTimeout,
    Duration requestReadTimeout,
    SslContext tls)
{
    public HttpSettings
    {
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
        if (bodyBytesMax < 1024)
        {
            throw new IllegalArgumentException("bodyBytesMax must be at least 1024, was " + bodyBytesMax);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero())
        {
            throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
        }
        if (connectionsMax < 1 || connectionsPerAddressMax < 0 || idleTimeout.isNegative())
        {
            throw new IllegalArgumentException("connectionsMax must be at least 1, connectionsPerAddressMax and " +
                "idleTimeout not negative");
        }
        if (requestReadTimeout.isNegative())
        {
            throw new IllegalArgumentException("requestReadTimeout must not be negative, was " + requestReadTimeout);
        }
        if (tls != null && !tls.isServer())
        {
            throw new IllegalArgumentException("tls must be a server context");
        }
    }

    public static HttpSettings loopback(final int batchEventsMax)
    {
        return new HttpSettings("127.0.0.1", 0, batchEventsMax, 1 << 20, Duration.ofSeconds(10), 1024, 0, Duration.ZERO,
            Duration.ofSeconds(30), null);
    }
}
