package io.walletledger.client;

import io.walletledger.protocol.sbe.PendingStatus;

/**
 * A transfer as the ledger stored it, as returned by a lookup. A post or void is stored with the accounts, amount
 * and currency resolved from its hold. The {@code linked} flag describes a request, not a transfer, so it is not
 * stored.
 *
 * @param id              the transfer id.
 * @param debitAccountId  the account debited.
 * @param creditAccountId the account credited.
 * @param amount          minor units moved, held or captured.
 * @param pendingId       the hold a post or void referred to; zero otherwise.
 * @param userData128Hi   high half of the caller's 128 bits.
 * @param userData128Lo   low half of the caller's 128 bits.
 * @param userData64      the caller's 64 bits.
 * @param userData32      the caller's 32 bits (unsigned on the wire).
 * @param timeoutSeconds  a hold's timeout (unsigned); 0 = never.
 * @param currency        numeric currency code.
 * @param code            the transfer kind.
 * @param pending         a hold.
 * @param postPending     a capture of a hold.
 * @param voidPending     a release of a hold.
 * @param review          a hold created by the large-transfer rule, which only a {@link ReviewDecision} resolves.
 * @param pendingStatus   for a hold: {@code PENDING}, {@code POSTED}, {@code VOIDED} or {@code EXPIRED}; {@code NONE}
 *                        for every other transfer.
 * @param timestamp       when the transfer was applied, ns since the epoch (the ledger's clock).
 * @param fee             minor units the debit account paid to {@code feeAccountId} with this transfer (or this
 *                        capture of a hold); 0 = none.
 * @param feeAccountId    the account that received the fee; 0 if there was none.
 */
public record TransferRecord(
    TransferId id,
    long debitAccountId,
    long creditAccountId,
    long amount,
    TransferId pendingId,
    long userData128Hi,
    long userData128Lo,
    long userData64,
    int userData32,
    int timeoutSeconds,
    int currency,
    int code,
    boolean pending,
    boolean postPending,
    boolean voidPending,
    boolean review,
    PendingStatus pendingStatus,
    long timestamp,
    long fee,
    long feeAccountId)
{
}
