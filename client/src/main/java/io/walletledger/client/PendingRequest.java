package io.walletledger.client;

import io.netty.util.concurrent.ScheduledFuture;
import io.walletledger.protocol.RequestType;

import java.util.concurrent.CompletableFuture;

/**
 * One request on its way through the client: its encoded frame, the future its caller holds, and where it is.
 * Every field but the final ones belongs to the client's event loop.
 *
 * @param <T> what the response turns into.
 */
final class PendingRequest<T>
{
    /**
     * Where a request is. A request ends {@code DONE} exactly once: answered, refused, timed out or failed.
     */
    enum State
    {
        /** Created, not yet seen by the event loop. */
        NEW,
        /** Waiting in the client for the connection or for a free in-flight slot. */
        QUEUED,
        /** Written to the connection, waiting for its response. */
        IN_FLIGHT,
        /** Answered BUSY; waiting for its next attempt. */
        BUSY_WAIT,
        DONE
    }

    /**
     * Turns the response (already wrapped by the adapter, of the expected template) into the result.
     *
     * @param <T> the result.
     */
    @FunctionalInterface
    interface ResponseReader<T>
    {
        T read(ResponseAdapter response);
    }

    final String name;
    final long correlationId;
    final int responseTemplateId;
    final byte[] frame;
    final long deadlineNanos;
    final ResponseReader<T> reader;
    final CompletableFuture<T> future = new CompletableFuture<>();
    State state = State.NEW;
    int busyRetries;
    ScheduledFuture<?> timeout;
    ScheduledFuture<?> busyRetry;

    /**
     * @param type               the request type: its name for messages, its response template.
     * @param correlationId      the id written into {@code frame}.
     * @param frame              the whole frame, length field included.
     * @param deadlineNanos      {@link System#nanoTime()} by which the request must be answered.
     * @param reader             turns the response into the result.
     */
    PendingRequest(
        final RequestType type,
        final long correlationId,
        final byte[] frame,
        final long deadlineNanos,
        final ResponseReader<T> reader)
    {
        this.name = type.messageName();
        this.correlationId = correlationId;
        this.responseTemplateId = type.responseTemplateId();
        this.frame = frame;
        this.deadlineNanos = deadlineNanos;
        this.reader = reader;
    }

    /**
     * Reads the response and completes the future with it; the adapter may throw for a response that does not
     * hold together, and then nothing is completed.
     */
    void succeed(final ResponseAdapter response)
    {
        final T result = reader.read(response);
        finish();
        future.complete(result);
    }

    void fail(final Throwable cause)
    {
        finish();
        future.completeExceptionally(cause);
    }

    private void finish()
    {
        state = State.DONE;
        if (timeout != null)
        {
            timeout.cancel(false);
        }
        if (busyRetry != null)
        {
            busyRetry.cancel(false);
        }
    }

    @Override
    public String toString()
    {
        return name + " request " + correlationId;
    }
}
