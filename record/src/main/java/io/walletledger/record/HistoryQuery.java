package io.walletledger.record;

/**
 * What to read of an account's history ({@link TransferRecordStore#history}).
 *
 * @param accountId  the account.
 * @param after      the position after which the page starts, in its order (exclusive); -1 to start at the end its
 *                   time range allows: the newest (descending) or the oldest (ascending).
 * @param limit      the most entries.
 * @param descending newest first.
 * @param parts      {@link AccountEntry#DEBIT} | {@link AccountEntry#CREDIT} | {@link AccountEntry#FEE}: the entries
 *                   in which the account played any of these parts.
 * @param from       the earliest engine timestamp included.
 * @param to         the latest engine timestamp included.
 */
public record HistoryQuery(long accountId, long after, int limit, boolean descending, int parts, long from, long to)
{
    /**
     * @return a query of any part at any time.
     */
    public static HistoryQuery of(final long accountId, final long after, final int limit, final boolean descending)
    {
        return new HistoryQuery(accountId, after, limit, descending, AccountEntry.ANY, 0, Long.MAX_VALUE);
    }

    public HistoryQuery withParts(final int parts)
    {
        return new HistoryQuery(accountId, after, limit, descending, parts, from, to);
    }
}
