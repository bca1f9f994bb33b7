package io.walletledger.bench.load;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A consumer of the change stream beside the transfers, as a downstream system would read it: long polls of
 * {@code GET /v1/events} in pages of {@link #PAGE}, from the end of the stream when the run starts. It counts the events it receives in the measured window and their delay:
 * the wall-clock time of arrival minus the event's engine timestamp (the time the ledger journaled its command,
 * just before it acknowledged it), so the delay is from acknowledgement to the consumer, within the clocks' agreement
 * (the same machine here).
 */
final class EventConsumer implements Runnable
{
    static final int PAGE = 1000;
    private static final byte[] EVENT = "{\"version\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIMESTAMP = "\"timestamp_ns\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEXT_AFTER = "\"next_after\":".getBytes(StandardCharsets.US_ASCII);
    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(120);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
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
    /** Events read after the run, until the consumer had them all. */
    private long catchUpEvents;

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
        final long eventsBefore = events;
        while (emptyPages == emptyBefore && System.nanoTime() < deadline && thread.isAlive())
        {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        final long took = emptyPages != emptyBefore ? System.nanoTime() - start : -1;
        catchUpEvents = events - eventsBefore;
        stopped = true;
        thread.join(TimeUnit.SECONDS.toMillis(5));
        return took;
    }

    /**
     * Reads one page. Each event's own {@code timestamp_ns} is the first after its {@code {"version":}, and the
     * page's {@code next_after} is its last field: found by a scan of the bytes, so that the consumer costs far less
     * than the server's writing of the page, and what is measured is the server.
     *
     * @return its {@code next_after}.
     */
    private long page(final long from, final int waitSeconds, final boolean count)
        throws IOException, InterruptedException
    {
        final HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(base +
            "/v1/events?limit=" + PAGE + "&wait=" + waitSeconds + "&after=" + from)).timeout(Duration.ofSeconds(90))
            .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        final byte[] body = response.body();
        if (response.statusCode() != 200)
        {
            throw new IOException("GET /v1/events answered " + response.statusCode() + ": " +
                new String(body, StandardCharsets.UTF_8));
        }
        if (count)
        {
            for (int at = indexOf(body, EVENT, 0); at >= 0; at = indexOf(body, EVENT, at + EVENT.length))
            {
                final int timestamp = indexOf(body, TIMESTAMP, at) + TIMESTAMP.length;
                arrived(digits(body, timestamp));
            }
        }
        final int next = lastIndexOf(body, NEXT_AFTER) + NEXT_AFTER.length;
        return digits(body, next);
    }

    private static long digits(final byte[] bytes, final int from)
    {
        long value = 0;
        for (int i = from; i < bytes.length && bytes[i] >= '0' && bytes[i] <= '9'; i++)
        {
            value = value * 10 + (bytes[i] - '0');
        }
        return value;
    }

    private static int indexOf(final byte[] bytes, final byte[] pattern, final int from)
    {
        outer:
        for (int i = from; i <= bytes.length - pattern.length; i++)
        {
            for (int j = 0; j < pattern.length; j++)
            {
                if (bytes[i + j] != pattern[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int lastIndexOf(final byte[] bytes, final byte[] pattern)
    {
        outer:
        for (int i = bytes.length - pattern.length; i >= 0; i--)
        {
            for (int j = 0; j < pattern.length; j++)
            {
                if (bytes[i + j] != pattern[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("no next_after in a page of the change stream");
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
                " ms after the run, reading " + catchUpEvents + " events meanwhile (" + (catchUpNanos > 0 ?
                catchUpEvents * 1_000_000_000L / catchUpNanos : 0) + "/s)" :
                "NOT caught up a minute after the run (" + catchUpEvents + " events read meanwhile)",
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
