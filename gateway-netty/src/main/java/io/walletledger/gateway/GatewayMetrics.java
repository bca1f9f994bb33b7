package io.walletledger.gateway;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.walletledger.protocol.RequestType;
import io.walletledger.protocol.sbe.ErrorCode;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * What the gateways measure, in the server's Prometheus registry (client_java): request latency per protocol and
 * request type as a histogram, HTTP responses by status, refusals by code, authentication failures, open
 * connections. Recording is lock-free: a histogram's data point per protocol and type is looked up once, at the
 * first request of that type.
 */
public final class GatewayMetrics
{
    /** Protocol label values. */
    public static final String BINARY = "binary";
    public static final String HTTP = "http";

    /**
     * Upper bounds of the latency buckets, in seconds: 50 µs to 10 s. A reply means journaled (fsync'd with
     * durability batch) and applied, so most fall between 100 µs and a few milliseconds.
     */
    private static final double[] LATENCY_BOUNDS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10 };

    private final PrometheusRegistry registry;
    private final Histogram latency;
    /** The data point per request type, made at its first request, so that the exposition lists only types used. */
    private final DistributionDataPoint[] binaryLatency;
    private final DistributionDataPoint[] httpLatency;
    private final Counter httpResponses;
    private final Counter refusals;
    private final Counter authenticationFailures;
    private final Map<String, IntSupplier> connections = new ConcurrentHashMap<>();

    /**
     * @param registry where the metrics are registered; {@code GET /metrics} writes what it holds.
     */
    public GatewayMetrics(final PrometheusRegistry registry)
    {
        this.registry = registry;
        latency = Histogram.builder()
            .name("wallet_request_duration_seconds")
            .help("Time from a gateway handing a request to the ledger (or the record) to its reply, by protocol and " +
                "request type.")
            .unit(Unit.SECONDS)
            .labelNames("protocol", "request")
            .classicOnly()
            .classicUpperBounds(LATENCY_BOUNDS)
            .register(registry);
        binaryLatency = new DistributionDataPoint[RequestType.values().length];
        httpLatency = new DistributionDataPoint[RequestType.values().length];
        httpResponses = Counter.builder()
            .name("wallet_http_responses_total")
            .help("HTTP responses by status code.")
            .labelNames("status")
            .register(registry);
        refusals = Counter.builder()
            .name("wallet_requests_refused_total")
            .help("Requests a gateway refused before the ledger saw them, by protocol and code: FORBIDDEN (role or " +
                "account restriction), RATE_LIMITED (the key's transfers or reads per second).")
            .labelNames("protocol", "code")
            .register(registry);
        authenticationFailures = Counter.builder()
            .name("wallet_authentication_failures_total")
            .help("Failed authentications (unknown key, wrong secret or proof), by protocol.")
            .labelNames("protocol")
            .register(registry);
        GaugeWithCallback.builder()
            .name("wallet_connections")
            .help("Client connections open now, by protocol.")
            .labelNames("protocol")
            .callback(callback -> connections.forEach((protocol, open) -> callback.call(open.getAsInt(), protocol)))
            .register(registry);
    }

    /**
     * @return the registry the metrics are in.
     */
    public PrometheusRegistry registry()
    {
        return registry;
    }

    /**
     * @param type  what was asked.
     * @param nanos from handing it to the ledger to its reply.
     */
    public void requestBinary(final RequestType type, final long nanos)
    {
        point(binaryLatency, BINARY, type).observe(nanos / 1e9);
    }

    /**
     * @param type  what was asked.
     * @param nanos from handing it to the ledger to its reply.
     */
    public void requestHttp(final RequestType type, final long nanos)
    {
        point(httpLatency, HTTP, type).observe(nanos / 1e9);
    }

    /**
     * Racy but sound: two threads that make the same point at once get the same one from the histogram.
     */
    private DistributionDataPoint point(
        final DistributionDataPoint[] points, final String protocol, final RequestType type)
    {
        DistributionDataPoint point = points[type.ordinal()];
        if (point == null)
        {
            point = latency.labelValues(protocol, label(type));
            points[type.ordinal()] = point;
        }
        return point;
    }

    public void httpResponse(final int status)
    {
        httpResponses.labelValues(Integer.toString(status)).inc();
    }

    public void refused(final String protocol, final ErrorCode code)
    {
        refusals.labelValues(protocol, code.name()).inc();
    }

    public void authenticationFailed(final String protocol)
    {
        authenticationFailures.labelValues(protocol).inc();
    }

    /**
     * @param protocol the listener.
     * @param open     how many of its connections are open, read at every scrape.
     */
    public void connections(final String protocol, final IntSupplier open)
    {
        connections.put(protocol, open);
    }

    /**
     * @return the label of a request type: {@code create_transfers}, {@code lookup_account_history}, ...
     */
    static String label(final RequestType type)
    {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
