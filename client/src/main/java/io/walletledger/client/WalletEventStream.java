package io.walletledger.client;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ledger's change stream (docs/events.md) for a Java program: every change the ledger applied, in order, from a
 * position, delivered to a listener and resumed after reconnections. It reads the server's HTTP API
 * ({@code GET /v1/events} as Server-Sent Events) with the JDK's HTTP client, so it needs no more than the JDK:
 * <pre>{@code
 * WalletEventStream events = WalletEventStream.builder(URI.create("http://127.0.0.1:8080"))
 *     .credentials(credentials).types("transfer_created").build();
 * try (EventSubscription subscription = events.subscribe(savedPosition, event -> notifyPayee(event.json())))
 * {
 *     ...   // save subscription.position() with the effects of the events, and resume after it next time
 * }
 * }</pre>
 */
public final class WalletEventStream
{
    private final URI base;
    private final WalletClientCredentials credentials;
    private final List<Long> accounts;
    private final List<String> types;
    private final HttpClient http;

    private WalletEventStream(final Builder builder)
    {
        this.base = builder.base;
        this.credentials = builder.credentials;
        this.accounts = List.copyOf(builder.accounts);
        this.types = List.copyOf(builder.types);
        final HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10));
        if (builder.sslContext != null)
        {
            http.sslContext(builder.sslContext);
        }
        this.http = http.build();
    }

    /**
     * @param httpBase the server's HTTP API: {@code http://host:8080}, or {@code https://...} with TLS.
     */
    public static Builder builder(final URI httpBase)
    {
        return new Builder(httpBase);
    }

    /**
     * Starts delivering the events after {@code afterPosition} to the listener, on a thread of the subscription's.
     *
     * @param afterPosition the position of the last event already processed; 0 for the whole stream.
     */
    public EventSubscription subscribe(final long afterPosition, final ChangeEventListener listener)
    {
        if (afterPosition < 0)
        {
            throw new IllegalArgumentException("a position is 0 or more, not " + afterPosition);
        }
        final EventSubscription subscription =
            new EventSubscription(http, this, afterPosition, Objects.requireNonNull(listener, "listener"));
        subscription.start();
        return subscription;
    }

    /**
     * @return the request that reads the stream after a position.
     */
    HttpRequest request(final long after)
    {
        final StringBuilder query = new StringBuilder("/v1/events?limit=1000&after=").append(after);
        for (final long account : accounts)
        {
            query.append("&account=").append(Long.toUnsignedString(account));
        }
        if (!types.isEmpty())
        {
            query.append("&type=").append(URLEncoder.encode(String.join(",", types), StandardCharsets.UTF_8));
        }
        final HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(query.toString()))
            .header("Accept", "text/event-stream")
            .header("Last-Event-ID", Long.toString(after))
            .GET();
        if (credentials != null)
        {
            request.header("Authorization", "Bearer " + credentials.keyId() + ":" + credentials.secret());
        }
        return request.build();
    }

    /**
     * What to subscribe to, and how to reach it.
     */
    public static final class Builder
    {
        private final URI base;
        private WalletClientCredentials credentials;
        private final List<Long> accounts = new ArrayList<>();
        private final List<String> types = new ArrayList<>();
        private SSLContext sslContext;

        private Builder(final URI base)
        {
            this.base = Objects.requireNonNull(base, "base");
        }

        /**
         * @param credentials the API key (role {@code read} at least); none against {@code ./wallet server --dev}.
         */
        public Builder credentials(final WalletClientCredentials credentials)
        {
            this.credentials = credentials;
            return this;
        }

        /**
         * Only the events that touch one of these accounts (a key restricted to accounts gets only those anyway).
         */
        public Builder accounts(final long... accountIds)
        {
            for (final long account : accountIds)
            {
                accounts.add(account);
            }
            return this;
        }

        /**
         * Only the events of these types ({@code transfer_created}, {@code hold_expired}, ...).
         */
        public Builder types(final String... eventTypes)
        {
            types.addAll(List.of(eventTypes));
            return this;
        }

        /**
         * @param context trusts the server's certificate, for an {@code https} base the JDK's trust store does not
         *                cover.
         */
        public Builder sslContext(final SSLContext context)
        {
            this.sslContext = context;
            return this;
        }

        public WalletEventStream build()
        {
            return new WalletEventStream(this);
        }
    }
}
