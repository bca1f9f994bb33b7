package io.walletledger.bench;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.journal.CommandJournal;
import io.walletledger.journal.JournalDurability;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes the journal the restart benchmarks recover: a settlement account, {@code accounts} wallets, one funding
 * transfer per wallet, then {@code transfers} random transfers between wallets, all in full requests of 8,190.
 */
final class BenchJournal
{
    static final int BATCH = 8190;
    private static final long SETTLEMENT = Long.MAX_VALUE;

    private BenchJournal()
    {
    }

    /**
     * @return the live engine that applied everything journaled, for its state hash.
     */
    static LedgerEngine write(final Path directory, final LedgerConfig config, final int accounts, final long transfers)
    {
        final LedgerEngine live = new LedgerEngine(config);
        final UnsafeBuffer response = new UnsafeBuffer(ByteBuffer.allocateDirect(live.responseLengthMax()));
        final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(live.responseLengthMax()));
        final SplittableRandom random = new SplittableRandom(42);
        long timestamp = 1_700_000_000_000_000_000L;
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
        {
            int length = BenchRequests.createAccounts(request, SETTLEMENT, 1, true);
            timestamp = apply(live, journal, request, length, response, timestamp);
            for (int first = 1; first <= accounts; first += BATCH)
            {
                length = BenchRequests.createAccounts(request, first, Math.min(BATCH, accounts - first + 1), false);
                timestamp = apply(live, journal, request, length, response, timestamp);
            }
            for (int first = 1; first <= accounts; first += BATCH)
            {
                length = BenchRequests.createTransfers(
                    request, (1L << 40) + first, Math.min(BATCH, accounts - first + 1), SETTLEMENT, 1_000_000_000L,
                    accounts, random);
                timestamp = apply(live, journal, request, length, response, timestamp);
            }
            for (long first = 1; first <= transfers; first += BATCH)
            {
                length = BenchRequests.createTransfers(
                    request, first, (int)Math.min(BATCH, transfers - first + 1), 0, 1, accounts, random);
                timestamp = apply(live, journal, request, length, response, timestamp);
            }
        }
        return live;
    }

    private static long apply(
        final LedgerEngine engine,
        final CommandJournal journal,
        final UnsafeBuffer request,
        final int length,
        final UnsafeBuffer response,
        final long timestamp)
    {
        journal.append(timestamp, request, 0, length);
        engine.execute(timestamp, request, 0, length, response, 0);
        return timestamp + 1_000_000;
    }
}
