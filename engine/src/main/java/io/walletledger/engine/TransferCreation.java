package io.walletledger.engine;

import io.walletledger.protocol.sbe.ResultCode;

import static io.walletledger.engine.AccountDescriptor.POLICY_FREEZE_CREDITS;
import static io.walletledger.engine.AccountDescriptor.POLICY_HAS_LIMITS;
import static io.walletledger.engine.Flags.*;

/**
 * The rules of a single-phase transfer or a new hold (docs/ledger-semantics.md, "Single-phase or pending"): pure
 * checks in the documented order, which note in the {@link TransferPlan} what they resolved (limits record and day,
 * review, fee, deadline), then one apply that moves or reserves the money, counts the debit against the payer's
 * limits, records the transfer and opens its hold, writing the undo log while a linked chain is open. The first
 * check that fails decides the result and nothing changes.
 * <p>
 * This is the hot path: nothing here allocates, each check is small enough for the JIT to inline, and what was asked
 * for is read from the event rather than copied.
 */
final class TransferCreation
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Ledger ledger;
    private final Accounts accounts;
    private final PendingTransfers pending;
    private final TransferHistory history;
    private final AccountLimits limits;
    private final Policies policies;
    private final TransferPolicyChecks checks;
    private final UndoLog undo;

    TransferCreation(final Ledger ledger, final TransferPolicyChecks checks, final UndoLog undo)
    {
        this.ledger = ledger;
        this.accounts = ledger.accounts();
        this.pending = ledger.pending();
        this.history = ledger.history();
        this.limits = ledger.limits();
        this.policies = ledger.policies();
        this.checks = checks;
        this.undo = undo;
    }

    /**
     * Checks a single-phase transfer or a new hold in the documented order and applies it if every check passes.
     *
     * @param plan begun, with the slots of the transfer's accounts (negative for none).
     */
    ResultCode execute(final TransferEvent event, final TransferPlan plan)
    {
        final long amount = event.amount();
        final int currency = event.currency();
        final int timeout = event.timeout();
        final int flags = event.flags();
        ResultCode failure = checkTransferFields(event, plan.pending);
        if (failure != null)
        {
            return failure;
        }
        failure = checkTransferAccounts(plan, currency);
        if (failure != null)
        {
            return failure;
        }
        failure = checkLimits(plan, amount);
        if (failure != null)
        {
            return failure;
        }
        failure = checkReview(plan, amount, currency, flags);
        if (failure != null)
        {
            return failure;
        }
        failure = checkFee(plan, event.code(), currency, amount);
        if (failure != null)
        {
            return failure;
        }
        failure = checkTimeout(plan, timeout);
        if (failure != null)
        {
            return failure;
        }
        failure = checkHoldPolicies(event, plan, timeout);
        if (failure != null)
        {
            return failure;
        }
        failure = checkTransferBalances(plan, amount);
        if (failure != null)
        {
            return failure;
        }
        if (plan.pending && pending.isFull())
        {
            return ResultCode.PENDING_TRANSFERS_FULL;
        }
        // Every check passed: apply. The steps are called from here, not from one method that inlines them all: such
        // a method, compiled on its own first (it is as hot as this one), would be too big for the JIT to inline here.
        moveMoney(plan, amount);
        final int slot = writeRecord(event, plan, flags);
        history.commitAppend(slot);
        if (ledger.inChain())
        {
            undo.historyAppended();
        }
        if (plan.pending)
        {
            openHold(slot);
        }
        return plan.review ? ResultCode.HELD_FOR_REVIEW : ResultCode.OK;
    }

    /**
     * @param pending whether the transfer asks for a hold.
     */
    private static ResultCode checkTransferFields(final TransferEvent event, final boolean pending)
    {
        final long debitAccountId = event.debitAccountId();
        final long creditAccountId = event.creditAccountId();
        final long amount = event.amount();
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
        if (!pending && event.timeout() != 0)
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
        if (event.currency() == 0)
        {
            return ResultCode.CURRENCY_MUST_NOT_BE_ZERO;
        }
        return null;
    }

    private ResultCode checkTransferAccounts(final TransferPlan plan, final int currency)
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
        return null;
    }

    /**
     * The spending limits of the debit account, if it has any; notes its record and today for the apply.
     */
    private ResultCode checkLimits(final TransferPlan plan, final long amount)
    {
        if ((accounts.policy(plan.debit) & POLICY_HAS_LIMITS) == 0)
        {
            plan.limitsRecord = -1;
            return null;
        }
        plan.limitsRecord = limits.recordOf(plan.debit);
        plan.dayIndex = AccountLimits.dayIndex(plan.timestamp, policies.dayStartSeconds);
        return checks.limits(plan.limitsRecord, amount, plan.timestamp, plan.dayIndex);
    }

    /**
     * Large single-phase transfers become holds for an operator's review, which a linked chain cannot wait for.
     */
    private ResultCode checkReview(final TransferPlan plan, final long amount, final int currency, final int flags)
    {
        plan.review = false;
        if (plan.pending)
        {
            return null;
        }
        final long threshold = policies.reviewThreshold(currency);
        if (threshold == 0 || amount <= threshold)
        {
            return null;
        }
        if (ledger.inChain() || (flags & TRANSFER_LINKED) != 0)
        {
            return ResultCode.REVIEW_REQUIRED_OUTSIDE_LINKED_CHAIN;
        }
        plan.review = true;
        plan.pending = true;
        return null;
    }

    /**
     * A single-phase transfer pays the fee of its code and currency; a hold pays its fee when it is posted.
     */
    private ResultCode checkFee(final TransferPlan plan, final int code, final int currency, final long amount)
    {
        if (plan.pending)
        {
            plan.noFee();
            return null;
        }
        return checks.resolveFee(plan, code, currency, amount);
    }

    /**
     * @param timeout unsigned seconds.
     */
    private static ResultCode checkTimeout(final TransferPlan plan, final int timeout)
    {
        plan.expiresAt = 0;
        if (plan.pending && timeout != 0)
        {
            // Unsigned seconds, at most 2^32 - 1: the product fits in a long; the sum may not.
            plan.expiresAt = plan.timestamp + (timeout & 0xFFFF_FFFFL) * NANOS_PER_SECOND;
            if (plan.expiresAt < 0)
            {
                return ResultCode.OVERFLOWS_TIMEOUT;
            }
        }
        return null;
    }

    /**
     * The hold policies: a hold a transfer asks for has a timeout within {@code holdTimeoutMaxSeconds}; any hold
     * (asked for, or made for review) finds its debit account below {@code holdsPerAccountMax} open holds.
     */
    private ResultCode checkHoldPolicies(final TransferEvent event, final TransferPlan plan, final int timeout)
    {
        if (!plan.pending)
        {
            return null;
        }
        final long timeoutMax = policies.holdTimeoutMaxSeconds & 0xFFFF_FFFFL;
        if (!plan.review && timeoutMax != 0 && (timeout == 0 || (timeout & 0xFFFF_FFFFL) > timeoutMax))
        {
            return ResultCode.HOLD_TIMEOUT_EXCEEDS_MAX;
        }
        final int holdsMax = policies.holdsPerAccountMax;
        if (holdsMax != 0 && pending.holdsOf(event.debitAccountId()) >= holdsMax)
        {
            return ResultCode.HOLDS_PER_ACCOUNT_FULL;
        }
        return null;
    }

    /**
     * The overflow and no-overdraft rules, counting amount + fee on the debit side; then the fee account's.
     * Balances are never negative and amount > 0, so a negative sum is an overflow.
     */
    private ResultCode checkTransferBalances(final TransferPlan plan, final long amount)
    {
        final Accounts accounts = this.accounts;
        final int debit = plan.debit;
        final int credit = plan.credit;
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
     * Writes the transfer's record, with its fee, as the next of the history; the caller appends it.
     *
     * @param flags as asked for.
     * @return the record's slot.
     */
    private int writeRecord(final TransferEvent event, final TransferPlan plan, final int flags)
    {
        final int slot = history.nextSlot();
        final TransferRecords records = history.records();
        records.writeNew(slot, event, plan,
            plan.review ? flags | TRANSFER_PENDING | TRANSFER_REVIEW : flags & ~TRANSFER_LINKED);
        if (plan.fee > 0)
        {
            records.fee(slot, plan.fee, plan.feeSlot);
        }
        return slot;
    }

    /**
     * Counts the debit against the payer's limits and moves the money (or reserves it), saving what it changes for
     * undo while a chain is open.
     */
    private void moveMoney(final TransferPlan plan, final long amount)
    {
        final Accounts accounts = this.accounts;
        final int debit = plan.debit;
        final int credit = plan.credit;
        if (ledger.inChain())
        {
            saveForUndo(plan);
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
                accounts.creditsPosted(plan.feeSlot, accounts.creditsPosted(plan.feeSlot) + plan.fee);
            }
        }
    }

    /**
     * Saves what the apply is about to change, so that a failed chain can undo it: the balances of the accounts the
     * transfer touches and the spending of the payer's limits.
     */
    private void saveForUndo(final TransferPlan plan)
    {
        undo.balances(accounts, plan.debit);
        undo.balances(accounts, plan.credit);
        if (plan.feeSlot >= 0)
        {
            undo.balances(accounts, plan.feeSlot);
        }
        if (plan.limitsRecord >= 0)
        {
            undo.limitsSpending(limits, plan.limitsRecord);
        }
    }

    /**
     * Opens the hold of a pending transfer whose record was just written to the history at {@code historySlot}.
     */
    private void openHold(final int historySlot)
    {
        final int hold = pending.claim();
        history.records().copy(historySlot, pending.records(), hold);
        pending.commit(hold);
        if (ledger.inChain())
        {
            undo.pendingInserted(hold);
        }
    }
}
