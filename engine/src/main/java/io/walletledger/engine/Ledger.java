package io.walletledger.engine;

import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.CreateAccountsDecoder.AccountsDecoder;
import io.walletledger.protocol.sbe.ResultCode;

import static io.walletledger.engine.AccountDescriptor.POLICY_FREEZE_CREDITS;
import static io.walletledger.engine.AccountDescriptor.POLICY_HAS_LIMITS;
import static io.walletledger.engine.Flags.*;

/**
 * The ledger state and the rules of one event: create an account, create a transfer (single-phase,
 * pending, post or void), expire holds. Every rule is checked before anything changes, so a rejected event
 * leaves no trace; while a linked chain is open, changes are also written to an {@link UndoLog}.
 * <p>
 * Checks run in the order documented in docs/ledger-semantics.md; the first that fails decides the result.
 * Business rejections are return values; an exception here means a broken invariant (a bug).
 */
final class Ledger
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    // Values of the schema enum ReviewDecision.
    static final int DECISION_APPROVE = 1;
    static final int DECISION_REJECT = 2;


    private final Accounts accounts;
    private final TransferHistory history;
    private final PendingTransfers pending;
    private final UndoLog undo;
    private final CurrencyRegistry currencies;
    private final TransferPrefetcher prefetcher;
    private final Policies policies = new Policies();
    private final AccountLimits limits;
    private final TransferPolicyChecks checks;
    /** The transfer being checked and applied: one, refilled by every event. */
    private final TransferPlan plan = new TransferPlan();
    /** Null unless {@link LedgerInvariants#ENABLED}. */
    private final LedgerInvariants invariants;
    private boolean inChain;
    private long lastTimestamp;

    Ledger(final LedgerConfig config)
    {
        this.accounts = new Accounts(config.accountsMax(), config.hashSeed());
        this.history = new TransferHistory(config.idempotencyWindow(), config.batchEventsMax(), config.hashSeed());
        this.pending = new PendingTransfers(config.pendingTransfersMax(), config.hashSeed());
        this.undo = new UndoLog(config.batchEventsMax());
        this.currencies = config.currencies();
        this.limits = new AccountLimits(config.limitedAccountsMax(), config.velocityDebitsMax(), config.accountsMax());
        this.prefetcher = new TransferPrefetcher(accounts, history, pending, limits, config.batchEventsMax());
        this.checks = new TransferPolicyChecks(accounts, limits, policies);
        this.invariants = LedgerInvariants.ENABLED ? new LedgerInvariants(accounts) : null;
        accounts.reportWritesTo(invariants);
        pending.reportChangesTo(invariants);
    }

    Policies policies()
    {
        return policies;
    }

    CurrencyRegistry currencies()
    {
        return currencies;
    }

    AccountLimits limits()
    {
        return limits;
    }

    TransferPrefetcher prefetcher()
    {
        return prefetcher;
    }

    Accounts accounts()
    {
        return accounts;
    }

    TransferHistory history()
    {
        return history;
    }

    PendingTransfers pending()
    {
        return pending;
    }

    long lastTimestamp()
    {
        return lastTimestamp;
    }

    void restoreLastTimestamp(final long timestamp)
    {
        lastTimestamp = timestamp;
    }

    /**
     * @param commandTimestamp the timestamp the journaler gave the command.
     * @return a timestamp for the next event: the command's, or one past the previous event's if that is
     * later, so event timestamps are unique and strictly increasing whatever the clock did.
     */
    long nextTimestamp(final long commandTimestamp)
    {
        final long timestamp = Math.max(commandTimestamp, Math.addExact(lastTimestamp, 1));
        lastTimestamp = timestamp;
        return timestamp;
    }

    /**
     * Checks the whole-state invariants after the newest event (call only while {@link LedgerInvariants#ENABLED}).
     *
     * @throws IllegalStateException if one is broken.
     */
    void checkInvariants()
    {
        invariants.check("the event", lastTimestamp);
    }

    // ---------------------------------------------------------------------------------------------------
    // Linked chains

    void beginChain()
    {
        inChain = true;
        undo.clear();
    }

    void commitChain()
    {
        inChain = false;
        undo.clear();
    }

    void rollbackChain()
    {
        inChain = false;
        undo.rollback(accounts, history, pending, limits);
    }

    // ---------------------------------------------------------------------------------------------------
    // Accounts

    ResultCode createAccount(final AccountsDecoder event, final long timestamp)
    {
        final long id = event.id();
        if (id == 0)
        {
            return ResultCode.ID_MUST_NOT_BE_ZERO;
        }
        final int existing = accounts.slotOf(id);
        if (existing >= 0)
        {
            return compareAccount(existing, event);
        }
        final ResultCode refused = checkNewAccount(event);
        if (refused != null)
        {
            return refused;
        }
        applyNewAccount(event, timestamp);
        return ResultCode.OK;
    }

    /**
     * The answer to an account id that exists: {@code EXISTS} or the first field that differs.
     */
    private ResultCode compareAccount(final int existing, final AccountsDecoder event)
    {
        if (accounts.flags(existing) != (event.flags().getRaw() & ~ACCOUNT_LINKED))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_FLAGS;
        }
        if (accounts.currency(existing) != event.currency())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_CURRENCY;
        }
        if (accounts.code(existing) != event.code())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_CODE;
        }
        if (accounts.userData(existing) != event.userData())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA;
        }
        return ResultCode.EXISTS;
    }

    /**
     * @return null if a new account may be created, otherwise why not.
     */
    private ResultCode checkNewAccount(final AccountsDecoder event)
    {
        final int flags = event.flags().getRaw();
        final int currency = event.currency();
        if ((flags & ~ACCOUNT_ALL) != 0)
        {
            return ResultCode.RESERVED_FLAG;
        }
        if ((flags & ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS) != 0 && (flags & ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS) != 0)
        {
            return ResultCode.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        if (currency == 0)
        {
            return ResultCode.CURRENCY_MUST_NOT_BE_ZERO;
        }
        if (!currencies.isKnown(currency))
        {
            return ResultCode.CURRENCY_UNKNOWN;
        }
        if (accounts.isFull())
        {
            return ResultCode.ACCOUNTS_FULL;
        }
        if (policies.limitsEntry(event.code()) >= 0 && limits.isFull())
        {
            return ResultCode.LIMITED_ACCOUNTS_FULL;
        }
        return null;
    }

    /**
     * Creates the account, with the default limits of its code if it has any.
     */
    private void applyNewAccount(final AccountsDecoder event, final long timestamp)
    {
        final int code = event.code();
        // The linked flag is about the batch, not the account: it is not stored.
        final int slot = accounts.create(event.id(), event.userData(), event.currency(), code,
            event.flags().getRaw() & ~ACCOUNT_LINKED, timestamp);
        if (inChain)
        {
            undo.accountCreated();
        }
        final int defaults = policies.limitsEntry(code);
        if (defaults >= 0)
        {
            final int record = createLimits(slot);
            limits.setLimits(record, policies.limitsTransferAmount[defaults], policies.limitsDaily[defaults],
                policies.limitsVelocityDebits[defaults], policies.limitsVelocityWindow[defaults]);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Review decisions (operator commands)

    /**
     * An operator's decision on a hold held for review: approve posts all of it, reject voids it. Recorded under
     * its own transfer id like a post or void, so resending it answers {@code EXISTS}.
     */
    ResultCode reviewTransfer(
        final long idLo, final long idHi, final long pendingIdLo, final long pendingIdHi, final int decision,
        final long timestamp)
    {
        if (idLo == 0 && idHi == 0)
        {
            return ResultCode.ID_MUST_NOT_BE_ZERO;
        }
        final int flags = decision == DECISION_APPROVE ? TRANSFER_POST_PENDING :
            decision == DECISION_REJECT ? TRANSFER_VOID_PENDING : 0;
        final long idHash = history.idHash(idLo, idHi);
        final int known = history.find(idLo, idHi, idHash);
        if (known >= 0)
        {
            return compareDecision(known, flags, pendingIdLo, pendingIdHi);
        }
        if (pending.find(idLo, idHi, idHash) >= 0)
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_FLAGS;
        }
        if (flags == 0)
        {
            return ResultCode.DECISION_UNKNOWN;
        }
        final int hold = pending.find(pendingIdLo, pendingIdHi);
        final TransferPlan plan = this.plan;
        plan.begin(idLo, idHi, idHash, timestamp);
        plan.decidedOn(pendingIdLo, pendingIdHi, flags, hold >= 0 ? pending.records().code(hold) : 0);
        return resolvePending(plan);
    }

    /**
     * The answer to a review decision whose id is remembered: the original failure, or {@code EXISTS} unless the
     * decision or the hold differs.
     */
    private ResultCode compareDecision(final int known, final int flags, final long pendingIdLo, final long pendingIdHi)
    {
        final TransferRecords records = history.records();
        final int result = records.result(known);
        if (result != ResultCode.OK.value())
        {
            return ResultCode.get(result);
        }
        if (records.flags(known) != flags)
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_FLAGS;
        }
        if (records.pendingIdLo(known) != pendingIdLo || records.pendingIdHi(known) != pendingIdHi)
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_PENDING_ID;
        }
        return ResultCode.EXISTS;
    }

    // ---------------------------------------------------------------------------------------------------
    // Transfers

    /**
     * Evicts the oldest idempotency records so that a batch of {@code events} fits in the window.
     */
    void beginTransferBatch(final int events)
    {
        history.reserve(events);
    }

    /**
     * Applies one transfer.
     *
     * @param event      the transfer.
     * @param timestamp  its timestamp.
     * @param eventIndex its index in the batch, whose accounts {@link TransferPrefetcher} has resolved.
     * @return its result.
     */
    ResultCode createTransfer(final TransferEvent event, final long timestamp, final int eventIndex)
    {
        final long idLo = event.idLo();
        final long idHi = event.idHi();
        if (idLo == 0 && idHi == 0)
        {
            return ResultCode.ID_MUST_NOT_BE_ZERO;
        }

        final long idHash = prefetcher.idHash(eventIndex);
        final int known = history.find(idLo, idHi, idHash);
        if (known >= 0)
        {
            return TransferRetries.compare(history.records(), known, event);
        }
        final int open = pending.find(idLo, idHi, idHash);
        if (open >= 0)
        {
            return TransferRetries.compare(pending.records(), open, event);
        }

        final int flags = event.flags();
        if ((flags & ~TRANSFER_ALL) != 0)
        {
            return ResultCode.RESERVED_FLAG;
        }
        if (Integer.bitCount(flags & TRANSFER_TWO_PHASE) > 1)
        {
            return ResultCode.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        final TransferPlan plan = this.plan;
        plan.begin(idLo, idHi, idHash, timestamp);
        plan.requestedBy(event);
        if ((flags & (TRANSFER_POST_PENDING | TRANSFER_VOID_PENDING)) != 0)
        {
            return resolvePending(plan);
        }
        plan.debit = prefetcher.debitSlot(eventIndex, plan.debitAccountId);
        plan.credit = prefetcher.creditSlot(eventIndex, plan.creditAccountId);
        return createSingleOrPending(plan);
    }

    /**
     * A single-phase transfer or a new hold: the checks in the documented order, then the apply.
     */
    private ResultCode createSingleOrPending(final TransferPlan plan)
    {
        ResultCode failure = checkTransferFields(plan);
        if (failure != null)
        {
            return failure;
        }
        failure = checkTransferAccounts(plan);
        if (failure != null)
        {
            return failure;
        }
        failure = checkLimits(plan);
        if (failure != null)
        {
            return failure;
        }
        failure = checkReview(plan);
        if (failure != null)
        {
            return failure;
        }
        // A hold pays its fee when it is posted.
        failure = plan.pending ? null : checks.resolveFee(plan, plan.code);
        if (failure != null)
        {
            return failure;
        }
        failure = checkTimeout(plan);
        if (failure != null)
        {
            return failure;
        }
        failure = checkTransferBalances(plan);
        if (failure != null)
        {
            return failure;
        }
        if (plan.pending && pending.isFull())
        {
            return ResultCode.PENDING_TRANSFERS_FULL;
        }
        applyTransfer(plan);
        return plan.review ? ResultCode.HELD_FOR_REVIEW : ResultCode.OK;
    }

    private static ResultCode checkTransferFields(final TransferPlan plan)
    {
        if (plan.debitAccountId == 0)
        {
            return ResultCode.DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (plan.creditAccountId == 0)
        {
            return ResultCode.CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (plan.debitAccountId == plan.creditAccountId)
        {
            return ResultCode.ACCOUNTS_MUST_BE_DIFFERENT;
        }
        if (plan.pendingIdLo != 0 || plan.pendingIdHi != 0)
        {
            return ResultCode.PENDING_ID_MUST_BE_ZERO;
        }
        if (!plan.pending && plan.timeout != 0)
        {
            return ResultCode.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }
        if (plan.amount == 0)
        {
            return ResultCode.AMOUNT_MUST_NOT_BE_ZERO;
        }
        if (plan.amount < 0)
        {
            return ResultCode.AMOUNT_MUST_NOT_BE_NEGATIVE;
        }
        if (plan.currency == 0)
        {
            return ResultCode.CURRENCY_MUST_NOT_BE_ZERO;
        }
        return null;
    }

    private ResultCode checkTransferAccounts(final TransferPlan plan)
    {
        final Accounts accounts = this.accounts;
        final int debit = plan.debit;
        final int credit = plan.credit;
        if (debit < 0)
        {
            return ResultCode.DEBIT_ACCOUNT_NOT_FOUND;
        }
        if (credit < 0)
        {
            return ResultCode.CREDIT_ACCOUNT_NOT_FOUND;
        }
        if (accounts.currency(debit) != accounts.currency(credit))
        {
            return ResultCode.ACCOUNTS_MUST_HAVE_THE_SAME_CURRENCY;
        }
        if (accounts.currency(debit) != plan.currency)
        {
            return ResultCode.TRANSFER_CURRENCY_MUST_MATCH_ACCOUNTS;
        }
        final int debitStatus = accounts.status(debit);
        if (debitStatus == AccountStatusValue.CLOSED)
        {
            return ResultCode.DEBIT_ACCOUNT_CLOSED;
        }
        if (debitStatus == AccountStatusValue.FROZEN)
        {
            return ResultCode.DEBIT_ACCOUNT_FROZEN;
        }
        final int creditStatus = accounts.status(credit);
        if (creditStatus == AccountStatusValue.CLOSED)
        {
            return ResultCode.CREDIT_ACCOUNT_CLOSED;
        }
        if (creditStatus == AccountStatusValue.FROZEN && (accounts.policy(credit) & POLICY_FREEZE_CREDITS) != 0)
        {
            return ResultCode.CREDIT_ACCOUNT_FROZEN;
        }
        return null;
    }

    /**
     * The spending limits of the debit account, if it has any; notes its record and today for the apply.
     */
    private ResultCode checkLimits(final TransferPlan plan)
    {
        if ((accounts.policy(plan.debit) & POLICY_HAS_LIMITS) == 0)
        {
            return null;
        }
        plan.limitsRecord = limits.recordOf(plan.debit);
        plan.dayIndex = AccountLimits.dayIndex(plan.timestamp, policies.dayStartSeconds);
        return checks.limits(plan.limitsRecord, plan.amount, plan.timestamp, plan.dayIndex);
    }

    /**
     * Large single-phase transfers become holds for an operator's review, which a linked chain cannot wait for.
     */
    private ResultCode checkReview(final TransferPlan plan)
    {
        if (plan.pending)
        {
            return null;
        }
        final long threshold = policies.reviewThreshold(plan.currency);
        if (threshold == 0 || plan.amount <= threshold)
        {
            return null;
        }
        if (inChain || (plan.flags & TRANSFER_LINKED) != 0)
        {
            return ResultCode.REVIEW_REQUIRED_OUTSIDE_LINKED_CHAIN;
        }
        plan.review = true;
        plan.pending = true;
        return null;
    }

    private static ResultCode checkTimeout(final TransferPlan plan)
    {
        if (plan.pending && plan.timeout != 0)
        {
            // Unsigned seconds, at most 2^32 - 1: the product fits in a long; the sum may not.
            plan.expiresAt = plan.timestamp + (plan.timeout & 0xFFFF_FFFFL) * NANOS_PER_SECOND;
            if (plan.expiresAt < 0)
            {
                return ResultCode.OVERFLOWS_TIMEOUT;
            }
        }
        return null;
    }

    /**
     * The overflow and no-overdraft rules, counting amount + fee on the debit side; then the fee account's.
     * Balances are never negative and amount > 0, so a negative sum is an overflow.
     */
    private ResultCode checkTransferBalances(final TransferPlan plan)
    {
        final Accounts accounts = this.accounts;
        final int debit = plan.debit;
        final int credit = plan.credit;
        final long amount = plan.amount;
        final long fee = plan.fee;
        final long debitsPending = accounts.debitsPending(debit);
        final long debitsPosted = accounts.debitsPosted(debit);
        final long creditsPending = accounts.creditsPending(credit);
        final long creditsPosted = accounts.creditsPosted(credit);
        final ResultCode overflow = plan.pending ?
            checkPendingOverflow(debitsPending + amount, creditsPending + amount) :
            checkPostedOverflow(debitsPosted + amount, fee, creditsPosted + amount);
        if (overflow != null)
        {
            return overflow;
        }
        final long debitsAfter = debitsPending + debitsPosted + amount + fee;
        if (debitsPending + debitsPosted < 0 || debitsAfter - fee < 0 || debitsAfter < 0)
        {
            return ResultCode.OVERFLOWS_DEBITS;
        }
        final long creditsAfter = creditsPending + creditsPosted + amount;
        if (creditsPending + creditsPosted < 0 || creditsAfter < 0)
        {
            return ResultCode.OVERFLOWS_CREDITS;
        }
        if ((accounts.flags(debit) & ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS) != 0 &&
            debitsAfter > accounts.creditsPosted(debit))
        {
            return ResultCode.EXCEEDS_CREDITS;
        }
        if ((accounts.flags(credit) & ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS) != 0 &&
            creditsAfter > accounts.debitsPosted(credit))
        {
            return ResultCode.EXCEEDS_DEBITS;
        }
        return fee > 0 ? checks.feeCredit(plan.feeSlot, credit, amount, fee) : null;
    }

    /**
     * @param debitsPendingAfter  the debit account's pending debits plus the amount (negative if it overflowed).
     * @param creditsPendingAfter the credit account's pending credits plus the amount.
     */
    private static ResultCode checkPendingOverflow(final long debitsPendingAfter, final long creditsPendingAfter)
    {
        if (debitsPendingAfter < 0)
        {
            return ResultCode.OVERFLOWS_DEBITS_PENDING;
        }
        return creditsPendingAfter < 0 ? ResultCode.OVERFLOWS_CREDITS_PENDING : null;
    }

    /**
     * @param debitsPostedAfter  the debit account's posted debits plus the amount, before the fee.
     * @param creditsPostedAfter the credit account's posted credits plus the amount.
     */
    private static ResultCode checkPostedOverflow(
        final long debitsPostedAfter, final long fee, final long creditsPostedAfter)
    {
        if (debitsPostedAfter < 0 || debitsPostedAfter + fee < 0)
        {
            return ResultCode.OVERFLOWS_DEBITS_POSTED;
        }
        return creditsPostedAfter < 0 ? ResultCode.OVERFLOWS_CREDITS_POSTED : null;
    }

    /**
     * Every check passed: counts the debit against the payer's limits, moves the money (or reserves it), records
     * the transfer and opens its hold, writing the undo log while a chain is open.
     */
    private void applyTransfer(final TransferPlan plan)
    {
        final Accounts accounts = this.accounts;
        final int debit = plan.debit;
        final int credit = plan.credit;
        final int feeSlot = plan.feeSlot;
        final long amount = plan.amount;
        if (inChain)
        {
            undo.balances(accounts, debit);
            undo.balances(accounts, credit);
            if (feeSlot >= 0)
            {
                undo.balances(accounts, feeSlot);
            }
            if (plan.limitsRecord >= 0)
            {
                undo.limitsSpending(limits, plan.limitsRecord);
            }
        }
        if (plan.limitsRecord >= 0)
        {
            limits.recordDebit(plan.limitsRecord, amount, plan.timestamp, plan.dayIndex);
        }
        if (plan.pending)
        {
            accounts.debitsPending(debit, accounts.debitsPending(debit) + amount);
            accounts.creditsPending(credit, accounts.creditsPending(credit) + amount);
        }
        else
        {
            accounts.debitsPosted(debit, accounts.debitsPosted(debit) + amount + plan.fee);
            accounts.creditsPosted(credit, accounts.creditsPosted(credit) + amount);
            if (plan.fee > 0)
            {
                accounts.creditsPosted(feeSlot, accounts.creditsPosted(feeSlot) + plan.fee);
            }
        }
        plan.recordFlags = plan.review ? plan.flags | TRANSFER_PENDING | TRANSFER_REVIEW : plan.flags & ~TRANSFER_LINKED;
        plan.pendingStatus = plan.pending ? PENDING_STATUS_PENDING : PENDING_STATUS_NONE;
        final int slot = appendToHistory(plan);
        if (plan.pending)
        {
            final int hold = pending.claim();
            history.records().copy(slot, pending.records(), hold);
            pending.commit(hold);
            if (inChain)
            {
                undo.pendingInserted(hold);
            }
        }
    }

    /**
     * Writes the record of a transfer that applied as the newest of the history (with its fee, if it paid one).
     *
     * @return its slot.
     */
    private int appendToHistory(final TransferPlan plan)
    {
        final int slot = history.nextSlot();
        final TransferRecords records = history.records();
        records.write(slot, plan);
        if (plan.fee > 0)
        {
            records.fee(slot, plan.fee, plan.feeSlot);
        }
        history.commitAppend(slot);
        if (inChain)
        {
            undo.historyAppended();
        }
        return slot;
    }

    /**
     * Posts or voids a hold: a client's {@code post_pending} / {@code void_pending} transfer, or an operator's
     * review decision ({@code plan.reviewer}), the only way to resolve a hold held for review.
     */
    private ResultCode resolvePending(final TransferPlan plan)
    {
        ResultCode failure = checkResolutionFields(plan);
        if (failure != null)
        {
            return failure;
        }
        plan.hold = pending.find(plan.pendingIdLo, plan.pendingIdHi);
        if (plan.hold < 0)
        {
            return resolvedHoldResult(plan.pendingIdLo, plan.pendingIdHi);
        }
        failure = checkHold(plan);
        if (failure != null)
        {
            return failure;
        }
        plan.debit = requireAccount(plan.debitAccountId);
        plan.credit = requireAccount(plan.creditAccountId);
        final boolean isPost = (plan.flags & TRANSFER_POST_PENDING) != 0;
        // A capture pays the fee of the hold's code and currency on the amount captured.
        failure = isPost ? checks.resolveFee(plan, pending.records().code(plan.hold)) : null;
        if (failure != null)
        {
            return failure;
        }
        failure = plan.fee > 0 ? checkCaptureFee(plan) : null;
        if (failure != null)
        {
            return failure;
        }
        if (isPost && (accounts.debitsPosted(plan.debit) + plan.amount < 0 ||
            accounts.creditsPosted(plan.credit) + plan.amount < 0))
        {
            throw new IllegalStateException("posted balance overflow on capture: pending + posted exceeded 2^63-1");
        }
        applyResolution(plan);
        return ResultCode.OK;
    }

    private static ResultCode checkResolutionFields(final TransferPlan plan)
    {
        if (plan.pendingIdLo == 0 && plan.pendingIdHi == 0)
        {
            return ResultCode.PENDING_ID_MUST_NOT_BE_ZERO;
        }
        if (plan.pendingIdLo == plan.idLo && plan.pendingIdHi == plan.idHi)
        {
            return ResultCode.PENDING_ID_MUST_BE_DIFFERENT;
        }
        if (plan.timeout != 0)
        {
            return ResultCode.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }
        if (plan.amount < 0)
        {
            return ResultCode.AMOUNT_MUST_NOT_BE_NEGATIVE;
        }
        return null;
    }

    /**
     * The post or void against its open hold; on success the plan takes the hold's accounts and currency and the
     * amount that moves (what a post captures, or the whole hold).
     */
    private ResultCode checkHold(final TransferPlan plan)
    {
        final TransferRecords holds = pending.records();
        final int hold = plan.hold;
        final long debitAccountId = holds.debitAccountId(hold);
        final long creditAccountId = holds.creditAccountId(hold);
        final int currency = holds.currency(hold);
        if (plan.debitAccountId != 0 && plan.debitAccountId != debitAccountId)
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (plan.creditAccountId != 0 && plan.creditAccountId != creditAccountId)
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        if (plan.currency != 0 && plan.currency != currency)
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_CURRENCY;
        }
        final boolean underReview = (holds.flags(hold) & TRANSFER_REVIEW) != 0;
        if (underReview != plan.reviewer)
        {
            return underReview ? ResultCode.PENDING_TRANSFER_UNDER_REVIEW : ResultCode.PENDING_TRANSFER_NOT_UNDER_REVIEW;
        }
        final long expiresAt = holds.expiresAt(hold);
        if (expiresAt != 0 && expiresAt <= plan.timestamp)
        {
            return ResultCode.PENDING_TRANSFER_EXPIRED;
        }
        final long holdAmount = holds.amount(hold);
        final ResultCode amountFailure = checkResolvedAmount(plan, holdAmount);
        if (amountFailure != null)
        {
            return amountFailure;
        }
        plan.holdAmount = holdAmount;
        plan.debitAccountId = debitAccountId;
        plan.creditAccountId = creditAccountId;
        plan.currency = currency;
        return null;
    }

    /**
     * A post captures the whole hold (amount 0) or part of it; a void names nothing or the whole hold. Sets the
     * amount that moves.
     */
    private static ResultCode checkResolvedAmount(final TransferPlan plan, final long holdAmount)
    {
        if ((plan.flags & TRANSFER_POST_PENDING) != 0)
        {
            if (plan.amount > holdAmount)
            {
                return ResultCode.EXCEEDS_PENDING_TRANSFER_AMOUNT;
            }
            plan.amount = plan.amount == 0 ? holdAmount : plan.amount;
            return null;
        }
        if (plan.amount != 0 && plan.amount != holdAmount)
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT;
        }
        plan.amount = holdAmount;
        return null;
    }

    /**
     * Whether the payer of a capture can pay its fee too, and the fee account take it. Capturing the amount itself
     * cannot overflow (pending + posted never exceeds 2^63-1); the fee can.
     */
    private ResultCode checkCaptureFee(final TransferPlan plan)
    {
        final Accounts accounts = this.accounts;
        final int debit = plan.debit;
        final long fee = plan.fee;
        final long debitsAfter =
            accounts.debitsPending(debit) - plan.holdAmount + accounts.debitsPosted(debit) + plan.amount;
        if (accounts.debitsPosted(debit) + plan.amount + fee < 0)
        {
            return ResultCode.OVERFLOWS_DEBITS_POSTED;
        }
        if (debitsAfter + fee < 0)
        {
            return ResultCode.OVERFLOWS_DEBITS;
        }
        if ((accounts.flags(debit) & ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS) != 0 &&
            debitsAfter + fee > accounts.creditsPosted(debit))
        {
            return ResultCode.EXCEEDS_CREDITS;
        }
        return checks.feeCredit(plan.feeSlot, plan.credit, 0, fee);
    }

    /**
     * Every check passed: releases the hold, posts what is captured (and the fee), closes the hold and records the
     * post or void, writing the undo log while a chain is open.
     */
    private void applyResolution(final TransferPlan plan)
    {
        final Accounts accounts = this.accounts;
        final int debit = plan.debit;
        final int credit = plan.credit;
        final int feeSlot = plan.feeSlot;
        final long holdAmount = plan.holdAmount;
        if (inChain)
        {
            undo.balances(accounts, debit);
            undo.balances(accounts, credit);
            if (feeSlot >= 0)
            {
                undo.balances(accounts, feeSlot);
            }
        }
        accounts.debitsPending(debit, checkedRelease(accounts.debitsPending(debit), holdAmount));
        accounts.creditsPending(credit, checkedRelease(accounts.creditsPending(credit), holdAmount));
        if ((plan.flags & TRANSFER_POST_PENDING) != 0)
        {
            accounts.debitsPosted(debit, accounts.debitsPosted(debit) + plan.amount + plan.fee);
            accounts.creditsPosted(credit, accounts.creditsPosted(credit) + plan.amount);
            if (plan.fee > 0)
            {
                accounts.creditsPosted(feeSlot, accounts.creditsPosted(feeSlot) + plan.fee);
            }
        }
        if (inChain)
        {
            undo.pendingRemoved(pending.records(), plan.hold);
        }
        pending.remove(plan.hold);
        markHistory(plan.pendingIdLo, plan.pendingIdHi,
            (plan.flags & TRANSFER_POST_PENDING) != 0 ? PENDING_STATUS_POSTED : PENDING_STATUS_VOIDED);
        plan.recordFlags = plan.flags & ~TRANSFER_LINKED;
        plan.pendingStatus = PENDING_STATUS_NONE;
        appendToHistory(plan);
    }

    /**
     * Gives an account an empty limits record (recording it for undo in a chain).
     */
    int createLimits(final int accountSlot)
    {
        final int record = limits.create(accountSlot);
        accounts.policy(accountSlot, accounts.policy(accountSlot) | POLICY_HAS_LIMITS);
        if (inChain)
        {
            undo.limitsCreated(accountSlot);
        }
        return record;
    }

    /**
     * Why a post or void finds no open hold: the id was never a successful transfer in the window, was not
     * a pending one, or its hold was already resolved.
     */
    private ResultCode resolvedHoldResult(final long pendingIdLo, final long pendingIdHi)
    {
        final int known = history.find(pendingIdLo, pendingIdHi);
        if (known < 0 || history.records().result(known) != ResultCode.OK.value())
        {
            return ResultCode.PENDING_TRANSFER_NOT_FOUND;
        }
        switch (history.records().pendingStatus(known))
        {
            case PENDING_STATUS_NONE:
                return ResultCode.PENDING_TRANSFER_NOT_PENDING;
            case PENDING_STATUS_POSTED:
                return ResultCode.PENDING_TRANSFER_ALREADY_POSTED;
            case PENDING_STATUS_VOIDED:
                return ResultCode.PENDING_TRANSFER_ALREADY_VOIDED;
            case PENDING_STATUS_EXPIRED:
                return ResultCode.PENDING_TRANSFER_EXPIRED;
            default:
                throw new IllegalStateException("transfer is pending in the history but has no open hold");
        }
    }

    private void markHistory(final long idLo, final long idHi, final int status)
    {
        final int known = history.find(idLo, idHi);
        if (known >= 0)
        {
            if (inChain)
            {
                undo.historyStatus(known, history.records().pendingStatus(known));
            }
            history.records().pendingStatus(known, status);
        }
    }

    private int requireAccount(final long id)
    {
        final int slot = accounts.slotOf(id);
        if (slot < 0)
        {
            throw new IllegalStateException("account " + Long.toUnsignedString(id) + " of an open hold is missing");
        }
        return slot;
    }

    private static long checkedRelease(final long pendingBalance, final long amount)
    {
        final long result = pendingBalance - amount;
        if (result < 0)
        {
            throw new IllegalStateException("pending balance " + pendingBalance + " is smaller than a hold of " + amount);
        }
        return result;
    }

    /**
     * @return the failure remembered for this transfer id, or null if the id is unknown or its first attempt
     * succeeded.
     */
    ResultCode rememberedFailure(final long idLo, final long idHi)
    {
        final int slot = history.find(idLo, idHi);
        if (slot < 0)
        {
            return null;
        }
        final int result = history.records().result(slot);
        return result == ResultCode.OK.value() ? null : ResultCode.get(result);
    }

    /**
     * Remembers that the first attempt of this id failed, so a retry returns the same failure. Ids that
     * are zero or already remembered are skipped.
     */
    void recordFailure(final long idLo, final long idHi, final long timestamp, final ResultCode result)
    {
        final long idHash = history.idHash(idLo, idHi);
        if ((idLo == 0 && idHi == 0) || history.find(idLo, idHi, idHash) >= 0 || pending.find(idLo, idHi, idHash) >= 0)
        {
            return;
        }
        final int slot = history.nextSlot();
        history.records().writeFailure(slot, idLo, idHi, timestamp, result.value(), idHash);
        history.commitAppend(slot);
    }

    /**
     * Releases every hold whose timeout is at or before {@code now}, earliest deadline first.
     */
    void expire(final long now)
    {
        final TransferRecords holds = pending.records();
        for (int hold = pending.firstExpired(now); hold >= 0; hold = pending.firstExpired(now))
        {
            final long amount = holds.amount(hold);
            final int debit = requireAccount(holds.debitAccountId(hold));
            final int credit = requireAccount(holds.creditAccountId(hold));
            accounts.debitsPending(debit, checkedRelease(accounts.debitsPending(debit), amount));
            accounts.creditsPending(credit, checkedRelease(accounts.creditsPending(credit), amount));
            final long idLo = holds.idLo(hold);
            final long idHi = holds.idHi(hold);
            pending.remove(hold);
            markHistory(idLo, idHi, PENDING_STATUS_EXPIRED);
        }
        if (LedgerInvariants.ENABLED)
        {
            invariants.check("expiring the holds due", now);
        }
    }
}
