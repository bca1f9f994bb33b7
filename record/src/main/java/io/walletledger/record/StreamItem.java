package io.walletledger.record;

import io.walletledger.engine.AppliedTransfer;

/**
 * One item of the record in the ledger's order ({@link TransferRecordStore#stream}): a transfer the ledger decided,
 * or another event ({@link RecordedEvent}); exactly one of the two is set.
 *
 * @param position where it stands ({@link TransferRecordStore#position(long, int)}).
 */
public record StreamItem(long position, AppliedTransfer transfer, RecordedEvent event)
{
    /**
     * @return whether the item names the account: a transfer's debit, credit or fee account, an account event's
     * account.
     */
    public boolean touches(final long accountId)
    {
        if (transfer != null)
        {
            return transfer.debitAccountId() == accountId || transfer.creditAccountId() == accountId ||
                (transfer.feeAccountId() == accountId && transfer.feeAccountId() != 0);
        }
        return event.type().isAccountEvent() && event.subject() == accountId;
    }

    /**
     * @return the engine timestamp of the item.
     */
    public long timestamp()
    {
        return transfer != null ? transfer.timestamp() : event.timestamp();
    }
}
