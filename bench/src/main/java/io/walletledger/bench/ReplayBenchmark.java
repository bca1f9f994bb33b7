package io.walletledger.bench;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
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
        liveHash = BenchJournal.write(directory, config, accounts, transfers).stateHash();
        response = new UnsafeBuffer(ByteBuffer.allocateDirect(new LedgerEngine(config).responseLengthMax()));
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
            reader.replay(1, (sequence, timestamp, templateId, command, offset, length, noteLength) ->
            {
                if (noteLength > 0)
                {
                    engine.recall(command, offset + length, noteLength);
                }
                engine.execute(timestamp, command, offset, length, response, 0);
            });
        }
        final long hash = engine.stateHash();
        if (hash != liveHash)
        {
            throw new IllegalStateException("replayed state hash " + hash + " differs from live " + liveHash);
        }
        return hash;
    }
}
