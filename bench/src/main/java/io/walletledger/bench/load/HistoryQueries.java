package io.walletledger.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * History queries beside the transfers: {@code GET /v1/accounts/{id}/transfers?limit=20} of a random wallet, at a
 * fixed rate (open loop), over HTTP. Latency counts from the time a query was due, so a stall is charged to every
 * query it delays; only queries due after the warm-up are measured. Answers other than 200 (a 503 while the record
 * catches up) are counted apart.
 */
final class HistoryQueries implements Runnable
{
    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    /** What the first query not answered 200 got, for the summary. */
    private volatile String firstFailure;
    private final String base;
    private final int accounts;
    private final long intervalNanos;
    private final long measureFrom;
    private final long end;
    private final SplittableRandom random;
    private final Recorder latency = new Recorder(HIGHEST_MICROS, 3);
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong notOk = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();

    /**
     * @param base       the server's HTTP address, {@code http://host:port}.
     * @param accounts   wallets, with ids 2 .. accounts + 1.
     * @param perSecond  queries per second.
     * @param start      when the run started ({@link System#nanoTime()}).
     * @param warmupEnd  queries due before this are not measured.
     * @param end        no query is due after this.
     */
    HistoryQueries(final String base, final int accounts, final int perSecond, final long start, final long warmupEnd,
        final long end, final long seed)
    {
        this.base = base;
        this.accounts = accounts;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.measureFrom = warmupEnd;
        this.end = end;
        this.random = new SplittableRandom(seed);
        this.nextDue = start;
    }

    private long nextDue;

    @Override
    public void run()
    {
        while (nextDue <= end)
        {
            final long due = nextDue;
            nextDue += intervalNanos;
            final long wait = due - System.nanoTime();
            if (wait > 0)
            {
                try
                {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            final long wallet = 2 + random.nextInt(accounts);
            inFlight.incrementAndGet();
            http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/accounts/" + wallet + "/transfers?limit=20"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, failure) ->
                {
                    if (due >= measureFrom)
                    {
                        latency.recordValue(Math.min(HIGHEST_MICROS,
                            TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - due)));
                        answered.incrementAndGet();
                        if (failure != null || response.statusCode() != 200)
                        {
                            notOk.incrementAndGet();
                            if (firstFailure == null)
                            {
                                firstFailure = failure != null ? failure.toString() : "HTTP " + response.statusCode();
                            }
                        }
                    }
                    inFlight.decrementAndGet();
                });
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight.get() > 0 && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /**
     * @return one line: how many measured queries, their latency percentiles, and how many were not answered 200.
     */
    String summary(final int perSecond)
    {
        final Histogram measured = latency.getIntervalHistogram();
        return String.format("history queries: %d measured at %d/s (GET /v1/accounts/{id}/transfers?limit=20 over " +
                "HTTP, open loop), latency p50 %d us, p99 %d us, p99.9 %d us, max %d us; %d not answered 200%s",
            answered.get(), perSecond, measured.getValueAtPercentile(50), measured.getValueAtPercentile(99),
            measured.getValueAtPercentile(99.9), measured.getMaxValue(), notOk.get(),
            firstFailure == null ? "" : " (the first: " + firstFailure + ")");
    }
}
