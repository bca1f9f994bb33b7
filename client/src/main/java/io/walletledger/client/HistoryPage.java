package io.walletledger.client;

import java.util.List;

/**
 * One page of an account's history ({@link WalletClient#lookupAccountHistory(HistoryQuery, long)}).
 *
 * @param entries    the transfers, in the order asked for.
 * @param nextCursor where the next page starts: pass it as the cursor of the next request; -1 if this page is the
 *                   last one so far (a later request from the last entry's {@link HistoryEntry#cursor()} finds
 *                   transfers applied since).
 */
public record HistoryPage(List<HistoryEntry> entries, long nextCursor)
{
    /** The cursor of a first page. */
    public static final long FIRST = -1;

    public HistoryPage
    {
        entries = List.copyOf(entries);
    }

    /**
     * @return whether there is a next page.
     */
    public boolean hasNext()
    {
        return nextCursor >= 0;
    }
}
