package io.walletledger.journal;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.zip.CRC32C;

import static io.walletledger.journal.JournalEntryDescriptor.BYTE_ORDER;
import static io.walletledger.journal.JournalEntryDescriptor.CRC_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.CUT_DROPPED_DOCUMENTS_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.CUT_FIRST_DROPPED_INDEX_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.CUT_MAGIC;
import static io.walletledger.journal.JournalEntryDescriptor.CUT_NEXT_SEQUENCE_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARDED_INDEX_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARDED_SEQUENCE_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARD_MAGIC;
import static io.walletledger.journal.JournalEntryDescriptor.FORMAT_VERSION;
import static io.walletledger.journal.JournalEntryDescriptor.MAGIC_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.MARKER_RECORD_LENGTH;
import static io.walletledger.journal.JournalEntryDescriptor.OPEN_DURABILITY_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.OPEN_MAGIC;
import static io.walletledger.journal.JournalEntryDescriptor.OPEN_NEXT_SEQUENCE_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.VERSION_OFFSET;

/**
 * Encodes the records that say something about the journal rather than hold a command: open, cut and discard
 * records ({@link JournalEntryDescriptor} draws them). They are written only while a writer opens the journal, so
 * each call makes a new array.
 */
final class JournalRecordEncoder
{
    private JournalRecordEncoder()
    {
    }

    static byte[] open(final JournalDurability durability, final long nextSequence)
    {
        final UnsafeBuffer record = start(OPEN_MAGIC);
        record.putShort(OPEN_DURABILITY_OFFSET, (short)durability.ordinal(), BYTE_ORDER);
        record.putLong(OPEN_NEXT_SEQUENCE_OFFSET, nextSequence, BYTE_ORDER);
        return finish(record);
    }

    static byte[] cut(final long nextSequence, final long firstDroppedIndex, final long droppedDocuments)
    {
        final UnsafeBuffer record = start(CUT_MAGIC);
        record.putLong(CUT_NEXT_SEQUENCE_OFFSET, nextSequence, BYTE_ORDER);
        record.putLong(CUT_FIRST_DROPPED_INDEX_OFFSET, firstDroppedIndex, BYTE_ORDER);
        record.putInt(CUT_DROPPED_DOCUMENTS_OFFSET, (int)Math.min(droppedDocuments, 0xFFFF_FFFFL), BYTE_ORDER);
        return finish(record);
    }

    static byte[] discard(final long discardedSequence, final long discardedIndex)
    {
        final UnsafeBuffer record = start(DISCARD_MAGIC);
        record.putLong(DISCARDED_SEQUENCE_OFFSET, discardedSequence, BYTE_ORDER);
        record.putLong(DISCARDED_INDEX_OFFSET, discardedIndex, BYTE_ORDER);
        return finish(record);
    }

    private static UnsafeBuffer start(final int magic)
    {
        final UnsafeBuffer record = new UnsafeBuffer(new byte[MARKER_RECORD_LENGTH]);
        record.putInt(MAGIC_OFFSET, magic, BYTE_ORDER);
        record.putShort(VERSION_OFFSET, FORMAT_VERSION, BYTE_ORDER);
        return record;
    }

    private static byte[] finish(final UnsafeBuffer record)
    {
        final byte[] bytes = record.byteArray();
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, CRC_OFFSET);
        record.putInt(CRC_OFFSET, (int)crc.getValue(), BYTE_ORDER);
        return bytes;
    }
}
