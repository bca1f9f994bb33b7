package io.walletledger.journal;

import org.agrona.collections.LongHashSet;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Replays the journal in sequence order, verifying every record it reads: for recovery (from the sequence after
 * the newest snapshot), for {@code wallet verify} and {@code journal dump}; and, through {@link #follow(long)}, for
 * a follower that tails the journal while the writer appends.
 * <p>
 * Every record from the starting point on is checked: its layout, its CRC32C, that sequences run on without a gap
 * or repeat, and that Chronicle's own idea of where each file ends matches what could be read. The first failure
 * throws {@link JournalCorruptedException}; nothing is skipped. The one exception is a record discarded by
 * {@link TornTailPolicy#TRUNCATE}: the discard record that follows it is verified, must name it exactly and must
 * give the sequence it should have had, and then both are passed over. Open and cut records (a writer opened the
 * journal; a writer dropped a torn tail that was never acknowledged) are verified the same way and passed over;
 * a handler that wants them gets them ({@link JournalEntryHandler#onOpened}, {@link JournalEntryHandler#onDropped}).
 * <p>
 * The queue is opened writable although the reader never appends: on a file that has been cut short, a read-only
 * Chronicle mapping faults (SIGBUS, seen as {@link InternalError}) where a writable one is grown back with zeros,
 * and the bad record is then reported like any other. Besides growing such a file, Chronicle only updates its
 * directory listing in {@code metadata.cq4t}. The reader takes no writer lock and may run beside the writer.
 */
public final class JournalReader implements AutoCloseable
{
    private final Path directory;
    private final SingleChronicleQueue queue;
    private final LongHashSet skipped;
    private final JournalScan scan;

    private JournalReader(final Path directory, final SingleChronicleQueue queue, final LongHashSet skipped)
    {
        this.directory = directory;
        this.queue = queue;
        this.skipped = skipped;
        this.scan = new JournalScan(queue, skipped);
    }

    /**
     * @param directory an existing journal directory.
     * @return a reader; one thread at a time may use it.
     * @throws UncheckedIOException if the directory does not exist.
     */
    public static JournalReader open(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            throw new UncheckedIOException(new NoSuchFileException(directory.toString(), null, "no journal directory"));
        }
        final LongHashSet skipped = JournalSkips.read(directory);
        return new JournalReader(directory, JournalQueue.open(directory, SystemTimeProvider.INSTANCE), skipped);
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * @return the sequences this reader passes over ({@link JournalSkips}), read when it opened.
     */
    public LongHashSet skipped()
    {
        return skipped;
    }

    /**
     * Delivers every entry with a sequence from {@code fromSequence} on, in order, each verified, up to the end of
     * the journal, but those listed in {@link JournalSkips}, which go to {@link JournalEntryHandler#onSkipped}. Entries before the starting point are found with Chronicle's index rather than read one by one.
     *
     * @param fromSequence the first sequence wanted, at least 1.
     * @param handler      receives the entries.
     * @return the sequence of the last entry in the journal (0 if it holds none). Less than
     * {@code fromSequence - 1} means the journal ends before the starting point, which recovery from a snapshot
     * must treat as lost journal.
     * @throws JournalCorruptedException at the first record that fails verification.
     * @throws IllegalArgumentException  if {@code fromSequence} is less than 1.
     */
    public long replay(final long fromSequence, final JournalEntryHandler handler)
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            scan.start(tailer, fromSequence);
            return scan.toEnd(tailer, handler);
        }
    }

    /**
     * Starts following the journal from {@code fromSequence}, positioned with the same index search as
     * {@link #replay(long, JournalEntryHandler)}, to read entries while a writer, in this process or another, keeps
     * appending. Call it on the thread that will poll the follower: its Chronicle tailer belongs to that thread, and
     * one thread at a time may use the follower. Any number of followers may be open, each with its own tailer;
     * close them before the reader.
     *
     * @param fromSequence the first sequence wanted, at least 1.
     * @return a follower that has read nothing yet.
     * @throws JournalCorruptedException if Chronicle cannot find again the record the search chose.
     * @throws IllegalArgumentException  if {@code fromSequence} is less than 1.
     */
    public JournalFollower follow(final long fromSequence)
    {
        final ExcerptTailer tailer = queue.createTailer();
        try
        {
            final JournalScan followerScan = new JournalScan(queue, skipped);
            followerScan.start(tailer, fromSequence);
            return new JournalFollower(tailer, followerScan, fromSequence);
        }
        catch (final RuntimeException ex)
        {
            tailer.close();
            throw ex;
        }
    }

    /**
     * @return the sequence of the journal's first entry: 1, or later once its first files were archived
     * ({@link JournalArchive}); a read from before it throws {@link JournalArchivedException}.
     * @throws JournalCorruptedException if files are missing at the journal's start.
     */
    public long firstSequence()
    {
        return JournalQueue.firstSequence(queue, new JournalRecordDecoder());
    }

    /**
     * Closes the queue; the reader's followers must be closed first.
     */
    @Override
    public void close()
    {
        queue.close();
    }
}
