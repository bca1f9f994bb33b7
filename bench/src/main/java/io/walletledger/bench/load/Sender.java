package io.walletledger.bench.load;

import io.walletledger.server.os.RealtimeScheduling;
import io.walletledger.client.Transfer;
import io.walletledger.client.TransferId;
import io.walletledger.client.WalletClient;
import io.walletledger.protocol.sbe.ResultCode;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One connection's share of the load, on its own thread, through the real {@link WalletClient}.
 * <ul>
 *     <li>Closed loop: keeps {@code inFlight} requests outstanding, each sent as soon as a slot frees; latency is
 *     measured from the send.</li>
 *     <li>Open loop: sends a request every {@code interval} on a fixed schedule, whatever the answers do; latency is
 *     measured from the time the request was due, not from when it could be sent, so a stall is charged to
 *     every request it delayed (no coordinated omission).</li>
 * </ul>
 */
final class Sender implements Runnable
{
    private final WalletClient client;
    private final Workload workload;
    private final LoadStats stats;
    private final RecentTransfers recent;
    private final int batch;
    private final int inFlight;
    private final long intervalNanos;
    private final long startNanos;
    private final long endNanos;
    private final boolean recordThreadIds;
    /** Linux thread ids of this sender and of the thread that runs its replies (the client's I/O thread). */
    private volatile int threadId;
    private volatile int replyThreadId;
    private volatile Thread senderThread;
    /** Requests sent and not yet answered: the run ends only when every one is counted. */
    private final AtomicLong outstanding = new AtomicLong();

    /**
     * @param intervalNanos     0 for a closed loop, else the time between requests of this sender (open loop).
     * @param startNanos        when the first open-loop request is due (senders are staggered).
     * @param recordThreadIds   whether to note the Linux thread ids of this sender and of the thread that runs its
     *                          replies, from the first request on ({@link #threadIds()}), for real-time priority.
     */
    Sender(
        final WalletClient client,
        final Workload workload,
        final LoadStats stats,
        final RecentTransfers recent,
        final int batch,
        final int inFlight,
        final long intervalNanos,
        final long startNanos,
        final long endNanos,
        final boolean recordThreadIds)
    {
        this.client = client;
        this.workload = workload;
        this.stats = stats;
        this.recent = recent;
        this.batch = batch;
        this.inFlight = inFlight;
        this.intervalNanos = intervalNanos;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        this.recordThreadIds = recordThreadIds;
    }

    /**
     * @return the Linux thread ids of this sender and of the thread that runs its replies, each 0 until known (the
     *         first request sent and answered).
     */
    int[] threadIds()
    {
        return new int[] {threadId, replyThreadId};
    }

    @Override
    public void run()
    {
        if (recordThreadIds)
        {
            senderThread = Thread.currentThread();
            threadId = RealtimeScheduling.currentThreadId();
        }
        if (intervalNanos == 0)
        {
            closedLoop();
        }
        else
        {
            openLoop();
        }
        // Every request sent is answered (or fails) and counted before the run ends: the slowest ones last.
        while (outstanding.get() > 0)
        {
            LockSupport.parkNanos(1_000_000);
        }
    }

    private void closedLoop()
    {
        final Semaphore slots = new Semaphore(inFlight);
        while (System.nanoTime() < endNanos)
        {
            if (!acquire(slots))
            {
                continue;
            }
            send(workload.batch(batch), System.nanoTime(), slots);
        }
    }

    private void openLoop()
    {
        long due = startNanos;
        while (due < endNanos)
        {
            final long wait = due - System.nanoTime();
            if (wait > 0)
            {
                LockSupport.parkNanos(wait);
                continue;
            }
            send(workload.batch(batch), due, null);
            due += intervalNanos;
        }
    }

    private static boolean acquire(final Semaphore slots)
    {
        try
        {
            return slots.tryAcquire(100, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void send(final List<Transfer> transfers, final long sentNanos, final Semaphore slots)
    {
        outstanding.incrementAndGet();
        try
        {
            client.createTransfers(transfers).whenComplete((results, failure) ->
            {
                try
                {
                    // From the first reply on, in the warm-up: no branch taken anew when the priority changes,
                    // which would send this hot code back to the interpreter at real-time priority. A reply that
                    // came before the callback was registered runs it on the sender's thread: not the one wanted.
                    if (recordThreadIds && replyThreadId == 0 && Thread.currentThread() != senderThread)
                    {
                        replyThreadId = RealtimeScheduling.currentThreadId();
                    }
                    answered(transfers, results, failure, sentNanos);
                }
                finally
                {
                    release(slots);
                }
            });
        }
        catch (final RuntimeException ex)
        {
            stats.countError();
            release(slots);
        }
    }

    private void release(final Semaphore slots)
    {
        outstanding.decrementAndGet();
        if (slots != null)
        {
            slots.release();
        }
    }

    private void answered(
        final List<Transfer> transfers, final List<ResultCode> results, final Throwable failure, final long sentNanos)
    {
        stats.recordLatency(System.nanoTime() - sentNanos);
        if (failure != null || results.size() != transfers.size())
        {
            stats.countError();
        }
        else
        {
            int rejected = 0;
            int unexpected = 0;
            int recordBehind = 0;
            long okAmount = 0;
            TransferId lastOk = null;
            for (int i = 0; i < results.size(); i++)
            {
                final ResultCode result = results.get(i);
                final Transfer transfer = transfers.get(i);
                if (result == ResultCode.OK)
                {
                    lastOk = transfer.id();
                    // What left the payer's posted balance: single-phase transfers and posted holds.
                    if (!transfer.pending() && !transfer.voidPending())
                    {
                        okAmount += transfer.amount();
                    }
                }
                else if (result == ResultCode.EXCEEDS_CREDITS)
                {
                    rejected++; // the insufficient funds the workload asks for
                }
                else if (result == ResultCode.RECORD_BEHIND)
                {
                    recordBehind++; // not applied: the ledger could not check the id yet
                }
                else
                {
                    unexpected++; // EXISTS or any other code: a fresh run never gets one
                }
            }
            stats.countUnexpected(unexpected);
            stats.countRecordBehind(recordBehind);
            stats.addOkAmount(okAmount);
            if (lastOk != null)
            {
                // A sample: one acknowledged transfer per request, checked by lookup at the end.
                recent.add(lastOk);
            }
            stats.countTransfers(results.size(), rejected);
        }
    }
}
