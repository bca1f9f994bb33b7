package io.walletledger.bench.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A consumer of the change stream beside the transfers, as a downstream system would read it: long polls of
 * {@code GET /v1/events} in pages of {@link #PAGE}, each page read as it streams in (Jackson's streaming parser), from
 * the end of the stream when the run starts. It counts the events it receives in the measured window and their delay:
 * the wall-clock time of arrival minus the event's engine timestamp (the time the ledger journaled its command,
 * just before it acknowledged it), so the delay is from acknowledgement to the consumer, within the clocks' agreement
 * (the same machine here).
 */
final class EventConsumer implements Runnable
{
    static final int PAGE = 1000;
    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(120);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonFactory json = new JsonFactory();
    private final String base;
    private final long measureFrom;
    private final long end;
    private final Histogram delay = new Histogram(HIGHEST_MICROS, 3);
    private volatile boolean stopped;
    /** Long polls that found nothing after the consumer's position: it had every event there was. */
    private volatile long emptyPages;
    private long events;
    private long measuredEvents;
    private long firstMeasuredNanos;
    private long lastMeasuredNanos;
    private long after;
    private String failure;

    /**
     * @param base      the server's HTTP address, {@code http://host:port}.
     * @param warmupEnd events that arrive before this are not measured.
     * @param end       the end of the measured window ({@link System#nanoTime()}).
     */
    EventConsumer(final String base, final long warmupEnd, final long end)
    {
        this.base = base;
        this.measureFrom = warmupEnd;
        this.end = end;
    }

    /**
     * Starts at the end of the stream as it is now, so that only the run's events are read.
     */
    void startAtTheEnd() throws IOException, InterruptedException
    {
        long position = 0;
        while (true)
        {
            final long last = page(position, 0, false);
            if (last == position)
            {
                after = position;
                return;
            }
            position = last;
        }
    }

    @Override
    public void run()
    {
        try
        {
            while (!stopped)
            {
                final long next = page(after, 1, true);
                if (next == after)
                {
                    emptyPages++;
                }
                after = next;
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            failure = ex.toString();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Once no more events come (the run is over and the record has caught up), reads on until the consumer has the
     * last of them (a long poll that finds nothing more), or a minute has passed, then stops.
     *
     * @return the nanoseconds it took, or -1 if it did not get there.
     */
    long finish(final Thread thread) throws InterruptedException
    {
        final long start = System.nanoTime();
        final long deadline = start + TimeUnit.MINUTES.toNanos(1);
        final long emptyBefore = emptyPages;
        while (emptyPages == emptyBefore && System.nanoTime() < deadline && thread.isAlive())
        {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        final long took = emptyPages != emptyBefore ? System.nanoTime() - start : -1;
        stopped = true;
        thread.join(TimeUnit.SECONDS.toMillis(5));
        return took;
    }

    /**
     * Reads one page.
     *
     * @return its {@code next_after}.
     */
    private long page(final long from, final int waitSeconds, final boolean count)
        throws IOException, InterruptedException
    {
        final HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(base +
            "/v1/events?limit=" + PAGE + "&wait=" + waitSeconds + "&after=" + from)).timeout(Duration.ofSeconds(90))
            .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body(); JsonParser parser = json.createParser(body))
        {
            if (response.statusCode() != 200)
            {
                throw new IOException("GET /v1/events answered " + response.statusCode() + ": " +
                    new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
            long next = from;
            int depth = 0;
            while (parser.nextToken() != null)
            {
                final JsonToken token = parser.currentToken();
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)
                {
                    depth++;
                }
                else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY)
                {
                    depth--;
                }
                else if (token == JsonToken.FIELD_NAME && depth == 3 && count &&
                    parser.currentName().equals("timestamp_ns"))
                {
                    parser.nextToken();
                    arrived(Long.parseLong(parser.getText()));
                }
                else if (token == JsonToken.FIELD_NAME && depth == 1 && parser.currentName().equals("next_after"))
                {
                    parser.nextToken();
                    next = parser.getLongValue();
                }
            }
            return next;
        }
    }

    private void arrived(final long engineNanos)
    {
        events++;
        final long now = System.nanoTime();
        if (now < measureFrom || now > end)
        {
            return;
        }
        if (measuredEvents++ == 0)
        {
            firstMeasuredNanos = now;
        }
        lastMeasuredNanos = now;
        final Instant wall = Instant.now();
        final long wallNanos = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
        delay.recordValue(Math.max(0, Math.min(HIGHEST_MICROS, (wallNanos - engineNanos) / 1_000)));
    }

    /**
     * @return one line: events received in the measured window, their rate and their delay.
     */
    String summary(final long catchUpNanos)
    {
        final double seconds = (lastMeasuredNanos - firstMeasuredNanos) / 1e9;
        return String.format("change stream: %d events received in the measured window by one HTTP consumer (long " +
                "polls of %d), %d/s; delay from the event's engine timestamp p50 %d us, p99 %d us, max %d us; %s%s",
            measuredEvents, PAGE, seconds > 0 ? (long)(measuredEvents / seconds) : 0,
            delay.getValueAtPercentile(50), delay.getValueAtPercentile(99), delay.getMaxValue(),
            catchUpNanos >= 0 ? "caught up with the stream " + TimeUnit.NANOSECONDS.toMillis(catchUpNanos) +
                " ms after the run" : "NOT caught up a minute after the run",
            failure == null ? "" : "; it failed: " + failure);
    }

    /**
     * @return the events it received in the whole run.
     */
    long events()
    {
        return events;
    }
}
