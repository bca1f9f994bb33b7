package io.walletledger.client;

import io.walletledger.protocol.ProtocolLimits;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * How a {@link WalletClient} connects and behaves.
 *
 * @param host                  the server's binary gateway host.
 * @param port                  the server's binary gateway port.
 * @param requestTimeout        how long one request on the wire (or waiting for the connection) may take before its
 *                              future fails with {@link WalletTimeoutException}; also the connect timeout.
 * @param batchEventsMax        the most events per request; larger calls are split. Must not exceed the server's
 *                              {@code batchEventsMax}, which refuses more with {@code BATCH_TOO_LARGE}.
 * @param batchLinger           how long a single {@link WalletClient#createTransfer} waits for others to share its
 *                              request. Zero: it is sent at once when no batch of single transfers is in flight,
 *                              otherwise it joins the next batch, which leaves when the one in flight is answered.
 * @param reconnect             whether a lost connection is re-established in the background.
 * @param reconnectDelayInitial the first pause before reconnecting; it doubles per failed attempt.
 * @param reconnectDelayMax     the longest pause between reconnect attempts.
 * @param inFlightRequestsMax   requests on the wire at once; more wait in the client (the server's gateway pauses a
 *                              connection at its own limit, 64 by default).
 * @param busyRetriesMax        how many times a request the server answered {@code BUSY} is sent again, with a
 *                              doubling pause, before its future fails with {@link WalletException}.
 * @param queuedRequestsMax     requests waiting in the client for the connection or a free slot; one more fails at
 *                              once with {@link WalletQueueFullException} (not sent), so memory stays bounded while
 *                              the server is slow or unreachable.
 * @param tls                   TLS towards a server with {@code wallet.server.tls} enabled, and what it trusts; null
 *                              for plain TCP.
 * @param credentials           the API key the client authenticates with on every (re)connection; null for a server
 *                              in development mode.
 * @param ioThreadFactory       makes the client's one I/O thread, which writes requests and reads replies; null
 *                              for the default, a daemon thread named {@code wallet-client-<n>-1}. Give one to
 *                              set that thread's scheduling, CPU affinity or name; its threads should be daemons, or
 *                              a client left open keeps the JVM alive.
 */
public record WalletClientOptions(
    String host,
    int port,
    Duration requestTimeout,
    int batchEventsMax,
    Duration batchLinger,
    boolean reconnect,
    Duration reconnectDelayInitial,
    Duration reconnectDelayMax,
    int inFlightRequestsMax,
    int busyRetriesMax,
    int queuedRequestsMax,
    WalletClientTls tls,
    WalletClientCredentials credentials,
    ThreadFactory ioThreadFactory)
{
    /** Default {@link #requestTimeout()}: 10 seconds. */
    public static final Duration REQUEST_TIMEOUT_DEFAULT = Duration.ofSeconds(10);
    /** Default {@link #batchEventsMax()}: the server's default {@code batchEventsMax}, 8,190. */
    public static final int BATCH_EVENTS_MAX_DEFAULT = ProtocolLimits.BATCH_EVENTS_MAX_DEFAULT;
    /** Default {@link #reconnectDelayInitial()}: 50 ms. */
    public static final Duration RECONNECT_DELAY_INITIAL_DEFAULT = Duration.ofMillis(50);
    /** Default {@link #reconnectDelayMax()}: 5 seconds. */
    public static final Duration RECONNECT_DELAY_MAX_DEFAULT = Duration.ofSeconds(5);
    /** Default {@link #queuedRequestsMax()}: 4,096 requests. */
    public static final int QUEUED_REQUESTS_MAX_DEFAULT = 4096;
    /** Default {@link #inFlightRequestsMax()}: 64, the gateway's default per connection. */
    public static final int IN_FLIGHT_REQUESTS_MAX_DEFAULT = 64;
    /** The most {@link #busyRetriesMax()}: the pause doubles each time, and 5 ms doubled 16 times is 5.5 minutes. */
    public static final int BUSY_RETRIES_MAX_LIMIT = 16;
    /** Default {@link #busyRetriesMax()}: 5 (pauses of 5, 10, 20, 40 and 80 ms). */
    public static final int BUSY_RETRIES_MAX_DEFAULT = 5;

    /**
     * @throws IllegalArgumentException if a value is out of range.
     * @throws NullPointerException     if the host or a duration is null.
     */
    public WalletClientOptions
    {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("port must be in 1..65535, was " + port);
        }
        requirePositive("requestTimeout", requestTimeout);
        if (batchEventsMax < 1 || batchEventsMax > ProtocolLimits.BATCH_EVENTS_MAX_LIMIT)
        {
            throw new IllegalArgumentException("batchEventsMax must be in 1.." + ProtocolLimits.BATCH_EVENTS_MAX_LIMIT +
                ", was " + batchEventsMax);
        }
        if (batchLinger.isNegative() || batchLinger.compareTo(requestTimeout) >= 0)
        {
            throw new IllegalArgumentException("batchLinger must be at least zero and less than requestTimeout, was " +
                batchLinger);
        }
        requirePositive("reconnectDelayInitial", reconnectDelayInitial);
        if (reconnectDelayMax.compareTo(reconnectDelayInitial) < 0)
        {
            throw new IllegalArgumentException("reconnectDelayMax must be at least reconnectDelayInitial");
        }
        if (queuedRequestsMax < 1)
        {
            throw new IllegalArgumentException("queuedRequestsMax must be at least 1, was " + queuedRequestsMax);
        }
        if (inFlightRequestsMax < 1)
        {
            throw new IllegalArgumentException("inFlightRequestsMax must be at least 1, was " + inFlightRequestsMax);
        }
        if (busyRetriesMax < 0 || busyRetriesMax > BUSY_RETRIES_MAX_LIMIT)
        {
            throw new IllegalArgumentException("busyRetriesMax must be in 0.." + BUSY_RETRIES_MAX_LIMIT +
                " (the pause doubles each time), was " + busyRetriesMax);
        }
    }

    private static void requirePositive(final String name, final Duration duration)
    {
        if (duration.isNegative() || duration.isZero())
        {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }

    /**
     * @param host the server's host.
     * @param port the server's binary port.
     * @return a builder with the defaults.
     */
    public static Builder builder(final String host, final int port)
    {
        return new Builder(host, port);
    }

    /**
     * Builds {@link WalletClientOptions}, starting from the defaults.
     */
    public static final class Builder
    {
        private final String host;
        private final int port;
        private Duration requestTimeout = REQUEST_TIMEOUT_DEFAULT;
        private int batchEventsMax = BATCH_EVENTS_MAX_DEFAULT;
        private Duration batchLinger = Duration.ZERO;
        private boolean reconnect = true;
        private Duration reconnectDelayInitial = RECONNECT_DELAY_INITIAL_DEFAULT;
        private Duration reconnectDelayMax = RECONNECT_DELAY_MAX_DEFAULT;
        private int inFlightRequestsMax = IN_FLIGHT_REQUESTS_MAX_DEFAULT;
        private int queuedRequestsMax = QUEUED_REQUESTS_MAX_DEFAULT;
        private int busyRetriesMax = BUSY_RETRIES_MAX_DEFAULT;
        private WalletClientTls tls;
        private WalletClientCredentials credentials;
        private ThreadFactory ioThreadFactory;

        private Builder(final String host, final int port)
        {
            this.host = host;
            this.port = port;
        }

        /**
         * @param timeout per request; default 10 s.
         * @return this builder.
         */
        public Builder requestTimeout(final Duration timeout)
        {
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * @param events most events per request; default 8,190.
         * @return this builder.
         */
        public Builder batchEventsMax(final int events)
        {
            this.batchEventsMax = events;
            return this;
        }

        /**
         * @param linger how long single transfers wait to be batched; default zero.
         * @return this builder.
         */
        public Builder batchLinger(final Duration linger)
        {
            this.batchLinger = linger;
            return this;
        }

        /**
         * @param reconnect whether to reconnect after a lost connection; default true.
         * @return this builder.
         */
        public Builder reconnect(final boolean reconnect)
        {
            this.reconnect = reconnect;
            return this;
        }

        /**
         * @param initial first pause before reconnecting; default 50 ms.
         * @param max     longest pause; default 5 s.
         * @return this builder.
         */
        public Builder reconnectDelay(final Duration initial, final Duration max)
        {
            this.reconnectDelayInitial = initial;
            this.reconnectDelayMax = max;
            return this;
        }

        /**
         * @param requests requests on the wire at once; default 64.
         * @return this builder.
         */
        public Builder inFlightRequestsMax(final int requests)
        {
            this.inFlightRequestsMax = requests;
            return this;
        }

        /**
         * @param retries resends of a request answered {@code BUSY}; default 5.
         * @return this builder.
         */
        public Builder busyRetriesMax(final int retries)
        {
            this.busyRetriesMax = retries;
            return this;
        }

        /**
         * @param requests requests that may wait in the client; default 4,096.
         * @return this builder.
         */
        public Builder queuedRequestsMax(final int requests)
        {
            this.queuedRequestsMax = requests;
            return this;
        }

        /**
         * @param tls TLS and the certificates it trusts, e.g. {@link WalletClientTls#trusting(java.nio.file.Path)};
         *            default null: plain TCP.
         * @return this builder.
         */
        public Builder tls(final WalletClientTls tls)
        {
            this.tls = tls;
            return this;
        }

        /**
         * @param keyId  the API key's id.
         * @param secret its secret, as {@code ./wallet keys create} printed it.
         * @return this builder.
         */
        public Builder credentials(final String keyId, final String secret)
        {
            this.credentials = new WalletClientCredentials(keyId, secret);
            return this;
        }

        /**
         * @param credentials the API key; default null: no authentication (a server in development mode).
         * @return this builder.
         */
        public Builder credentials(final WalletClientCredentials credentials)
        {
            this.credentials = credentials;
            return this;
        }

        /**
         * @param threadFactory makes the client's I/O thread; default null: a daemon thread named
         *                      {@code wallet-client-<n>-1}.
         * @return this builder.
         */
        public Builder ioThreadFactory(final ThreadFactory threadFactory)
        {
            this.ioThreadFactory = threadFactory;
            return this;
        }

        /**
         * @return the options.
         */
        public WalletClientOptions build()
        {
            return new WalletClientOptions(host, port, requestTimeout, batchEventsMax, batchLinger, reconnect,
                reconnectDelayInitial, reconnectDelayMax, inFlightRequestsMax, busyRetriesMax, queuedRequestsMax, tls,
                credentials, ioThreadFactory);
        }
    }
}
