package io.walletledger.gateway;

import io.walletledger.protocol.sbe.PendingStatus;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.TransferFlagsDecoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A transfer as the archive keeps it: the fields of a transfer lookup, and the result the ledger gave it (a failed
 * transfer is kept too).
 *
 * @param flags         the wire's {@code TransferFlags} bits.
 * @param pendingStatus for a hold: {@code PENDING}, {@code POSTED}, {@code VOIDED} or {@code EXPIRED}; else
 *                      {@code NONE}.
 * @param result        the result the ledger gave it: {@code OK} (or {@code HELD_FOR_REVIEW}) for a transfer that
 *                      applied.
 */
public record ArchivedTransfer(
    long idHi,
    long idLo,
    long debitAccountId,
    long creditAccountId,
    long amount,
    long fee,
    long feeAccountId,
    int currency,
    int code,
    int flags,
    long pendingIdHi,
    long pendingIdLo,
    long timeout,
    long userData128Hi,
    long userData128Lo,
    long userData64,
    long userData32,
    long timestamp,
    PendingStatus pendingStatus,
    ResultCode result)
{
    /**
     * @return the names of its flags as the HTTP API spells them: {@code pending}, {@code post_pending},
     * {@code void_pending}, {@code review}.
     */
    public List<String> flagNames()
    {
        final short bits = (short)flags;
        final List<String> names = new ArrayList<>(4);
        if (TransferFlagsDecoder.pending(bits))
        {
            names.add("pending");
        }
        if (TransferFlagsDecoder.postPending(bits))
        {
            names.add("post_pending");
        }
        if (TransferFlagsDecoder.voidPending(bits))
        {
            names.add("void_pending");
        }
        if (TransferFlagsDecoder.review(bits))
        {
            names.add("review");
        }
        return names;
    }

    /**
     * @return its pending status as the HTTP API spells it: {@code none}, {@code pending}, {@code posted},
     * {@code voided} or {@code expired}.
     */
    public String pendingStatusName()
    {
        return pendingStatus.name().toLowerCase(Locale.ROOT);
    }

    /**
     * @return whether the ledger applied it (a failed transfer moved nothing and is kept only for its id).
     */
    public boolean applied()
    {
        return result == ResultCode.OK || result == ResultCode.HELD_FOR_REVIEW;
    }
}
