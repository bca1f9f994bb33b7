package io.walletledger.engine;

/**
 * One transfer on its way through {@link Ledger}: what it asks for, then what the checks resolved (the slots of its
 * accounts, whether it creates a hold, the payer's limits record and day, the fee and its account, the deadline; for
 * a post or void the hold and what moves), for the one apply that follows, which also writes the transfer's record
 * from it.
 * <p>
 * The ledger owns one and each event refills it, so the transfer path allocates nothing. What was asked for stays
 * in the {@link TransferEvent}, which the checks and the apply read. The plan holds values only: a reference store
 * would cost a GC barrier per transfer.
 */
final class TransferPlan
{
    long idLo;
    long idHi;
    long idHash;
    long timestamp;

    /** Account slots (negative: no such account). */
    int debit;
    int credit;
    /** A hold is created: asked for, or a single-phase transfer held for review. */
    boolean pending;
    /** A single-phase transfer above its currency's review threshold, created as a hold for an operator. */
    boolean review;
    /** The payer's limits record, or -1; and, with a record, the engine-time day it counts the debit on. */
    int limitsRecord;
    long dayIndex;
    /** The fee paid to {@link #feeSlot}; 0 and -1 for none. */
    long fee;
    int feeSlot;
    /** The deadline of a new hold, 0 for none. */
    long expiresAt;

    /**
     * A post or void: the slot of the hold in the pending table and the amount it holds; what moves (the hold's
     * accounts and currency, and what a post captures or the whole hold a void releases), which its record keeps.
     */
    int hold;
    long holdAmount;
    long debitAccountId;
    long creditAccountId;
    long amount;
    int currency;

    /**
     * Starts a transfer. Each check then writes the fields it resolves, every time it runs.
     *
     * @param pending whether it asks for a hold.
     */
    void begin(final long idLo, final long idHi, final long idHash, final long timestamp, final boolean pending)
    {
        this.idLo = idLo;
        this.idHi = idHi;
        this.idHash = idHash;
        this.timestamp = timestamp;
        this.pending = pending;
    }

    /**
     * Notes that the transfer pays no fee.
     */
    void noFee()
    {
        fee = 0;
        feeSlot = -1;
    }
}
