package io.walletledger.bench.load;

import io.walletledger.bench.AccountChooser;

import io.walletledger.client.Transfer;
import io.walletledger.client.TransferId;
import io.walletledger.client.TransferIds;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The transfers of the load: random pairs of wallets (uniform or Zipf-skewed, so a few hot wallets take most of the
 * traffic), small amounts that always fit, a share that must fail for insufficient funds (an amount larger than any
 * balance), and a share of two-phase transfers (a hold and, right after it, its post or void). One instance per
 * sending thread; ids are unique per run and per instance.
 */
final class Workload
{
    /** The settlement account that funds every wallet; it may go negative. */
    static final long SETTLEMENT = 1;
    static final int USD = 840;
    /** What each wallet is funded with, in cents: far more than the load can spend. */
    static final long FUNDING = 1_000_000_000L;
    /** An amount no wallet can pay: transfers meant to fail use it. */
    static final long UNPAYABLE = 100_000_000_000_000L;

    private final double failShare;
    private final double twoPhaseShare;
    private final AccountChooser chooser;
    private final SplittableRandom random;
    /** Null for random ids. */
    private final TransferIds ids;

    /**
     * @param accounts      wallets, with ids 2 .. accounts + 1.
     * @param zipfExponent  0 for a uniform choice, else the exponent of the Zipf distribution over wallets.
     * @param failShare     share of transfers that must fail (insufficient funds).
     * @param twoPhaseShare share of transfers that are holds followed by their post or void.
     * @param ids           how transfer ids are made.
     * @param stream        which sender this is.
     */
    Workload(
        final int accounts,
        final double zipfExponent,
        final double failShare,
        final double twoPhaseShare,
        final Ids ids,
        final int stream,
        final long seed)
    {
        this.ids = ids == Ids.TIME_ORDERED ? new TransferIds() : null;
        this.failShare = failShare;
        this.twoPhaseShare = twoPhaseShare;
        this.chooser = new AccountChooser(accounts, zipfExponent);
        this.random = new SplittableRandom(seed ^ stream * 0x9E3779B97F4A7C15L);
    }

    /**
     * @return a batch of at most {@code size} transfers (a two-phase pair is never split).
     */
    List<Transfer> batch(final int size)
    {
        final List<Transfer> batch = new ArrayList<>(size);
        while (batch.size() < size)
        {
            final long from = wallet();
            long to = wallet();
            while (to == from)
            {
                to = wallet();
            }
            final double kind = random.nextDouble();
            if (kind < failShare)
            {
                batch.add(Transfer.of(id(), from, to, UNPAYABLE, USD));
            }
            else if (kind < failShare + twoPhaseShare && batch.size() + 2 <= size)
            {
                final TransferId hold = id();
                final long amount = 1 + random.nextInt(100);
                batch.add(Transfer.pending(hold, from, to, amount, USD, 0));
                batch.add(random.nextBoolean() ? Transfer.post(id(), hold, amount) :
                    Transfer.voidPending(id(), hold));
            }
            else
            {
                batch.add(Transfer.of(id(), from, to, 1 + random.nextInt(100), USD));
            }
        }
        return batch;
    }

    private TransferId id()
    {
        return ids != null ? ids.next() : new TransferId(random.nextLong(), random.nextLong());
    }

    /**
     * How a sender makes transfer ids.
     */
    enum Ids
    {
        /** The Java client's {@link TransferIds}, one generator per sender: UUIDv7, increasing with time. */
        TIME_ORDERED,
        /** 128 random bits, as UUIDv4 keys from the HTTP API are. */
        RANDOM
    }

    private long wallet()
    {
        return 1 + chooser.choose(random); // wallets are 2 .. accounts + 1
    }
}
