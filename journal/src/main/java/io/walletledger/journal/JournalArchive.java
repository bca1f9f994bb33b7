package io.walletledger.journal;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves the journal's oldest files, those whose every entry is covered (a snapshot holds its effect and the permanent
 * record its transfers), out of the journal directory, so that the journal does not grow for ever. Only whole hourly
 * files move, never the newest one (the writer appends to it), and only while no writer has the journal open.
 * <p>
 * Crash safety, in order: the journal's {@value JournalQueue#ARCHIVED_BEFORE_FILE} file is written (atomically) with
 * the first sequence the journal will keep, then each file is renamed into the archive (on another file system:
 * copied, forced there, and only then removed from the journal). A crash at any point leaves a journal that starts at
 * or before that sequence with no gap, and a file in both places at most; running the archive again finishes the
 * work. Readers refuse to start
 * below the journal's first sequence ({@link JournalArchivedException}), and a journal that starts after it (files
 * missing) is corrupt.
 */
public final class JournalArchive
{
    private JournalArchive()
    {
    }

    /**
     * What an archive run moved.
     *
     * @param files         the files moved, oldest first, as they are now in the archive directory.
     * @param firstSequence the journal's first sequence after the run (the one before if nothing moved).
     */
    public record Moved(List<Path> files, long firstSequence)
    {
    }

    /**
     * @param journalDirectory a journal directory no writer has open.
     * @param archiveDirectory where the files go (created if missing); it must not be the journal directory.
     * @param coveredSequence  the last sequence whose entries are no longer needed: every file whose entries all lie
     *                         at or below it is moved.
     * @return what moved.
     * @throws IllegalStateException     if a writer has the journal open.
     * @throws JournalCorruptedException if the journal's first files are missing.
     * @throws UncheckedIOException      if a file cannot be copied, forced or removed; what moved before stays moved.
     */
    public static Moved archive(final Path journalDirectory, final Path archiveDirectory, final long coveredSequence)
    {
        if (!Files.isDirectory(journalDirectory))
        {
            throw new IllegalStateException("no journal in " + journalDirectory);
        }
        final List<Path> files = new ArrayList<>();
        final long firstSequence;
        try (JournalWriterLock ignored = JournalWriterLock.acquire(journalDirectory))
        {
            final long keepFrom;
            try (SingleChronicleQueue queue = JournalQueue.openForInspection(journalDirectory,
                SystemTimeProvider.INSTANCE))
            {
                final JournalRecordDecoder record = new JournalRecordDecoder();
                long first = JournalQueue.firstSequence(queue, record);
                final List<Integer> cycles = JournalQueue.cyclesAfter(queue, Integer.MIN_VALUE);
                for (int i = 0; i + 1 < cycles.size(); i++)
                {
                    // The entries of a file end right before the first sequence of the next one.
                    final long next = firstSequenceOf(queue, record, cycles.get(i + 1));
                    if (next < 0 || next - 1 > coveredSequence)
                    {
                        break;
                    }
                    files.add(JournalQueue.fileOfCycle(queue, cycles.get(i)));
                    first = next;
                }
                keepFrom = first;
            }
            firstSequence = keepFrom;
            if (files.isEmpty())
            {
                return new Moved(List.of(), firstSequence);
            }
            if (JournalQueue.archivedBefore(journalDirectory) < firstSequence)
            {
                writeArchivedBefore(journalDirectory, firstSequence);
            }
            return new Moved(move(files, archiveDirectory), firstSequence);
        }
    }

    /**
     * @return the sequence the first record of a cycle names (an entry's own, or the next entry's for an open, cut or
     * discard record), or -1 if it cannot be read or does not verify.
     */
    private static long firstSequenceOf(
        final SingleChronicleQueue queue, final JournalRecordDecoder record, final int cycle)
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.direction(TailerDirection.FORWARD);
            final long index = queue.rollCycle().toIndex(cycle, 0);
            if (!tailer.moveToIndex(index) || !record.readFrom(tailer) || record.index() != index)
            {
                return -1;
            }
            return switch (record.verify())
            {
                case JournalRecordDecoder.ENTRY -> record.sequence();
                case JournalRecordDecoder.DISCARD -> record.discardedSequence();
                case JournalRecordDecoder.OPEN, JournalRecordDecoder.CUT -> record.nextSequence();
                default -> -1;
            };
        }
        catch (final RuntimeException | AssertionError ex)
        {
            return -1;
        }
    }

    private static void writeArchivedBefore(final Path journalDirectory, final long sequence)
    {
        final Path file = journalDirectory.resolve(JournalQueue.ARCHIVED_BEFORE_FILE);
        final Path temporary = journalDirectory.resolve(JournalQueue.ARCHIVED_BEFORE_FILE + ".tmp");
        try
        {
            Files.writeString(temporary, sequence + "\n");
            JournalQueue.force(temporary, true);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not write " + file, ex);
        }
        JournalQueue.force(journalDirectory, true);
    }

    /**
     * Moves each file into the archive: a rename on the same file system (the sparse file stays as it is), else a copy
     * forced to disk there before the file leaves the journal.
     */
    private static List<Path> move(final List<Path> files, final Path archiveDirectory)
    {
        final List<Path> moved = new ArrayList<>(files.size());
        try
        {
            Files.createDirectories(archiveDirectory);
            for (final Path file : files)
            {
                final Path target = archiveDirectory.resolve(file.getFileName());
                try
                {
                    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                }
                catch (final AtomicMoveNotSupportedException ex)
                {
                    final Path partial = archiveDirectory.resolve(file.getFileName() + ".partial");
                    Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
                    JournalQueue.force(partial, false);
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    JournalQueue.force(archiveDirectory, true);
                    Files.delete(file);
                }
                JournalQueue.force(archiveDirectory, true);
                JournalQueue.force(file.getParent(), true);
                moved.add(target);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not move journal files to " + archiveDirectory + " (moved " +
                moved.size() + " of " + files.size() + "; run the archive again to finish)", ex);
        }
        return moved;
    }
}
