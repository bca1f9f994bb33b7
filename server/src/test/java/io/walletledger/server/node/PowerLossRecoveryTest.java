package io.walletledger.server.node;

import io.walletledger.engine.LedgerEngine;
import io.walletledger.journal.CommandJournal;
import io.walletledger.journal.JournalDurability;
import io.walletledger.journal.JournalReader;
import io.walletledger.journal.PowerLoss;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node with the default journal durability (batch) restarted after a simulated power loss: its data directory
 * holds the journal as forced when it last acknowledged transfers, and more transfer commands appended after that
 * without a flush, of which only some pages reached the disk ({@link PowerLoss}). It must start, serve, hold every
 * acknowledged transfer with its outcome, apply none twice, and end in exactly the state of the commands it kept.
 * The seed is printed on failure and replayed with {@code -Dwallet.test.seed=<seed>}.
 */
@SuppressWarnings("try") // nodes are closed inside their try blocks to read their engine afterwards
class PowerLossRecoveryTest
{
    private static final long SEED = Long.getLong("wallet.test.seed", System.nanoTime());
    private static final int TRIALS = 3;
    /** Trials go on past {@link #TRIALS} until one has left a torn tail (each does with some chance), up to this. */
    private static final int TRIALS_MAX = 12;

    @TempDir
    Path temp;

    @Test
    void aNodeStartsOnATornJournalServesAndKeepsEveryAcknowledgedTransfer() throws Exception
    {
        int dropped = 0;
        for (int trial = 0; trial < TRIALS || dropped == 0 && trial < TRIALS_MAX; trial++)
        {
            dropped += runTrial(trial, new SplittableRandom(SEED + trial)) ? 1 : 0;
        }
        assertTrue(dropped > 0, "seed=" + SEED + ": no trial left a torn tail to drop");
    }

    /**
     * @return whether the node dropped a torn tail.
     */
    private boolean runTrial(final int trial, final SplittableRandom random) throws Exception
    {
        final String context = "seed=" + SEED + " trial " + trial;
        final Path live = temp.resolve("trial-" + trial).resolve("live");
        final Path durable = live.resolveSibling("durable");
        final Path later = live.resolveSibling("later");
        final Path lost = live.resolveSibling("lost");
        final NodeConfig liveConfig = CrashWorkload.config(live);
        assertEquals(JournalDurability.BATCH, liveConfig.durability(), "the default");

        // Acknowledged: every reply is in, so everything before it was forced. Closing writes the final snapshot.
        final Map<Long, int[]> acknowledged = new LinkedHashMap<>();
        long nextId = 1L << 32;
        try (LedgerNode node = LedgerNode.start(liveConfig))
        {
            setUp(node);
            nextId = transfer(node, nextId, 50 + random.nextInt(150), acknowledged);
        }

        // Appended after the last fdatasync, never acknowledged: the journal's own writer, no flush.
        final long timestamp = lastTimestamp(liveConfig.journalDirectory());
        try (CommandJournal journal = CommandJournal.open(liveConfig.journalDirectory(), JournalDurability.BATCH))
        {
            PowerLoss.copy(liveConfig.journalDirectory(), durable.resolve("journal"));
            final int requests = 20 + random.nextInt(300);
            for (int r = 0; r < requests; r++)
            {
                final UnsafeBuffer request = new UnsafeBuffer(new byte[4096]);
                final int count = CrashWorkload.batchLength(nextId);
                final int length = CrashWorkload.createTransfers(request, nextId, count);
                journal.append(timestamp + 1_000L * (r + 1), request, 0, length);
                nextId += count;
            }
            PowerLoss.copy(liveConfig.journalDirectory(), later.resolve("journal"));
        }
        PowerLoss.mix(durable.resolve("journal"), later.resolve("journal"), lost.resolve("journal"), random,
            random.nextDouble());
        PowerLoss.copy(liveConfig.snapshotDirectory(), lost.resolve("snapshots"));

        final NodeConfig config = CrashWorkload.config(lost);
        final boolean dropped;
        final long recoveredSequence;
        final long hashAfterNewTransfers;
        try (LedgerNode node = LedgerNode.start(config))
        {
            dropped = node.droppedAtStart() != null;
            recoveredSequence = node.recovered().sequence();
            assertEquals(stateOf(later.resolve("journal"), config, recoveredSequence), node.recovered().engine()
                .stateHash(), context + ": the state is exactly that of the commands kept, in order");
            NodeCrashTest.resendAndCompare(node, acknowledged);
            NodeCrashTest.checkBalances(node);

            final Map<Long, int[]> served = new LinkedHashMap<>();
            transfer(node, nextId + (1L << 24), 20, served);
            assertEquals(20, served.size(), context + ": it serves");
            NodeCrashTest.checkBalances(node);
            node.close();
            hashAfterNewTransfers = node.engine().stateHash();
        }
        if (dropped)
        {
            assertEquals(1, filesEndingWith(lost.resolve("journal"), ".torn"), context);
        }
        assertTrue(recoveredSequence >= acknowledgedSequence(live), context + ": an acknowledged command was lost");

        try (LedgerNode node = LedgerNode.start(config))
        {
            assertNull(node.droppedAtStart(), context + ": a second restart drops nothing");
            assertEquals(hashAfterNewTransfers, node.recovered().engine().stateHash(), context);
            NodeCrashTest.resendAndCompare(node, acknowledged);
        }
        return dropped;
    }

    private static void setUp(final LedgerNode node) throws Exception
    {
        final int accountCount = CrashWorkload.accountIds().length;
        for (int from = 0; from < accountCount; from += CrashWorkload.BATCH_MAX)
        {
            final UnsafeBuffer request = new UnsafeBuffer(new byte[1 << 16]);
            final int length = CrashWorkload.createAccounts(
                request, from, Math.min(CrashWorkload.BATCH_MAX, accountCount - from));
            reply(node, request, length);
        }
        final UnsafeBuffer policies = new UnsafeBuffer(new byte[1 << 12]);
        reply(node, policies, CrashWorkload.setFees(policies));
        reply(node, policies, CrashWorkload.setLimits(policies));
    }

    /**
     * Sends {@code requests} transfer requests one at a time, each waiting for its reply, and records each reply's
     * result codes (0, OK, where the reply lists none).
     *
     * @return the next free transfer id.
     */
    private static long transfer(
        final LedgerNode node, final long firstId, final int requests, final Map<Long, int[]> acknowledged)
        throws Exception
    {
        long id = firstId;
        for (int r = 0; r < requests; r++)
        {
            final UnsafeBuffer request = new UnsafeBuffer(new byte[4096]);
            final int count = CrashWorkload.batchLength(id);
            final byte[] reply = reply(node, request, CrashWorkload.createTransfers(request, id, count));
            final int[] codes = new int[count];
            final CreateTransfersResponseDecoder response = new CreateTransfersResponseDecoder()
                .wrapAndApplyHeader(new UnsafeBuffer(reply), 0, new MessageHeaderDecoder());
            for (final CreateTransfersResponseDecoder.ResultsDecoder result : response.results())
            {
                codes[result.index()] = result.resultRaw();
            }
            acknowledged.put(id, codes);
            id += count;
        }
        return id;
    }

    private static byte[] reply(final LedgerNode node, final UnsafeBuffer request, final int length) throws Exception
    {
        final CompletableFuture<byte[]> reply =
            LedgerNodeTest.submit(node, Arrays.copyOf(request.byteArray(), length));
        return reply.get(30, TimeUnit.SECONDS);
    }

    private static long lastTimestamp(final Path journal)
    {
        final long[] last = { 0 };
        try (JournalReader reader = JournalReader.open(journal))
        {
            reader.replay(1, (sequence, timestamp, templateId, command, offset, length, noteLength) -> last[0] = timestamp);
        }
        return last[0];
    }

    /**
     * @return the state hash of a fresh engine given the entries of a journal up to a sequence.
     */
    private static long stateOf(final Path journal, final NodeConfig config, final long upTo)
    {
        final LedgerEngine engine = new LedgerEngine(config.ledger());
        final UnsafeBuffer response = new UnsafeBuffer(new byte[engine.responseLengthMax()]);
        try (JournalReader reader = JournalReader.open(journal))
        {
            reader.replay(1, (sequence, timestamp, templateId, command, offset, length, noteLength) ->
            {
                if (sequence <= upTo)
                {
                    engine.execute(timestamp, command, offset, length, response, 0);
                }
            });
        }
        return engine.stateHash();
    }

    /**
     * @return the sequence of the last command the live node journaled and acknowledged.
     */
    private static long acknowledgedSequence(final Path live) throws IOException
    {
        final List<Path> snapshots;
        try (Stream<Path> files = Files.list(live.resolve("snapshots")))
        {
            snapshots = files.filter(f -> f.getFileName().toString().endsWith(".bin")).sorted().toList();
        }
        final String newest = snapshots.get(snapshots.size() - 1).getFileName().toString();
        // The final snapshot, written at close, holds everything acknowledged: snapshot-<sequence>.bin.
        return Long.parseLong(newest.substring("snapshot-".length(), newest.length() - ".bin".length()));
    }

    private static long filesEndingWith(final Path directory, final String suffix) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        }
    }
}
