package io.walletledger.gateway;

import java.util.List;

/**
 * One page of an account's history, from the archive.
 *
 * @param entries the transfers, in the order asked for, each with the account's balances right after it.
 * @param next    where the next page starts (its entries come after this position, in the same order), or -1 if
 *                this page is the last one so far.
 */
public record AccountHistory(List<Entry> entries, long next)
{
    /**
     * What to read of an account's history.
     *
     * @param after      the position after which the page starts, in its order; -1 to start from the time range.
     * @param limit      the most transfers.
     * @param descending newest first.
     * @param parts      {@link #DEBIT} | {@link #CREDIT} | {@link #FEE}: the transfers in which the account played
     *                   any of these parts.
     * @param from       the earliest engine timestamp included.
     * @param to         the latest engine timestamp included.
     */
    public record Query(long accountId, long after, int limit, boolean descending, int parts, long from, long to)
    {
    }

    /** The account's part in a transfer. */
    public static final int DEBIT = 1;
    public static final int CREDIT = 2;
    public static final int FEE = 4;

    /**
     * @param transfer  the transfer.
     * @param position  its position in the record.
     * @param parts     {@link #DEBIT}, {@link #CREDIT}, {@link #FEE}, or'ed: what the account was in it.
     * @param timestamp its engine timestamp.
     */
    public record Entry(
        ArchivedTransfer transfer,
        long position,
        int parts,
        long timestamp,
        long debitsPending,
        long debitsPosted,
        long creditsPending,
        long creditsPosted)
    {
    }
}
