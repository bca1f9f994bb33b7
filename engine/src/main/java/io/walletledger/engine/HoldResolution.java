package io.walletledger.engine;

import io.walletledger.protocol.sbe.ResultCode;

import static io.walletledger.engine.Flags.*;

/**
 * The rules of a post or void (docs/ledger-semantics.md, "Post or void"), whether a client's {@code post_pending} /
 * {@code void_pending} transfer or an operator's review decision, the only way to resolve a hold held for review:
 * pure checks in the documented order that note in the {@link TransferPlan} the hold and what moves, then one
 * apply that releases the hold, posts what is captured and its fee, closes the hold and records the post or void,
 * writing the undo log while a linked chain is open. An operator's decision arrives as the post or void it stands
 * for (the whole hold, as the hold, under the hold's code).
 */
final class HoldResolution
{
    private final Ledger ledger;
    private final Accounts accounts;
    private final PendingTransfers pending;
    private final TransferHistory history;
    private final TransferPolicyChecks checks;
    private final UndoLog undo;

    HoldResolution(final Ledger ledger, final TransferPolicyChecks checks, final UndoLog undo)
    {
        this.ledger = ledger;
        this.accounts = ledger.accounts();
        this.pending = ledger.pending();
        this.history = ledger.history();
        this.checks = checks;
        this.undo = undo;
    }

    /**
     * Checks a post or void in the documented order and applies it if every check passes.
     *
     * @param plan     begun.
     * @param reviewer whether the event is an operator's review decision.
     */
    ResultCode execute(final TransferEvent event, final TransferPlan plan, final boolean reviewer)
    {
        ResultCode failure = checkResolutionFields(event);
        if (failure != null)
        {
            return failure;
        }
        plan.hold = pending.find(event.pendingIdLo(), event.pendingIdHi());
        if (plan.hold < 0)
        {
            return resolvedHoldResult(event.pendingIdLo(), event.pendingIdHi());
        }
        failure = checkHold(event, plan, reviewer);
        if (failure != null)
        {
            return failure;
        }
        plan.debit = ledger.requireAccount(plan.debitAccountId);
        plan.credit = ledger.requireAccount(plan.creditAccountId);
        failure = checkFee(event, plan);
        if (failure != null)
        {
            return failure;
        }
        failure = plan.fee > 0 ? checkCaptureFee(plan) : null;
        if (failure != null)
        {
            return failure;
        }
        if ((event.flags() & TRANSFER_POST_PENDING) != 0 &&
            (accounts.debitsPosted(plan.debit) + plan.amount < 0 || accounts.creditsPosted(plan.credit) + plan.amount < 0))
        {
            throw new IllegalStateException("posted balance overflow on capture: pending + posted exceeded 2^63-1");
        }
        applyResolution(event, plan);
        return ResultCode.OK;
    }

    private static ResultCode checkResolutionFields(final TransferEvent event)
    {
        if (event.pendingIdLo() == 0 && event.pendingIdHi() == 0)
        {
            return ResultCode.PENDING_ID_MUST_NOT_BE_ZERO;
        }
        if (event.pendingIdLo() == event.idLo() && event.pendingIdHi() == event.idHi())
        {
            return ResultCode.PENDING_ID_MUST_BE_DIFFERENT;
        }
        if (event.timeout() != 0)
        {
            return ResultCode.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }
        if (event.amount() < 0)
        {
            return ResultCode.AMOUNT_MUST_NOT_BE_NEGATIVE;
        }
        return null;
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

    /**
     * The post or void against its open hold; on success the plan takes the hold's accounts and currency and the
     * amount that moves (what a post captures, or the whole hold).
     */
    private ResultCode checkHold(final TransferEvent event, final TransferPlan plan, final boolean reviewer)
    {
        final TransferRecords holds = pending.records();
        final int hold = plan.hold;
        final long debitAccountId = holds.debitAccountId(hold);
        final long creditAccountId = holds.creditAccountId(hold);
        final int currency = holds.currency(hold);
        if (event.debitAccountId() != 0 && event.debitAccountId() != debitAccountId)
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (event.creditAccountId() != 0 && event.creditAccountId() != creditAccountId)
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        if (event.currency() != 0 && event.currency() != currency)
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_CURRENCY;
        }
        final boolean underReview = (holds.flags(hold) & TRANSFER_REVIEW) != 0;
        if (underReview != reviewer)
        {
            return underReview ? ResultCode.PENDING_TRANSFER_UNDER_REVIEW : ResultCode.PENDING_TRANSFER_NOT_UNDER_REVIEW;
        }
        final long expiresAt = holds.expiresAt(hold);
        if (expiresAt != 0 && expiresAt <= plan.timestamp)
        {
            return ResultCode.PENDING_TRANSFER_EXPIRED;
        }
        final long holdAmount = holds.amount(hold);
        final ResultCode amountFailure = checkResolvedAmount(event, plan, holdAmount);
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
     * A post captures the whole hold (amount 0) or part of it; a void names nothing or the whole hold. Notes the
     * amount that moves.
     */
    private static ResultCode checkResolvedAmount(
        final TransferEvent event, final TransferPlan plan, final long holdAmount)
    {
        final long asked = event.amount();
        if ((event.flags() & TRANSFER_POST_PENDING) != 0)
        {
            if (asked > holdAmount)
            {
                return ResultCode.EXCEEDS_PENDING_TRANSFER_AMOUNT;
            }
            plan.amount = asked == 0 ? holdAmount : asked;
            return null;
        }
        if (asked != 0 && asked != holdAmount)
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT;
        }
        plan.amount = holdAmount;
        return null;
    }

    /**
     * A capture pays the fee of the hold's code and currency on the amount captured; a void pays none.
     */
    private ResultCode checkFee(final TransferEvent event, final TransferPlan plan)
    {
        if ((event.flags() & TRANSFER_POST_PENDING) == 0)
        {
            plan.noFee();
            return null;
        }
        return checks.resolveFee(plan, pending.records().code(plan.hold), plan.currency, plan.amount);
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
    private void applyResolution(final TransferEvent event, final TransferPlan plan)
    {
        final Accounts accounts = this.accounts;
        final int debit = plan.debit;
        final int credit = plan.credit;
        final int feeSlot = plan.feeSlot;
        final long holdAmount = plan.holdAmount;
        final boolean inChain = ledger.inChain();
        if (inChain)
        {
            undo.balances(accounts, debit);
            undo.balances(accounts, credit);
            if (feeSlot >= 0)
            {
                undo.balances(accounts, feeSlot);
            }
        }
        accounts.debitsPending(debit, Ledger.checkedRelease(accounts.debitsPending(debit), holdAmount));
        accounts.creditsPending(credit, Ledger.checkedRelease(accounts.creditsPending(credit), holdAmount));
        final boolean isPost = (event.flags() & TRANSFER_POST_PENDING) != 0;
        if (isPost)
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
        ledger.markHistory(event.pendingIdLo(), event.pendingIdHi(),
            isPost ? PENDING_STATUS_POSTED : PENDING_STATUS_VOIDED);
        final int slot = history.nextSlot();
        final TransferRecords records = history.records();
        records.writeResolution(slot, event, plan);
        if (plan.fee > 0)
        {
            records.fee(slot, plan.fee, plan.feeSlot);
        }
        history.commitAppend(slot);
        if (inChain)
        {
            undo.historyAppended();
        }
    }
}
