package io.walletledger.journal;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.NavigableSet;

import static io.walletledger.journal.JournalEntryDescriptor.COMMAND_OFFSET;

/**
 * Replays the journal in sequence order, verifying every record it reads: for recovery (from the sequence after
 * the newest snapshot), for {@code wallet verify} and {@code journal dump}, and for a follower that tails the
 * journal.
 * <p>
 * Every record from the starting point on is checked: its layout, its CRC32C, that sequences run on without a gap
 * or repeat, and that Chronicle's own idea of where each file ends matches what could be read. The first failure
 * throws {@link JournalCorruptedException}; nothing is skipped. The one exception is a record discarded by
 * {@link TornTailPolicy#TRUNCATE}: the discard record that follows it is verified, must name it exactly and must
 * give the sequence it should have had, and then both are passed over.
 * <p>
 * The queue is opened writable although the reader never appends: on a file that has been cut short, a read-only
 * Chronicle mapping faults (SIGBUS, seen as {@link InternalError}) where a writable one is grown back with zeros,
 * and the bad record is then reported like any other. Besides growing such a file, Chronicle only updates its
 * directory listing in {@code metadata.cq4t}. The reader takes no writer lock and may run beside the writer.
 */
public final class JournalReader implements AutoCloseable
{
    private static final long NO_INDEX = Long.MIN_VALUE;
    private static final int NO_CYCLE = Integer.MIN_VALUE;

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final JournalRecordDecoder record = new JournalRecordDecoder();

    // Where a positioning search landed: the sequence of the entry at the chosen index.
    private long startSequence;

    // Progress of the replay under way.
    private long expected;
    private int cycle;
    private long lastIndex;
    private long lastHeaderPosition;
    /** A record that failed verification, waiting to see whether a discard record for it follows. */
    private long corruptIndex;
    private String corruptProblem;
    private String corruptSequenceField;

    private JournalReader(final Path directory, final SingleChronicleQueue queue)
    {
        this.directory = directory;
        this.queue = queue;
        this.rollCycle = queue.rollCycle();
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
        return new JournalReader(directory, JournalQueue.open(directory, SystemTimeProvider.INSTANCE));
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * Delivers every entry with a sequence from {@code fromSequence} on, in order, each verified, up to the end of
     * the journal. Entries before the starting point are found with Chronicle's index rather than read one by one.
     *
     * @param fromSequence the first sequence wanted, at least 1.
     * @param handler      receives the entries.
     * @return the sequence of the last entry in the journal (0 if it holds none). Less than
     * {@code fromSequence - 1} means the journal ends before the starting point, which recovery from a snapshot
     * must treat as lost journal.
     * @throws JournalCorruptedException at the first record that fails verification.
     */
    public long replay(final long fromSequence, final JournalEntryHandler handler)
    {
        if (fromSequence < 1)
        {
            throw new IllegalArgumentException("sequences start at 1, not " + fromSequence);
        }
        try (ExcerptTailer tailer = queue.createTailer())
        {
            final long startIndex = findStart(tailer, fromSequence);
            final long firstExpected;
            if (startIndex == NO_INDEX)
            {
                tailer.direction(TailerDirection.FORWARD).toStart();
                firstExpected = 1;
            }
            else
            {
                tailer.direction(TailerDirection.FORWARD);
                if (!tailer.moveToIndex(startIndex))
                {
                    throw new JournalCorruptedException(JournalQueue.fileOf(queue, startIndex), startIndex,
                        startSequence, "Chronicle can no longer find a record it found a moment ago");
                }
                firstExpected = startSequence;
            }
            return scan(tailer, firstExpected, fromSequence, handler);
        }
    }

    @Override
    public void close()
    {
        queue.close();
    }

    private long scan(
        final ExcerptTailer tailer,
        final long firstExpected,
        final long fromSequence,
        final JournalEntryHandler handler)
    {
        expected = firstExpected;
        cycle = NO_CYCLE;
        lastIndex = NO_INDEX;
        lastHeaderPosition = -1;
        corruptIndex = NO_INDEX;
        while (true)
        {
            if (!read(tailer))
            {
                // Read Chronicle's write position before the last look, so a writer appending right now cannot
                // make a healthy end look like a gap (JournalQueue.checkWritePosition).
                final long writePosition = cycle == NO_CYCLE ? 0 : JournalQueue.writePosition(queue, cycle);
                if (!read(tailer))
                {
                    checkEnd(writePosition);
                    return expected - 1;
                }
            }
            onRecord(fromSequence, handler);
        }
    }

    private void onRecord(final long fromSequence, final JournalEntryHandler handler)
    {
        final JournalRecordDecoder record = this.record;
        final long index = record.index();
        final int recordCycle = rollCycle.toCycle(index);
        if (recordCycle != cycle)
        {
            if (cycle != NO_CYCLE)
            {
                // The previous file is finished: Chronicle must not think it holds more than was read.
                JournalQueue.checkWritePosition(queue, cycle, lastHeaderPosition,
                    JournalQueue.writePosition(queue, cycle), lastIndex, expected);
            }
            cycle = recordCycle;
        }
        lastIndex = index;
        lastHeaderPosition = record.headerPosition();

        final int kind = record.verify();
        if (corruptIndex != NO_INDEX)
        {
            if (kind == JournalRecordDecoder.DISCARD &&
                record.discardedIndex() == corruptIndex &&
                record.discardedSequence() == expected)
            {
                corruptIndex = NO_INDEX;
                return;
            }
            throw new JournalCorruptedException(JournalQueue.fileOf(queue, corruptIndex), corruptIndex, expected,
                corruptProblem + " (its sequence field reads " + corruptSequenceField + "), and the record " +
                "after it (index 0x" + Long.toHexString(index) + ") is not a discard record for it");
        }

        if (kind == JournalRecordDecoder.ENTRY)
        {
            final long sequence = record.sequence();
            if (sequence != expected)
            {
                throw new JournalCorruptedException(JournalQueue.fileOf(queue, index), index, expected,
                    "the entry's sequence is " + sequence + ": entries must run on without a gap or repeat");
            }
            if (sequence >= fromSequence)
            {
                handler.onEntry(sequence, record.timestamp(), record.templateId(), record.buffer(),
                    COMMAND_OFFSET, record.commandLength());
            }
            expected = sequence + 1;
        }
        else if (kind == JournalRecordDecoder.DISCARD)
        {
            throw new JournalCorruptedException(JournalQueue.fileOf(queue, index), index, expected,
                "a discard record for sequence " + record.discardedSequence() + " at index 0x" +
                Long.toHexString(record.discardedIndex()) + " does not follow a record that fails verification");
        }
        else
        {
            // Judged by what follows: a discard record for it, or nothing at all (a torn tail).
            corruptIndex = index;
            corruptProblem = record.problem();
            corruptSequenceField = record.unverifiedSequence();
        }
    }

    private void checkEnd(final long writePosition)
    {
        if (corruptIndex != NO_INDEX)
        {
            throw new JournalCorruptedException(JournalQueue.fileOf(queue, corruptIndex), corruptIndex, expected,
                corruptProblem + " (its sequence field reads " + corruptSequenceField + "). It is the last record " +
                "in the journal, so it may be a torn tail left by power loss: open the CommandJournal with " +
                "TornTailPolicy.TRUNCATE to discard it");
        }
        if (cycle != NO_CYCLE)
        {
            JournalQueue.checkWritePosition(queue, cycle, lastHeaderPosition, writePosition, lastIndex, expected);
        }
        JournalQueue.checkNoDataAfter(queue, cycle, lastIndex, expected);
    }

    /**
     * Reads the next record, turning anything Chronicle throws into a report of where the journal broke.
     */
    private boolean read(final ExcerptTailer tailer)
    {
        try
        {
            return record.readFrom(tailer);
        }
        catch (final RuntimeException | AssertionError ex)
        {
            final long index = lastIndex == NO_INDEX ? tailer.index() : lastIndex;
            throw new JournalCorruptedException(JournalQueue.fileOf(queue, index), index, expected,
                "Chronicle could not read the " + (lastIndex == NO_INDEX ? "first document" :
                "document after this one") + ": " + ex, ex);
        }
    }

    /**
     * Finds the index of the latest entry whose sequence is at most {@code fromSequence}: the newest cycle file
     * whose first entry qualifies, then a binary search over that file's indices. Only entries that verify count;
     * anything else found on the way is treated as "too far" and left for the forward scan to judge, so the answer
     * is always a valid starting point, at worst an earlier one.
     *
     * @return the index, with {@link #startSequence} set, or {@link #NO_INDEX} to start from the beginning.
     */
    private long findStart(final ExcerptTailer tailer, final long fromSequence)
    {
        if (fromSequence <= 1)
        {
            return NO_INDEX;
        }
        final int firstCycle = queue.firstCycle();
        final int lastCycle = queue.lastCycle();
        if (firstCycle == Integer.MAX_VALUE)
        {
            return NO_INDEX;
        }
        final NavigableSet<Long> cycles = queue.listCyclesBetween(firstCycle, lastCycle);
        for (final Long cycleValue : cycles.descendingSet())
        {
            final int cycle = cycleValue.intValue();
            final long first = rollCycle.toIndex(cycle, 0);
            if (!isEntryAtOrBefore(tailer, first, fromSequence))
            {
                continue;
            }
            long low = 0;
            long lowSequence = record.sequence();
            long high = Math.max(1, excerptsInCycle(tailer, cycle));
            while (high - low > 1)
            {
                final long middle = (low + high) >>> 1;
                if (isEntryAtOrBefore(tailer, first + middle, fromSequence))
                {
                    low = middle;
                    lowSequence = record.sequence();
                }
                else
                {
                    high = middle;
                }
            }
            startSequence = lowSequence;
            return first + low;
        }
        return NO_INDEX;
    }

    private static long excerptsInCycle(final ExcerptTailer tailer, final int cycle)
    {
        try
        {
            return tailer.excerptsInCycle(cycle);
        }
        catch (final RuntimeException ex)
        {
            return 1;
        }
    }

    private boolean isEntryAtOrBefore(final ExcerptTailer tailer, final long index, final long fromSequence)
    {
        try
        {
            return tailer.moveToIndex(index) &&
                record.readFrom(tailer) &&
                record.index() == index &&
                record.verify() == JournalRecordDecoder.ENTRY &&
                record.sequence() <= fromSequence;
        }
        catch (final RuntimeException | AssertionError ex)
        {
            return false;
        }
    }
}
