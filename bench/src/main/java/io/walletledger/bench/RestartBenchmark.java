package io.walletledger.bench;

import io.walletledger.server.node.LedgerNode;
import io.walletledger.server.node.NodeConfig;
import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.journal.CommandJournal;
import io.walletledger.journal.JournalDurability;
import io.walletledger.snapshot.SnapshotInfo;
import io.walletledger.snapshot.SnapshotStore;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Time from {@code LedgerNode.start} to serving, on a data directory holding {@code accounts} wallets and
 * {@code transfers} journaled transfers (see {@link BenchJournal}):
 * <ul>
 *     <li>{@code journalOnly}: no snapshot, the whole journal is replayed (the worst case);</li>
 *     <li>{@code snapshotThenJournal}: a snapshot taken halfway, then the second half of the journal.</li>
 * </ul>
 * Setup also times writing and loading one snapshot of the full state and prints them, with its size: the work the
 * snapshot follower does beside the primary engine. Run: {@code ./wallet jmh RestartBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = { "-Xms6g", "-Xmx6g", "-XX:MaxDirectMemorySize=8g" })
public class RestartBenchmark
{
    @Param("1000000")
    int accounts;

    @Param("10000000")
    long transfers;

    @Param({ "journalOnly", "snapshotThenJournal" })
    String start;

    private Path data;
    private NodeConfig config;
    private long liveHash;
    private LedgerNode node;

    @Setup(Level.Trial)
    public void writeDataDirectory() throws IOException
    {
        data = Files.createTempDirectory("wallet-restart-bench");
        final LedgerConfig ledger = LedgerConfig.builder().accountsMax(accounts + 1).build();
        config = NodeConfig.builder(data).ledger(ledger)
            .snapshotEveryCommands(0).snapshotInterval(Duration.ZERO).finalSnapshot(false).build();
        if ("snapshotThenJournal".equals(start))
        {
            final long half = transfers / 2 / BenchJournal.BATCH * BenchJournal.BATCH;
            final LedgerEngine halfway = BenchJournal.write(config.journalDirectory(), ledger, accounts, half);
            final long sequence = lastSequence();
            final SnapshotStore store = SnapshotStore.open(config.snapshotDirectory(), 1);
            final long writeStart = System.nanoTime();
            final SnapshotInfo info = store.write(halfway, sequence, -1);
            final long written = System.nanoTime();
            SnapshotStore.load(info.file(), new LedgerEngine(ledger));
            final long loaded = System.nanoTime();
            System.out.printf("%nsnapshot of %d accounts and %d remembered transfers: %d MiB, written in %d ms, " +
                "loaded and verified in %d ms%n", info.accounts(), info.rememberedTransfers(), info.length() >> 20,
                TimeUnit.NANOSECONDS.toMillis(written - writeStart), TimeUnit.NANOSECONDS.toMillis(loaded - written));
            BenchRequests.deleteRecursively(config.journalDirectory());
        }
        // Both variants recover the same full journal; the snapshot variant also has the halfway snapshot.
        liveHash = BenchJournal.write(config.journalDirectory(), ledger, accounts, transfers).stateHash();
    }

    private long lastSequence()
    {
        try (CommandJournal journal = CommandJournal.open(config.journalDirectory(), JournalDurability.NONE))
        {
            return journal.lastSequence();
        }
    }

    @Benchmark
    public LedgerNode startToServing()
    {
        node = LedgerNode.start(config);
        return node;
    }

    @TearDown(Level.Invocation)
    public void checkAndStop()
    {
        node.close();
        final long snapshotSequence = node.recovered().snapshot() == null ? 0 : node.recovered().snapshot().sequence();
        final long hash = node.recovered().engine().stateHash();
        if (hash != liveHash)
        {
            throw new IllegalStateException("recovered state hash " + hash + " differs from live " + liveHash);
        }
        System.out.printf("(from %s, %d commands replayed)%n",
            snapshotSequence == 0 ? "the journal alone" : "snapshot " + snapshotSequence,
            node.recovered().replayedCommands());
    }

    @TearDown(Level.Trial)
    public void deleteDataDirectory()
    {
        BenchRequests.deleteRecursively(data);
    }
}
