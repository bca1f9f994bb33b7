package io.walletledger.client;

import io.walletledger.protocol.ProtocolLimits;

/**
 * What to read of an account's history ({@link WalletClient#accountHistory(HistoryQuery)}): which transfers, in which
 * order, how many per request. Immutable; start from {@link #of(long)} and narrow it with the {@code with} methods.
 *
 * @param accountId     the account.
 * @param newestFirst   the order: newest first (the default) or oldest first.
 * @param debits        transfers the account paid.
 * @param credits       transfers the account received.
 * @param fees          transfers whose fee the account collected.
 * @param fromTimestamp the earliest engine timestamp included (ns since the epoch); 0 = from the start.
 * @param toTimestamp   the latest engine timestamp included; {@link Long#MAX_VALUE} = up to now.
 * @param pageSize      the most entries one request answers, 1 to {@value ProtocolLimits#HISTORY_PAGE_MAX}.
 */
public record HistoryQuery(
    long accountId,
    boolean newestFirst,
    boolean debits,
    boolean credits,
    boolean fees,
    long fromTimestamp,
    long toTimestamp,
    int pageSize)
{
    /** The page size of {@link #of(long)}. */
    public static final int PAGE_SIZE_DEFAULT = 100;

    public HistoryQuery
    {
        if (!debits && !credits && !fees)
        {
            throw new IllegalArgumentException("a history query names at least one of debits, credits, fees");
        }
        if (fromTimestamp < 0 || toTimestamp < 0)
        {
            throw new IllegalArgumentException("timestamps are ns since the epoch, not negative");
        }
        if (pageSize < 1 || pageSize > ProtocolLimits.HISTORY_PAGE_MAX)
        {
            throw new IllegalArgumentException("pageSize is 1.." + ProtocolLimits.HISTORY_PAGE_MAX + ", not " +
                pageSize);
        }
    }

    /**
     * @return every transfer of the account, newest first, {@value #PAGE_SIZE_DEFAULT} per request.
     */
    public static HistoryQuery of(final long accountId)
    {
        return new HistoryQuery(accountId, true, true, true, true, 0, Long.MAX_VALUE, PAGE_SIZE_DEFAULT);
    }

    /**
     * @return the same query, oldest first.
     */
    public HistoryQuery oldestFirst()
    {
        return new HistoryQuery(accountId, false, debits, credits, fees, fromTimestamp, toTimestamp, pageSize);
    }

    /**
     * @return the same query, for the transfers the account paid only.
     */
    public HistoryQuery debitsOnly()
    {
        return new HistoryQuery(accountId, newestFirst, true, false, false, fromTimestamp, toTimestamp, pageSize);
    }

    /**
     * @return the same query, for the transfers the account received and the fees it collected only.
     */
    public HistoryQuery creditsOnly()
    {
        return new HistoryQuery(accountId, newestFirst, false, true, true, fromTimestamp, toTimestamp, pageSize);
    }

    /**
     * @param from the earliest engine timestamp included.
     * @param to   the latest engine timestamp included.
     * @return the same query, within these times.
     */
    public HistoryQuery between(final long from, final long to)
    {
        return new HistoryQuery(accountId, newestFirst, debits, credits, fees, from, to, pageSize);
    }

    /**
     * @return the same query, with this many entries per request.
     */
    public HistoryQuery withPageSize(final int size)
    {
        return new HistoryQuery(accountId, newestFirst, debits, credits, fees, fromTimestamp, toTimestamp, size);
    }
}
