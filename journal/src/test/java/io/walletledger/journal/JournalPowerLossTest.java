package io.walletledger.journal;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A power loss, simulated with the real journal in a temporary directory ({@link PowerLoss}): a byte copy of the
 * journal right after its last force is the durable state; more entries are appended and not forced; the directory
 * "after the power loss" mixes, page by page, the durable copy and the later one. Opening it must keep every forced
 * entry, keep the unforced entries up to the first that does not read back, drop the rest if they were written with
 * durability batch, refuse them if written with none, and say what it dropped; appends, replay and a second restart
 * must then work.
 * <p>
 * Each trial draws its shape from a seed; the test's seed is printed on failure and replayed with
 * {@code -Dwallet.test.seed=<seed>}.
 */
class JournalPowerLossTest
{
    private static final long SEED = Long.getLong("wallet.test.seed", System.nanoTime());
    private static final int TRIALS = Integer.getInteger("wallet.powerloss.trials", 10);
    private static final long HOUR_NANOS = 3_600_000_000_000L;

    @TempDir
    Path temp;

    @Test
    void aBatchTailTornByPowerLossIsDroppedAndEveryForcedEntryKept() throws IOException
    {
        for (int trial = 0; trial < TRIALS; trial++)
        {
            runBatchTrial(trial, Shape.ONE_FILE);
        }
    }

    @Test
    void aBatchTailStartingInANewHourlyFileWhoseNameWasNeverForcedIsDropped() throws IOException
    {
        for (int trial = 0; trial < TRIALS; trial++)
        {
            runBatchTrial(trial, Shape.NEW_FILE_UNFORCED);
        }
    }

    @Test
    void aBatchTailCrossingIntoTheNextHourlyFileIsDroppedWithThatFile() throws IOException
    {
        for (int trial = 0; trial < TRIALS; trial++)
        {
            runBatchTrial(trial, Shape.CROSSES_INTO_NEXT_FILE);
        }
    }

    @Test
    void aTornTailWrittenWithDurabilityNoneIsRefusedNamingTheOptions() throws IOException
    {
        int refused = 0;
        for (int trial = 0; trial < TRIALS; trial++)
        {
            final Trial t = new Trial(trial, SEED ^ (trial * 0x9E3779B97F4A7C15L));
            t.write(JournalDurability.NONE, Shape.ONE_FILE, t.random.nextBoolean());
            t.loseUnforcedPages();
            final Expected expected = t.expected();
            if (t.openOrRefuse(expected))
            {
                refused++;
            }
        }
        assertTrue(refused > 0, "seed=" + SEED + ": no trial lost anything");
    }

    @Test
    void aTornNoneSessionAfterABatchSessionIsRefusedAndABatchSessionAfterANoneOneIsDropped() throws IOException
    {
        for (int trial = 0; trial < TRIALS; trial++)
        {
            final Trial t = new Trial(trial, SEED ^ (trial * 0xC2B2AE3D27D4EB4FL));
            final boolean batchLast = trial % 2 == 0;
            t.write(batchLast ? JournalDurability.BATCH : JournalDurability.NONE, Shape.ONE_FILE, true,
                batchLast ? JournalDurability.NONE : JournalDurability.BATCH);
            t.loseUnforcedPages();
            final Expected expected = t.expected();
            if (!batchLast)
            {
                t.openOrRefuse(expected);
            }
            else
            {
                t.openAndCheck(expected, JournalDurability.BATCH);
            }
        }
    }

    @Test
    void damageBeforeTheLastForcedRecordIsRefusedInBothModesAndNothingIsDropped() throws IOException
    {
        for (final JournalDurability durability : JournalDurability.values())
        {
            final Path directory = temp.resolve("damage-" + durability);
            appendFlushingEach(directory, durability, 10);
            final Path file = JournalFiles.onlyQueueFile(directory);
            JournalFiles.flipByte(file, JournalFiles.find(file, TestCommands.marker(5)) + 100);

            try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.BATCH))
            {
                assertNull(journal.droppedAtOpen(), durability + ": the end of the journal is sound");
                assertEquals(10, journal.lastSequence());
            }
            final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class,
                () -> ReplayedEntries.replay(directory, 1));
            assertEquals(5, ex.expectedSequence(), durability + ": replay, which recovery runs, refuses it");
            assertNoFileSetAside(directory);
        }
    }

    @Test
    void aFailingRecordThatTheNextEntryNamesAsDurableIsDamageNotATornTail() throws IOException
    {
        final Path directory = temp.resolve("named-durable");
        appendFlushingEach(directory, JournalDurability.BATCH, 10);
        final Path file = JournalFiles.onlyQueueFile(directory);
        final long ninth = RawRecords.entries(directory).get(8).index;
        JournalFiles.flipByte(file, JournalFiles.find(file, TestCommands.marker(9)) + 100);

        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class,
            () -> CommandJournal.open(directory, JournalDurability.BATCH));
        assertEquals(ninth, ex.chronicleIndex());
        assertTrue(ex.problem().contains("damage, not a torn tail"), ex.getMessage());
        assertNoFileSetAside(directory);
    }

    @Test
    void aFailingRecordFollowedByOneWrittenAfterItWasForcedIsRefusedEvenWhenTheEndIsUnreadable()
        throws IOException
    {
        // 300 entries, each flushed: the index (every 256th document) lets the writer find a record to start from
        // although the last one no longer verifies.
        final Path directory = temp.resolve("proof-in-scan");
        appendFlushingEach(directory, JournalDurability.BATCH, 300);
        final Path file = JournalFiles.onlyQueueFile(directory);
        JournalFiles.flipByte(file, JournalFiles.find(file, TestCommands.marker(280)) + 40);
        JournalFiles.flipByte(file, JournalFiles.find(file, TestCommands.marker(300)) + 40);

        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class,
            () -> CommandJournal.open(directory, JournalDurability.BATCH));
        assertEquals(280, ex.expectedSequence());
        assertTrue(ex.problem().contains("was written when the journal was forced up to index"), ex.getMessage());
        assertNoFileSetAside(directory);
    }

    @Test
    void aDroppedTailIsShownToReadersAsOneRecordInItsPlace() throws IOException
    {
        final Path directory = temp.resolve("shown");
        final SetTimeProvider clock = new SetTimeProvider(1_000 * HOUR_NANOS);
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.BATCH, TornTailPolicy.REFUSE,
            clock))
        {
            append(journal, 1, 8);
            journal.flush();
            append(journal, 9, 12);
        }
        // The close forced 9 to 12, but the bytes of 10 are gone as a power loss before that force would leave them.
        final Path file = JournalFiles.onlyQueueFile(directory);
        final long tenth = RawRecords.entries(directory).get(9).index;
        JournalFiles.flipByte(file, JournalFiles.find(file, TestCommands.marker(10)) + 10);

        final JournalTailDrop drop;
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.BATCH, TornTailPolicy.REFUSE,
            clock))
        {
            drop = journal.droppedAtOpen();
            assertNotNull(drop);
            assertEquals(9, journal.lastSequence());
            assertEquals(10, drop.firstSequence());
            assertEquals(tenth, drop.firstIndex());
            assertEquals(3, drop.droppedDocuments(), "10, 11 and 12");
            assertEquals(1, drop.corruptDocuments());
            assertTrue(drop.describe().contains("from sequence 10"), drop.describe());
            assertTrue(Files.exists(drop.originalKeptAs()), drop.describe());
            append(journal, 10, 10);
        }
        final Recorded recorded = Recorded.replay(directory);
        assertEquals(List.of("dropped index 0x" + Long.toHexString(tenth) + " next 10 documents 3"), recorded.drops);
        assertEquals(10, recorded.entries.last);
        assertEquals(2, recorded.opens.size(), "two writers opened the journal");
    }

    @Test
    void aLegacyJournalWithoutOpenRecordsKeepsItsTornTailRules() throws IOException
    {
        final Path directory = temp.resolve("legacy");
        for (long sequence = 1; sequence <= 5; sequence++)
        {
            RawRecords.append(directory, RawRecords.entry(sequence, sequence, TestCommands.createTransfers(3,
                TestCommands.marker(sequence))));
        }
        final Path file = JournalFiles.onlyQueueFile(directory);
        JournalFiles.flipByte(file, JournalFiles.find(file, TestCommands.marker(5)) + 10);

        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class,
            () -> CommandJournal.open(directory, JournalDurability.BATCH, TornTailPolicy.REFUSE));
        assertTrue(ex.getMessage().contains("recorded no durability"), ex.getMessage());
        try (CommandJournal journal =
            CommandJournal.open(directory, JournalDurability.BATCH, TornTailPolicy.TRUNCATE))
        {
            assertNull(journal.droppedAtOpen());
            assertEquals(4, journal.lastSequence(), "the single torn record is discarded as before");
        }
    }

    private void runBatchTrial(final int trial, final Shape shape) throws IOException
    {
        final Trial t = new Trial(trial, SEED ^ (trial * 0xD6E8FEB86659FD93L) ^ shape.ordinal());
        t.write(JournalDurability.BATCH, shape, t.random.nextInt(4) == 0);
        t.loseUnforcedPages();
        t.openAndCheck(t.expected(), JournalDurability.BATCH);
    }

    private static void appendFlushingEach(final Path directory, final JournalDurability durability, final int count)
    {
        try (CommandJournal journal = CommandJournal.open(directory, durability))
        {
            for (long sequence = 1; sequence <= count; sequence++)
            {
                append(journal, sequence, sequence);
                journal.flush();
            }
        }
    }

    private static void append(final CommandJournal journal, final long from, final long to)
    {
        for (long sequence = from; sequence <= to; sequence++)
        {
            final byte[] command = command(sequence);
            assertEquals(sequence, journal.append(sequence, new UnsafeBuffer(command), 0, command.length));
        }
    }

    /**
     * Commands of 1 to 60 transfers (about 0.2 to 7.7 KB), so records start and end anywhere in a page.
     */
    static byte[] command(final long sequence)
    {
        return TestCommands.createTransfers(1 + (int)((sequence * 7919) % 60), TestCommands.marker(sequence));
    }

    private static void assertNoFileSetAside(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString())
                .filter(n -> n.contains(".cq4.")).toList());
        }
    }

    private enum Shape
    {
        /** Forced entries, then unforced ones, in one hourly file. */
        ONE_FILE,
        /**
         * The writer moved to a new hourly file, forcing the old one, and appended to it without a flush: neither
         * the new file's data nor its name in the directory is durable.
         */
        NEW_FILE_UNFORCED,
        /**
         * Unforced entries at the end of one hourly file, then the first entry of the next, after which the writer
         * forces the old file: the power fails before that force completes.
         */
        CROSSES_INTO_NEXT_FILE
    }

    /**
     * What the journal should hold after the loss: the records as they were written (from the later copy), and how
     * many of them, from the start, still read back exactly in the lost directory.
     */
    private record Expected(List<RawRecords.Stored> written, int intact, int readable, long lastSequence,
        long forcedSequence)
    {
        boolean lost()
        {
            return intact < written.size();
        }
    }

    private final class Trial
    {
        final int number;
        final long seed;
        final SplittableRandom random;
        final Path live;
        final Path durable;
        final Path later;
        final Path lost;
        final SetTimeProvider clock = new SetTimeProvider(1_000 * HOUR_NANOS);
        long forcedSequence;
        long lastSequence;
        double laterShare;

        Trial(final int number, final long seed)
        {
            this.number = number;
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            final Path root = temp.resolve("trial-" + number);
            live = root.resolve("live");
            durable = root.resolve("durable");
            later = root.resolve("later");
            lost = root.resolve("lost");
        }

        void write(final JournalDurability durability, final Shape shape, final boolean earlierSession)
            throws IOException
        {
            write(durability, shape, earlierSession, random.nextBoolean() ? JournalDurability.NONE :
                JournalDurability.BATCH);
        }

        /**
         * @param earlierSession   whether a writer with {@code earlierDurability} wrote (and closed) first.
         */
        void write(
            final JournalDurability durability,
            final Shape shape,
            final boolean earlierSession,
            final JournalDurability earlierDurability) throws IOException
        {
            if (earlierSession)
            {
                try (CommandJournal journal = CommandJournal.open(live, earlierDurability, TornTailPolicy.REFUSE,
                    clock))
                {
                    appendInBatches(journal, 1 + random.nextInt(200));
                }
            }
            try (CommandJournal journal = CommandJournal.open(live, durability, TornTailPolicy.REFUSE, clock))
            {
                appendInBatches(journal, 1 + random.nextInt(400));
                forcedSequence = lastSequence;
                if (shape == Shape.NEW_FILE_UNFORCED)
                {
                    clock.advanceNanos(HOUR_NANOS);
                    append(journal, ++lastSequence, lastSequence);
                    PowerLoss.copy(live, durable);
                    Files.delete(durable.resolve(JournalFiles.queueFiles(live).get(
                        JournalFiles.queueFiles(live).size() - 1).getFileName()));
                }
                else
                {
                    PowerLoss.copy(live, durable);
                }
                final int unforced = 1 + random.nextInt(600);
                append(journal, lastSequence + 1, lastSequence + unforced);
                lastSequence += unforced;
                if (shape == Shape.CROSSES_INTO_NEXT_FILE)
                {
                    clock.advanceNanos(HOUR_NANOS);
                    append(journal, ++lastSequence, lastSequence);
                }
                PowerLoss.copy(live, later);
            }
        }

        private void appendInBatches(final CommandJournal journal, final int count)
        {
            final long end = lastSequence + count;
            while (lastSequence < end)
            {
                final long batchEnd = Math.min(end, lastSequence + 1 + random.nextInt(30));
                append(journal, lastSequence + 1, batchEnd);
                lastSequence = batchEnd;
                journal.flush();
            }
        }

        void loseUnforcedPages() throws IOException
        {
            laterShare = random.nextDouble();
            PowerLoss.mix(durable, later, lost, random, laterShare);
        }

        /**
         * Reads a copy of the lost directory (reading may change what Chronicle keeps about it) and compares its
         * records, in order, with those written.
         */
        Expected expected() throws IOException
        {
            final List<RawRecords.Stored> written = RawRecords.readAll(later);
            final Path probe = lost.resolveSibling("probe");
            PowerLoss.copy(lost, probe);
            final List<RawRecords.Stored> read = readWhatChronicleCan(probe);
            int intact = 0;
            while (intact < Math.min(written.size(), read.size()) &&
                read.get(intact).index == written.get(intact).index &&
                Arrays.equals(read.get(intact).bytes, written.get(intact).bytes))
            {
                intact++;
            }
            long last = 0;
            for (int i = 0; i < intact; i++)
            {
                if (written.get(i).isEntry())
                {
                    last++;
                }
            }
            return new Expected(written, intact, read.size(), last, forcedSequence);
        }

        void openAndCheck(final Expected expected, final JournalDurability durability) throws IOException
        {
            assertTrue(expected.lastSequence() >= forcedSequence, describe() + ": the durable copy lost records");
            final JournalTailDrop drop;
            try (CommandJournal journal = CommandJournal.open(lost, durability, TornTailPolicy.REFUSE, clock))
            {
                drop = journal.droppedAtOpen();
                assertEquals(expected.lastSequence(), journal.lastSequence(), describe() + " " + drop);
                if (drop != null)
                {
                    assertEquals(expected.lastSequence() + 1, drop.firstSequence(), describe());
                    assertTrue(isWhereTheIntactRecordsEnd(expected, drop.firstIndex()), describe() + " " + drop);
                    assertEquals(expected.readable() - expected.intact(), drop.droppedDocuments(), describe());
                    assertTrue(Files.exists(drop.originalKeptAs()), describe());
                }
                else
                {
                    assertEquals(expected.intact(), expected.readable(), describe() + ": nothing dropped");
                }
                append(journal, expected.lastSequence() + 1, expected.lastSequence() + 5);
            }
            final long last = expected.lastSequence() + 5;
            checkReplay(last, drop);
            try (CommandJournal journal = CommandJournal.open(lost, durability, TornTailPolicy.REFUSE, clock))
            {
                assertNull(journal.droppedAtOpen(), describe() + ": a second restart drops nothing");
                assertEquals(last, journal.lastSequence(), describe());
            }
            checkReplay(last, drop);
        }

        /**
         * The drop begins at the first record that does not read back, or right after the last one that does when
         * that ends an hourly file whose end-of-file mark was lost (the next file is then unreachable).
         */
        private boolean isWhereTheIntactRecordsEnd(final Expected expected, final long firstIndex)
        {
            final List<RawRecords.Stored> written = expected.written();
            final int intact = expected.intact();
            return intact < written.size() && firstIndex == written.get(intact).index ||
                intact > 0 && firstIndex == written.get(intact - 1).index + 1;
        }

        private void checkReplay(final long last, final JournalTailDrop drop)
        {
            final Recorded recorded = Recorded.replay(lost);
            assertEquals(last, recorded.entries.last, describe());
            assertEquals(last, recorded.entries.entries.size(), describe());
            for (final ReplayedEntries.Entry entry : recorded.entries.entries)
            {
                assertArrayEquals(command(entry.sequence), entry.command, describe() + " entry " + entry.sequence);
            }
            assertEquals(drop == null ? List.of() : List.of("dropped index 0x" + Long.toHexString(drop.cutIndex()) +
                " next " + drop.firstSequence() + " documents " + drop.droppedDocuments()), recorded.drops,
                describe());
        }

        /**
         * A tail written with durability none is never dropped. If the journal merely ends early, as none allows
         * (acknowledged commands lost), it opens. If records Chronicle still reads fail verification, or Chronicle
         * claims more than it can read, it is refused: by the writer if it sees the failure from where it starts
         * looking (the end), else by the replay that recovery runs before the first append. Either way the message
         * says what none allows and what to do.
         *
         * @return whether it was refused.
         */
        boolean openOrRefuse(final Expected expected) throws IOException
        {
            final JournalCorruptedException ex;
            final long opened;
            try (CommandJournal journal = CommandJournal.open(lost, JournalDurability.BATCH, TornTailPolicy.REFUSE,
                clock))
            {
                assertNull(journal.droppedAtOpen(), describe() + ": a tail written with none is never dropped");
                opened = journal.lastSequence();
            }
            catch (final JournalCorruptedException refused)
            {
                assertTrue(refused.getMessage().contains("Options: restore the data directory from a backup"),
                    describe() + ": " + refused.getMessage());
                assertRefusedWith(refused);
                return true;
            }
            if (expected.readable() == expected.intact() && opened == expected.lastSequence() &&
                replayRefusal() == null)
            {
                openAndCheck(expected, JournalDurability.NONE);
                return false;
            }
            ex = replayRefusal();
            assertNotNull(ex, describe() + ": the writer opened at " + opened + " and the replay found nothing");
            assertTrue(ex.getMessage().contains("restore the data directory from a backup"), ex.getMessage());
            assertRefusedWith(ex);
            return true;
        }

        private JournalCorruptedException replayRefusal()
        {
            try
            {
                ReplayedEntries.replay(lost, 1);
                return null;
            }
            catch (final JournalCorruptedException ex)
            {
                return ex;
            }
        }

        private void assertRefusedWith(final JournalCorruptedException ex) throws IOException
        {
            assertTrue(ex.getMessage().contains("durability none"), describe() + ": " + ex.getMessage());
            assertNoFileSetAside(lost);
        }

        String describe()
        {
            return "seed=" + SEED + " trial " + number + " (seed " + seed + ", forced up to " + forcedSequence +
                ", written up to " + lastSequence + ", later pages kept " + String.format("%.2f", laterShare) + ")";
        }
    }

    /**
     * Reads the data documents Chronicle can read, in order, up to where it stops or fails.
     */
    private static List<RawRecords.Stored> readWhatChronicleCan(final Path directory)
    {
        return RawRecords.readAllUntilFailure(directory);
    }

    /**
     * A replay that also keeps the open and cut records it passes.
     */
    private static final class Recorded implements JournalEntryHandler
    {
        final ReplayedEntries entries = new ReplayedEntries();
        final List<String> opens = new ArrayList<>();
        final List<String> drops = new ArrayList<>();

        static Recorded replay(final Path directory)
        {
            final Recorded recorded = new Recorded();
            try (JournalReader reader = JournalReader.open(directory))
            {
                recorded.entries.last = reader.replay(1, recorded);
            }
            return recorded;
        }

        @Override
        public void onEntry(
            final long sequence, final long timestamp, final int templateId, final DirectBuffer command,
            final int offset, final int length, final int noteLength)
        {
            entries.onEntry(sequence, timestamp, templateId, command, offset, length, noteLength);
        }

        @Override
        public void onOpened(final long index, final JournalDurability durability, final long nextSequence)
        {
            opens.add(durability + " next " + nextSequence);
        }

        @Override
        public void onDropped(
            final long index, final long nextSequence, final long firstDroppedIndex, final long documents)
        {
            drops.add("dropped index 0x" + Long.toHexString(index) + " next " + nextSequence + " documents " +
                documents);
        }
    }

    static
    {
        if (TRIALS < 1)
        {
            fail("wallet.powerloss.trials must be at least 1");
        }
    }
}
