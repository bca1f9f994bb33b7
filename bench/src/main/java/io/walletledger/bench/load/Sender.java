package io.walletledger.bench.load;

import io.walletledger.client.Transfer;
import io.walletledger.client.TransferId;
import io.walletledger.client.WalletClient;
import io.walletledger.protocol.sbe.ResultCode;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
    private final long endNanos;

    /**
     * @param intervalNanos 0 for a closed loop, else the time between requests of this sender (open loop).
     */
    Sender(
        final WalletClient client,
        final Workload workload,
        final LoadStats stats,
        final RecentTransfers recent,
        final int batch,
        final int inFlight,
        final long intervalNanos,
        final long endNanos)
    {
        this.client = client;
        this.workload = workload;
        this.stats = stats;
        this.recent = recent;
        this.batch = batch;
        this.inFlight = inFlight;
        this.intervalNanos = intervalNanos;
        this.endNanos = endNanos;
    }

    @Override
    public void run()
    {
        if (intervalNanos == 0)
        {
            closedLoop();
        }
        else
        {
            openLoop();
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
        slots.acquireUninterruptibly(inFlight); // every request answered
    }

    private void openLoop()
    {
        long due = System.nanoTime();
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

    private void send(final List<Transfer> transfers, final long startNanos, final Semaphore slots)
    {
        client.createTransfers(transfers).whenComplete((results, failure) ->
        {
            stats.recordLatency(System.nanoTime() - startNanos);
            if (failure != null)
            {
                stats.countError();
            }
            else
            {
                int rejected = 0;
                TransferId lastOk = null;
                for (int i = 0; i < results.size(); i++)
                {
                    final ResultCode result = results.get(i);
                    if (result == ResultCode.OK)
                    {
                        lastOk = transfers.get(i).id();
                    }
                    else if (result != ResultCode.EXISTS)
                    {
                        rejected++;
                    }
                }
                if (lastOk != null)
                {
                    // A sample: one acknowledged transfer per request, checked by lookup at the end.
                    recent.add(lastOk);
                }
                stats.countTransfers(results.size(), rejected);
            }
            if (slots != null)
            {
                slots.release();
            }
        });
    }
}
