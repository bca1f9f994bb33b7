package io.walletledger.engine;

import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.ProtocolLimits;

import java.util.Objects;

/**
 * Capacities and currencies of a {@link LedgerEngine}. All memory the engine uses is allocated from these
 * at construction; hitting a capacity returns a result code ({@code ACCOUNTS_FULL},
 * {@code PENDING_TRANSFERS_FULL}) or, for the idempotency window, forgets the oldest transfer ids.
 * <p>
 * Memory, roughly: 96 to 128 bytes per account, 168 to 200 bytes per transfer in the idempotency window
 * (plus one batch), 175 to 205 bytes per pending transfer; the ranges come from index tables rounded up
 * to powers of two (the defaults land at the top of each range). {@link #memoryBytesEstimate()} adds it up.
 */
public final class LedgerConfig
{
    /** Index entries per key: an index is at most a quarter full (see {@link #indexLength}). */
    static final int INDEX_ENTRIES_PER_KEY = 4;
    public static final int ACCOUNTS_MAX_DEFAULT = 1 << 20;
    public static final int IDEMPOTENCY_WINDOW_DEFAULT = 1 << 20;
    public static final int PENDING_TRANSFERS_MAX_DEFAULT = 1 << 18;
    public static final int LIMITED_ACCOUNTS_MAX_DEFAULT = 1 << 16;
    public static final int VELOCITY_DEBITS_MAX_DEFAULT = 16;
    /** The most debits a velocity limit may count; each costs 8 bytes per limited account. */
    public static final int VELOCITY_DEBITS_MAX_LIMIT = 1024;

    private final int accountsMax;
    private final int idempotencyWindow;
    private final int pendingTransfersMax;
    private final int batchEventsMax;
    private final int limitedAccountsMax;
    private final int velocityDebitsMax;
    private final CurrencyRegistry currencies;
    private final long hashSeed;

    private LedgerConfig(final Builder builder)
    {
        this.accountsMax = requireRange("accountsMax", builder.accountsMax, 1, Accounts.CAPACITY_LIMIT);
        this.batchEventsMax = requireRange(
            "batchEventsMax", builder.batchEventsMax, 1, ProtocolLimits.BATCH_EVENTS_MAX_LIMIT);
        final int transferLimit = Math.min(TransferDescriptor.CAPACITY_LIMIT, TransferIdIndex.SLOT_LIMIT);
        this.idempotencyWindow = requireRange(
            "idempotencyWindow", builder.idempotencyWindow, 1, transferLimit - batchEventsMax);
        this.pendingTransfersMax = requireRange("pendingTransfersMax", builder.pendingTransfersMax, 1, transferLimit);
        this.velocityDebitsMax = requireRange(
            "velocityDebitsMax", builder.velocityDebitsMax, 0, VELOCITY_DEBITS_MAX_LIMIT);
        this.limitedAccountsMax = requireRange("limitedAccountsMax", Math.min(builder.limitedAccountsMax, accountsMax), 0,
            (Integer.MAX_VALUE - 64) / AccountLimits.recordLength(velocityDebitsMax));
        this.currencies = Objects.requireNonNull(builder.currencies, "currencies");
        this.hashSeed = builder.hashSeed;
    }

    private static int requireRange(final String name, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * @return whether {@code other} has the same settings, those that decide outcomes: capacities and currencies (the
     * hash seed aside).
     */
    public boolean sameSettings(final LedgerConfig other)
    {
        return other.accountsMax == accountsMax && other.idempotencyWindow == idempotencyWindow &&
            other.pendingTransfersMax == pendingTransfersMax && other.batchEventsMax == batchEventsMax &&
            other.limitedAccountsMax == limitedAccountsMax && other.velocityDebitsMax == velocityDebitsMax &&
            java.util.Set.copyOf(other.currencies.currencies()).equals(java.util.Set.copyOf(currencies.currencies()));
    }

    /**
     * @return the most accounts the ledger holds.
     */
    public int accountsMax()
    {
        return accountsMax;
    }

    /**
     * @return how many of the most recent transfer ids (successful or failed) are always remembered.
     */
    public int idempotencyWindow()
    {
        return idempotencyWindow;
    }

    /**
     * @return the most holds (pending transfers) open at once.
     */
    public int pendingTransfersMax()
    {
        return pendingTransfersMax;
    }

    /**
     * @return the most events in one request.
     */
    public int batchEventsMax()
    {
        return batchEventsMax;
    }

    /**
     * @return the most accounts that can have spending limits (own or from their code's defaults).
     */
    public int limitedAccountsMax()
    {
        return limitedAccountsMax;
    }

    /**
     * @return the most debits a velocity limit may count; every limited account keeps this many timestamps.
     */
    public int velocityDebitsMax()
    {
        return velocityDebitsMax;
    }

    public CurrencyRegistry currencies()
    {
        return currencies;
    }

    /**
     * @return the seed of the engine's hash indexes of account and transfer ids. Ids are chosen by clients;
     * with a seed they do not know, they cannot choose ids that all land in one place of an index and make
     * every lookup slow. The layout of the indexes never affects results or the state hash, so each
     * process may use a different seed: a server should pass a random one at start-up.
     */
    public long hashSeed()
    {
        return hashSeed;
    }

    /**
     * @return an estimate of the memory the engine allocates for this configuration (mostly direct memory),
     * in bytes.
     */
    public long memoryBytesEstimate()
    {
        final long accounts = (long)accountsMax * AccountDescriptor.RECORD_LENGTH + indexBytes(accountsMax);
        final long remembered = (long)idempotencyWindow + batchEventsMax;
        final long history = remembered * TransferDescriptor.RECORD_LENGTH + TransferHistory.indexBytes(remembered);
        final long holds = (long)pendingTransfersMax * (TransferDescriptor.RECORD_LENGTH + 4 + 4 + 4 + 1) +
            indexBytes(pendingTransfersMax);
        final long undo = (long)batchEventsMax * UndoLog.ENTRIES_PER_EVENT_MAX * (TransferDescriptor.RECORD_LENGTH + 8);
        final long limits = (long)limitedAccountsMax * AccountLimits.recordLength(velocityDebitsMax) +
            (limitedAccountsMax == 0 ? 0 : 4L * accountsMax);
        return accounts + history + holds + undo + limits;
    }

    /** The 8-byte entries of an index of this many keys, as {@link #indexLength} sizes it. */
    private static long indexBytes(final long keys)
    {
        return 8L * indexLength(keys);
    }

    /**
     * The entries of an open-addressing index (of accounts or transfer ids) for up to {@code keys} keys: the
     * smallest power of two, at least 16, that keeps it at most a quarter full. A quarter, not a half: side by side
     * on 1,000,000 accounts and a window of 1,048,576 ids, the engine ran 7-10 % faster (fewer probes and fewer
     * mispredicted branches per lookup and per eviction), for 16 more bytes per account and per remembered id.
     */
    static int indexLength(final long keys)
    {
        long length = 16;
        while (length < INDEX_ENTRIES_PER_KEY * keys)
        {
            length <<= 1;
        }
        if (length > Integer.MAX_VALUE - 8)
        {
            throw new IllegalArgumentException("an index of " + keys + " keys would need " + length + " entries");
        }
        return (int)length;
    }

    @Override
    public String toString()
    {
        return "LedgerConfig{accountsMax=" + accountsMax + ", idempotencyWindow=" + idempotencyWindow +
            ", pendingTransfersMax=" + pendingTransfersMax + ", batchEventsMax=" + batchEventsMax +
            ", limitedAccountsMax=" + limitedAccountsMax + ", velocityDebitsMax=" + velocityDebitsMax +
            ", currencies=" + currencies.currencies().size() + "}";
    }

    /**
     * Starts from the defaults: about a million accounts and transfer ids, the common ISO currencies.
     */
    public static final class Builder
    {
        private int accountsMax = ACCOUNTS_MAX_DEFAULT;
        private int idempotencyWindow = IDEMPOTENCY_WINDOW_DEFAULT;
        private int pendingTransfersMax = PENDING_TRANSFERS_MAX_DEFAULT;
        private int batchEventsMax = ProtocolLimits.BATCH_EVENTS_MAX_DEFAULT;
        private int limitedAccountsMax = LIMITED_ACCOUNTS_MAX_DEFAULT;
        private int velocityDebitsMax = VELOCITY_DEBITS_MAX_DEFAULT;
        private CurrencyRegistry currencies = CurrencyRegistry.withIsoDefaults().build();
        private long hashSeed = 0x5DEECE66DL;

        private Builder()
        {
        }

        public Builder accountsMax(final int accountsMax)
        {
            this.accountsMax = accountsMax;
            return this;
        }

        public Builder idempotencyWindow(final int idempotencyWindow)
        {
            this.idempotencyWindow = idempotencyWindow;
            return this;
        }

        public Builder pendingTransfersMax(final int pendingTransfersMax)
        {
            this.pendingTransfersMax = pendingTransfersMax;
            return this;
        }

        public Builder batchEventsMax(final int batchEventsMax)
        {
            this.batchEventsMax = batchEventsMax;
            return this;
        }

        /**
         * @param limitedAccountsMax the most accounts with limits; more than accountsMax is cut to it.
         */
        public Builder limitedAccountsMax(final int limitedAccountsMax)
        {
            this.limitedAccountsMax = limitedAccountsMax;
            return this;
        }

        public Builder velocityDebitsMax(final int velocityDebitsMax)
        {
            this.velocityDebitsMax = velocityDebitsMax;
            return this;
        }

        public Builder currencies(final CurrencyRegistry currencies)
        {
            this.currencies = currencies;
            return this;
        }

        public Builder hashSeed(final long hashSeed)
        {
            this.hashSeed = hashSeed;
            return this;
        }

        public LedgerConfig build()
        {
            return new LedgerConfig(this);
        }
    }
}
