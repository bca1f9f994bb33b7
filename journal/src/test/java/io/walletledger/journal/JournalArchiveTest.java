package io.walletledger.journal;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JournalArchive} on a real journal of four hourly files (sequences 1..151, 152..451, 452..751, 752..900):
 * only whole files that end at or below the covered sequence move, never the newest; the journal then reads, follows
 * and appends from its new first sequence, refuses a read from before it, detects files missing at its start, and
 * reads from 1 again once the archived files are put back.
 */
class JournalArchiveTest
{
    private static final long LAST = 900;

    @TempDir
    Path temporary;

    private Path directory;
    private Path archive;
    private final SetTimeProvider clock = new SetTimeProvider(0);

    @BeforeEach
    void writeFourHourlyFiles() throws Exception
    {
        directory = temporary.resolve("journal");
        archive = temporary.resolve("journal-archive");
        long sequence = 0;
        for (int hour = 0; hour < 3; hour++)
        {
            try (CommandJournal journal =
                CommandJournal.open(directory, JournalDurability.BATCH, TornTailPolicy.REFUSE, clock))
            {
                for (int i = 0; i < 300; i++)
                {
                    append(journal, ++sequence);
                    if (i == 150)
                    {
                        clock.advanceMillis(3_600_000L);
                    }
                }
            }
        }
        assertEquals(4, JournalFiles.queueFiles(directory).size());
    }

    @Test
    void movesTheWholeFilesACoveredSequenceEndsAndTheJournalGoesOnFromThere() throws Exception
    {
        final List<Path> before = JournalFiles.queueFiles(directory);
        final byte[] firstFile = Files.readAllBytes(before.get(0));

        final JournalArchive.Moved moved = JournalArchive.archive(directory, archive, 500);

        assertEquals(452, moved.firstSequence(), "the file of 452..751 is not covered by 500: it stays");
        assertEquals(List.of(archive.resolve(before.get(0).getFileName()), archive.resolve(before.get(1).getFileName())),
            moved.files());
        assertEquals(before.subList(2, 4), JournalFiles.queueFiles(directory));
        assertArrayEquals(firstFile, Files.readAllBytes(moved.files().get(0)), "moved as it was");

        assertReplays(452);
        assertReplays(600);
        for (final long from : new long[]{1, 300, 451})
        {
            final JournalArchivedException refused =
                assertThrows(JournalArchivedException.class, () -> ReplayedEntries.replay(directory, from));
            assertEquals(452, refused.firstSequence());
        }
        try (JournalReader reader = JournalReader.open(directory);
            JournalFollower follower = reader.follow(700))
        {
            final ReplayedEntries followed = new ReplayedEntries();
            while (follower.poll(followed, 1000) > 0)
            {
                // Reads to the end.
            }
            assertEquals(LAST - 700 + 1, followed.entries.size());
        }
        try (CommandJournal journal =
            CommandJournal.open(directory, JournalDurability.BATCH, TornTailPolicy.REFUSE, clock))
        {
            assertEquals(LAST, journal.lastSequence(), "the writer finds the end as before");
            append(journal, LAST + 1);
        }
        assertReplays(452, LAST + 1);

        assertEquals(0, JournalArchive.archive(directory, archive, 500).files().size(), "nothing more is covered");
        final JournalArchive.Moved more = JournalArchive.archive(directory, archive, Long.MAX_VALUE);
        assertEquals(1, more.files().size(), "all but the newest file");
        assertEquals(752, more.firstSequence());
        assertReplays(752, LAST + 1);
    }

    @Test
    void nothingMovesWhileAWriterHasTheJournalOpenNorWhenNothingIsCovered() throws Exception
    {
        try (CommandJournal ignored =
            CommandJournal.open(directory, JournalDurability.BATCH, TornTailPolicy.REFUSE, clock))
        {
            assertThrows(IllegalStateException.class, () -> JournalArchive.archive(directory, archive, LAST));
        }
        final JournalArchive.Moved moved = JournalArchive.archive(directory, archive, 150);
        assertEquals(0, moved.files().size(), "the first file ends at 151, above 150");
        final JournalArchive.Moved first = JournalArchive.archive(directory, archive, 151);
        assertEquals(1, first.files().size());
        assertEquals(152, first.firstSequence());
        assertEquals(4 - 1, JournalFiles.queueFiles(directory).size());
    }

    @Test
    void filesMissingAtTheStartWithoutAnArchiveMarkAreCorruption() throws Exception
    {
        final List<Path> files = JournalFiles.queueFiles(directory);
        Files.delete(files.get(0));
        final JournalCorruptedException missing =
            assertThrows(JournalCorruptedException.class, () -> ReplayedEntries.replay(directory, 1));
        assertTrue(missing.getMessage().contains("files are missing"), missing.getMessage());
        assertThrows(JournalCorruptedException.class, () -> ReplayedEntries.replay(directory, 100));
        assertReplays(152, LAST);
    }

    @Test
    void aRunCutShortAfterItsMarkIsFinishedByTheNextAndArchivedFilesCanBePutBack() throws Exception
    {
        // What a crash between writing archived-before and moving the files leaves: the mark, every file.
        Files.writeString(directory.resolve(JournalQueue.ARCHIVED_BEFORE_FILE), "452\n");
        assertReplays(1);

        final JournalArchive.Moved moved = JournalArchive.archive(directory, archive, 451);
        assertEquals(2, moved.files().size());
        assertReplays(452);

        for (final Path file : moved.files())
        {
            Files.move(file, directory.resolve(file.getFileName()));
        }
        assertReplays(1);
    }

    @Test
    void toAnotherFileSystemTheFilesAreCopiedForcedAndOnlyThenRemoved() throws Exception
    {
        // /dev/shm is a tmpfs on Linux machines, the temporary directory usually not: a rename cannot cross them.
        final Path shm = Path.of("/dev/shm");
        final boolean otherFileSystem = Files.isDirectory(shm) &&
            !Files.getFileStore(shm).equals(Files.getFileStore(temporary));
        final Path elsewhere = otherFileSystem ? Files.createTempDirectory(shm, "journal-archive") : archive;
        try
        {
            final List<Path> before = JournalFiles.queueFiles(directory);
            final byte[] firstFile = Files.readAllBytes(before.get(0));
            final JournalArchive.Moved moved = JournalArchive.archive(directory, elsewhere, 451);
            assertEquals(2, moved.files().size());
            assertArrayEquals(firstFile, Files.readAllBytes(moved.files().get(0)), "copied as it was");
            try (var left = Files.list(elsewhere))
            {
                assertEquals(2, left.count(), "no partial copy left behind");
            }
            assertReplays(452);
        }
        finally
        {
            if (otherFileSystem)
            {
                try (var files = Files.list(elsewhere))
                {
                    for (final Path file : files.toList())
                    {
                        Files.delete(file);
                    }
                }
                Files.delete(elsewhere);
            }
        }
    }

    private void assertReplays(final long from)
    {
        assertReplays(from, LAST);
    }

    private void assertReplays(final long from, final long last)
    {
        final ReplayedEntries replayed = ReplayedEntries.replay(directory, from);
        assertEquals(last - from + 1, replayed.entries.size(), "from " + from);
        for (int i = 0; i < replayed.entries.size(); i++)
        {
            assertEquals(from + i, replayed.entries.get(i).sequence);
        }
        assertArrayEquals(TestCommands.createTransfers(1, TestCommands.marker(from)), replayed.entries.get(0).command);
    }

    private static void append(final CommandJournal journal, final long sequence)
    {
        final byte[] command = TestCommands.createTransfers(1, TestCommands.marker(sequence));
        assertEquals(sequence, journal.append(sequence, new UnsafeBuffer(command), 0, command.length));
        journal.flush();
    }
}
