package io.walletledger.client;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.walletledger.protocol.RequestType;
import io.walletledger.protocol.sbe.ResultCode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Coalesces single transfers from any number of threads into shared {@code CreateTransfers} requests and hands each
 * caller its own result. The ledger's cost is per request far more than per transfer, so under load this turns many
 * small round trips into few full ones, without the caller having to batch.
 * <p>
 * When a batch leaves: with no linger (the default) at once if no batch of single transfers is in flight, otherwise
 * when the one in flight is answered, so whatever arrived meanwhile travels together; with a linger, that long after
 * the first transfer of a batch arrived. A batch that reaches {@code batchEventsMax} leaves at once either way.
 * <p>
 * Callers hand transfers over through a lock-free queue; the event loop is woken once per burst, not per transfer.
 * Everything else belongs to the event loop.
 */
final class TransferBatcher
{

    private final RequestDispatcher dispatcher;
    private final EventLoop loop;
    private final int batchEventsMax;
    private final long lingerNanos;
    private final long timeoutNanos;
    private final Queue<Single> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drainIncoming;
    private final Runnable lingerTask = this::onLingerElapsed;
    private final ArrayDeque<Single> waiting = new ArrayDeque<>();
    private int batchesInFlight;
    private ScheduledFuture<?> lingerTimer;
    private boolean closed;

    TransferBatcher(final RequestDispatcher dispatcher, final WalletClientOptions options)
    {
        this.dispatcher = dispatcher;
        this.loop = dispatcher.loop();
        this.batchEventsMax = options.batchEventsMax();
        this.lingerNanos = options.batchLinger().toNanos();
        this.timeoutNanos = options.requestTimeout().toNanos();
    }

    /**
     * Thread-safe.
     *
     * @param transfer not linked (the caller checked).
     * @return completes with the transfer's own result.
     */
    CompletableFuture<ResultCode> add(final Transfer transfer)
    {
        final Single single = new Single(transfer, System.nanoTime() + timeoutNanos);
        incoming.offer(single);
        if (drainScheduled.compareAndSet(false, true))
        {
            try
            {
                loop.execute(drainTask);
            }
            catch (final RejectedExecutionException ex)
            {
                // The client is closed and its event loop stopped: nobody else will drain.
                for (Single s = incoming.poll(); s != null; s = incoming.poll())
                {
                    s.future.completeExceptionally(RequestDispatcher.closedException());
                }
            }
        }
        return single.future;
    }

    private void drainIncoming()
    {
        drainScheduled.set(false);
        for (Single single = incoming.poll(); single != null; single = incoming.poll())
        {
            if (closed)
            {
                single.future.completeExceptionally(RequestDispatcher.closedException());
            }
            else
            {
                waiting.add(single);
            }
        }
        flushIfDue();
    }

    private void flushIfDue()
    {
        if (closed)
        {
            return;
        }
        while (waiting.size() >= batchEventsMax)
        {
            flushOne();
        }
        if (waiting.isEmpty())
        {
            return;
        }
        if (lingerNanos == 0)
        {
            if (batchesInFlight == 0)
            {
                flushOne();
            }
        }
        else if (lingerTimer == null)
        {
            lingerTimer = loop.schedule(lingerTask, lingerNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void onLingerElapsed()
    {
        lingerTimer = null;
        while (!waiting.isEmpty() && !closed)
        {
            flushOne();
        }
    }

    /**
     * Sends up to {@code batchEventsMax} waiting transfers as one request; those already past their deadline fail.
     */
    private void flushOne()
    {
        final long now = System.nanoTime();
        final List<Single> batch = new ArrayList<>(Math.min(waiting.size(), batchEventsMax));
        while (batch.size() < batchEventsMax && !waiting.isEmpty())
        {
            final Single single = waiting.poll();
            if (single.deadlineNanos - now <= 0)
            {
                single.future.completeExceptionally(new WalletTimeoutException(
                    "a single transfer waited longer than the request timeout for its batch; it was not sent"));
            }
            else
            {
                batch.add(single);
            }
        }
        if (batch.isEmpty())
        {
            return;
        }
        final List<Transfer> transfers = new ArrayList<>(batch.size());
        for (final Single single : batch)
        {
            transfers.add(single.transfer);
        }
        final int events = transfers.size();
        final long correlationId = dispatcher.nextCorrelationId();
        // The oldest transfer leads the batch, so no caller waits past its own deadline.
        final PendingRequest<List<ResultCode>> request = new PendingRequest<>(RequestType.CREATE_TRANSFERS,
            correlationId, RequestEncoder.createTransfers(correlationId, transfers, 0, events),
            batch.get(0).deadlineNanos, response -> response.createResults(events));
        batchesInFlight++;
        request.future.whenComplete((results, failure) -> onBatchDone(batch, results, failure));
        dispatcher.submit(request);
    }

    private void onBatchDone(final List<Single> batch, final List<ResultCode> results, final Throwable failure)
    {
        batchesInFlight--;
        for (int i = 0; i < batch.size(); i++)
        {
            final CompletableFuture<ResultCode> future = batch.get(i).future;
            if (failure != null)
            {
                future.completeExceptionally(failure);
            }
            else
            {
                future.complete(results.get(i));
            }
        }
        flushIfDue();
    }

    /**
     * Fails every transfer not yet sent; batches in flight fail with the dispatcher's requests. On the event loop.
     */
    void closeOnLoop()
    {
        closed = true;
        if (lingerTimer != null)
        {
            lingerTimer.cancel(false);
            lingerTimer = null;
        }
        for (Single single = waiting.poll(); single != null; single = waiting.poll())
        {
            single.future.completeExceptionally(RequestDispatcher.closedException());
        }
        for (Single single = incoming.poll(); single != null; single = incoming.poll())
        {
            single.future.completeExceptionally(RequestDispatcher.closedException());
        }
    }

    /**
     * One caller's transfer and its future.
     */
    private static final class Single
    {
        final Transfer transfer;
        final long deadlineNanos;
        final CompletableFuture<ResultCode> future = new CompletableFuture<>();

        Single(final Transfer transfer, final long deadlineNanos)
        {
            this.transfer = transfer;
            this.deadlineNanos = deadlineNanos;
        }
    }
}
