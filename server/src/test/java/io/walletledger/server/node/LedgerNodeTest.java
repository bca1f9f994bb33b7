package io.walletledger.server.node;

import io.walletledger.server.os.WaitStrategyName;
import io.walletledger.protocol.Submission;
import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.engine.TestWorkload;
import io.walletledger.journal.JournalDurability;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.snapshot.SnapshotStore;
import org.agrona.concurrent.UnsafeBuffer;
import io.walletledger.protocol.CurrencyRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

// Nodes are closed inside their try blocks on purpose: the engine may only be read once its node is closed.
@SuppressWarnings("try")
public class LedgerNodeTest
{
    private static final long SEED = 42L;

    @TempDir
    Path data;

    @Test
    void repliesEqualTheEngineAloneAndARestartRecoversTheSameState() throws Exception
    {
        final TestWorkload workload = new TestWorkload(SEED);
        final List<byte[]> requests = workload.next(400);
        final NodeConfig config = NodeConfig.builder(data).ledger(workload.config()).build();

        final long liveHash;
        try (LedgerNode node = LedgerNode.start(config))
        {
            final List<byte[]> replies = submitAll(node, requests);
            assertEquals(requests.size(), replies.size());
            for (final byte[] reply : replies)
            {
                assertTrue(templateOf(reply) != ErrorResponseDecoder.TEMPLATE_ID, "a valid request was refused");
            }
            node.close();
            liveHash = node.engine().stateHash();
            assertEquals(requests.size(), node.appliedSequence(), "every request of this workload is journaled");
        }

        try (LedgerNode node = LedgerNode.start(config))
        {
            assertNotNull(node.recovered().snapshot(), "the final snapshot is used");
            assertTrue(node.recovered().snapshot().journalIndex() > 0, "the final snapshot knows its journal index");
            assertTrue(node.recovered().snapshot().journalForced(), "the final snapshot forces the journal first");
            assertEquals(0, node.recovered().replayedCommands());
            node.close();
            assertEquals(liveHash, node.engine().stateHash());
        }
    }

    @ParameterizedTest
    @EnumSource(JournalDurability.class)
    void snapshotPlusJournalAndJournalAloneBothGiveTheLiveState(final JournalDurability durability) throws Exception
    {
        final TestWorkload workload = new TestWorkload(SEED + 1);
        final NodeConfig config = NodeConfig.builder(data).ledger(workload.config()).durability(durability)
            .snapshotEveryCommands(40).snapshotRetain(20).build();
        final long liveHash;
        try (LedgerNode node = LedgerNode.start(config))
        {
            for (int round = 0; round < 5; round++)
            {
                submitAll(node, workload.next(100));
                awaitSnapshot(node);
            }
            node.close();
            liveHash = node.engine().stateHash();
        }
        // Without the final snapshot: the newest follower snapshot, then the journal after it.
        final List<Path> snapshots = SnapshotStore.list(config.snapshotDirectory());
        Files.delete(snapshots.get(0));
        final Recovery.Recovered fromSnapshot = Recovery.recover(
            config.ledger(), config.snapshotDirectory(), config.journalDirectory(), false);
        assertNotNull(fromSnapshot.snapshot());
        assertTrue(fromSnapshot.snapshot().journalIndex() > 0, "a follower snapshot knows its journal index");
        assertEquals(durability == JournalDurability.BATCH, fromSnapshot.snapshot().journalForced(),
            "a follower snapshot says whether the journal was forced first: in durability none it is not");
        assertTrue(fromSnapshot.replayedCommands() > 0, "some journal after the snapshot was replayed");
        assertEquals(liveHash, fromSnapshot.engine().stateHash());

        final Recovery.Recovered fromJournal = Recovery.recover(
            config.ledger(), data.resolve("no-snapshots"), config.journalDirectory(), false);
        assertNull(fromJournal.snapshot());
        assertEquals(500, fromJournal.replayedCommands());
        assertEquals(liveHash, fromJournal.engine().stateHash());
    }

    @Test
    void aCorruptNewestSnapshotFallsBackToTheOneBefore() throws Exception
    {
        final TestWorkload workload = new TestWorkload(SEED + 2);
        final NodeConfig config = NodeConfig.builder(data).ledger(workload.config())
            .snapshotEveryCommands(0).snapshotInterval(Duration.ZERO).build();
        try (LedgerNode node = LedgerNode.start(config))
        {
            submitAll(node, workload.next(50));
        }
        final long liveHash;
        try (LedgerNode node = LedgerNode.start(config))
        {
            submitAll(node, workload.next(50));
            node.close();
            liveHash = node.engine().stateHash();
        }
        final List<Path> snapshots = SnapshotStore.list(config.snapshotDirectory());
        assertEquals(2, snapshots.size());
        final byte[] bytes = Files.readAllBytes(snapshots.get(0));
        bytes[bytes.length / 2] ^= 1;
        Files.write(snapshots.get(0), bytes);

        try (LedgerNode node = LedgerNode.start(config))
        {
            assertEquals(50, node.recovered().snapshot().sequence());
            assertEquals(50, node.recovered().replayedCommands());
            assertEquals(1, node.recovered().passedOver().size());
            assertTrue(Files.exists(snapshots.get(0).resolveSibling(snapshots.get(0).getFileName() + ".corrupt")),
                "the unusable snapshot is renamed so nothing uses it again");
            node.close();
            assertEquals(liveHash, node.engine().stateHash());
        }
    }

    @Test
    void newCapacitiesAndCurrenciesAreJournaledAtStartAndAReplayChangesThemWhereTheLiveLedgerDid() throws Exception
    {
        final TestWorkload workload = new TestWorkload(SEED);
        try (LedgerNode node = LedgerNode.start(NodeConfig.builder(data).ledger(workload.config()).build()))
        {
            submitAll(node, workload.next(10));
        }
        final LedgerConfig config = workload.config();
        final CurrencyRegistry.Builder withPound = CurrencyRegistry.empty().add("GBP", 826, 2);
        config.currencies().currencies().stream().filter(c -> c.numericCode() != 826)
            .forEach(c -> withPound.add(c.alphaCode(), c.numericCode(), c.exponent()));
        final LedgerConfig larger = settings(config, config.accountsMax() * 2, config.idempotencyWindow() * 2,
            config.batchEventsMax(), withPound.build());
        final LedgerNode changed = LedgerNode.start(NodeConfig.builder(data).ledger(larger).build());
        assertEquals(11, changed.appliedSequence(), "one command more: the new settings");
        submitAll(changed, workload.next(5));
        changed.close();
        assertEquals(larger.accountsMax(), changed.engine().config().accountsMax());
        assertTrue(changed.engine().config().currencies().isKnown(826));
        final long hash = changed.engine().stateHash();
        try (LedgerNode node = LedgerNode.start(NodeConfig.builder(data).ledger(larger).build()))
        {
            assertEquals(16, node.appliedSequence(), "the same settings again journal nothing");
        }
        deleteSnapshots();
        final LedgerNode replayed = LedgerNode.start(NodeConfig.builder(data).ledger(larger).build());
        replayed.close();
        assertEquals(null, replayed.recovered().snapshot(), "the journal alone, from the settings it was created with");
        assertEquals(16, replayed.appliedSequence());
        assertEquals(hash, replayed.engine().stateHash(), "the replay changed the settings where the live node did");
        assertEquals(larger.accountsMax(), replayed.engine().config().accountsMax());

        assertRefused(settings(larger, larger.accountsMax(), larger.idempotencyWindow() / 2, larger.batchEventsMax(),
            larger.currencies()), "CAPACITY_BELOW_USE");
        assertRefused(settings(larger, larger.accountsMax(), larger.idempotencyWindow(), larger.batchEventsMax(),
            withoutEuro(larger.currencies())), "CURRENCY_IN_USE");
        assertRefused(settings(larger, larger.accountsMax(), larger.idempotencyWindow(), larger.batchEventsMax() + 1,
            larger.currencies()), "SETTING_NOT_CHANGEABLE");
        final LedgerNode after = LedgerNode.start(NodeConfig.builder(data).ledger(larger).build());
        after.close();
        assertEquals(hash, after.engine().stateHash(), "the refused changes changed nothing");
    }

    private static LedgerConfig settings(final LedgerConfig base, final int accountsMax, final int window,
        final int batchEventsMax, final CurrencyRegistry currencies)
    {
        return LedgerConfig.builder().accountsMax(accountsMax).idempotencyWindow(window)
            .pendingTransfersMax(base.pendingTransfersMax()).batchEventsMax(batchEventsMax)
            .limitedAccountsMax(base.limitedAccountsMax()).velocityDebitsMax(base.velocityDebitsMax())
            .currencies(currencies).build();
    }

    private void deleteSnapshots() throws IOException
    {
        try (var snapshots = Files.list(data.resolve("snapshots")))
        {
            for (final Path snapshot : snapshots.toList())
            {
                Files.delete(snapshot);
            }
        }
    }

    private static CurrencyRegistry withoutEuro(final CurrencyRegistry currencies)
    {
        final CurrencyRegistry.Builder builder = CurrencyRegistry.empty();
        for (final io.walletledger.protocol.Currency currency : currencies.currencies())
        {
            if (!currency.alphaCode().equals("EUR"))
            {
                builder.add(currency.alphaCode(), currency.numericCode(), currency.exponent());
            }
        }
        return builder.build();
    }

    private void assertRefused(final LedgerConfig settings, final String why)
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> LedgerNode.start(NodeConfig.builder(data).ledger(settings).build()));
        assertTrue(ex.getMessage().contains("cannot take the configured settings (" + why + ")"), ex.getMessage());
    }

    @Test
    void badSubmitArgumentsAreRefusedBeforeTheRing() throws Exception
    {
        final TestWorkload workload = new TestWorkload(SEED);
        try (LedgerNode node = LedgerNode.start(NodeConfig.builder(data).ledger(workload.config()).build()))
        {
            final UnsafeBuffer request = new UnsafeBuffer(workload.next(1).get(0));
            assertThrows(NullPointerException.class, () -> node.submit(request, 0, request.capacity(), null));
            assertThrows(NullPointerException.class, () -> node.submit(null, 0, 10, (b, o, l) -> { }));
            assertThrows(IllegalArgumentException.class,
                () -> node.submit(request, 1, request.capacity(), (b, o, l) -> { }));
            assertThrows(IllegalArgumentException.class, () -> node.submit(request, -1, 8, (b, o, l) -> { }));
            assertNull(node.failure());
            submitAll(node, workload.next(3));
        }
    }

    @Test
    void aReplyHandlerThatThrowsHarmsNobody() throws Exception
    {
        final TestWorkload workload = new TestWorkload(SEED);
        try (LedgerNode node = LedgerNode.start(NodeConfig.builder(data).ledger(workload.config()).build()))
        {
            final List<byte[]> requests = workload.next(3);
            final UnsafeBuffer first = new UnsafeBuffer(requests.get(0));
            final UnsafeBuffer second = new UnsafeBuffer(requests.get(1));
            assertEquals(Submission.ACCEPTED, node.submit(first, 0, first.capacity(), (b, o, l) ->
            {
                throw new IllegalStateException("a broken handler");
            }));
            assertEquals(Submission.ACCEPTED, node.submit(second, 0, second.capacity(), (b, o, l) ->
            {
                throw new AssertionError("a handler failing with an Error");
            }));
            submitAll(node, requests.subList(2, 3));
            assertNull(node.failure());
            assertEquals(3, node.appliedSequence());
        }
    }

    @Test
    void aStageFailureHaltsTheNodeAnswersInternalErrorAndARestartRecovers() throws Exception
    {
        final TestWorkload workload = new TestWorkload(SEED);
        final NodeConfig config = NodeConfig.builder(data).ledger(workload.config()).build();
        final long hashBefore;
        try (LedgerNode node = LedgerNode.start(config))
        {
            submitAll(node, workload.next(5));
            // A request buffer that cannot be read breaks the journaler: the node must halt, not skip it.
            final byte[] bytes = workload.next(1).get(0);
            final UnsafeBuffer unreadable = new UnsafeBuffer(bytes)
            {
                @Override
                public short getShort(final int index, final java.nio.ByteOrder order)
                {
                    throw new IllegalStateException("unreadable");
                }

                @Override
                public short getShort(final int index)
                {
                    throw new IllegalStateException("unreadable");
                }
            };
            final CompletableFuture<byte[]> reply = new CompletableFuture<>();
            assertEquals(Submission.ACCEPTED, node.submit(unreadable, 0, bytes.length, (buffer, offset, length) ->
            {
                final byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                reply.complete(copy);
            }));
            final byte[] error = reply.get(30, TimeUnit.SECONDS);
            assertEquals(ErrorResponseDecoder.TEMPLATE_ID, templateOf(error));
            assertEquals(io.walletledger.protocol.sbe.ErrorCode.INTERNAL_ERROR, new ErrorResponseDecoder()
                .wrapAndApplyHeader(new UnsafeBuffer(error), 0, new MessageHeaderDecoder()).code());
            assertNotNull(node.failure());
            final byte[] later = workload.next(1).get(0);
            assertEquals(Submission.CLOSED, node.submit(new UnsafeBuffer(later), 0, later.length, (b, o, l) -> { }));
            node.close();
            hashBefore = node.engine().stateHash();
            assertEquals(5, node.appliedSequence());
        }
        try (LedgerNode node = LedgerNode.start(config))
        {
            node.close();
            assertEquals(hashBefore, node.engine().stateHash(), "a restart recovers the five journaled requests");
        }
    }

    @Test
    void aNodeCannotBeClosedFromItsReplyHandler() throws Exception
    {
        final TestWorkload workload = new TestWorkload(SEED);
        try (LedgerNode node = LedgerNode.start(NodeConfig.builder(data).ledger(workload.config()).build()))
        {
            final byte[] request = workload.next(1).get(0);
            final CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            node.submit(new UnsafeBuffer(request), 0, request.length, (b, o, l) ->
            {
                try
                {
                    node.close();
                    thrown.complete(null);
                }
                catch (final IllegalStateException ex)
                {
                    thrown.complete(ex);
                }
            });
            assertNotNull(thrown.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void lookupsPassThroughTheRingButAreNotJournaled() throws Exception
    {
        final TestWorkload workload = new TestWorkload(SEED);
        try (LedgerNode node = LedgerNode.start(NodeConfig.builder(data).ledger(workload.config()).build()))
        {
            submitAll(node, workload.next(20));
            final long applied = node.appliedSequence();
            final UnsafeBuffer lookup = new UnsafeBuffer(new byte[64]);
            final LookupAccountsEncoder encoder = new LookupAccountsEncoder()
                .wrapAndApplyHeader(lookup, 0, new MessageHeaderEncoder()).correlationId(7);
            encoder.idsCount(1).next().id(1);
            final byte[] reply = submit(node, Arrays.copyOf(lookup.byteArray(),
                MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength())).get(10, TimeUnit.SECONDS);
            assertEquals(io.walletledger.protocol.sbe.LookupAccountsResponseDecoder.TEMPLATE_ID, templateOf(reply));
            assertEquals(applied, node.appliedSequence());
        }
    }

    @Test
    void aFullRingAnswersBusyAndNothingIsLost() throws Exception
    {
        final TestWorkload workload = new TestWorkload(SEED);
        final List<byte[]> requests = workload.next(16);
        try (LedgerNode node = LedgerNode.start(NodeConfig.builder(data).ledger(workload.config()).ringSize(4).build()))
        {
            final CountDownLatch release = new CountDownLatch(1);
            final CountDownLatch replied = new CountDownLatch(requests.size());
            int accepted = 0;
            int busy = 0;
            int next = 0;
            while (next < requests.size())
            {
                final byte[] request = requests.get(next);
                final Submission submission = node.submit(new UnsafeBuffer(request), 0, request.length,
                    (buffer, offset, length) ->
                    {
                        awaitQuietly(release);
                        replied.countDown();
                    });
                if (submission == Submission.ACCEPTED)
                {
                    accepted++;
                    next++;
                }
                else
                {
                    assertEquals(Submission.BUSY, submission);
                    busy++;
                    if (busy == 1)
                    {
                        assertTrue(accepted <= 5, "a ring of 4 (plus the event in the blocked handler) filled");
                        release.countDown();
                    }
                    Thread.sleep(1);
                }
            }
            assertTrue(busy > 0, "the ring filled up");
            assertTrue(replied.await(30, TimeUnit.SECONDS), "every accepted request is answered");
        }
    }

    @Test
    void aClosedNodeTakesNothing() throws Exception
    {
        final TestWorkload workload = new TestWorkload(SEED);
        final LedgerNode node = LedgerNode.start(NodeConfig.builder(data).ledger(workload.config()).build());
        node.close();
        final byte[] request = workload.next(1).get(0);
        assertEquals(Submission.CLOSED, node.submit(new UnsafeBuffer(request), 0, request.length,
            (buffer, offset, length) -> { }));
        node.close();
    }

    @Test
    void everyWaitStrategyAndBatchDurabilityGiveTheSameState() throws Exception
    {
        final TestWorkload reference = new TestWorkload(SEED + 3);
        final List<byte[]> requests = reference.next(150);
        Long expected = null;
        for (final WaitStrategyName strategy : WaitStrategyName.values())
        {
            for (final JournalDurability durability : JournalDurability.values())
            {
                final Path directory = data.resolve(strategy + "-" + durability);
                final NodeConfig config = NodeConfig.builder(directory).ledger(reference.config())
                    .waitStrategy(strategy).durability(durability).build();
                final List<byte[]> replies;
                try (LedgerNode node = LedgerNode.start(config))
                {
                    replies = submitAll(node, requests);
                    node.close();
                }
                // Timestamps differ from run to run, so compare a replay of each journal with its own live state.
                final LedgerEngine replayed = Recovery.recover(
                    config.ledger(), directory.resolve("none"), config.journalDirectory(), false).engine();
                assertEquals(requests.size(), replies.size(), strategy + "/" + durability);
                try (LedgerNode node = LedgerNode.start(config))
                {
                    node.close();
                    assertEquals(replayed.stateHash(), node.engine().stateHash(), strategy + "/" + durability);
                    if (expected == null)
                    {
                        expected = (long)node.engine().accountCount();
                    }
                    assertEquals(expected, (long)node.engine().accountCount());
                }
            }
        }
    }

    public static List<byte[]> submitAll(final LedgerNode node, final List<byte[]> requests) throws Exception
    {
        final List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        for (final byte[] request : requests)
        {
            futures.add(submit(node, request));
        }
        final List<byte[]> replies = new ArrayList<>();
        for (final CompletableFuture<byte[]> future : futures)
        {
            replies.add(future.get(30, TimeUnit.SECONDS));
        }
        return replies;
    }

    public static CompletableFuture<byte[]> submit(final LedgerNode node, final byte[] request) throws InterruptedException
    {
        final CompletableFuture<byte[]> reply = new CompletableFuture<>();
        while (true)
        {
            final Submission submission = node.submit(new UnsafeBuffer(request), 0, request.length,
                (buffer, offset, length) ->
                {
                    final byte[] bytes = new byte[length];
                    buffer.getBytes(offset, bytes);
                    reply.complete(bytes);
                });
            if (submission == Submission.ACCEPTED)
            {
                return reply;
            }
            assertEquals(Submission.BUSY, submission);
            Thread.sleep(1);
        }
    }

    public static int templateOf(final byte[] message)
    {
        return new MessageHeaderDecoder().wrap(new UnsafeBuffer(message), 0).templateId();
    }

    /**
     * Waits until the follower has caught up as far as its every-40-commands rule asks.
     */
    private static void awaitSnapshot(final LedgerNode node) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (node.lastSnapshot() == null || node.lastSnapshot().sequence() <= node.appliedSequence() - 40)
        {
            assertNull(node.failure());
            assertTrue(System.nanoTime() < deadline, "the follower took no snapshot");
            Thread.sleep(5);
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
