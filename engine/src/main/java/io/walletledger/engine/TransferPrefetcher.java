package io.walletledger.engine;

import org.agrona.DirectBuffer;

/**
 * Brings into cache, ahead of time, the memory the transfers of a batch will read, and resolves their
 * account slots on the way. Each id is hashed once, here; the engine takes the hashes from {@link #idHash}
 * and the resolved slots.
 * <p>
 * A transfer reads about five random cache lines: its idempotency index bucket, two account index entries
 * and two account records. Read one after another on a large ledger they cost ~200 ns each; read many at
 * once, they overlap. Java has no prefetch instruction, so the loads are plain loads in loops that do
 * nothing else, and each such wave of loads stalls the CPU until its slowest miss arrives. The batch is walked
 * in runs of {@link #RUN_LENGTH} transfers, as a pipeline with one wave per run:
 *
 * <pre>
 *   at the start of run k, first the work from cache:
 *     run k+2: locate  - hash the ids from the request, compute where their index lines are
 *     run k+1: resolve - its index lines are cached: find candidate account slots
 *   then one wave of loads:
 *     run k+1: the account records and, if any account has limits, the debit accounts' limits records
 *     run k+2: the index lines
 *   then:
 *     run k:   apply   - Ledger.createTransfer reads everything from cache ({@link #debitSlot} and
 *                        {@link #creditSlot} confirm the candidates)
 * </pre>
 *
 * Loading the records and the index lines in separate waves, each right after the work it depends on, stalled
 * twice per run; one wave ran 3-4 % faster (7 % with limits), alternating builds.
 * <p>
 * The wave loads from addresses computed beforehand (by {@link #locate} and {@link #resolve}, where the bounds
 * are checked), in loops of a few instructions per load: a load that misses holds up everything after it in the
 * CPU's reorder buffer, so the fewer instructions per load, the more misses are in flight at once. Loading by
 * address instead of by slot or position (with a bounds check and an address computation per load) ran 6 % faster
 * for the records and 4 % more for the index lines, alternating builds.
 * <p>
 * Nothing here changes ledger state, and a resolved slot stays valid for the whole batch because a batch
 * of transfers creates no accounts. Asking for the slot of a transfer that was not resolved yet is a bug
 * and throws.
 */
final class TransferPrefetcher
{
    /**
     * Transfers per run: enough independent misses to fill the CPU's queues. Measured on 1,000,000 accounts: 32
     * and 64 beat 16 by 4-8 %; 32 keeps three runs' lines (about 600) well inside a 48 KiB L1.
     */
    static final int RUN_LENGTH = 32;


    private final Accounts accounts;
    private final TransferHistory history;
    private final PendingTransfers pending;
    private final AccountLimits limits;

    /**
     * The index lines of the run {@link #locate} located last: per transfer the window's bucket and the two
     * account index entries. Loads by address, from a plain array, cost the fewest instructions per miss, so the
     * CPU's reorder buffer holds the most misses at once.
     */
    private final long[] indexAddresses = new long[3 * RUN_LENGTH];
    private final int[] pendingPositions = new int[RUN_LENGTH];
    /** The record addresses of the run {@link #resolve} resolved last, debit and credit alternating. */
    private final long[] recordAddresses = new long[2 * RUN_LENGTH];
    private final int[] debitSlots;
    private final int[] creditSlots;
    /** Hashes computed by {@link #touch}, kept so that nothing later hashes the same id again. */
    private final long[] idHashes;
    private final long[] debitHashes;
    private final long[] creditHashes;

    /** The batch's transfers, read ahead of the engine's own cursor. */
    private final TransferEvent ahead = new TransferEvent();
    private int count;
    private int resolvedUpTo;
    private int touchedUpTo;
    /** Written so the JIT cannot drop the loads; never read. */
    private long sink;

    TransferPrefetcher(
        final Accounts accounts,
        final TransferHistory history,
        final PendingTransfers pending,
        final AccountLimits limits,
        final int batchEventsMax)
    {
        this.accounts = accounts;
        this.history = history;
        this.pending = pending;
        this.limits = limits;
        this.debitSlots = new int[batchEventsMax];
        this.creditSlots = new int[batchEventsMax];
        this.idHashes = new long[batchEventsMax];
        this.debitHashes = new long[batchEventsMax];
        this.creditHashes = new long[batchEventsMax];
    }

    /**
     * Starts a batch of {@code count} encoded transfers, {@code stride} bytes apart from {@code firstOffset}.
     */
    void beginBatch(final DirectBuffer buffer, final int firstOffset, final int stride, final int count)
    {
        ahead.wrap(buffer, firstOffset, stride, count);
        this.count = count;
        this.resolvedUpTo = 0;
        this.touchedUpTo = 0;
    }

    /**
     * Called before transfer {@code index} of the batch is applied, for every index in order.
     */
    void beforeTransfer(final int index)
    {
        if (index % RUN_LENGTH == 0)
        {
            if (index == 0)
            {
                locate(0);
                sink += loadIndexes(0);
                locate(RUN_LENGTH);
                sink += loadIndexes(RUN_LENGTH);
                resolve(0);
                sink += loadRecords(0);
            }
            // Work from cache first, then every load of this step in one wave, so that their misses overlap.
            locate(index + 2 * RUN_LENGTH);
            resolve(index + RUN_LENGTH);
            sink += loadRecords(index + RUN_LENGTH) + loadIndexes(index + 2 * RUN_LENGTH);
        }
    }

    /**
     * @return the slot of the debit account of transfer {@code index}, or -1 if there is no such account.
     */
    int debitSlot(final int index, final long accountId)
    {
        return accounts.confirm(resolved(debitSlots, index), accountId);
    }

    /**
     * @return the slot of the credit account of transfer {@code index}, or -1 if there is no such account.
     */
    int creditSlot(final int index, final long accountId)
    {
        return accounts.confirm(resolved(creditSlots, index), accountId);
    }

    /**
     * @return {@link TransferHistory#idHash} of the id of transfer {@code index}.
     */
    long idHash(final int index)
    {
        if (index >= touchedUpTo)
        {
            throw new IllegalStateException("transfer " + index + " applied before its id was hashed (" +
                touchedUpTo + ")");
        }
        return idHashes[index];
    }

    private int resolved(final int[] slots, final int index)
    {
        if (index >= resolvedUpTo)
        {
            throw new IllegalStateException("transfer " + index + " applied before its accounts were resolved (" +
                resolvedUpTo + ")");
        }
        return slots[index];
    }

    /**
     * Hashes the ids of the run from {@code from} and computes where their index lines are.
     */
    private void locate(final int from)
    {
        if (from >= count)
        {
            return;
        }
        final int n = Math.min(RUN_LENGTH, count - from);
        final TransferEvent ahead = this.ahead;
        for (int i = 0, e = from; i < n; i++, e++)
        {
            ahead.moveTo(e);
            final long idHash = history.idHash(ahead.idLo(), ahead.idHi());
            final long debitHash = accounts.hash(ahead.debitAccountId());
            final long creditHash = accounts.hash(ahead.creditAccountId());
            idHashes[e] = idHash;
            debitHashes[e] = debitHash;
            creditHashes[e] = creditHash;
            indexAddresses[3 * i] = history.indexAddress(idHash);
            indexAddresses[3 * i + 1] = accounts.indexAddress(debitHash);
            indexAddresses[3 * i + 2] = accounts.indexAddress(creditHash);
            pendingPositions[i] = pending.indexPosition(idHash);
        }
        touchedUpTo = from + n;
    }

    /**
     * Loads the index lines that {@link #locate} found for the run from {@code from}.
     */
    private long loadIndexes(final int from)
    {
        if (from >= count)
        {
            return 0;
        }
        final int n = Math.min(RUN_LENGTH, count - from);
        long touched = CacheLines.touch(indexAddresses, 3 * n);
        if (pending.count() != 0)
        {
            touched += pending.touchIndex(pendingPositions, n);
        }
        return touched;
    }

    /**
     * Finds the candidate account slots of the run from {@code from}, from index lines already in cache.
     */
    private void resolve(final int from)
    {
        if (from >= count)
        {
            return;
        }
        final int n = Math.min(RUN_LENGTH, count - from);
        final TransferEvent ahead = this.ahead;
        for (int i = from, end = from + n; i < end; i++)
        {
            ahead.moveTo(i);
            final int debit = accounts.candidateSlot(ahead.debitAccountId(), debitHashes[i]);
            final int credit = accounts.candidateSlot(ahead.creditAccountId(), creditHashes[i]);
            debitSlots[i] = debit;
            creditSlots[i] = credit;
            recordAddresses[2 * (i - from)] = accounts.recordAddress(debit);
            recordAddresses[2 * (i - from) + 1] = accounts.recordAddress(credit);
        }
        resolvedUpTo = from + n;
    }

    /**
     * Loads the account records (and limits records) of the run from {@code from}, which {@link #resolve} found.
     */
    private long loadRecords(final int from)
    {
        if (from >= count)
        {
            return 0;
        }
        final int n = Math.min(RUN_LENGTH, count - from);
        return CacheLines.touch(recordAddresses, 2 * n) + limits.touch(debitSlots, from, n);
    }
}
