package io.walletledger.gateway;

import java.util.List;

/**
 * A part of the change stream.
 *
 * @param events the events that matched the query, in the ledger's order.
 * @param next   the position to read after next time: the last event read, matching or not, or the query's own
 *               {@code after} if there was none yet.
 */
public record EventPage(List<LedgerEvent> events, long next)
{
    /**
     * What to read of the change stream.
     *
     * @param after     the position after which to read; -1 for the beginning.
     * @param limit     the most events.
     * @param waitNanos how long to wait for an event if there is none yet (a long poll); 0 to answer at once.
     * @param accounts  only the events that touch one of these accounts; empty for all.
     * @param types     only the events of these types; empty for all.
     */
    public record Query(long after, int limit, long waitNanos, long[] accounts, java.util.Set<String> types)
    {
        /**
         * @return whether an event is one this query asks for.
         */
        public boolean matches(final LedgerEvent event)
        {
            if (!types.isEmpty() && !types.contains(event.type()))
            {
                return false;
            }
            if (accounts.length == 0)
            {
                return true;
            }
            for (final long account : accounts)
            {
                if (event.touches(account))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
