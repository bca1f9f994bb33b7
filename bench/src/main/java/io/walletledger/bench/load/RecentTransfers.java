package io.walletledger.bench.load;

import io.walletledger.client.TransferId;

import java.util.ArrayList;
import java.util.List;

/**
 * The most recently acknowledged successful transfers, for the check that acknowledged transfers can be looked up:
 * recent ones, because the ledger looks transfers up in its idempotency window, which holds the newest ids.
 */
final class RecentTransfers
{
    private final TransferId[] ring;
    private long added;

    RecentTransfers(final int capacity)
    {
        this.ring = new TransferId[capacity];
    }

    synchronized void add(final TransferId id)
    {
        ring[(int)(added++ % ring.length)] = id;
    }

    synchronized List<TransferId> snapshot()
    {
        final List<TransferId> ids = new ArrayList<>(ring.length);
        for (final TransferId id : ring)
        {
            if (id != null)
            {
                ids.add(id);
            }
        }
        return ids;
    }
}
