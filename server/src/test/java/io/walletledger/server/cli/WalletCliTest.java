package io.walletledger.server.cli;

import io.walletledger.server.node.LedgerNodeTest;
import io.walletledger.server.node.LedgerNode;
import io.walletledger.journal.CommandJournal;
import io.walletledger.journal.JournalDurability;
import io.walletledger.server.node.NodeConfig;
import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.TestWorkload;
import io.walletledger.snapshot.SnapshotStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@SuppressWarnings("try") // nodes are closed inside their try blocks to read their engine afterwards
class WalletCliTest
{
    private static final int REQUESTS = 60;

    @TempDir
    Path data;

    private List<byte[]> requests;
    private LedgerConfig config;
    private long liveHash;

    @BeforeEach
    void runANode() throws Exception
    {
        final TestWorkload workload = new TestWorkload(7);
        config = workload.config();
        requests = workload.next(REQUESTS);
        try (LedgerNode node = LedgerNode.start(NodeConfig.builder(data).ledger(config)
            .snapshotEveryCommands(0).snapshotInterval(java.time.Duration.ZERO).build()))
        {
            LedgerNodeTest.submitAll(node, requests.subList(0, REQUESTS / 2));
        }
        try (LedgerNode node = LedgerNode.start(NodeConfig.builder(data).ledger(config)
            .snapshotEveryCommands(0).snapshotInterval(java.time.Duration.ZERO).build()))
        {
            LedgerNodeTest.submitAll(node, requests.subList(REQUESTS / 2, REQUESTS));
            node.close();
            liveHash = node.engine().stateHash();
        }
    }

    @Test
    void verifyPrintsTheRecoveredStateAndSucceeds()
    {
        final Result result = run("verify");
        assertEquals(0, result.status, result.toString());
        assertTrue(result.out.contains("last sequence:          " + REQUESTS), result.out);
        assertTrue(result.out.contains(String.format("state hash:             %016x", liveHash)), result.out);
        assertTrue(result.out.contains("USD  debits posted"), result.out);
        assertTrue(result.out.contains("journal alone:          every entry from 1 verified"), result.out);
        assertTrue(result.out.endsWith("OK\n"), result.out);
    }

    @Test
    void verifyFailsOnACorruptSnapshotButStillRecoversFromAnOlderOne() throws IOException
    {
        final Path newest = SnapshotStore.list(data.resolve("snapshots")).get(0);
        flip(newest, Files.size(newest) / 2);
        final Result result = run("verify");
        assertEquals(1, result.status, result.toString());
        assertTrue(result.err.contains("CORRUPT snapshot " + newest), result.err);
        assertTrue(result.out.contains(String.format("state hash:             %016x", liveHash)), result.out);
        assertTrue(result.out.endsWith("FAILED\n"), result.out);
    }

    @Test
    void verifyFailsOnACorruptJournalEntryBehindTheSnapshotsNamingIt() throws IOException
    {
        // Recovery itself starts from the newest snapshot and never reads entry 4: verify must still find it.
        flipInJournal(requests.get(3));
        final Result result = run("verify");
        assertEquals(1, result.status, result.toString());
        assertTrue(result.err.contains("CORRUPT") && result.err.contains("sequence 4"), result.err);
    }

    @Test
    void verifyWithOtherLimitsSaysSo()
    {
        final Result result = run("verify", "--accounts-max", Integer.toString(config.accountsMax() + 1));
        assertEquals(1, result.status, result.toString());
        assertTrue(result.err.contains("ERROR --accounts-max " + (config.accountsMax() + 1) + " contradicts the " +
            config.accountsMax()), result.err);
    }

    @Test
    void verifyTakesTheLimitsTheJournalWasWrittenUnderFromTheDataDirectory()
    {
        final Result result = WalletCliTest.execute("verify", "--data-dir", data.toString());
        assertEquals(0, result.status, result.toString());
        assertTrue(result.out.contains(String.format("state hash:             %016x", liveHash)), result.out);
    }

    @Test
    void verifyOfADataDirectoryWithoutLedgerSettingsTakesTheFlags() throws IOException
    {
        Files.delete(data.resolve(io.walletledger.server.node.LedgerSettingsFile.FILE_NAME));
        assertEquals(0, run("verify").status);
        // The snapshot keeps its own settings; the journal replayed alone from the start under too few accounts
        // decides differently, and verify says so.
        final Result other = run("verify", "--accounts-max", "1");
        assertEquals(1, other.status, other.toString());
        assertTrue(other.err.contains("MISMATCH"), other.err);
    }

    @Test
    void verifyTakesTheLimitsAndTheDataDirectoryFromTheNodesSettingsFile() throws IOException
    {
        Files.delete(data.resolve(io.walletledger.server.node.LedgerSettingsFile.FILE_NAME));
        final Path settings = data.resolveSibling(data.getFileName() + ".conf");
        Files.writeString(settings, "wallet.data-dir = \"" + data + "\"\n" + limits(config.accountsMax()));
        final Result result = execute("verify", "--config", settings.toString());
        assertEquals(0, result.status, result.toString());
        assertTrue(result.out.contains(String.format("state hash:             %016x", liveHash)), result.out);

        // Settings under which the journal decides otherwise: the replay from the start says so.
        Files.writeString(settings, "wallet.data-dir = \"" + data + "\"\n" + limits(1));
        final Result other = execute("verify", "--config", settings.toString());
        assertEquals(1, other.status, other.toString());
        assertTrue(other.err.contains("MISMATCH"), other.err);

        final Result neither = execute("verify");
        assertEquals(1, neither.status, neither.toString());
        assertTrue(neither.err.contains("give the data directory: --data-dir DIR, or --config FILE"), neither.err);
    }

    private String limits(final int accountsMax)
    {
        return "wallet.ledger.accounts-max = " + accountsMax + "\nwallet.ledger.idempotency-window = " +
            config.idempotencyWindow() + "\nwallet.ledger.pending-transfers-max = " + config.pendingTransfersMax() +
            "\nwallet.ledger.batch-events-max = " + config.batchEventsMax() + "\n";
    }

    @Test
    void journalDumpPrintsTheCommandsAskedFor()
    {
        final Result result = WalletCliTest.execute("journal", "dump", "--data-dir", data.toString(),
            "--from", "2", "--limit", "3");
        assertEquals(0, result.status, result.toString());
        assertTrue(result.out.startsWith("#2 "), result.out);
        assertTrue(result.out.contains("\n#4 "), result.out);
        assertFalse(result.out.contains("\n#5 "), result.out);
        assertTrue(result.out.contains("  [0] id="), result.out);
    }

    @Test
    void journalDumpFailsOnACorruptEntry() throws IOException
    {
        flipInJournal(requests.get(1));
        final Result result = WalletCliTest.execute("journal", "dump", "--data-dir", data.toString());
        assertEquals(1, result.status, result.toString());
        assertTrue(result.out.startsWith("-- journal opened for writing, durability batch (index 0x"), result.out);
        assertTrue(result.out.contains("\n#1 "), result.out);
        assertTrue(result.err.contains("CORRUPT"), result.err);
    }

    @Test
    void verifyAndDumpShowATornTailTheWriterDropped() throws IOException
    {
        // The last entry's bytes are lost as a power loss before its flush would leave them; the snapshots (which
        // would prove it forced) are moved away, and a writer opening the journal drops it.
        try (Stream<Path> snapshots = Files.list(data.resolve("snapshots")))
        {
            for (final Path snapshot : snapshots.toList())
            {
                Files.delete(snapshot);
            }
        }
        flipInJournal(requests.get(REQUESTS - 1));
        try (CommandJournal journal = CommandJournal.open(data.resolve("journal"), JournalDurability.BATCH))
        {
            assertEquals(REQUESTS - 1, journal.lastSequence());
            assertEquals(REQUESTS, journal.droppedAtOpen().firstSequence());
        }

        final Result verify = run("verify");
        assertEquals(0, verify.status, verify.toString());
        assertTrue(verify.out.contains("last sequence:          " + (REQUESTS - 1)), verify.out);
        assertTrue(verify.out.contains("journal drop:           before sequence " + REQUESTS + ": 1 record(s) " +
            "from Chronicle index 0x"), verify.out);

        final Result dump = WalletCliTest.execute("journal", "dump", "--data-dir", data.toString(),
            "--from", Integer.toString(REQUESTS - 1));
        assertEquals(0, dump.status, dump.toString());
        assertTrue(dump.out.startsWith("#" + (REQUESTS - 1) + " "), dump.out);
        assertTrue(dump.out.contains("\n-- dropped before sequence " + REQUESTS + ": 1 record(s)"), dump.out);
        assertTrue(dump.out.contains("\n-- journal opened for writing, durability batch"), dump.out);
    }

    private Result run(final String command, final String... overrides)
    {
        final java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put("--data-dir", data.toString());
        options.put("--accounts-max", Integer.toString(config.accountsMax()));
        options.put("--idempotency-window", Integer.toString(config.idempotencyWindow()));
        options.put("--pending-transfers-max", Integer.toString(config.pendingTransfersMax()));
        options.put("--batch-events-max", Integer.toString(config.batchEventsMax()));
        for (int i = 0; i < overrides.length; i += 2)
        {
            options.put(overrides[i], overrides[i + 1]);
        }
        final List<String> args = new ArrayList<>(List.of(command));
        options.forEach((name, value) -> args.addAll(List.of(name, value)));
        return execute(args.toArray(String[]::new));
    }

    private static Result execute(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = WalletCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(status, out.toString(), err.toString());
    }

    /**
     * Flips a byte in the middle of the journaled copy of a request (requests of this workload are unique).
     */
    private void flipInJournal(final byte[] request) throws IOException
    {
        try (Stream<Path> files = Files.list(data.resolve("journal")))
        {
            for (final Path file : files.filter(f -> f.toString().endsWith(".cq4")).toList())
            {
                final byte[] bytes = Files.readAllBytes(file);
                final int at = indexOf(bytes, request);
                if (at >= 0)
                {
                    flip(file, at + request.length / 2);
                    return;
                }
            }
        }
        throw new AssertionError("request not found in the journal");
    }

    private static int indexOf(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void flip(final Path path, final long position) throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw"))
        {
            file.seek(position);
            final int b = file.read();
            file.seek(position);
            file.write(b ^ 0x10);
        }
    }

    private record Result(int status, String out, String err)
    {
    }
}
