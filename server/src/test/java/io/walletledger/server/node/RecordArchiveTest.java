package io.walletledger.server.node;

import io.walletledger.gateway.ArchiveBehindException;
import io.walletledger.gateway.ArchivedTransfer;
import io.walletledger.record.TransferRecordStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The archive's lookups against a real record: while the record is behind the ledger, a lookup waits its bound and
 * is refused (never answered from a record that may miss the transfer), and lookups beyond what may wait are
 * refused at once, so a flood holds bounded memory; once the record has caught up, lookups answer.
 */
class RecordArchiveTest
{
    @TempDir
    Path directory;

    @Test
    void aLookupWaitsForTheRecordThenIsRefusedAndAFloodIsRefusedAtOnce() throws Exception
    {
        final AtomicLong applied = new AtomicLong(5);
        try (TransferRecordStore record = TransferRecordStore.open(directory);
            RecordArchive archive = new RecordArchive(record, applied::get, Duration.ofMillis(300), 2))
        {
            final List<CompletableFuture<ArchivedTransfer>> lookups = new ArrayList<>();
            for (int i = 0; i < 6; i++)
            {
                lookups.add(archive.find(0, 42));
            }
            // Two wait for the record (in a queue, not on the readers), the others are refused at once.
            for (final CompletableFuture<ArchivedTransfer> beyond : lookups.subList(2, 6))
            {
                assertTrue(beyond.isCompletedExceptionally(), "refused at once");
                assertTrue(refusal(beyond).getMessage().contains("too many lookups"), refusal(beyond).getMessage());
            }
            for (final CompletableFuture<ArchivedTransfer> lookup : lookups.subList(0, 2))
            {
                assertTrue(refusal(lookup).getMessage().contains("behind the ledger's 5"),
                    refusal(lookup).getMessage());
            }

            applied.set(0);
            assertNull(archive.find(0, 42).get(5, TimeUnit.SECONDS), "caught up: the record has no such transfer");
        }
    }

    private static ArchiveBehindException refusal(final CompletableFuture<ArchivedTransfer> lookup)
    {
        final ExecutionException failed = assertThrows(ExecutionException.class, () -> lookup.get(5, TimeUnit.SECONDS));
        return assertInstanceOf(ArchiveBehindException.class, failed.getCause());
    }
}
