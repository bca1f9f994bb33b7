package io.walletledger.gateway;

/**
 * Writes metrics in the Prometheus text exposition format, for {@code GET /metrics}.
 */
@FunctionalInterface
public interface MetricsWriter
{
    /**
     * @param out where the lines go: {@code # HELP}, {@code # TYPE} and samples, each line ending in a newline.
     */
    void write(StringBuilder out);
}
