package io.walletledger.engine;

import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.ProtocolLimits;

import java.util.Objects;

/**
 * Capacities and currencies of a {@link LedgerEngine}. All memory the engine uses is allocated from these
 * at construction; hitting a capacity returns a result code ({@code ACCOUNTS_FULL},
 * {@code PENDING_TRANSFERS_FULL}) or, for the idempotency window, forgets the oldest transfer ids.
 * <p>
 * Memory, roughly: 96 bytes per account, 144 bytes per transfer in the idempotency window (plus one
 * batch), 160 bytes per pending transfer.
 */
public final class LedgerConfig
{
    public static final int ACCOUNTS_MAX_DEFAULT = 1 << 20;
    public static final int IDEMPOTENCY_WINDOW_DEFAULT = 1 << 20;
    public static final int PENDING_TRANSFERS_MAX_DEFAULT = 1 << 18;

    private final int accountsMax;
    private final int idempotencyWindow;
    private final int pendingTransfersMax;
    private final int batchEventsMax;
    private final CurrencyRegistry currencies;

    private LedgerConfig(final Builder builder)
    {
        this.accountsMax = requireRange("accountsMax", builder.accountsMax, 1, Accounts.CAPACITY_LIMIT);
        this.batchEventsMax = requireRange(
            "batchEventsMax", builder.batchEventsMax, 1, ProtocolLimits.BATCH_EVENTS_MAX_LIMIT);
        final int transferLimit = Math.min(TransferDescriptor.CAPACITY_LIMIT, TransferIdIndex.SLOT_LIMIT);
        this.idempotencyWindow = requireRange(
            "idempotencyWindow", builder.idempotencyWindow, 1, transferLimit - batchEventsMax);
        this.pendingTransfersMax = requireRange("pendingTransfersMax", builder.pendingTransfersMax, 1, transferLimit);
        this.currencies = Objects.requireNonNull(builder.currencies, "currencies");
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

    public CurrencyRegistry currencies()
    {
        return currencies;
    }

    /**
     * @return an estimate of the memory the engine allocates for this configuration (mostly direct memory),
     * in bytes.
     */
    public long memoryBytesEstimate()
    {
        final long accounts = (long)accountsMax * (AccountDescriptor.RECORD_LENGTH + 16);
        final long history = ((long)idempotencyWindow + batchEventsMax) * (TransferDescriptor.RECORD_LENGTH + 16);
        final long holds = (long)pendingTransfersMax * (TransferDescriptor.RECORD_LENGTH + 32);
        final long undo = (long)batchEventsMax * UndoLog.ENTRIES_PER_EVENT_MAX * (TransferDescriptor.RECORD_LENGTH + 8);
        return accounts + history + holds + undo;
    }

    @Override
    public String toString()
    {
        return "LedgerConfig{accountsMax=" + accountsMax + ", idempotencyWindow=" + idempotencyWindow +
            ", pendingTransfersMax=" + pendingTransfersMax + ", batchEventsMax=" + batchEventsMax +
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
        private CurrencyRegistry currencies = CurrencyRegistry.withIsoDefaults().build();

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

        public Builder currencies(final CurrencyRegistry currencies)
        {
            this.currencies = currencies;
            return this;
        }

        public LedgerConfig build()
        {
            return new LedgerConfig(this);
        }
    }
}
