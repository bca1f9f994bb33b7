package io.walletledger.bench.load;

import io.walletledger.client.HistoryPage;
import io.walletledger.client.HistoryQuery;
import io.walletledger.client.WalletClient;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * History queries beside the transfers: the newest 20 entries of a random wallet's history, at a fixed rate (open
 * loop), over the binary protocol ({@code LookupAccountHistory}, through the Java client) or over HTTP
 * ({@code GET /v1/accounts/{id}/transfers?limit=20}). Latency counts from the time a query was due, so a stall is
 * charged to every query it delays; only queries due after the warm-up are measured. Failed answers (a
 * {@code RECORD_BEHIND} or a 503 while the record catches up) are counted apart.
 */
final class HistoryQueries implements Runnable
{
    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(60);
    private static final int PAGE = 20;

    /**
     * Sends one query.
     */
    @FunctionalInterface
    interface Query
    {
        /**
         * @return completes with null if the query was answered, else with what went wrong.
         */
        CompletableFuture<String> send(long wallet);
    }

    /**
     * @return queries over the binary protocol, on the client's connection.
     */
    static Query binary(final WalletClient client)
    {
        return wallet -> client.lookupAccountHistory(HistoryQuery.of(wallet).withPageSize(PAGE), HistoryPage.FIRST)
            .handle((page, failure) -> failure == null ? null : failure.toString());
    }

    /**
     * @param base the server's HTTP address, {@code http://host:port}.
     * @return queries over HTTP/1.1.
     */
    static Query http(final String base)
    {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
        return wallet -> http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/accounts/" + wallet +
                "/transfers?limit=" + PAGE)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.discarding())
            .handle((response, failure) -> failure != null ? failure.toString() :
                response.statusCode() == 200 ? null : "HTTP " + response.statusCode());
    }

    /** What the first query not answered got, for the summary. */
    private volatile String firstFailure;
    private final Query query;
    private final String over;
    private final int accounts;
    private final long intervalNanos;
    private final long measureFrom;
    private final long end;
    private final SplittableRandom random;
    private final Recorder latency = new Recorder(HIGHEST_MICROS, 3);
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();

    /**
     * @param query      how a query is sent.
     * @param over       what it is sent over, for the summary.
     * @param accounts   wallets, with ids 2 .. accounts + 1.
     * @param perSecond  queries per second.
     * @param start      when the run started ({@link System#nanoTime()}).
     * @param warmupEnd  queries due before this are not measured.
     * @param end        no query is due after this.
     */
    HistoryQueries(final Query query, final String over, final int accounts, final int perSecond, final long start,
        final long warmupEnd, final long end, final long seed)
    {
        this.query = query;
        this.over = over;
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
            query.send(wallet).whenComplete((failure, thrown) ->
            {
                if (due >= measureFrom)
                {
                    latency.recordValue(Math.min(HIGHEST_MICROS,
                        TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - due)));
                    answered.incrementAndGet();
                    final String problem = thrown != null ? thrown.toString() : failure;
                    if (problem != null)
                    {
                        failed.incrementAndGet();
                        if (firstFailure == null)
                        {
                            firstFailure = problem;
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
     * @return one line: how many measured queries, their latency percentiles, and how many failed.
     */
    String summary(final int perSecond)
    {
        final Histogram measured = latency.getIntervalHistogram();
        return String.format("history queries: %d measured at %d/s (the newest %d entries of a wallet over %s, open " +
                "loop), latency p50 %d us, p99 %d us, p99.9 %d us, max %d us; %d failed%s",
            answered.get(), perSecond, PAGE, over, measured.getValueAtPercentile(50),
            measured.getValueAtPercentile(99), measured.getValueAtPercentile(99.9), measured.getMaxValue(),
            failed.get(),
            firstFailure == null ? "" : " (the first: " + firstFailure + ")");
    }
}
