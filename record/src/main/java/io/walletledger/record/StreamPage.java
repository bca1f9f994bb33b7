package io.walletledger.record;

import java.util.List;

/**
 * A part of the record read in the ledger's order ({@link TransferRecordStore#stream}).
 *
 * @param items     the items that matched, in position order.
 * @param scannedTo the position of the last item read, matching or not (the {@code after} it was asked for if it
 *                  read none): where the next part starts.
 * @param atEnd     whether the read stopped at the end of the record (rather than at its limit or its bound): there
 *                  is nothing more to read until the record moves.
 */
public record StreamPage(List<StreamItem> items, long scannedTo, boolean atEnd)
{
}
