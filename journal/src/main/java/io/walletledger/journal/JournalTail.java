package io.walletledger.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.zip.CRC32C;

import static io.walletledger.journal.JournalEntryDescriptor.BYTE_ORDER;
import static io.walletledger.journal.JournalEntryDescriptor.CRC_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARDED_INDEX_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARDED_SEQUENCE_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARD_MAGIC;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARD_RECORD_LENGTH;
import static io.walletledger.journal.JournalEntryDescriptor.FORMAT_VERSION;
import static io.walletledger.journal.JournalEntryDescriptor.MAGIC_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.VERSION_OFFSET;

/**
 * Finds where the journal ends when a writer opens it, so the writer knows the next sequence, and applies the
 * {@link TornTailPolicy} to a last record that fails verification.
 * <p>
 * It reads backwards from the end, so opening costs a few documents, not the whole journal: it does not look for
 * corruption further back. Full verification is {@link JournalReader#replay(long, JournalEntryHandler)}'s job, and
 * recovery replays before the first append.
 * <p>
 * What a crash leaves at the end of the queue, verified against Chronicle Queue 2026.4:
 * <ul>
 *     <li>Killing the process (SIGKILL) while a document is being written leaves its data in the file but its
 *     Chronicle header unwritten: Chronicle commits a document by writing its header last. Readers stop there;
 *     Chronicle's write lock, still held by the dead process, is released when the queue is next opened; the next
 *     append writes over the remains, and every commit zeroes the header slot after it, so no leftover byte is
 *     ever read as a document. The entry was never acknowledged ({@code append} had not returned), so there is
 *     nothing to discard.</li>
 *     <li>Power loss can keep a committed Chronicle header whose data pages never reached the disk: the record is
 *     complete to Chronicle but fails its checksum here. That is the torn tail the policy is about.</li>
 *     <li>Power loss can also keep Chronicle's file header (its write position) but lose the documents before it.
 *     Chronicle would then append past a gap no reader crosses; {@link JournalQueue#checkWritePosition} refuses
 *     that under both policies.</li>
 * </ul>
 */
final class JournalTail
{
    private JournalTail()
    {
    }

    /**
     * @return the sequence of the last entry in the journal: 0 if it holds none.
     * @throws JournalCorruptedException if the tail cannot be trusted and the policy does not allow discarding it.
     */
    static long recover(final SingleChronicleQueue queue, final Path directory, final TornTailPolicy policy)
    {
        final JournalRecordDecoder record = new JournalRecordDecoder();
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.direction(TailerDirection.BACKWARD).toEnd();
            if (!record.readFrom(tailer))
            {
                JournalQueue.checkNoDataAfter(queue, Integer.MIN_VALUE, 0, 1);
                return 0;
            }

            final long lastIndex = record.index();
            final int lastCycle = queue.rollCycle().toCycle(lastIndex);
            final long lastHeaderPosition = record.headerPosition();
            final int kind = record.verify();
            if (kind == JournalRecordDecoder.ENTRY || kind == JournalRecordDecoder.DISCARD)
            {
                final long next = kind == JournalRecordDecoder.ENTRY ?
                    record.sequence() + 1 : record.discardedSequence();
                checkChronicleTail(queue, lastCycle, lastHeaderPosition, lastIndex, next);
                return next - 1;
            }

            final String problem = record.problem();
            final String sequenceField = record.unverifiedSequence();
            final long expected = nextSequenceBefore(queue, tailer, record, lastIndex);
            checkChronicleTail(queue, lastCycle, lastHeaderPosition, lastIndex, expected);
            if (policy != TornTailPolicy.TRUNCATE)
            {
                throw new JournalCorruptedException(
                    JournalQueue.fileOf(queue, lastIndex),
                    lastIndex,
                    expected,
                    problem + " (its sequence field reads " + sequenceField + "). It is the last record in the " +
                    "journal, so it may be a torn tail left by power loss: open the journal with " +
                    "TornTailPolicy.TRUNCATE to discard it");
            }
            appendDiscard(queue, directory, expected, lastIndex);
            return expected - 1;
        }
    }

    private static void checkChronicleTail(
        final SingleChronicleQueue queue,
        final int cycle,
        final long lastHeaderPosition,
        final long lastIndex,
        final long expectedSequence)
    {
        JournalQueue.checkWritePosition(
            queue, cycle, lastHeaderPosition, JournalQueue.writePosition(queue, cycle), lastIndex, expectedSequence);
        JournalQueue.checkNoDataAfter(queue, cycle, lastIndex, expectedSequence);
    }

    /**
     * The last record failed verification: the sequence it should have had follows from the record before it,
     * which must verify. If it does not either, the tail holds more than one bad record, which no single torn
     * write explains, and the earliest of them is reported.
     */
    private static long nextSequenceBefore(
        final SingleChronicleQueue queue,
        final ExcerptTailer tailer,
        final JournalRecordDecoder record,
        final long lastIndex)
    {
        long firstCorruptIndex = lastIndex;
        String firstProblem = record.problem();
        int corruptCount = 1;
        while (record.readFrom(tailer))
        {
            final int kind = record.verify();
            if (kind != JournalRecordDecoder.CORRUPT)
            {
                final long expected = kind == JournalRecordDecoder.ENTRY ?
                    record.sequence() + 1 : record.discardedSequence();
                if (corruptCount > 1)
                {
                    throw severalCorrupt(queue, firstCorruptIndex, expected, firstProblem, corruptCount);
                }
                return expected;
            }
            firstCorruptIndex = record.index();
            firstProblem = record.problem();
            corruptCount++;
        }
        if (corruptCount > 1)
        {
            throw severalCorrupt(queue, firstCorruptIndex, 1, firstProblem, corruptCount);
        }
        return 1;
    }

    private static JournalCorruptedException severalCorrupt(
        final SingleChronicleQueue queue,
        final long index,
        final long expected,
        final String problem,
        final int corruptCount)
    {
        return new JournalCorruptedException(
            JournalQueue.fileOf(queue, index),
            index,
            expected,
            problem + "; it and the " + (corruptCount - 1) + " record(s) after it, up to the end of the journal, " +
            "all fail verification. That is not a single torn tail, so it is refused under every TornTailPolicy");
    }

    private static void appendDiscard(
        final SingleChronicleQueue queue, final Path directory, final long sequence, final long index)
    {
        final byte[] bytes = new byte[DISCARD_RECORD_LENGTH];
        final UnsafeBuffer record = new UnsafeBuffer(bytes);
        record.putInt(MAGIC_OFFSET, DISCARD_MAGIC, BYTE_ORDER);
        record.putShort(VERSION_OFFSET, FORMAT_VERSION, BYTE_ORDER);
        record.putLong(DISCARDED_SEQUENCE_OFFSET, sequence, BYTE_ORDER);
        record.putLong(DISCARDED_INDEX_OFFSET, index, BYTE_ORDER);
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, CRC_OFFSET);
        record.putInt(CRC_OFFSET, (int)crc.getValue(), BYTE_ORDER);

        try (ExcerptAppender appender = queue.createAppender())
        {
            try (DocumentContext context = appender.writingDocument())
            {
                context.wire().bytes().write(bytes, 0, bytes.length);
            }
            // The discard must outlive any power loss that follows, whatever the journal's durability: entries
            // appended after it reuse the discarded sequence and would otherwise follow an unexplained bad record.
            JournalQueue.force(appender.currentFile().toPath(), false);
        }
        final Path tornFile = JournalQueue.fileOf(queue, index);
        if (tornFile != null)
        {
            JournalQueue.force(tornFile, false);
        }
        JournalQueue.force(directory, true);
    }
}
