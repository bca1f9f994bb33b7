package io.walletledger.record;

import io.walletledger.engine.AppliedTransfer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A transfer read back from the record: the {@link AppliedTransfer} as the engine decided it, where it stands in the
 * journal, and for a hold, the event that closed it (posted, voided or expired), if any.
 *
 * @param transfer       the transfer as decided, with its accounts' balances right after it.
 * @param position       where it stands: its command's journal sequence and its index among the command's
 *                       transfers ({@link TransferRecordStore#position(long, int)}).
 * @param closedBy       for a hold, the transfer that closed it (a post, a void, or the expiry), else null.
 */
public record RecordedTransfer(AppliedTransfer transfer, long position, AppliedTransfer closedBy)
{
    static AppliedTransfer copyOf(final byte[] bytes)
    {
        return new AppliedTransfer().wrap(new UnsafeBuffer(bytes), 0);
    }
}
