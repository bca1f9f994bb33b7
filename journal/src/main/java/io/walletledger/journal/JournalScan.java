package io.walletledger.journal;

import org.agrona.collections.LongHashSet;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.util.NavigableSet;

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
    private static final String AFTER_POWER_LOSS = "If the machine lost power, this may be the journal's torn tail: " +
        "a writer opening the journal drops such a tail itself if it was written with durability batch (then none " +
        "of it was acknowledged), and refuses it if it was written with durability none, which acknowledges " +
        "commands before they reach the disk (then restore the data directory from a backup, or, if only the very " +
        "last record is torn, start with wallet.journal.torn-tail = truncate, TornTailPolicy.TRUNCATE). Anywhere " +
        "else it is damage: restore the data directory from a backup";
    private static final int NO_CYCLE = Integer.MIN_VALUE;

    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final JournalRecordDecoder record = new JournalRecordDecoder();

    // Where a positioning search landed: the sequence of the entry at the chosen index (or of the entry after an
    // open or cut record there).
    private long startSequence;
    private long foundSequence;

    private long fromSequence;
    private long expected;
    private int cycle;
    private long lastIndex;
    private long lastEntryIndex;
    private long lastHeaderPosition;
    /** A record that failed verification, waiting to see whether a discard record for it follows. */
    private long corruptIndex;
    private String corruptProblem;
    private String corruptSequenceField;

    /** Entries never delivered ({@link JournalSkips}); told to the handler as skipped. */
    private final LongHashSet skipped;

    JournalScan(final SingleChronicleQueue queue, final LongHashSet skipped)
    {
        this.queue = queue;
        this.skipped = skipped;
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
            startSequence = JournalQueue.firstSequence(queue, record);
            if (fromSequence < startSequence)
            {
                throw new JournalArchivedException(startSequence, fromSequence);
            }
            tailer.toStart();
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
        lastEntryIndex = -1;
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
     * @return the Chronicle index of the last entry read, or -1 if none yet.
     */
    long lastEntryIndex()
    {
        return lastEntryIndex;
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
                if (expected >= fromSequence)
                {
                    handler.onDropped(index, expected, corruptIndex, 1);
                }
                corruptIndex = NO_INDEX;
                return false;
            }
            throw new JournalCorruptedException(JournalQueue.fileOf(queue, corruptIndex), corruptIndex, expected,
                corruptProblem + " (its sequence field reads " + corruptSequenceField + "), and the record " +
                "after it (index 0x" + Long.toHexString(index) + ") is not a discard record for it. " +
                AFTER_POWER_LOSS);
        }

        return switch (kind)
        {
            case JournalRecordDecoder.ENTRY -> onEntry(handler, index);
            case JournalRecordDecoder.OPEN, JournalRecordDecoder.CUT -> onSessionRecord(handler, kind, index);
            case JournalRecordDecoder.DISCARD -> throw new JournalCorruptedException(JournalQueue.fileOf(queue, index),
                index, expected, "a discard record for sequence " + record.discardedSequence() + " at index 0x" +
                Long.toHexString(record.discardedIndex()) + " does not follow a record that fails verification");
            default -> hold(index);
        };
    }

    private boolean onEntry(final JournalEntryHandler handler, final long index)
    {
        final long sequence = record.sequence();
        if (sequence != expected)
        {
            throw new JournalCorruptedException(JournalQueue.fileOf(queue, index), index, expected,
                "the entry's sequence is " + sequence + ": entries must run on without a gap or repeat");
        }
        expected = sequence + 1;
        lastEntryIndex = index;
        if (sequence >= fromSequence)
        {
            if (!skipped.isEmpty() && skipped.contains(sequence))
            {
                handler.onSkipped(sequence, record.timestamp(), record.templateId());
                return false;
            }
            handler.onEntry(sequence, record.timestamp(), record.templateId(), record.buffer(),
                record.commandOffset(), record.commandLength(), record.noteLength());
            return true;
        }
        return false;
    }

    /**
     * An open record (a writer opened the journal) or a cut record (a writer dropped a torn tail that was never
     * acknowledged): either names the sequence of the next entry, which must be the one expected. A cut record
     * stands where the dropped tail began: it names its own index.
     */
    private boolean onSessionRecord(final JournalEntryHandler handler, final int kind, final long index)
    {
        final long next = record.nextSequence();
        if (next != expected)
        {
            throw new JournalCorruptedException(JournalQueue.fileOf(queue, index), index, expected,
                "the " + (kind == JournalRecordDecoder.OPEN ? "open" : "cut") + " record says the next entry is " +
                next + ": entries must run on without a gap or repeat");
        }
        if (kind == JournalRecordDecoder.CUT && record.firstDroppedIndex() != index)
        {
            throw new JournalCorruptedException(JournalQueue.fileOf(queue, index), index, expected,
                "a cut record says the dropped tail began at index 0x" + Long.toHexString(record.firstDroppedIndex()) +
                ", not where it stands");
        }
        if (next >= fromSequence)
        {
            if (kind == JournalRecordDecoder.OPEN)
            {
                handler.onOpened(index, record.durability(), next);
            }
            else
            {
                handler.onDropped(index, next, index, record.droppedDocuments());
            }
        }
        return false;
    }

    /**
     * A record that fails verification is judged by what follows: a discard record for it, or nothing at all (a
     * torn tail).
     */
    private boolean hold(final long index)
    {
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
                "in the journal, so it may be a torn tail left by power loss. " + AFTER_POWER_LOSS);
        }
        if (cycle != NO_CYCLE)
        {
            JournalQueue.checkWritePosition(queue, cycle, lastHeaderPosition, writePosition, lastIndex, expected);
        }
        JournalQueue.checkNoDataAfter(queue, cycle, lastIndex, expected);
    }

    /**
     * Finds the index of the latest entry whose sequence is at most {@code fromSequence}: the newest cycle file
     * whose first record qualifies, then a binary search over that file's indices. Only records that verify count,
     * entries and the open and cut records that name the next entry's sequence; anything else found on the way is
     * treated as "too far" and left for the forward scan to judge, so the answer is always a valid starting point,
     * at worst an earlier one.
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
            long lowSequence = foundSequence;
            long high = Math.max(1, excerptsInCycle(tailer, cycle));
            while (high - low > 1)
            {
                final long middle = (low + high) >>> 1;
                if (isEntryAtOrBefore(tailer, first + middle, fromSequence))
                {
                    low = middle;
                    lowSequence = foundSequence;
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

    /**
     * @return true if the record at the index is a place to start, an entry or an open or cut record (which names
     * the next entry's sequence), and its sequence, kept in {@link #foundSequence}, is at most
     * {@code fromSequence}.
     */
    private boolean isEntryAtOrBefore(final ExcerptTailer tailer, final long index, final long fromSequence)
    {
        try
        {
            if (!tailer.moveToIndex(index) || !record.readFrom(tailer) || record.index() != index)
            {
                return false;
            }
            final int kind = record.verify();
            foundSequence = switch (kind)
            {
                case JournalRecordDecoder.ENTRY -> record.sequence();
                case JournalRecordDecoder.OPEN, JournalRecordDecoder.CUT -> record.nextSequence();
                default -> Long.MAX_VALUE;
            };
            return foundSequence <= fromSequence;
        }
        catch (final RuntimeException | AssertionError ex)
        {
            return false;
        }
    }
}
