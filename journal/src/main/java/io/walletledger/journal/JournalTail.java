package io.walletledger.journal;

import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.NavigableSet;

/**
 * Finds where the journal ends when a writer opens it, decides what to do with a tail that fails verification,
 * and writes the open record that starts the writer's session.
 * <p>
 * <b>Which tail may be dropped.</b> With {@link JournalDurability#BATCH} the journaler sends a reply only after an
 * {@code fdatasync} that covers every record up to it: {@code fdatasync} writes back the whole file, records are
 * appended in order, a finished hourly file is forced before the writer leaves it, and the directory is forced
 * after a new file is created, before any of its records is acknowledged. So, on a device that keeps what it was
 * told to keep, a record that fails verification was never covered by a completed {@code fdatasync}, and neither
 * was any record after it: none of them was acknowledged, and the tail from the first of them on can be dropped.
 * That is what a power loss leaves: Chronicle's files are memory-mapped, and the pages not yet forced may be lost
 * in any order, so the queue's header (its write position), its index, or later files may claim documents whose
 * bytes are zeros or stale, and a valid record may follow an invalid one.
 * <p>
 * <b>What is refused instead.</b> A failing record is damage, not a torn tail, when a record after it shows it had
 * been forced: every entry carries its durable index ({@link JournalEntryDescriptor}), and open, cut and discard
 * records are forced when written ({@link JournalTailScan}). And a tail written with
 * {@link JournalDurability#NONE}, which acknowledges a command before it is on disk, is never dropped: it is
 * refused, or, under {@link TornTailPolicy#TRUNCATE}, its last record alone is discarded if nothing else is wrong.
 * Each writer records its durability in an open record, forced with everything before it, so a journal whose
 * durability changed between runs is judged session by session. A tail written by a build that recorded no
 * durability is treated as {@link JournalDurability#NONE}.
 * <p>
 * <b>Where the check starts.</b> Opening must not read the whole journal. It finds a record that verifies near the
 * end (the last one Chronicle knows, else the newest indexed one); that record's durable index names a record known
 * to be forced, from which a forward pass reaches the end: in {@link JournalDurability#BATCH} that is at most the
 * last batch or two. In {@link JournalDurability#NONE}, where the durable index stays at the session's start, the
 * pass starts at the record found instead: nothing is dropped there, so it only has to find the end. Full
 * verification is {@link JournalReader#replay(long, JournalEntryHandler)}'s job, and recovery replays before the
 * first append.
 * <p>
 * What a process crash (SIGKILL) leaves, verified against Chronicle Queue 2026.4: a document being written has its
 * data in the file but its Chronicle header unwritten (Chronicle commits a document by writing its header last).
 * Readers stop there, the next append writes over the remains, and every commit zeroes the header slot after it,
 * so no leftover byte is ever read as a document. Nothing is dropped: the page cache kept everything else.
 */
final class JournalTail
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalTail.class);
    private static final int INDEX_SPACING_BITS = 8;

    private JournalTail()
    {
    }

    /**
     * What the writer starts from.
     *
     * @param queue        the queue to append to: the one passed in, or a new one if the tail was cut.
     * @param lastSequence the sequence of the last entry kept.
     * @param openIndex    the Chronicle index of the open record just written.
     * @param drop         what was dropped, or null.
     */
    record Opened(SingleChronicleQueue queue, long lastSequence, long openIndex, JournalTailDrop drop)
    {
    }

    /**
     * Checks the end of the journal, drops or refuses a torn tail, and appends the open record, forced with every
     * journal file before it.
     *
     * @param queue the journal, open; closed here if the tail is cut (the result holds the new one) or on failure.
     * @throws JournalCorruptedException if the tail cannot be trusted and may not be dropped.
     */
    static Opened open(
        final SingleChronicleQueue queue,
        final Path directory,
        final JournalDurability durability,
        final TornTailPolicy policy,
        final TimeProvider time)
    {
        SingleChronicleQueue current = queue;
        try
        {
            final JournalTailScan scan;
            try (SingleChronicleQueue inspected = JournalQueue.openForInspection(directory, time))
            {
                scan = scan(inspected, new JournalRecordDecoder());
            }
            JournalTailDrop drop = null;
            if (!scan.isClean())
            {
                if (scan.tornMode() == JournalDurability.BATCH)
                {
                    current.close();
                    drop = JournalTailCut.cut(directory, scan, time);
                    current = JournalQueue.open(directory, time);
                    LOG.warn("{}", drop.describe());
                }
                else
                {
                    discardOrRefuse(current, scan, policy);
                }
            }
            final long openIndex = appendOpenRecord(current, directory, durability, scan.lastSequence() + 1);
            return new Opened(current, scan.lastSequence(), openIndex, drop);
        }
        catch (final RuntimeException | Error ex)
        {
            current.close();
            throw ex;
        }
    }

    private static JournalTailScan scan(final SingleChronicleQueue queue, final JournalRecordDecoder record)
    {
        final JournalTailScan scan = new JournalTailScan(queue, record);
        try (ExcerptTailer tailer = queue.createTailer())
        {
            final long anchor = findAnchor(queue, tailer, record);
            if (anchor == JournalTailScan.NO_INDEX)
            {
                scan.fromStart(tailer);
                return scan;
            }
            final int kind = record.verify();
            final long durableIndex = record.durableIndex();
            if (kind == JournalRecordDecoder.ENTRY && durableIndex != JournalEntryDescriptor.NO_DURABLE_INDEX)
            {
                startFromDurableIndex(queue, tailer, record, scan, anchor, durableIndex);
            }
            else
            {
                scan.from(tailer, anchor, sessionDurability(kind, record));
            }
            return scan;
        }
    }

    /**
     * The anchor is an entry that names a record on stable storage. If that record shows a session written with
     * {@link JournalDurability#BATCH}, the scan starts there; else it starts at the anchor.
     */
    private static void startFromDurableIndex(
        final SingleChronicleQueue queue,
        final ExcerptTailer tailer,
        final JournalRecordDecoder record,
        final JournalTailScan scan,
        final long anchor,
        final long durableIndex)
    {
        final int durableKind = readAt(tailer, record, durableIndex);
        if (durableKind == JournalRecordDecoder.CORRUPT || durableKind == JournalRecordDecoder.DISCARD)
        {
            throw new JournalCorruptedException(JournalQueue.fileOf(queue, durableIndex), durableIndex, 0,
                "the entry at index 0x" + Long.toHexString(anchor) + " says the journal was on stable storage up to " +
                "this record, but it " + (durableKind == JournalRecordDecoder.CORRUPT ? "cannot be read or fails " +
                "verification" + (record.problem() == null ? "" : " (" + record.problem() + ")") :
                "is a discard record, which no entry names") + ": damage, not a torn tail");
        }
        // Only a batch writer names an entry (or a cut) as durable; an open record says what it opened.
        final JournalDurability session = durableKind == JournalRecordDecoder.OPEN ? record.durability() :
            JournalDurability.BATCH;
        if (session == JournalDurability.BATCH)
        {
            scan.from(tailer, durableIndex, JournalDurability.BATCH);
        }
        else
        {
            scan.from(tailer, anchor, JournalDurability.NONE);
        }
    }

    /**
     * @return the durability of the session of a record that verifies and is not an entry with a durable index.
     */
    private static JournalDurability sessionDurability(final int kind, final JournalRecordDecoder record)
    {
        return switch (kind)
        {
            case JournalRecordDecoder.OPEN -> record.durability();
            case JournalRecordDecoder.CUT -> JournalDurability.BATCH;
            // An entry of a build that recorded no durability, or a discard record: none is assumed.
            default -> JournalDurability.NONE;
        };
    }

    private static int readAt(final ExcerptTailer tailer, final JournalRecordDecoder record, final long index)
    {
        try
        {
            tailer.direction(TailerDirection.FORWARD);
            return tailer.moveToIndex(index) && record.readFrom(tailer) && record.index() == index ?
                record.verify() : JournalRecordDecoder.CORRUPT;
        }
        catch (final RuntimeException | AssertionError ex)
        {
            return JournalRecordDecoder.CORRUPT;
        }
    }

    /**
     * Finds a record that verifies near the end of the journal: the last one, read backwards from where Chronicle
     * says the journal ends, or else the newest of the records Chronicle indexes (every 256th of a file). After a
     * power loss Chronicle's idea of the end may point at zeros, and reading backwards from there may fail.
     *
     * @return its index, with {@code record} holding it, or {@link JournalTailScan#NO_INDEX} if none was found.
     */
    private static long findAnchor(
        final SingleChronicleQueue queue, final ExcerptTailer tailer, final JournalRecordDecoder record)
    {
        try
        {
            tailer.direction(TailerDirection.BACKWARD).toEnd();
            if (record.readFrom(tailer) && record.verify() != JournalRecordDecoder.CORRUPT)
            {
                return record.index();
            }
        }
        catch (final RuntimeException | AssertionError ex)
        {
            // Chronicle's end is not where its header says: look for an indexed record instead.
        }
        final int firstCycle = queue.firstCycle();
        if (firstCycle == Integer.MAX_VALUE)
        {
            return JournalTailScan.NO_INDEX;
        }
        final NavigableSet<Long> cycles = queue.listCyclesBetween(firstCycle, queue.lastCycle());
        for (final Long cycle : cycles.descendingSet())
        {
            final long found = newestIndexedRecord(queue, tailer, record, cycle.intValue());
            if (found != JournalTailScan.NO_INDEX)
            {
                return found;
            }
        }
        return JournalTailScan.NO_INDEX;
    }

    private static long newestIndexedRecord(
        final SingleChronicleQueue queue,
        final ExcerptTailer tailer,
        final JournalRecordDecoder record,
        final int cycle)
    {
        long count;
        try
        {
            count = tailer.excerptsInCycle(cycle);
        }
        catch (final RuntimeException | AssertionError ex)
        {
            count = 1;
        }
        for (long k = Math.max(0, count - 1) >>> INDEX_SPACING_BITS; k >= 0; k--)
        {
            final long index = queue.rollCycle().toIndex(cycle, k << INDEX_SPACING_BITS);
            if (readAt(tailer, record, index) != JournalRecordDecoder.CORRUPT)
            {
                return index;
            }
        }
        return JournalTailScan.NO_INDEX;
    }

    /**
     * A torn tail written with {@link JournalDurability#NONE}, or by a build that recorded no durability: it may
     * hold acknowledged commands, so it is refused, unless the policy allows discarding its single last record.
     */
    private static void discardOrRefuse(
        final SingleChronicleQueue queue, final JournalTailScan scan, final TornTailPolicy policy)
    {
        if (policy == TornTailPolicy.TRUNCATE && scan.isSingleTornRecord())
        {
            appendDiscard(queue, scan.lastSequence() + 1, scan.tornIndex());
            LOG.warn("discarded the journal's last record, which fails verification (TornTailPolicy.TRUNCATE; " +
                "written with durability none, or by a build that recorded no durability): {}", scan.describeTorn());
            return;
        }
        final String what = scan.isSingleTornRecord() ? "It is the last record in the journal" :
            "From there to the end Chronicle can read " + scan.droppedDocuments() + " document(s), " +
            scan.corruptDocuments() + " of them failing verification" +
            (scan.claims() == null ? "" : "; " + scan.claims());
        throw new JournalCorruptedException(
            JournalQueue.fileOf(queue, scan.tornIndex()),
            scan.tornIndex(),
            scan.lastSequence() + 1,
            scan.tornProblem() + ". " + what + ": a torn tail, as a power loss leaves. It was written with journal " +
            "durability none (or by a build that recorded no durability), which acknowledges a command before it " +
            "is on disk, so it may hold acknowledged commands and is not dropped. Options: restore the data " +
            "directory from a backup; or, " + (scan.isSingleTornRecord() ? "to discard this one record, start " +
            "with wallet.journal.torn-tail = truncate (TornTailPolicy.TRUNCATE)" : "if losing what the tail held " +
            "is acceptable, move the journal files from this one on aside; TornTailPolicy.TRUNCATE discards no " +
            "more than one last record"));
    }

    private static void appendDiscard(final SingleChronicleQueue queue, final long sequence, final long index)
    {
        append(queue, JournalRecordEncoder.discard(sequence, index));
        // The discard must outlive any power loss that follows, whatever the journal's durability: entries
        // appended after it reuse the discarded sequence and would otherwise follow an unexplained bad record.
        // The open record appended next is forced with every file, the discard's included.
    }

    /**
     * Appends the open record and forces it together with every journal file and the directory: from here on,
     * everything before it is on stable storage, whatever the durability of earlier sessions.
     *
     * @return its Chronicle index: the first durable index of the session.
     */
    private static long appendOpenRecord(
        final SingleChronicleQueue queue, final Path directory, final JournalDurability durability, final long next)
    {
        final long index = append(queue, JournalRecordEncoder.open(durability, next));
        CommandJournal.force(directory);
        return index;
    }

    private static long append(final SingleChronicleQueue queue, final byte[] bytes)
    {
        try (ExcerptAppender appender = queue.createAppender())
        {
            try (DocumentContext context = appender.writingDocument())
            {
                context.wire().bytes().write(bytes, 0, bytes.length);
            }
            return appender.lastIndexAppended();
        }
    }
}
