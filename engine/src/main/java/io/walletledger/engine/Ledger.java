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
        final int flags = event.flags().getRaw();
        final int currency = event.currency();
        final int code = event.code();
        final long userData = event.userData();

        final int existing = accounts.slotOf(id);
        if (existing >= 0)
        {
            if (accounts.flags(existing) != (flags & ~ACCOUNT_LINKED))
            {
                return ResultCode.EXISTS_WITH_DIFFERENT_FLAGS;
            }
            if (accounts.currency(existing) != currency)
            {
                return ResultCode.EXISTS_WITH_DIFFERENT_CURRENCY;
            }
            if (accounts.code(existing) != code)
            {
                return ResultCode.EXISTS_WITH_DIFFERENT_CODE;
            }
            if (accounts.userData(existing) != userData)
            {
                return ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA;
            }
            return ResultCode.EXISTS;
        }

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
        final int defaults = policies.limitsEntry(code);
        if (defaults >= 0 && limits.isFull())
        {
            return ResultCode.LIMITED_ACCOUNTS_FULL;
        }

        // The linked flag is about the batch, not the account: it is not stored.
        final int slot = accounts.create(id, userData, currency, code, flags & ~ACCOUNT_LINKED, timestamp);
        if (inChain)
        {
            undo.accountCreated();
        }
        if (defaults >= 0)
        {
            final int record = createLimits(slot);
            limits.setLimits(record, policies.limitsTransferAmount[defaults], policies.limitsDaily[defaults],
                policies.limitsVelocityDebits[defaults], policies.limitsVelocityWindow[defaults]);
        }
        return ResultCode.OK;
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
        if (pending.find(idLo, idHi, idHash) >= 0)
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_FLAGS;
        }
        if (flags == 0)
        {
            return ResultCode.DECISION_UNKNOWN;
        }
        final int hold = pending.find(pendingIdLo, pendingIdHi);
        final int code = hold >= 0 ? pending.records().code(hold) : 0;
        return resolvePending(idLo, idHi, idHash, flags, timestamp, pendingIdLo, pendingIdHi, 0, 0, 0, 0, 0, code,
            0, 0, 0, 0, true);
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
        if ((flags & (TRANSFER_POST_PENDING | TRANSFER_VOID_PENDING)) != 0)
        {
            return resolvePending(idLo, idHi, idHash, flags, timestamp, event.pendingIdLo(), event.pendingIdHi(),
                event.amount(), event.debitAccountId(), event.creditAccountId(), event.currency(),
                event.timeout() & 0xFFFF_FFFFL, event.code(), event.userData128Lo(), event.userData128Hi(),
                event.userData64(), event.userData32(), false);
        }
        return createSingleOrPending(event, idLo, idHi, idHash, flags, timestamp,
            prefetcher.debitSlot(eventIndex, event.debitAccountId()),
            prefetcher.creditSlot(eventIndex, event.creditAccountId()));
    }

    private ResultCode createSingleOrPending(
        final TransferEvent event,
        final long idLo,
        final long idHi,
        final long idHash,
        final int flags,
        final long timestamp,
        final int debit,
        final int credit)
    {
        final long debitAccountId = event.debitAccountId();
        final long creditAccountId = event.creditAccountId();
        final long amount = event.amount();
        final int timeout = event.timeout();
        final int currency = event.currency();
        boolean isPending = (flags & TRANSFER_PENDING) != 0;

        if (debitAccountId == 0)
        {
            return ResultCode.DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (creditAccountId == 0)
        {
            return ResultCode.CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (debitAccountId == creditAccountId)
        {
            return ResultCode.ACCOUNTS_MUST_BE_DIFFERENT;
        }
        if (event.pendingIdLo() != 0 || event.pendingIdHi() != 0)
        {
            return ResultCode.PENDING_ID_MUST_BE_ZERO;
        }
        if (!isPending && timeout != 0)
        {
            return ResultCode.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }
        if (amount == 0)
        {
            return ResultCode.AMOUNT_MUST_NOT_BE_ZERO;
        }
        if (amount < 0)
        {
            return ResultCode.AMOUNT_MUST_NOT_BE_NEGATIVE;
        }
        if (currency == 0)
        {
            return ResultCode.CURRENCY_MUST_NOT_BE_ZERO;
        }

        final Accounts accounts = this.accounts;
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
        if (accounts.currency(debit) != currency)
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

        // Spending limits of the debit account.
        int limitsRecord = -1;
        long dayIndex = 0;
        if ((accounts.policy(debit) & POLICY_HAS_LIMITS) != 0)
        {
            limitsRecord = limits.recordOf(debit);
            dayIndex = AccountLimits.dayIndex(timestamp, policies.dayStartSeconds);
            final ResultCode limited = checks.limits(limitsRecord, amount, timestamp, dayIndex);
            if (limited != null)
            {
                return limited;
            }
        }

        // Large transfers become holds for an operator's review.
        boolean review = false;
        if (!isPending)
        {
            final long threshold = policies.reviewThreshold(currency);
            if (threshold != 0 && amount > threshold)
            {
                if (inChain || (flags & TRANSFER_LINKED) != 0)
                {
                    return ResultCode.REVIEW_REQUIRED_OUTSIDE_LINKED_CHAIN;
                }
                review = true;
                isPending = true;
            }
        }

        // The fee of a single-phase transfer (a hold pays its fee when it is posted).
        long fee = 0;
        int feeSlot = -1;
        if (!isPending)
        {
            final ResultCode feeFailure = checks.resolveFee(event.code(), currency, amount, debit);
            if (feeFailure != null)
            {
                return feeFailure;
            }
            fee = checks.resolvedFee;
            feeSlot = checks.resolvedFeeSlot;
        }

        long expiresAt = 0;
        if (isPending && timeout != 0)
        {
            // Unsigned seconds, at most 2^32 - 1: the product fits in a long; the sum may not.
            expiresAt = timestamp + (timeout & 0xFFFF_FFFFL) * NANOS_PER_SECOND;
            if (expiresAt < 0)
            {
                return ResultCode.OVERFLOWS_TIMEOUT;
            }
        }

        final long debitsPending = accounts.debitsPending(debit);
        final long debitsPosted = accounts.debitsPosted(debit);
        final long creditsPending = accounts.creditsPending(credit);
        final long creditsPosted = accounts.creditsPosted(credit);

        // Balances are never negative and amount > 0, so a negative sum is an overflow.
        if (isPending)
        {
            if (debitsPending + amount < 0)
            {
                return ResultCode.OVERFLOWS_DEBITS_PENDING;
            }
            if (creditsPending + amount < 0)
            {
                return ResultCode.OVERFLOWS_CREDITS_PENDING;
            }
        }
        else
        {
            if (debitsPosted + amount < 0 || debitsPosted + amount + fee < 0)
            {
                return ResultCode.OVERFLOWS_DEBITS_POSTED;
            }
            if (creditsPosted + amount < 0)
            {
                return ResultCode.OVERFLOWS_CREDITS_POSTED;
            }
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
        if (fee > 0)
        {
            final ResultCode feeFailure = checks.feeCredit(feeSlot, credit, amount, fee);
            if (feeFailure != null)
            {
                return feeFailure;
            }
        }
        if (isPending && pending.isFull())
        {
            return ResultCode.PENDING_TRANSFERS_FULL;
        }

        // Every check passed: apply.
        if (inChain)
        {
            undo.balances(accounts, debit);
            undo.balances(accounts, credit);
            if (feeSlot >= 0)
            {
                undo.balances(accounts, feeSlot);
            }
            if (limitsRecord >= 0)
            {
                undo.limitsSpending(limits, limitsRecord);
            }
        }
        if (limitsRecord >= 0)
        {
            limits.recordDebit(limitsRecord, amount, timestamp, dayIndex);
        }
        if (isPending)
        {
            accounts.debitsPending(debit, debitsPending + amount);
            accounts.creditsPending(credit, creditsPending + amount);
        }
        else
        {
            accounts.debitsPosted(debit, debitsPosted + amount + fee);
            accounts.creditsPosted(credit, creditsPosted + amount);
            if (fee > 0)
            {
                accounts.creditsPosted(feeSlot, accounts.creditsPosted(feeSlot) + fee);
            }
        }

        final int pendingStatus = isPending ? PENDING_STATUS_PENDING : PENDING_STATUS_NONE;
        final int storedFlags = review ? (flags | TRANSFER_PENDING | TRANSFER_REVIEW) : flags & ~TRANSFER_LINKED;
        final int slot = history.nextSlot();
        final TransferRecords records = history.records();
        records.write(slot, idLo, idHi, debitAccountId, creditAccountId, amount, 0, 0,
            event.userData128Lo(), event.userData128Hi(), event.userData64(), timestamp, expiresAt,
            event.userData32(), timeout, currency, event.code(), storedFlags, ResultCode.OK.value(), pendingStatus, idHash);
        if (fee > 0)
        {
            records.fee(slot, fee, feeSlot);
        }
        history.commitAppend(slot);
        if (inChain)
        {
            undo.historyAppended();
        }

        if (isPending)
        {
            final int hold = pending.claim();
            records.copy(slot, pending.records(), hold);
            pending.commit(hold);
            if (inChain)
            {
                undo.pendingInserted(hold);
            }
        }
        return review ? ResultCode.HELD_FOR_REVIEW : ResultCode.OK;
    }

    /**
     * Posts or voids a hold: a client's {@code post_pending} / {@code void_pending} transfer, or an operator's
     * review decision ({@code reviewer}), the only way to resolve a hold held for review.
     */
    ResultCode resolvePending(
        final long idLo,
        final long idHi,
        final long idHash,
        final int flags,
        final long timestamp,
        final long pendingIdLo,
        final long pendingIdHi,
        final long requestedAmount,
        final long requestedDebitAccountId,
        final long requestedCreditAccountId,
        final int requestedCurrency,
        final long timeout,
        final int code,
        final long userData128Lo,
        final long userData128Hi,
        final long userData64,
        final int userData32,
        final boolean reviewer)
    {
        final boolean isPost = (flags & TRANSFER_POST_PENDING) != 0;

        if (pendingIdLo == 0 && pendingIdHi == 0)
        {
            return ResultCode.PENDING_ID_MUST_NOT_BE_ZERO;
        }
        if (pendingIdLo == idLo && pendingIdHi == idHi)
        {
            return ResultCode.PENDING_ID_MUST_BE_DIFFERENT;
        }
        if (timeout != 0)
        {
            return ResultCode.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }
        if (requestedAmount < 0)
        {
            return ResultCode.AMOUNT_MUST_NOT_BE_NEGATIVE;
        }

        final int hold = pending.find(pendingIdLo, pendingIdHi);
        if (hold < 0)
        {
            return resolvedHoldResult(pendingIdLo, pendingIdHi);
        }

        final TransferRecords holds = pending.records();
        final long debitAccountId = holds.debitAccountId(hold);
        final long creditAccountId = holds.creditAccountId(hold);
        final int currency = holds.currency(hold);
        final long holdAmount = holds.amount(hold);
        if (requestedDebitAccountId != 0 && requestedDebitAccountId != debitAccountId)
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (requestedCreditAccountId != 0 && requestedCreditAccountId != creditAccountId)
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        if (requestedCurrency != 0 && requestedCurrency != currency)
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_CURRENCY;
        }
        final boolean underReview = (holds.flags(hold) & TRANSFER_REVIEW) != 0;
        if (underReview && !reviewer)
        {
            return ResultCode.PENDING_TRANSFER_UNDER_REVIEW;
        }
        if (!underReview && reviewer)
        {
            return ResultCode.PENDING_TRANSFER_NOT_UNDER_REVIEW;
        }
        final long expiresAt = holds.expiresAt(hold);
        if (expiresAt != 0 && expiresAt <= timestamp)
        {
            return ResultCode.PENDING_TRANSFER_EXPIRED;
        }
        final long amount;
        if (isPost)
        {
            amount = requestedAmount == 0 ? holdAmount : requestedAmount;
            if (amount > holdAmount)
            {
                return ResultCode.EXCEEDS_PENDING_TRANSFER_AMOUNT;
            }
        }
        else
        {
            if (requestedAmount != 0 && requestedAmount != holdAmount)
            {
                return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT;
            }
            amount = holdAmount;
        }

        final Accounts accounts = this.accounts;
        final int debit = requireAccount(debitAccountId);
        final int credit = requireAccount(creditAccountId);

        // A capture pays the fee of the hold's code and currency on the amount captured.
        long fee = 0;
        int feeSlot = -1;
        if (isPost)
        {
            final ResultCode feeFailure = checks.resolveFee(holds.code(hold), currency, amount, debit);
            if (feeFailure != null)
            {
                return feeFailure;
            }
            fee = checks.resolvedFee;
            feeSlot = checks.resolvedFeeSlot;
        }
        if (fee > 0)
        {
            // Capturing the amount cannot overflow (pending + posted never exceeds 2^63-1); the fee can.
            final long debitsAfter = accounts.debitsPending(debit) - holdAmount + accounts.debitsPosted(debit) + amount;
            if (accounts.debitsPosted(debit) + amount + fee < 0)
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
            final ResultCode feeFailure = checks.feeCredit(feeSlot, credit, 0, fee);
            if (feeFailure != null)
            {
                return feeFailure;
            }
        }
        if (isPost && (accounts.debitsPosted(debit) + amount < 0 || accounts.creditsPosted(credit) + amount < 0))
        {
            throw new IllegalStateException("posted balance overflow on capture: pending + posted exceeded 2^63-1");
        }

        // Every check passed: release the hold, post what is captured.
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
        if (isPost)
        {
            accounts.debitsPosted(debit, accounts.debitsPosted(debit) + amount + fee);
            accounts.creditsPosted(credit, accounts.creditsPosted(credit) + amount);
            if (fee > 0)
            {
                accounts.creditsPosted(feeSlot, accounts.creditsPosted(feeSlot) + fee);
            }
        }
        if (inChain)
        {
            undo.pendingRemoved(holds, hold);
        }
        pending.remove(hold);
        markHistory(pendingIdLo, pendingIdHi, isPost ? PENDING_STATUS_POSTED : PENDING_STATUS_VOIDED);

        final int slot = history.nextSlot();
        history.records().write(slot, idLo, idHi, debitAccountId, creditAccountId, amount, pendingIdLo, pendingIdHi,
            userData128Lo, userData128Hi, userData64, timestamp, 0, userData32, 0,
            currency, code, flags & ~TRANSFER_LINKED, ResultCode.OK.value(), PENDING_STATUS_NONE, idHash);
        if (fee > 0)
        {
            history.records().fee(slot, fee, feeSlot);
        }
        history.commitAppend(slot);
        if (inChain)
        {
            undo.historyAppended();
        }
        return ResultCode.OK;
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
