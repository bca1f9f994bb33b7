package io.walletledger.gateway;

import java.util.concurrent.CompletableFuture;

/**
 * Transfers at any age: the permanent record, which the HTTP API asks for a transfer the ledger's engine no longer
 * remembers (older than its idempotency window, or failed).
 */
@FunctionalInterface
public interface TransferArchive
{
    /** No record: every transfer the engine does not remember is unknown. */
    TransferArchive NONE = (idHi, idLo) -> CompletableFuture.completedFuture(null);

    /**
     * Looks a transfer up, once the archive holds everything the ledger had journaled when this was called (so a
     * transfer acknowledged before is never missed), waiting for that a bounded time.
     *
     * @return completes, on a thread of the archive's, with the first transfer the ledger decided under this id,
     * or null if it decided none; or exceptionally with {@link ArchiveBehindException}.
     */
    CompletableFuture<ArchivedTransfer> find(long idHi, long idLo);
}
