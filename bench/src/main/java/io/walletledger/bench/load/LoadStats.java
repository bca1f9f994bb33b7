package io.walletledger.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the load generator measures: request latencies in an HdrHistogram {@link Recorder} (wait-free for the
 * threads completing requests), transfers acknowledged, business rejections and errors. {@link #tick} closes one
 * second: it returns that second's figures and, once warm-up is over, adds them to the run's totals.
 */
final class LoadStats
{
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(5);

    private final Recorder latency = new Recorder(HIGHEST_MICROS, 3);
    private final AtomicLong transfers = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong unexpected = new AtomicLong();
    private final AtomicLong recordBehind = new AtomicLong();
    private final AtomicLong okAmount = new AtomicLong();
    private final Histogram total = new Histogram(HIGHEST_MICROS, 3);
    private final List<Second> seconds = new ArrayList<>();
    private long lastTransfers;
    private long lastRejected;
    private long lastErrors;
    private long measuredTransfers;
    private long measuredRejected;
    private long measuredErrors;
    private double measuredSeconds;
    private Histogram interval;

    /**
     * One second of the run.
     */
    record Second(int second, boolean warmup, long transfers, long rejected, long errors, long p50Micros,
        long p99Micros, long maxMicros)
    {
    }

    void recordLatency(final long nanos)
    {
        latency.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos))));
    }

    void countTransfers(final int acknowledged, final int rejectedInBatch)
    {
        transfers.addAndGet(acknowledged);
        rejected.addAndGet(rejectedInBatch);
    }

    void countError()
    {
        errors.incrementAndGet();
    }

    /**
     * Results a fresh run never gets (EXISTS, or a rejection other than insufficient funds): they fail the run.
     */
    void countUnexpected(final int count)
    {
        if (count != 0)
        {
            unexpected.addAndGet(count);
        }
    }

    /**
     * Transfers refused {@code RECORD_BEHIND}: their ids were older than the window holds and the record had not
     * reached them yet (random ids while the record falls behind); nothing was applied.
     */
    void countRecordBehind(final int count)
    {
        if (count != 0)
        {
            recordBehind.addAndGet(count);
        }
    }

    long recordBehind()
    {
        return recordBehind.get();
    }

    /**
     * Amounts that left payers' posted balances through acknowledged transfers (single-phase and posted holds).
     */
    void addOkAmount(final long amount)
    {
        okAmount.addAndGet(amount);
    }

    /**
     * @return transport and protocol errors of the whole run, warm-up included.
     */
    long errors()
    {
        return errors.get();
    }

    long unexpected()
    {
        return unexpected.get();
    }

    long okAmount()
    {
        return okAmount.get();
    }

    long rejectedTotal()
    {
        return rejected.get();
    }

    long transfersTotal()
    {
        return transfers.get();
    }

    /**
     * Closes a period of the run (normally a second).
     */
    synchronized Second tick(final int second, final boolean warmup, final double periodSeconds)
    {
        interval = latency.getIntervalHistogram(interval);
        final long transfersNow = transfers.get();
        final long rejectedNow = rejected.get();
        final long errorsNow = errors.get();
        final Second figures = new Second(second, warmup,
            Math.round((transfersNow - lastTransfers) / periodSeconds), rejectedNow - lastRejected,
            errorsNow - lastErrors, interval.getValueAtPercentile(50), interval.getValueAtPercentile(99),
            interval.getMaxValue());
        if (!warmup)
        {
            total.add(interval);
            measuredTransfers += transfersNow - lastTransfers;
            measuredRejected += rejectedNow - lastRejected;
            measuredErrors += errorsNow - lastErrors;
            measuredSeconds += periodSeconds;
        }
        lastTransfers = transfersNow;
        lastRejected = rejectedNow;
        lastErrors = errorsNow;
        seconds.add(figures);
        return figures;
    }

    synchronized Histogram total()
    {
        return total;
    }

    synchronized List<Second> seconds()
    {
        return List.copyOf(seconds);
    }

    synchronized long transfersPerSecond()
    {
        return measuredSeconds == 0 ? 0 : Math.round(measuredTransfers / measuredSeconds);
    }

    synchronized long measuredTransfers()
    {
        return measuredTransfers;
    }

    synchronized long measuredRejected()
    {
        return measuredRejected;
    }

    synchronized long measuredErrors()
    {
        return measuredErrors;
    }

    synchronized double measuredSeconds()
    {
        return measuredSeconds;
    }
}
