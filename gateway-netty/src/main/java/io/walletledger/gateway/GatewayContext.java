package io.walletledger.gateway;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.walletledger.gateway.security.GatewaySecurity;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.RequestSubmitter;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What both listeners share, built once by the server: where requests go, who may send them, what they measure
 * (in the server's Prometheus registry, which {@code GET /metrics} writes), and what the HTTP API needs beside
 * (currency names, the node's health).
 *
 * @param ledger     where requests go.
 * @param security   who may connect and what each key may do.
 * @param metrics    what the gateways measure, and the registry {@code GET /metrics} writes (the node's metrics too).
 * @param currencies the registry that names currencies in JSON.
 * @param healthy    whether the ledger serves (it has not halted), for {@code GET /health} and
 *                   {@code GET /health/live}.
 * @param notReady   why the server should not be given traffic now, or null if it should, for
 *                   {@code GET /health/ready}.
 * @param archive    transfers at any age, for lookups the engine cannot answer ({@link TransferArchive#NONE}: none).
 */
public record GatewayContext(
    RequestSubmitter ledger,
    GatewaySecurity security,
    GatewayMetrics metrics,
    CurrencyRegistry currencies,
    BooleanSupplier healthy,
    Supplier<String> notReady,
    TransferArchive archive)
{
    public GatewayContext
    {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(currencies, "currencies");
        Objects.requireNonNull(healthy, "healthy");
        Objects.requireNonNull(notReady, "notReady");
        Objects.requireNonNull(archive, "archive");
    }

    /**
     * @return a context for tests and tools: its own metrics registry, the ISO 4217 currencies, always healthy, no
     * archive.
     */
    public static GatewayContext of(final RequestSubmitter ledger, final GatewaySecurity security)
    {
        return new GatewayContext(ledger, security, new GatewayMetrics(new PrometheusRegistry()),
            CurrencyRegistry.withIsoDefaults().build(), () -> true, () -> null, TransferArchive.NONE);
    }
}
