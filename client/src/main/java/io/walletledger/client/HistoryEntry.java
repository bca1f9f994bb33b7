package io.walletledger.client;

import io.walletledger.protocol.sbe.ResultCode;

/**
 * One transfer in an account's history, with the account's balances right after it. Failed transfers are listed too
 * (a payment refused for want of funds is part of a wallet's story): their result says why, and the balances are
 * those they left unchanged.
 *
 * @param transfer       the transfer (for a hold that was posted, voided or expired, its status now).
 * @param result         what the ledger answered: {@code OK} (or {@code HELD_FOR_REVIEW} for a hold the review rule
 *                       made) for a transfer that applied, else why it failed.
 * @param debit          the account paid it.
 * @param credit         the account received it.
 * @param fee            the account collected its fee.
 * @param debitsPending  the account's balances right after the transfer.
 * @param debitsPosted   the same.
 * @param creditsPending the same.
 * @param creditsPosted  the same.
 * @param cursor         where the entry stands in the record: a page asked after it starts right after it.
 */
public record HistoryEntry(
    TransferRecord transfer,
    ResultCode result,
    boolean debit,
    boolean credit,
    boolean fee,
    long debitsPending,
    long debitsPosted,
    long creditsPending,
    long creditsPosted,
    long cursor)
{
    /**
     * @return the posted balance right after the transfer: credits posted minus debits posted, in minor units.
     */
    public long balance()
    {
        return creditsPosted - debitsPosted;
    }

    /**
     * @return what the account could spend right after the transfer: the balance less the debits it held.
     */
    public long available()
    {
        return balance() - debitsPending;
    }
}
