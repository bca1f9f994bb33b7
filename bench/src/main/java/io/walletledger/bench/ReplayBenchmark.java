package io.walletledger.bench;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.journal.CommandJournal;
import io.walletledger.journal.JournalDurability;
import io.walletledger.journal.JournalReader;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Restart by replay: a journal holding the creation and funding of {@code accounts} wallets and then
 * {@code transfers} random transfers (full requests of 8,190) is replayed into a fresh engine, verifying
 * every entry's checksum, and the recovered state hash must equal the live one. One operation is the
 * whole recovery, so the score is the time to rebuild the state from the journal alone (without snapshots).
 * Run: {@code ./wallet jmh ReplayBenchmark}; replay speed = (accounts + transfers) / score.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = { "-Xms4g", "-Xmx4g" })
public class ReplayBenchmark
{
    private static final int BATCH = 8190;
    private static final long SETTLEMENT = Long.MAX_VALUE;

    @Param("1000000")
    int accounts;

    @Param("10000000")
    int transfers;

    private Path directory;
    private LedgerConfig config;
    private long liveHash;
    private UnsafeBuffer response;

    @Setup(Level.Trial)
    public void writeJournal() throws IOException
    {
        directory = Files.createTempDirectory("wallet-replay-bench");
        config = LedgerConfig.builder().accountsMax(accounts + 1).build();
        final LedgerEngine live = new LedgerEngine(config);
        response = new UnsafeBuffer(ByteBuffer.allocateDirect(live.responseLengthMax()));
        final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(live.responseLengthMax()));
        final SplittableRandom random = new SplittableRandom(42);
        long timestamp = 1_700_000_000_000_000_000L;
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
        {
            int length = BenchRequests.createAccounts(request, SETTLEMENT, 1, true);
            timestamp = apply(live, journal, request, length, timestamp);
            for (int first = 1; first <= accounts; first += BATCH)
            {
                length = BenchRequests.createAccounts(request, first, Math.min(BATCH, accounts - first + 1), false);
                timestamp = apply(live, journal, request, length, timestamp);
            }
            for (int first = 1; first <= accounts; first += BATCH)
            {
                length = BenchRequests.createTransfers(
                    request, (1L << 40) + first, Math.min(BATCH, accounts - first + 1), SETTLEMENT, 1_000_000_000L,
                    accounts, random);
                timestamp = apply(live, journal, request, length, timestamp);
            }
            for (long first = 1; first <= transfers; first += BATCH)
            {
                length = BenchRequests.createTransfers(
                    request, first, (int)Math.min(BATCH, transfers - first + 1), 0, 1, accounts, random);
                timestamp = apply(live, journal, request, length, timestamp);
            }
        }
        liveHash = live.stateHash();
    }

    private long apply(
        final LedgerEngine engine, final CommandJournal journal, final UnsafeBuffer request, final int length,
        final long timestamp)
    {
        journal.append(timestamp, request, 0, length);
        engine.execute(timestamp, request, 0, length, response, 0);
        return timestamp + 1_000_000;
    }

    @TearDown(Level.Trial)
    public void deleteJournal()
    {
        BenchRequests.deleteRecursively(directory);
    }

    @Benchmark
    public long replayIntoFreshEngine()
    {
        final LedgerEngine engine = new LedgerEngine(config);
        try (JournalReader reader = JournalReader.open(directory))
        {
            reader.replay(1, (sequence, timestamp, templateId, command, offset, length) ->
                engine.execute(timestamp, command, offset, length, response, 0));
        }
        final long hash = engine.stateHash();
        if (hash != liveHash)
        {
            throw new IllegalStateException("replayed state hash " + hash + " differs from live " + liveHash);
        }
        return hash;
    }
}
