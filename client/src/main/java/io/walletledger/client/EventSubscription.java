package io.walletledger.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running subscription to the change stream ({@link WalletEventStream#subscribe}): a thread that reads the server's
 * Server-Sent Events and hands each event to the listener, in order. When the connection drops or the server
 * restarts, it connects again after a pause (1 s, doubling up to 30 s while the server stays away) and resumes after
 * the last event it delivered ({@code Last-Event-ID}): the listener gets every event once, in order, across
 * reconnections. It stops on {@link #close()}, when the listener throws, or when the server refuses it for good (a
 * key without the role, a bad filter, a server without a record): then {@link #failure()} says why.
 */
public final class EventSubscription implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(EventSubscription.class);
    private static final Pattern TYPE = Pattern.compile("\"type\":\"([a-z_]+)\"");
    private static final Duration PAUSE_MIN = Duration.ofSeconds(1);
    private static final Duration PAUSE_MAX = Duration.ofSeconds(30);

    private final HttpClient http;
    private final WalletEventStream stream;
    private final ChangeEventListener listener;
    private final Thread thread;
    private volatile long position;
    private volatile boolean closed;
    private volatile Throwable failure;
    private volatile InputStream body;

    EventSubscription(final HttpClient http, final WalletEventStream stream, final long after,
        final ChangeEventListener listener)
    {
        this.http = http;
        this.stream = stream;
        this.listener = listener;
        this.position = after;
        this.thread = new Thread(this::run, "wallet-event-subscription");
        thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    /**
     * @return the position of the last event the listener took (the subscription's {@code after} until the first):
     * where a new subscription resumes.
     */
    public long position()
    {
        return position;
    }

    /**
     * @return why the subscription stopped on its own, or null while it runs (and after {@link #close()}).
     */
    public Throwable failure()
    {
        return failure;
    }

    /**
     * @return whether it still delivers events.
     */
    public boolean isRunning()
    {
        return thread.isAlive();
    }

    private void run()
    {
        Duration pause = PAUSE_MIN;
        while (!closed)
        {
            final long before = position;
            try
            {
                read();
            }
            catch (final RefusedException ex)
            {
                failure = ex;
                LOG.warn("the change stream subscription stops: {}", ex.getMessage());
                return;
            }
            catch (final ListenerException ex)
            {
                failure = ex.getCause();
                LOG.warn("the change stream subscription stops: the listener threw at position {}", position,
                    ex.getCause());
                return;
            }
            catch (final IOException ex)
            {
                if (!closed)
                {
                    LOG.info("the change stream connection ended ({}); resuming after position {} in {} ms",
                        ex.toString(), position, pause.toMillis());
                }
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            if (closed)
            {
                return;
            }
            pause = position != before ? PAUSE_MIN : pause.multipliedBy(2).compareTo(PAUSE_MAX) > 0 ? PAUSE_MAX :
                pause.multipliedBy(2);
            try
            {
                TimeUnit.MILLISECONDS.sleep(pause.toMillis());
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    /**
     * Reads the stream from after {@link #position} until the connection ends.
     */
    private void read() throws IOException, InterruptedException
    {
        final HttpRequest request = stream.request(position);
        final HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        body = response.body();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)))
        {
            final int status = response.statusCode();
            if (status != 200)
            {
                final String text = readAll(lines);
                if (status == 503 || status == 429 || status >= 500)
                {
                    throw new IOException("the server answered " + status + ": " + text);
                }
                throw new RefusedException("the server refused the subscription: " + status + " " + text);
            }
            long id = -1;
            String data = null;
            for (String line = lines.readLine(); line != null && !closed; line = lines.readLine())
            {
                if (line.isEmpty())
                {
                    if (data != null && id > position)
                    {
                        deliver(id, data);
                    }
                    id = -1;
                    data = null;
                }
                else if (line.startsWith("id:"))
                {
                    id = Long.parseLong(line.substring(3).trim());
                }
                else if (line.startsWith("data:"))
                {
                    data = line.substring(line.charAt(5) == ' ' ? 6 : 5);
                }
            }
            throw new IOException("the server ended the stream");
        }
        finally
        {
            body = null;
        }
    }

    private void deliver(final long id, final String data)
    {
        final Matcher type = TYPE.matcher(data);
        try
        {
            listener.onEvent(new ChangeEvent(id, type.find() ? type.group(1) : "", data));
        }
        catch (final Exception ex)
        {
            throw new ListenerException(ex);
        }
        position = id;
    }

    private static String readAll(final BufferedReader lines) throws IOException
    {
        final StringBuilder text = new StringBuilder();
        for (String line = lines.readLine(); line != null && text.length() < 4096; line = lines.readLine())
        {
            text.append(line);
        }
        return text.toString();
    }

    /**
     * Stops the subscription and waits for its thread: no event is delivered after this returns.
     */
    @Override
    public void close()
    {
        closed = true;
        final InputStream open = body;
        if (open != null)
        {
            try
            {
                open.close();
            }
            catch (final IOException ignored)
            {
                // Closing to stop the read: nothing more to do.
            }
        }
        thread.interrupt();
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** The server said no, and would again. */
    private static final class RefusedException extends IOException
    {
        RefusedException(final String message)
        {
            super(message);
        }
    }

    /** The listener threw: the subscription stops there. */
    private static final class ListenerException extends RuntimeException
    {
        ListenerException(final Throwable cause)
        {
            super(cause);
        }
    }
}
