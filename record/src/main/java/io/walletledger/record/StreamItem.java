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
     * @return the engine timestamp of the item.
     */
    public long timestamp()
    {
        return transfer != null ? transfer.timestamp() : event.timestamp();
    }
}
