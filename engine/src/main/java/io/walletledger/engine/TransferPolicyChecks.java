package io.walletledger.engine;

import io.walletledger.protocol.sbe.ResultCode;

import static io.walletledger.engine.AccountDescriptor.POLICY_FREEZE_CREDITS;
import static io.walletledger.engine.Flags.ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS;

/**
 * The wallet-policy checks a transfer passes on its way through {@link Ledger}: the payer's limits, and the fee
 * its code and currency pay (how much, to which account, and whether that account can take it). They read the
 * ledger and change nothing in it (the fee found goes into the transfer's {@link TransferPlan}); the ledger applies
 * the transfer once every check passed.
 */
final class TransferPolicyChecks
{
    private final Accounts accounts;
    private final AccountLimits limits;
    private final Policies policies;

    TransferPolicyChecks(final Accounts accounts, final AccountLimits limits, final Policies policies)
    {
        this.accounts = accounts;
        this.limits = limits;
        this.policies = policies;
    }

    /**
     * @return null if a debit of {@code amount} at {@code timestamp} keeps the account within its limits,
     * otherwise the limit it breaks.
     */
    ResultCode limits(final int record, final long amount, final long timestamp, final long dayIndex)
    {
        final long perTransfer = limits.transferAmountLimit(record);
        if (perTransfer != 0 && amount > perTransfer)
        {
            return ResultCode.EXCEEDS_TRANSFER_AMOUNT_LIMIT;
        }
        final long daily = limits.dailyDebitLimit(record);
        if (daily != 0)
        {
            final long used = limits.dailyDebitsUsed(record, dayIndex);
            if (used + amount < 0 || used + amount > daily)
            {
                return ResultCode.EXCEEDS_DAILY_DEBIT_LIMIT;
            }
        }
        if (limits.velocityExceeded(record, timestamp))
        {
            return ResultCode.EXCEEDS_VELOCITY_LIMIT;
        }
        return null;
    }

    /**
     * Finds the fee a transfer of {@code amount} with this code and currency pays and the account it goes to, into
     * the plan's {@code fee} and {@code feeSlot} (0 and -1 for none, also when the payer, the plan's {@code debit}, is
     * the fee account).
     *
     * @return null, or why the transfer cannot pay its fee.
     */
    ResultCode resolveFee(final TransferPlan plan, final int code, final int currency, final long amount)
    {
        plan.noFee();
        final int feeEntry = policies.feeEntry(code, currency);
        if (feeEntry < 0)
        {
            return null;
        }
        final long fee = policies.fee(feeEntry, amount);
        if (fee < 0)
        {
            return ResultCode.OVERFLOWS_DEBITS_POSTED;
        }
        if (fee == 0)
        {
            return null;
        }
        final int feeSlot = feeAccount(feeEntry, currency);
        if (feeSlot < 0)
        {
            return feeAccountFailure(feeEntry, currency);
        }
        if (feeSlot != plan.debit)
        {
            plan.fee = fee;
            plan.feeSlot = feeSlot;
        }
        return null;
    }

    /**
     * @return the slot of the fee account of a schedule entry if it exists, has the currency and may receive,
     * otherwise -1 (see {@link #feeAccountFailure}).
     */
    private int feeAccount(final int feeEntry, final int currency)
    {
        final int slot = accounts.slotOf(policies.feeAccountId[feeEntry]);
        if (slot < 0 || accounts.currency(slot) != currency)
        {
            return -1;
        }
        final int status = accounts.status(slot);
        if (status == AccountStatusValue.CLOSED ||
            (status == AccountStatusValue.FROZEN && (accounts.policy(slot) & POLICY_FREEZE_CREDITS) != 0))
        {
            return -1;
        }
        return slot;
    }

    private ResultCode feeAccountFailure(final int feeEntry, final int currency)
    {
        final int slot = accounts.slotOf(policies.feeAccountId[feeEntry]);
        if (slot < 0)
        {
            return ResultCode.FEE_ACCOUNT_NOT_FOUND;
        }
        if (accounts.currency(slot) != currency)
        {
            return ResultCode.FEE_ACCOUNT_HAS_DIFFERENT_CURRENCY;
        }
        return accounts.status(slot) == AccountStatusValue.CLOSED ?
            ResultCode.FEE_ACCOUNT_CLOSED : ResultCode.FEE_ACCOUNT_FROZEN;
    }

    /**
     * Checks that the fee account can take {@code fee} more posted credits, on top of {@code amount} if it is
     * also the credit account of the transfer.
     */
    ResultCode feeCredit(final int feeSlot, final int credit, final long amount, final long fee)
    {
        final long extra = feeSlot == credit ? amount + fee : fee;
        final long posted = accounts.creditsPosted(feeSlot);
        if (posted + extra < 0)
        {
            return ResultCode.OVERFLOWS_CREDITS_POSTED;
        }
        final long after = accounts.creditsPending(feeSlot) + posted + extra;
        if (after < 0)
        {
            return ResultCode.OVERFLOWS_CREDITS;
        }
        if ((accounts.flags(feeSlot) & ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS) != 0 &&
            after > accounts.debitsPosted(feeSlot))
        {
            return ResultCode.EXCEEDS_DEBITS;
        }
        return null;
    }
}
