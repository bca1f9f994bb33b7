package io.walletledger.gateway;

import java.util.concurrent.CompletableFuture;

/**
 * Transfers at any age: the permanent record, which the HTTP API asks for a transfer the ledger's engine no longer
 * remembers (older than its idempotency window, or failed), and for an account's history.
 * <p>
 * Every answer waits until the archive holds everything the ledger had applied when it was asked (so a transfer
 * acknowledged before is never missed), a bounded time, and completes on a thread of the archive's.
 */
public interface TransferArchive
{
    /** No record: every transfer the engine does not remember is unknown, and there is no history. */
    TransferArchive NONE = new TransferArchive()
    {
        @Override
        public CompletableFuture<ArchivedTransfer> find(final long idHi, final long idLo)
        {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<AccountHistory> history(final AccountHistory.Query query)
        {
            return CompletableFuture.failedFuture(new ArchiveMissingException());
        }

        @Override
        public CompletableFuture<EventPage> events(final EventPage.Query query)
        {
            return CompletableFuture.failedFuture(new ArchiveMissingException());
        }
    };

    /**
     * @return completes with the first transfer the ledger decided under this id, or null if it decided none; or
     * exceptionally with {@link ArchiveBehindException}.
     */
    CompletableFuture<ArchivedTransfer> find(long idHi, long idLo);

    /**
     * @return completes with one page of the account's transfers; or exceptionally with
     * {@link ArchiveBehindException}, or {@link ArchiveMissingException} if the server keeps no record.
     */
    CompletableFuture<AccountHistory> history(AccountHistory.Query query);

    /**
     * @return completes with the next events of the change stream that match the query: at once if there are some,
     * else when one arrives or the query's wait is over (then with none); or exceptionally with
     * {@link ArchiveBehindException} (too many readers), or {@link ArchiveMissingException} if the server keeps no
     * record.
     */
    CompletableFuture<EventPage> events(EventPage.Query query);
}
