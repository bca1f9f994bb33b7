package io.walletledger.gateway;

import java.util.List;

/**
 * A transfer as the archive keeps it: the fields of a transfer lookup, and the result the ledger gave it (a failed
 * transfer is kept too).
 *
 * @param flags         the names of its flags: {@code pending}, {@code post_pending}, {@code void_pending},
 *                      {@code review}.
 * @param pendingStatus for a hold: {@code pending}, {@code posted}, {@code voided} or {@code expired}; else
 *                      {@code none}.
 * @param result        the result code's name, {@code OK} for a transfer that applied.
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
    List<String> flags,
    long pendingIdHi,
    long pendingIdLo,
    long timeout,
    long userData128Hi,
    long userData128Lo,
    long userData64,
    long userData32,
    long timestamp,
    String pendingStatus,
    String result)
{
}
