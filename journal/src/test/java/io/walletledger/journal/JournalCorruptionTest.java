package io.walletledger.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damage the journal the ways a crash or a bad disk can, and check that it is reported, precisely, and never
 * replayed as if nothing happened.
 */
class JournalCorruptionTest
{
    private static final int ENTRIES = 10;
    private static final int TRANSFERS_PER_ENTRY = 300;

    @TempDir
    Path directory;

    @Test
    void aFlippedCommandByteIsReportedWithFileIndexAndSequence() throws IOException
    {
        appendEntries(ENTRIES);
        final Path file = JournalFiles.onlyQueueFile(directory);
        final long index = RawRecords.entries(directory).get(6).index;
        JournalFiles.flipByte(file, JournalFiles.find(file, TestCommands.marker(7)) + 500);

        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class,
            () -> ReplayedEntries.replay(directory, 1));

        assertEquals(file, ex.file());
        assertEquals(index, ex.chronicleIndex());
        assertEquals(7, ex.expectedSequence());
        assertTrue(ex.problem().startsWith("checksum mismatch"), ex.getMessage());
        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains("0x" + Long.toHexString(index)), ex.getMessage());
        assertTrue(ex.getMessage().contains("expected sequence 7"), ex.getMessage());
    }

    @Test
    void aFlippedHeaderByteIsReportedToo() throws IOException
    {
        appendEntries(ENTRIES);
        final Path file = JournalFiles.onlyQueueFile(directory);
        final long record = JournalFiles.recordPosition(file, TestCommands.marker(4));
        JournalFiles.flipByte(file, record + JournalEntryDescriptor.TIMESTAMP_OFFSET + 3);

        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class,
            () -> ReplayedEntries.replay(directory, 1));
        assertEquals(4, ex.expectedSequence());
        assertTrue(ex.problem().startsWith("checksum mismatch"), ex.getMessage());
    }

    @ParameterizedTest
    @EnumSource(TornTailPolicy.class)
    void aCorruptEntryInTheMiddleIsRefusedUnderEitherPolicyAndNeverTruncated(final TornTailPolicy policy)
        throws IOException
    {
        appendEntries(ENTRIES);
        final Path file = JournalFiles.onlyQueueFile(directory);
        JournalFiles.flipByte(file, JournalFiles.find(file, TestCommands.marker(5)) + 100);

        // The writer looks only at the end, which is sound, so it opens and discards nothing...
        final int documents = RawRecords.readAll(directory).size();
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE, policy))
        {
            assertEquals(ENTRIES, journal.lastSequence());
        }
        final List<RawRecords.Stored> after = RawRecords.readAll(directory);
        assertEquals(documents + 1, after.size(), "no discard record was written, only the open record");
        assertTrue(after.get(documents).isOpen());

        // ...and the replay that recovery runs before the first append refuses to go past entry 5.
        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class,
            () -> ReplayedEntries.replay(directory, 1));
        assertEquals(5, ex.expectedSequence());
        assertThrows(JournalCorruptedException.class, () -> ReplayedEntries.replay(directory, 4));
    }

    @Test
    void aTornLastEntryIsRefusedUnderRefuse() throws IOException
    {
        appendEntries(ENTRIES);
        final Path file = JournalFiles.onlyQueueFile(directory);
        final long lastIndex = RawRecords.entries(directory).get(ENTRIES - 1).index;
        JournalFiles.truncate(file, JournalFiles.find(file, TestCommands.marker(ENTRIES)) + 1000);

        final JournalCorruptedException onOpen = assertThrows(JournalCorruptedException.class,
            () -> CommandJournal.open(directory, JournalDurability.BATCH, TornTailPolicy.REFUSE));
        assertEquals(file, onOpen.file());
        assertEquals(lastIndex, onOpen.chronicleIndex());
        assertEquals(ENTRIES, onOpen.expectedSequence());
        assertTrue(onOpen.getMessage().contains("TornTailPolicy.TRUNCATE"), onOpen.getMessage());

        final JournalCorruptedException onReplay = assertThrows(JournalCorruptedException.class,
            () -> ReplayedEntries.replay(directory, 1));
        assertEquals(lastIndex, onReplay.chronicleIndex());
        assertEquals(ENTRIES, onReplay.expectedSequence());
    }

    @Test
    void aTornLastEntryIsDiscardedUnderTruncateAndItsSequenceReused() throws IOException
    {
        appendEntries(ENTRIES);
        final Path file = JournalFiles.onlyQueueFile(directory);
        final long tornIndex = RawRecords.entries(directory).get(ENTRIES - 1).index;
        JournalFiles.truncate(file, JournalFiles.find(file, TestCommands.marker(ENTRIES)) + 1000);

        final byte[] replacement = TestCommands.createTransfers(5, TestCommands.marker(99));
        try (CommandJournal journal =
            CommandJournal.open(directory, JournalDurability.BATCH, TornTailPolicy.TRUNCATE))
        {
            assertEquals(ENTRIES - 1, journal.lastSequence());
            assertEquals(ENTRIES, journal.append(99, new UnsafeBuffer(replacement), 0, replacement.length));
        }

        final List<RawRecords.Stored> stored = RawRecords.readAll(directory);
        final int torn = indexOf(stored, tornIndex);
        assertEquals(ENTRIES + 1, RawRecords.entries(directory).size(), "the torn record stays...");
        assertArrayEquals(RawRecords.discard(ENTRIES, tornIndex), stored.get(torn + 1).bytes,
            "...followed by its discard record");
        assertTrue(stored.get(torn + 2).isOpen(), "then the open record of the writer that discarded it");

        for (final long from : new long[]{1, ENTRIES - 1, ENTRIES})
        {
            final ReplayedEntries replayed = ReplayedEntries.replay(directory, from);
            assertEquals(ENTRIES, replayed.last);
            final ReplayedEntries.Entry last = replayed.entries.get(replayed.entries.size() - 1);
            assertEquals(ENTRIES, last.sequence);
            assertArrayEquals(replacement, last.command);
        }
        assertEquals(ENTRIES, ReplayedEntries.replay(directory, 1).entries.size());

        // The discard is recorded: a later open refusing torn tails is content, and appends run on.
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE, TornTailPolicy.REFUSE))
        {
            assertEquals(ENTRIES, journal.lastSequence());
        }
    }

    @Test
    void aTornOnlyEntryIsDiscardedUnderTruncateAndTheJournalStartsAgainAtOne() throws IOException
    {
        appendEntries(1);
        final Path file = JournalFiles.onlyQueueFile(directory);
        JournalFiles.flipByte(file, JournalFiles.find(file, TestCommands.marker(1)) + 2000);

        try (CommandJournal journal =
            CommandJournal.open(directory, JournalDurability.NONE, TornTailPolicy.TRUNCATE))
        {
            assertEquals(0, journal.lastSequence());
        }
        assertEquals(0, ReplayedEntries.replay(directory, 1).last);
        appendEntries(1);
        assertEquals(1, ReplayedEntries.replay(directory, 1).entries.size());
    }

    @Test
    void twoBadRecordsAtTheEndAreNotATornTailAndAreRefusedEvenUnderTruncate() throws IOException
    {
        appendEntries(ENTRIES);
        final Path file = JournalFiles.onlyQueueFile(directory);
        JournalFiles.flipByte(file, JournalFiles.find(file, TestCommands.marker(ENTRIES - 1)) + 100);
        JournalFiles.flipByte(file, JournalFiles.find(file, TestCommands.marker(ENTRIES)) + 100);

        final int documents = RawRecords.readAll(directory).size();
        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class,
            () -> CommandJournal.open(directory, JournalDurability.NONE, TornTailPolicy.TRUNCATE));
        assertEquals(ENTRIES - 1, ex.expectedSequence(), "the earlier of the two is reported");
        assertEquals(documents, RawRecords.readAll(directory).size(), "nothing was discarded");
    }

    @ParameterizedTest
    @EnumSource(TornTailPolicy.class)
    void aTailLostBelowChronicleIsRefusedUnderEitherPolicy(final TornTailPolicy policy) throws IOException
    {
        appendEntries(ENTRIES);
        final Path file = JournalFiles.onlyQueueFile(directory);
        // Cut through the last document's Chronicle header: the file header still says it was written.
        JournalFiles.truncate(file,
            JournalFiles.recordPosition(file, TestCommands.marker(ENTRIES)) - JournalFiles.CHRONICLE_HEADER_LENGTH);

        final JournalCorruptedException onOpen = assertThrows(JournalCorruptedException.class,
            () -> CommandJournal.open(directory, JournalDurability.NONE, policy));
        assertTrue(onOpen.problem().contains("write position"), onOpen.getMessage());
        assertEquals(file, onOpen.file());
        assertEquals(ENTRIES, onOpen.expectedSequence());

        final JournalCorruptedException onReplay = assertThrows(JournalCorruptedException.class,
            () -> ReplayedEntries.replay(directory, 1));
        assertTrue(onReplay.problem().contains("write position"), onReplay.getMessage());
    }

    @Test
    void aGapInTheSequenceIsRefused()
    {
        appendEntries(3);
        RawRecords.append(directory, RawRecords.entry(5, 5, TestCommands.createTransfers(1, TestCommands.marker(5))));

        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class,
            () -> ReplayedEntries.replay(directory, 1));
        assertEquals(4, ex.expectedSequence());
        assertTrue(ex.problem().contains("sequence is 5"), ex.getMessage());
    }

    @Test
    void aRepeatedSequenceIsRefused()
    {
        appendEntries(3);
        RawRecords.append(directory, RawRecords.entry(3, 3, TestCommands.createTransfers(1, TestCommands.marker(3))));

        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class,
            () -> ReplayedEntries.replay(directory, 1));
        assertEquals(4, ex.expectedSequence());
    }

    @Test
    void aDiscardRecordAfterAnEntryThatVerifiesIsRefused()
    {
        appendEntries(3);
        final long index = RawRecords.entries(directory).get(2).index;
        RawRecords.append(directory, RawRecords.discard(3, index));

        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class,
            () -> ReplayedEntries.replay(directory, 1));
        assertTrue(ex.problem().contains("does not follow a record that fails verification"), ex.getMessage());
    }

    @Test
    void aCorruptRecordFollowedByADiscardForAnotherRecordIsRefused() throws IOException
    {
        appendEntries(3);
        final Path file = JournalFiles.onlyQueueFile(directory);
        final List<RawRecords.Stored> stored = RawRecords.entries(directory);
        JournalFiles.flipByte(file, JournalFiles.find(file, TestCommands.marker(3)) + 100);
        RawRecords.append(directory, RawRecords.discard(3, stored.get(1).index));

        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class,
            () -> ReplayedEntries.replay(directory, 1));
        assertEquals(stored.get(2).index, ex.chronicleIndex());
        assertTrue(ex.problem().contains("is not a discard record for it"), ex.getMessage());
    }

    @Test
    void aRecordOfAnUnknownFormatVersionIsRefused()
    {
        appendEntries(2);
        final byte[] record = RawRecords.entry(3, 3, TestCommands.createTransfers(1, TestCommands.marker(3)));
        record[JournalEntryDescriptor.VERSION_OFFSET] = 4;
        RawRecords.append(directory, record);
        RawRecords.append(directory, RawRecords.entry(4, 4, TestCommands.createTransfers(1, TestCommands.marker(4))));

        final JournalCorruptedException ex = assertThrows(JournalCorruptedException.class,
            () -> ReplayedEntries.replay(directory, 1));
        assertEquals(3, ex.expectedSequence());
        assertTrue(ex.getMessage().contains("format version 4"), ex.getMessage());
    }

    private static int indexOf(final List<RawRecords.Stored> stored, final long index)
    {
        for (int i = 0; i < stored.size(); i++)
        {
            if (stored.get(i).index == index)
            {
                return i;
            }
        }
        throw new AssertionError("no record at index 0x" + Long.toHexString(index));
    }

    private void appendEntries(final int count)
    {
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
        {
            final long first = journal.lastSequence() + 1;
            for (long sequence = first; sequence < first + count; sequence++)
            {
                final byte[] command = TestCommands.createTransfers(TRANSFERS_PER_ENTRY, TestCommands.marker(sequence));
                journal.append(sequence, new UnsafeBuffer(command), 0, command.length);
            }
        }
    }
}
