package io.walletledger.journal;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.nio.file.Path;

/**
 * One forward pass over the end of the journal when a writer opens it: from a record known to be on stable storage
 * to the last document Chronicle can read, and then Chronicle's own idea of where the journal ends. It finds the
 * first record that fails verification, or the first place Chronicle claims documents it cannot read, and judges
 * what follows it:
 * <ul>
 *     <li>a record after it that says it had been forced (its durable index reaches it, or it is an open, cut or
 *     discard record, each forced when written) proves it was on stable storage: damage, refused here;</li>
 *     <li>otherwise it is a torn tail, written with the durability of the session it lies in (the last open record
 *     before it says which), for {@link JournalTail} to drop or refuse.</li>
 * </ul>
 * Anything else wrong before the first failing record (a gap in the sequence, a discard record with nothing to
 * discard) is damage too. Unlike {@link JournalScan}, which throws at the first failure, this pass reads on after
 * one: out-of-order write-back after a power loss can leave valid records after an invalid one.
 */
final class JournalTailScan
{
    static final long NO_INDEX = Long.MIN_VALUE;
    private static final int NO_CYCLE = Integer.MIN_VALUE;

    private final SingleChronicleQueue queue;
    private final RollCycle rollCycle;
    private final JournalRecordDecoder record;

    private JournalDurability mode;
    private long expected;
    private int cycle = NO_CYCLE;
    private long lastIndex = NO_INDEX;
    private long lastHeaderPosition = -1;

    private long tornIndex = NO_INDEX;
    private Path tornFile;
    private long tornSequence;
    private JournalDurability tornMode;
    private String tornProblem;
    private boolean tornIsDocument;
    private long droppedDocuments;
    private long corruptDocuments;
    private String claims;

    JournalTailScan(final SingleChronicleQueue queue, final JournalRecordDecoder record)
    {
        this.queue = queue;
        this.rollCycle = queue.rollCycle();
        this.record = record;
    }

    /**
     * Scans from the first record of the journal (sequence 1, or where the journal starts after its first files were
     * archived), whose durability nothing tells: it is taken as {@link JournalDurability#NONE} until an open record
     * says otherwise.
     */
    void fromStart(final ExcerptTailer tailer)
    {
        expected = JournalQueue.firstSequence(queue, record);
        tailer.direction(TailerDirection.FORWARD).toStart();
        mode = JournalDurability.NONE;
        toEnd(tailer);
    }

    /**
     * Scans from a record that verifies, read with the session's durability.
     *
     * @param index      the record's Chronicle index.
     * @param durability of the session the record lies in.
     * @throws JournalCorruptedException if Chronicle no longer finds the record or it no longer verifies.
     */
    void from(final ExcerptTailer tailer, final long index, final JournalDurability durability)
    {
        tailer.direction(TailerDirection.FORWARD);
        final int kind = moveTo(tailer, index) && read(tailer) && record.index() == index ? record.verify() :
            JournalRecordDecoder.CORRUPT;
        if (kind == JournalRecordDecoder.CORRUPT)
        {
            throw damage(index, 0, "Chronicle no longer finds a record that verified a moment ago: the queue's " +
                "index and its data disagree, as a power loss can leave them" + (durability == JournalDurability.NONE ?
                ". The tail was written with journal durability none, which acknowledges a command before it is on " +
                "disk, so it is not dropped. Options: restore the data directory from a backup; or, if losing what " +
                "the tail held is acceptable, move the journal files from this one on aside" : ""));
        }
        mode = durability;
        cycle = rollCycle.toCycle(index);
        lastIndex = index;
        lastHeaderPosition = record.headerPosition();
        expected = switch (kind)
        {
            case JournalRecordDecoder.ENTRY -> record.sequence() + 1;
            case JournalRecordDecoder.DISCARD -> record.discardedSequence();
            default -> record.nextSequence();
        };
        toEnd(tailer);
    }

    private boolean moveTo(final ExcerptTailer tailer, final long index)
    {
        try
        {
            return tailer.moveToIndex(index);
        }
        catch (final RuntimeException | AssertionError ex)
        {
            return false;
        }
    }

    private void toEnd(final ExcerptTailer tailer)
    {
        while (true)
        {
            final long writePosition = cycle == NO_CYCLE ? 0 : JournalQueue.writePosition(queue, cycle);
            if (!readOrClaim(tailer))
            {
                checkEnd(writePosition);
                return;
            }
            judge();
        }
    }

    /**
     * @return true if a document was read; false at the end, or where Chronicle could not read the next document
     * (recorded as a claim: its header says more follows).
     */
    private boolean readOrClaim(final ExcerptTailer tailer)
    {
        try
        {
            return record.readFrom(tailer);
        }
        catch (final RuntimeException | AssertionError ex)
        {
            claim("Chronicle could not read the document after index 0x" + Long.toHexString(lastIndex) + ": " + ex);
            return false;
        }
    }

    private boolean read(final ExcerptTailer tailer)
    {
        try
        {
            return record.readFrom(tailer);
        }
        catch (final RuntimeException | AssertionError ex)
        {
            return false;
        }
    }

    private void judge()
    {
        final long index = record.index();
        final int recordCycle = rollCycle.toCycle(index);
        if (recordCycle != cycle)
        {
            if (cycle != NO_CYCLE && isWritePositionAhead(cycle, JournalQueue.writePosition(queue, cycle)))
            {
                claim(writePositionClaim(cycle, JournalQueue.writePosition(queue, cycle)));
            }
            cycle = recordCycle;
        }
        final long previousIndex = lastIndex;
        lastIndex = index;
        lastHeaderPosition = record.headerPosition();
        final int kind = record.verify();
        if (tornIndex != NO_INDEX)
        {
            judgeAfterTorn(kind, previousIndex);
        }
        else if (kind == JournalRecordDecoder.CORRUPT)
        {
            torn(index, record.problem() + " (its sequence field reads " + record.unverifiedSequence() + ")", true);
        }
        else
        {
            judgeBeforeTorn(kind);
        }
    }

    private void judgeBeforeTorn(final int kind)
    {
        final long index = record.index();
        switch (kind)
        {
            case JournalRecordDecoder.ENTRY ->
            {
                checkSequence(index, record.sequence(), "the entry's sequence");
                expected = record.sequence() + 1;
            }
            case JournalRecordDecoder.OPEN ->
            {
                checkSequence(index, record.nextSequence(), "the open record's next sequence");
                expected = record.nextSequence();
                mode = record.durability();
            }
            case JournalRecordDecoder.CUT ->
            {
                checkSequence(index, record.nextSequence(), "the cut record's next sequence");
                expected = record.nextSequence();
                mode = JournalDurability.BATCH;
            }
            default -> throw damage(index, expected, "a discard record for sequence " + record.discardedSequence() +
                " at index 0x" + Long.toHexString(record.discardedIndex()) + " does not follow a record that fails " +
                "verification");
        }
    }

    private void checkSequence(final long index, final long sequence, final String what)
    {
        if (sequence != expected)
        {
            throw damage(index, expected, what + " is " + sequence + ": entries must run on without a gap or repeat");
        }
    }

    private void judgeAfterTorn(final int kind, final long previousIndex)
    {
        final long index = record.index();
        if (kind == JournalRecordDecoder.DISCARD && tornIsDocument && droppedDocuments == 1 &&
            previousIndex == tornIndex && record.discardedIndex() == tornIndex &&
            record.discardedSequence() == tornSequence)
        {
            // A torn record a writer discarded under TornTailPolicy.TRUNCATE: both stay, neither counts.
            tornIndex = NO_INDEX;
            droppedDocuments = 0;
            corruptDocuments = 0;
            expected = tornSequence;
            return;
        }
        droppedDocuments++;
        if (kind == JournalRecordDecoder.CORRUPT)
        {
            corruptDocuments++;
            return;
        }
        final String proof = proofOfForce(kind);
        if (proof != null)
        {
            throw damage(tornIndex, tornSequence, tornProblem + ". It is not a torn tail: " + proof + " (index 0x" +
                Long.toHexString(index) + "), so it was on stable storage and has been damaged since");
        }
    }

    /**
     * @return why the record just read shows that the torn record before it had been forced to stable storage, or
     * null if it does not.
     */
    private String proofOfForce(final int kind)
    {
        return switch (kind)
        {
            case JournalRecordDecoder.ENTRY -> record.durableIndex() >= tornIndex ? "the entry with sequence " +
                record.sequence() + " after it was written when the journal was forced up to index 0x" +
                Long.toHexString(record.durableIndex()) : null;
            case JournalRecordDecoder.OPEN -> "a writer opened the journal after it, which forces everything before";
            case JournalRecordDecoder.CUT -> "a cut record, forced when written, follows it";
            default -> "a discard record, forced when written, follows it";
        };
    }

    private void torn(final long index, final String problem, final boolean isDocument)
    {
        tornIndex = index;
        tornFile = JournalQueue.fileOf(queue, index);
        tornSequence = expected;
        tornMode = mode;
        tornProblem = problem;
        tornIsDocument = isDocument;
        droppedDocuments = isDocument ? 1 : 0;
        corruptDocuments = isDocument ? 1 : 0;
    }

    private void claim(final String claim)
    {
        claims = claims == null ? claim : claims + "; " + claim;
        if (tornIndex == NO_INDEX)
        {
            final long index = lastIndex == NO_INDEX ? rollCycle.toIndex(firstCycle(), 0) : lastIndex + 1;
            torn(index, claim, false);
        }
    }

    private int firstCycle()
    {
        final int first = queue.firstCycle();
        return first == Integer.MAX_VALUE ? queue.cycle() : first;
    }

    /**
     * The chain of documents ended: Chronicle must not claim more, in this file (its write position) or in a later
     * one.
     *
     * @param writePosition of the current cycle, read before the last attempt to read a document: a writer cannot
     *                      be appending (the caller holds the writer lock), but the order keeps the check sound.
     */
    private void checkEnd(final long writePosition)
    {
        if (cycle != NO_CYCLE && isWritePositionAhead(cycle, writePosition))
        {
            claim(writePositionClaim(cycle, writePosition));
        }
        for (final int laterCycle : JournalQueue.cyclesAfter(queue, cycle))
        {
            final Path file = JournalQueue.fileOfCycle(queue, laterCycle);
            if (file != null && !JournalQueue.hasHeader(file))
            {
                claim("file " + file.getFileName() + " has no Chronicle header (its first page never reached the " +
                    "disk)");
                return;
            }
            if (JournalQueue.writePosition(queue, laterCycle) != 0)
            {
                claim("file " + fileName(laterCycle) + " holds documents that no reader reaches (the file before " +
                    "it ends without Chronicle's end-of-file mark)");
                return;
            }
        }
    }

    private boolean isWritePositionAhead(final int cycle, final long writePosition)
    {
        return this.cycle == cycle && lastIndex != NO_INDEX ? writePosition > lastHeaderPosition : writePosition != 0;
    }

    private String writePositionClaim(final int cycle, final long writePosition)
    {
        return "Chronicle's write position in " + fileName(cycle) + " (byte " + writePosition + ") lies past the " +
            "last document that can be read" + (lastHeaderPosition < 0 ? "" : " (header at byte " +
            lastHeaderPosition + ")");
    }

    private String fileName(final int cycle)
    {
        final Path file = JournalQueue.fileOfCycle(queue, cycle);
        return file == null ? "cycle " + cycle : file.getFileName().toString();
    }

    private JournalCorruptedException damage(final long index, final long expected, final String problem)
    {
        return new JournalCorruptedException(JournalQueue.fileOf(queue, index), index, expected, problem);
    }

    /**
     * @return true if nothing failed: the journal ends at {@link #lastSequence()}.
     */
    boolean isClean()
    {
        return tornIndex == NO_INDEX;
    }

    /**
     * @return the sequence of the last entry kept: before the torn tail, if there is one.
     */
    long lastSequence()
    {
        return (tornIndex == NO_INDEX ? expected : tornSequence) - 1;
    }

    /**
     * @return the Chronicle index where the torn tail begins: its first failing record, or where Chronicle claims
     * documents it cannot read.
     */
    long tornIndex()
    {
        return tornIndex;
    }

    /**
     * @return the durability of the session the torn tail begins in.
     */
    JournalDurability tornMode()
    {
        return tornMode;
    }

    String tornProblem()
    {
        return tornProblem;
    }

    /**
     * @return the Chronicle index of the last document Chronicle could read, in the torn tail or before it.
     */
    long lastReadIndex()
    {
        return lastIndex;
    }

    /**
     * @return documents Chronicle could read from the torn tail's start on, valid or not.
     */
    long droppedDocuments()
    {
        return droppedDocuments;
    }

    /**
     * @return of {@link #droppedDocuments()}, those that fail verification.
     */
    long corruptDocuments()
    {
        return corruptDocuments;
    }

    /**
     * @return Chronicle's claims of documents it cannot read, or null.
     */
    String claims()
    {
        return claims;
    }

    /**
     * @return true if the torn tail is one record that fails verification, the last document, with nothing claimed
     * after it: all that {@link TornTailPolicy#TRUNCATE} may discard.
     */
    boolean isSingleTornRecord()
    {
        return tornIsDocument && droppedDocuments == 1 && claims == null;
    }

    /**
     * @return a description of where the torn tail begins, for messages.
     */
    String describeTorn()
    {
        return tornFile + ": Chronicle index 0x" + Long.toHexString(tornIndex) +
            ", expected sequence " + tornSequence + ": " + tornProblem;
    }
}
