package io.walletledger.engine;

/**
 * One transfer on its way through {@link Ledger}: what was asked for (from a {@link TransferEvent} or an operator's
 * review decision), then what the checks resolved (account slots, the amount moved, the fee and its account, the
 * payer's limits record and day, the deadline, whether it becomes a review hold, the hold a post or void resolves),
 * for the one apply that follows. The apply also writes it as the transfer's record
 * ({@link TransferRecords#write(int, TransferPlan)}).
 * <p>
 * The ledger owns one and refills it for every event, so the transfer path allocates nothing. A plain carrier of
 * values: the checks write it, nothing else in it changes the ledger.
 */
final class TransferPlan
{
    // ------------------------------------------------------------------------------------- as asked for

    long idLo;
    long idHi;
    long idHash;
    long timestamp;
    /** The flags of the request (a review decision's are post or void). */
    int flags;
    /** For a post or void: as asked for (0 = as the hold) until the checks set them to the hold's. */
    long debitAccountId;
    long creditAccountId;
    int currency;
    /** As asked for; the checks of a post or void set the amount moved (captured, or the whole hold). */
    long amount;
    long pendingIdLo;
    long pendingIdHi;
    long userData128Lo;
    long userData128Hi;
    long userData64;
    int userData32;
    /** Unsigned seconds, as the int the record stores. */
    int timeout;
    int code;
    /** A review decision: the only way to resolve a review hold. */
    boolean reviewer;

    // ------------------------------------------------------------------------------- what the checks found

    /** Account slots. */
    int debit;
    int credit;
    /** A hold is created (asked for, or a review hold). */
    boolean pending;
    /** A single-phase transfer above its currency's review threshold, created as a hold for an operator. */
    boolean review;
    /** The payer's limits record, or -1; and the engine-time day it counts the debit on. */
    int limitsRecord;
    long dayIndex;
    /** The fee paid to {@link #feeSlot}; 0 and -1 for none. */
    long fee;
    int feeSlot;
    /** The deadline of a new hold, 0 for none. */
    long expiresAt;
    /** For a post or void: the slot of the hold in the pending table, and the amount it holds. */
    int hold;
    long holdAmount;

    // --------------------------------------------------------------------------------- what is recorded

    /** The flags the record keeps (without linked; review holds with pending and review). */
    int recordFlags;
    int pendingStatus;

    /**
     * Starts a new transfer: its identity, and nothing resolved yet.
     */
    void begin(final long idLo, final long idHi, final long idHash, final long timestamp)
    {
        this.idLo = idLo;
        this.idHi = idHi;
        this.idHash = idHash;
        this.timestamp = timestamp;
        this.pending = false;
        this.review = false;
        this.limitsRecord = -1;
        this.dayIndex = 0;
        this.fee = 0;
        this.feeSlot = -1;
        this.expiresAt = 0;
        this.hold = -1;
        this.holdAmount = 0;
    }

    /**
     * Takes what a client's transfer asks for.
     */
    void requestedBy(final TransferEvent event)
    {
        flags = event.flags();
        debitAccountId = event.debitAccountId();
        creditAccountId = event.creditAccountId();
        currency = event.currency();
        amount = event.amount();
        pendingIdLo = event.pendingIdLo();
        pendingIdHi = event.pendingIdHi();
        userData128Lo = event.userData128Lo();
        userData128Hi = event.userData128Hi();
        userData64 = event.userData64();
        userData32 = event.userData32();
        timeout = event.timeout();
        code = event.code();
        reviewer = false;
        pending = (flags & Flags.TRANSFER_PENDING) != 0;
    }

    /**
     * Takes what an operator's review decision asks for: post or void the whole hold, as the hold, with its code and
     * no user data.
     *
     * @param flags post or void pending.
     */
    void decidedOn(final long pendingIdLo, final long pendingIdHi, final int flags, final int code)
    {
        this.flags = flags;
        this.debitAccountId = 0;
        this.creditAccountId = 0;
        this.currency = 0;
        this.amount = 0;
        this.pendingIdLo = pendingIdLo;
        this.pendingIdHi = pendingIdHi;
        this.userData128Lo = 0;
        this.userData128Hi = 0;
        this.userData64 = 0;
        this.userData32 = 0;
        this.timeout = 0;
        this.code = code;
        this.reviewer = true;
    }
}
