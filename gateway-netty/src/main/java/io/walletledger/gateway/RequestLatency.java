package io.walletledger.gateway;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;

/**
 * Time from a gateway handing a request to the ledger to the ledger's reply, per protocol, in an HdrHistogram
 * {@link Recorder} (wait-free for the recording threads). {@link #write} reports the percentiles of the whole
 * run so far.
 */
public final class RequestLatency implements MetricsWriter
{
    private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final double[] QUANTILES = { 0.5, 0.9, 0.99, 0.999, 1.0 };

    private final Recorder binary = new Recorder(HIGHEST_NANOS, 3);
    private final Recorder http = new Recorder(HIGHEST_NANOS, 3);
    private final Histogram binaryTotal = new Histogram(HIGHEST_NANOS, 3);
    private final Histogram httpTotal = new Histogram(HIGHEST_NANOS, 3);

    public void recordBinary(final long nanos)
    {
        binary.recordValue(Math.min(nanos, HIGHEST_NANOS));
    }

    public void recordHttp(final long nanos)
    {
        http.recordValue(Math.min(nanos, HIGHEST_NANOS));
    }

    @Override
    public synchronized void write(final StringBuilder out)
    {
        binaryTotal.add(binary.getIntervalHistogram());
        httpTotal.add(http.getIntervalHistogram());
        out.append("# HELP wallet_request_latency_seconds Time from handing a request to the ledger to its reply.\n");
        out.append("# TYPE wallet_request_latency_seconds summary\n");
        write(out, "binary", binaryTotal);
        write(out, "http", httpTotal);
    }

    private static void write(final StringBuilder out, final String protocol, final Histogram histogram)
    {
        for (final double quantile : QUANTILES)
        {
            out.append("wallet_request_latency_seconds{protocol=\"").append(protocol).append("\",quantile=\"")
                .append(quantile).append("\"} ")
                .append(histogram.getValueAtPercentile(quantile * 100.0) / 1e9).append('\n');
        }
        out.append("wallet_request_latency_seconds_count{protocol=\"").append(protocol).append("\"} ")
            .append(histogram.getTotalCount()).append('\n');
    }
}
