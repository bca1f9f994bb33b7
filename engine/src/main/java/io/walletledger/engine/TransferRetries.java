package io.walletledger.engine;

import io.walletledger.protocol.sbe.ResultCode;

import static io.walletledger.engine.Flags.TRANSFER_LINKED;
import static io.walletledger.engine.Flags.TRANSFER_PENDING;
import static io.walletledger.engine.Flags.TRANSFER_REVIEW;
import static io.walletledger.engine.Flags.TRANSFER_POST_PENDING;
import static io.walletledger.engine.Flags.TRANSFER_VOID_PENDING;

/**
 * The answer to a transfer whose id is already remembered: the first field that differs, in the order
 * docs/ledger-semantics.md gives, else the original failure, {@code HELD_FOR_REVIEW} or {@code EXISTS}. A failed
 * transfer is compared field by field too, so a request that only shares the id learns nothing of its outcome.
 */
final class TransferRetries
{
    private TransferRetries()
    {
    }

    /**
     * Compares a retried transfer with the one already recorded under its id (as stored if it applied, as asked if
     * it failed).
     */
    static ResultCode compare(
        final TransferRecords records, final int slot, final TransferEvent event)
    {
        final int originalResult = records.result(slot);
        final boolean failed =
            originalResult != ResultCode.OK.value() && originalResult != ResultCode.HELD_FOR_REVIEW.value();
        final int storedFlags = records.flags(slot) & ~TRANSFER_LINKED;
        // A transfer held for review was asked for as a single-phase one; a failure keeps the flags asked for.
        final boolean heldForReview = !failed && (storedFlags & TRANSFER_REVIEW) != 0;
        final int flags = heldForReview ? storedFlags & ~(TRANSFER_REVIEW | TRANSFER_PENDING) : storedFlags;
        if (flags != (event.flags() & ~TRANSFER_LINKED))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_FLAGS;
        }
        if (records.pendingIdLo(slot) != event.pendingIdLo() || records.pendingIdHi(slot) != event.pendingIdHi())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_PENDING_ID;
        }
        if (records.timeout(slot) != event.timeout())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_TIMEOUT;
        }
        // A post or void may leave accounts, amount and currency zero to mean "as the hold"; the record of one that
        // applied holds the resolved values, so zero in a retry matches them.
        final boolean resolves = (flags & (TRANSFER_POST_PENDING | TRANSFER_VOID_PENDING)) != 0;
        if (differs(records.debitAccountId(slot), event.debitAccountId(), resolves))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (differs(records.creditAccountId(slot), event.creditAccountId(), resolves))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        if (differs(records.amount(slot), event.amount(), resolves))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_AMOUNT;
        }
        if (differs(records.currency(slot), event.currency(), resolves))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_CURRENCY;
        }
        if (records.userData128Lo(slot) != event.userData128Lo() || records.userData128Hi(slot) != event.userData128Hi())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA_128;
        }
        if (records.userData64(slot) != event.userData64())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA_64;
        }
        if (records.userData32(slot) != event.userData32())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA_32;
        }
        if (records.code(slot) != event.code())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_CODE;
        }
        if (failed)
        {
            return ResultCode.get(originalResult);
        }
        return heldForReview ? ResultCode.HELD_FOR_REVIEW : ResultCode.EXISTS;
    }

    private static boolean differs(final long recorded, final long requested, final boolean zeroMatches)
    {
        return recorded != requested && !(zeroMatches && requested == 0);
    }
}
