package io.walletledger.journal;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.util.NavigableSet;

import static io.walletledger.journal.JournalEntryDescriptor.COMMAND_OFFSET;

/**
 * One forward pass over the journal, shared by {@link JournalReader#replay(long, JournalEntryHandler)} and
 * {@link JournalFollower}: where the pass starts, the sequence it expects next, and the verification of each record
 * against the ones before it. A replay ends with {@link #toEnd}, which also checks that Chronicle's idea of where
 * the journal ends matches what was read; a follower stops wherever the writer has got to and checks no end.
 * <p>
 * Holds a {@link JournalRecordDecoder} and so a copy of the longest record seen: one instance per thread.
 */
final class JournalScan
{
    private static final long NO_INDEX = Long.MIN_VALUE;
    private static final int NO_CYCLE = Integer.MIN_VALUE;

    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final JournalRecordDecoder record = new JournalRecordDecoder();

    // Where a positioning search landed: the sequence of the entry at the chosen index.
    private long startSequence;

    private long fromSequence;
    private long expected;
    private int cycle;
    private long lastIndex;
    private long lastHeaderPosition;
    /** A record that failed verification, waiting to see whether a discard record for it follows. */
    private long corruptIndex;
    private String corruptProblem;
    private String corruptSequenceField;

    JournalScan(final SingleChronicleQueue queue)
    {
        this.queue = queue;
        this.rollCycle = queue.rollCycle();
    }

    /**
     * Positions a tailer for a pass that delivers entries from {@code fromSequence} on, and starts the pass. Entries
     * before the starting point are found with Chronicle's index rather than read one by one.
     *
     * @param tailer       to position; its direction is set to forward.
     * @param fromSequence the first sequence wanted, at least 1.
     */
    void start(final ExcerptTailer tailer, final long fromSequence)
    {
        if (fromSequence < 1)
        {
            throw new IllegalArgumentException("sequences start at 1, not " + fromSequence);
        }
        final long startIndex = findStart(tailer, fromSequence);
        tailer.direction(TailerDirection.FORWARD);
        if (startIndex == NO_INDEX)
        {
            tailer.toStart();
            startSequence = 1;
        }
        else if (!tailer.moveToIndex(startIndex))
        {
            throw new JournalCorruptedException(JournalQueue.fileOf(queue, startIndex), startIndex, startSequence,
                "Chronicle can no longer find a record it found a moment ago");
        }
        this.fromSequence = fromSequence;
        expected = startSequence;
        cycle = NO_CYCLE;
        lastIndex = NO_INDEX;
        lastHeaderPosition = -1;
        corruptIndex = NO_INDEX;
    }

    /**
     * @return the sequence the pass expects next: one more than the last entry read.
     */
    long expected()
    {
        return expected;
    }

    /**
     * @return a description of a last record read that failed verification and waits for what follows it, or null.
     */
    String heldProblem()
    {
        return corruptIndex == NO_INDEX ? null : "the record at index 0x" + Long.toHexString(corruptIndex) + " in " +
            JournalQueue.fileOf(queue, corruptIndex) + ", expected sequence " + expected + ": " + corruptProblem;
    }

    /**
     * @return the Chronicle index of the last record read, or -1 if none yet.
     */
    long lastIndex()
    {
        return lastIndex == NO_INDEX ? -1 : lastIndex;
    }

    /**
     * Reads and verifies every record up to the end of a journal nobody is writing, then checks the end.
     *
     * @return the sequence of the last entry in the journal (0 if it holds none).
     */
    long toEnd(final ExcerptTailer tailer, final JournalEntryHandler handler)
    {
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
            onRecord(handler);
        }
    }

    /**
     * Reads the next record, turning anything Chronicle throws into a report of where the journal broke.
     *
     * @return false if there is no next record (yet); true if there is, and {@link #onRecord} must judge it.
     */
    boolean read(final ExcerptTailer tailer)
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
     * Verifies the record just read against the ones before it and hands an entry from the starting point on to
     * the handler. A record that fails verification is held until the next one shows whether it was discarded.
     *
     * @return true if an entry went to the handler.
     * @throws JournalCorruptedException if the record, or one held before it, breaks the journal.
     */
    boolean onRecord(final JournalEntryHandler handler)
    {
        final JournalRecordDecoder record = this.record;
        final long index = record.index();
        final int recordCycle = rollCycle.toCycle(index);
        if (recordCycle != cycle)
        {
            if (cycle != NO_CYCLE)
            {
                // The previous file is finished (a writer has left it for this one): Chronicle must not think it
                // holds more than was read.
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
                return false;
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
            expected = sequence + 1;
            if (sequence >= fromSequence)
            {
                handler.onEntry(sequence, record.timestamp(), record.templateId(), record.buffer(),
                    COMMAND_OFFSET, record.commandLength());
                return true;
            }
            return false;
        }
        if (kind == JournalRecordDecoder.DISCARD)
        {
            throw new JournalCorruptedException(JournalQueue.fileOf(queue, index), index, expected,
                "a discard record for sequence " + record.discardedSequence() + " at index 0x" +
                Long.toHexString(record.discardedIndex()) + " does not follow a record that fails verification");
        }
        // Judged by what follows: a discard record for it, or nothing at all (a torn tail).
        corruptIndex = index;
        corruptProblem = record.problem();
        corruptSequenceField = record.unverifiedSequence();
        return false;
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
