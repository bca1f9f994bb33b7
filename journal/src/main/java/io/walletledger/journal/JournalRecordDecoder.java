package io.walletledger.journal;

import io.walletledger.protocol.FrameDescriptor;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.zip.CRC32C;

import static io.walletledger.journal.JournalEntryDescriptor.BYTE_ORDER;
import static io.walletledger.journal.JournalEntryDescriptor.COMMAND_LENGTH_MIN;
import static io.walletledger.journal.JournalEntryDescriptor.COMMAND_LENGTH_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.CRC_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.CRC_RESUME_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.CUT_DROPPED_DOCUMENTS_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.CUT_FIRST_DROPPED_INDEX_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.CUT_MAGIC;
import static io.walletledger.journal.JournalEntryDescriptor.CUT_NEXT_SEQUENCE_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.CUT_RESERVED_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARDED_INDEX_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARDED_SEQUENCE_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARD_MAGIC;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARD_RESERVED2_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARD_RESERVED_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.DURABLE_INDEX_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.ENTRY_MAGIC;
import static io.walletledger.journal.JournalEntryDescriptor.FORMAT_VERSION;
import static io.walletledger.journal.JournalEntryDescriptor.FORMAT_VERSION_NOTE;
import static io.walletledger.journal.JournalEntryDescriptor.FORMAT_VERSION_1;
import static io.walletledger.journal.JournalEntryDescriptor.HEADER_LENGTH;
import static io.walletledger.journal.JournalEntryDescriptor.HEADER_LENGTH_V1;
import static io.walletledger.journal.JournalEntryDescriptor.MAGIC_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.MARKER_RECORD_LENGTH;
import static io.walletledger.journal.JournalEntryDescriptor.NO_DURABLE_INDEX;
import static io.walletledger.journal.JournalEntryDescriptor.OPEN_DURABILITY_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.OPEN_MAGIC;
import static io.walletledger.journal.JournalEntryDescriptor.OPEN_NEXT_SEQUENCE_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.OPEN_RESERVED2_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.OPEN_RESERVED_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.RECORD_LENGTH_MAX;
import static io.walletledger.journal.JournalEntryDescriptor.SEQUENCE_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.TEMPLATE_ID_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.TIMESTAMP_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.VERSION_OFFSET;

/**
 * Copies one Chronicle document out of the queue and verifies it as a journal record. The copy is taken so that
 * the checksum can be computed with {@link CRC32C} (which reads arrays and ByteBuffers, not raw mapped addresses)
 * and so that a handler never holds a view of a mapping Chronicle may release. The buffer grows to the longest
 * record seen and is then reused: replay allocates nothing per entry.
 * <p>
 * Whether a record verifies is a value ({@link #verify()}), not an exception, because the reader and the tail
 * check decide differently what a failure means.
 */
final class JournalRecordDecoder
{
    static final int CORRUPT = 0;
    static final int ENTRY = 1;
    static final int DISCARD = 2;
    static final int OPEN = 3;
    static final int CUT = 4;

    private static final int INITIAL_CAPACITY = 1024 * 1024;
    /** Chronicle's own 4-byte document header (length and flags) precedes every document. */
    private static final int CHRONICLE_HEADER_LENGTH = 4;

    private final CRC32C crc = new CRC32C();
    private final UnsafeBuffer buffer;
    private byte[] bytes;
    private long index;
    private long headerPosition;
    private int length;
    private long documentLength;
    private int version;
    private int headerLength;
    private String problem;

    JournalRecordDecoder()
    {
        bytes = new byte[INITIAL_CAPACITY];
        buffer = new UnsafeBuffer(bytes);
    }

    /**
     * Reads the next document from a tailer, in the tailer's direction, and keeps a copy of it.
     *
     * @return false if there is no next document (yet).
     */
    boolean readFrom(final ExcerptTailer tailer)
    {
        try (DocumentContext context = tailer.readingDocument())
        {
            if (!context.isPresent())
            {
                return false;
            }
            final Bytes<?> document = context.wire().bytes();
            index = context.index();
            headerPosition = document.readPosition() - CHRONICLE_HEADER_LENGTH;
            copyFrom(document);
            return true;
        }
    }

    private void copyFrom(final Bytes<?> document)
    {
        documentLength = document.readRemaining();
        problem = null;
        if (documentLength > RECORD_LENGTH_MAX)
        {
            length = 0;
            return;
        }
        length = (int)documentLength;
        if (length > bytes.length)
        {
            bytes = new byte[Math.min(RECORD_LENGTH_MAX, Integer.highestOneBit(length - 1) << 1)];
            buffer.wrap(bytes);
        }
        document.read(bytes, 0, length);
    }

    /**
     * @return {@link #ENTRY}, {@link #DISCARD}, {@link #OPEN}, {@link #CUT} or {@link #CORRUPT}, in which case
     * {@link #problem()} says why.
     */
    int verify()
    {
        headerLength = 0;
        if (documentLength > RECORD_LENGTH_MAX)
        {
            return corrupt("the document holds " + documentLength + " bytes, more than the longest record (" +
                RECORD_LENGTH_MAX + ")");
        }
        if (length < MARKER_RECORD_LENGTH)
        {
            return corrupt("the document holds " + length + " bytes, fewer than the " + MARKER_RECORD_LENGTH +
                "-byte record header");
        }
        version = buffer.getShort(VERSION_OFFSET, BYTE_ORDER) & 0xFFFF;
        if (version != FORMAT_VERSION && version != FORMAT_VERSION_1 && version != FORMAT_VERSION_NOTE)
        {
            return corrupt("format version " + version + "; this build reads versions " + FORMAT_VERSION_1 +
                " to " + FORMAT_VERSION_NOTE);
        }
        final int magic = buffer.getInt(MAGIC_OFFSET, BYTE_ORDER);
        return switch (magic)
        {
            case ENTRY_MAGIC -> verifyEntry();
            case DISCARD_MAGIC -> verifyMarker(DISCARD, "discard");
            case OPEN_MAGIC -> version == FORMAT_VERSION ? verifyMarker(OPEN, "open") : corrupt(
                "an open record of format version " + version);
            case CUT_MAGIC -> version == FORMAT_VERSION ? verifyMarker(CUT, "cut") : corrupt(
                "a cut record of format version " + version);
            default -> corrupt("unknown magic 0x" + Integer.toHexString(magic));
        };
    }

    private int verifyEntry()
    {
        headerLength = version == FORMAT_VERSION_1 ? HEADER_LENGTH_V1 : HEADER_LENGTH;
        if (length < headerLength)
        {
            return corrupt("the document holds " + length + " bytes, fewer than the " + headerLength +
                "-byte entry header");
        }
        final long commandLength = buffer.getInt(COMMAND_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF_FFFFL;
        if (version == FORMAT_VERSION_NOTE ? commandLength >= length - headerLength :
            commandLength != length - headerLength)
        {
            return corrupt("the command length field says " + commandLength + " bytes but the document holds " +
                (length - headerLength) + " after the header" +
                (version == FORMAT_VERSION_NOTE ? ", which must hold a note too" : ""));
        }
        final int computed = checksum(bytes, length);
        final int stored = storedChecksum();
        if (computed != stored)
        {
            return corrupt("checksum mismatch: stored 0x" + Integer.toHexString(stored) + ", computed 0x" +
                Integer.toHexString(computed) + " over " + length + " bytes");
        }
        if (commandLength < COMMAND_LENGTH_MIN)
        {
            return corrupt("the command holds " + commandLength + " bytes, fewer than an SBE message header");
        }
        final int commandTemplateId = FrameDescriptor.templateId(buffer, headerLength);
        if (templateId() != commandTemplateId)
        {
            return corrupt("the entry says template " + templateId() + " but the command's SBE header says " +
                commandTemplateId);
        }
        if (sequence() < 1)
        {
            return corrupt("sequence " + sequence() + " is not positive");
        }
        return ENTRY;
    }

    /**
     * Open, cut and discard records: 32 bytes, a checksum over the first 28, a positive sequence at offset 8 and
     * their reserved fields zero.
     */
    private int verifyMarker(final int kind, final String name)
    {
        if (length != MARKER_RECORD_LENGTH)
        {
            return corrupt("a " + name + " record holds " + MARKER_RECORD_LENGTH + " bytes, this document " + length);
        }
        final int computed = checksum(bytes, CRC_RESUME_OFFSET);
        final int stored = storedChecksum();
        if (computed != stored)
        {
            return corrupt(name + " record checksum mismatch: stored 0x" + Integer.toHexString(stored) +
                ", computed 0x" + Integer.toHexString(computed));
        }
        if (!reservedFieldsZero(kind))
        {
            return corrupt("a " + name + " record with non-zero reserved fields");
        }
        if (buffer.getLong(SEQUENCE_OFFSET, BYTE_ORDER) < 1)
        {
            return corrupt("a " + name + " record for sequence " + buffer.getLong(SEQUENCE_OFFSET, BYTE_ORDER));
        }
        if (kind == OPEN && durability() == null)
        {
            return corrupt("an open record for durability " + buffer.getShort(OPEN_DURABILITY_OFFSET, BYTE_ORDER));
        }
        return kind;
    }

    private boolean reservedFieldsZero(final int kind)
    {
        return switch (kind)
        {
            case DISCARD -> buffer.getShort(DISCARD_RESERVED_OFFSET, BYTE_ORDER) == 0 &&
                buffer.getInt(DISCARD_RESERVED2_OFFSET, BYTE_ORDER) == 0;
            case OPEN -> buffer.getLong(OPEN_RESERVED_OFFSET, BYTE_ORDER) == 0 &&
                buffer.getInt(OPEN_RESERVED2_OFFSET, BYTE_ORDER) == 0;
            default -> buffer.getShort(CUT_RESERVED_OFFSET, BYTE_ORDER) == 0;
        };
    }

    /**
     * @param end the checksum covers bytes 0..27 and {@code 32..end}.
     */
    private int checksum(final byte[] record, final int end)
    {
        crc.reset();
        crc.update(record, 0, CRC_OFFSET);
        crc.update(record, CRC_RESUME_OFFSET, end - CRC_RESUME_OFFSET);
        return (int)crc.getValue();
    }

    private int storedChecksum()
    {
        return buffer.getInt(CRC_OFFSET, BYTE_ORDER);
    }

    private int corrupt(final String problem)
    {
        this.problem = problem;
        return CORRUPT;
    }

    /**
     * @return the Chronicle index of the record last read.
     */
    long index()
    {
        return index;
    }

    /**
     * @return where, in its queue file, the Chronicle header of the record last read lies.
     */
    long headerPosition()
    {
        return headerPosition;
    }

    /**
     * @return why the last {@link #verify()} failed.
     */
    String problem()
    {
        return problem;
    }

    /**
     * @return what the sequence field of a record that failed verification reads, for the error message.
     */
    String unverifiedSequence()
    {
        return length >= SEQUENCE_OFFSET + 8 ? Long.toString(buffer.getLong(SEQUENCE_OFFSET, BYTE_ORDER)) : "-";
    }

    long sequence()
    {
        return buffer.getLong(SEQUENCE_OFFSET, BYTE_ORDER);
    }

    long timestamp()
    {
        return buffer.getLong(TIMESTAMP_OFFSET, BYTE_ORDER);
    }

    int templateId()
    {
        return buffer.getShort(TEMPLATE_ID_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    int commandLength()
    {
        return buffer.getInt(COMMAND_LENGTH_OFFSET, BYTE_ORDER);
    }

    /**
     * @return the length of the note after an entry's command (version 3), 0 for none; it starts at
     * {@code commandOffset() + commandLength()}.
     */
    int noteLength()
    {
        return length - headerLength - commandLength();
    }

    /**
     * @return where the command of an entry starts in {@link #buffer()}: after a version 2 or version 1 header.
     */
    int commandOffset()
    {
        return headerLength;
    }

    /**
     * @return an entry's durable index: the Chronicle index of the last record on stable storage when it was
     * written; {@link JournalEntryDescriptor#NO_DURABLE_INDEX} for a version 1 entry.
     */
    long durableIndex()
    {
        return headerLength == HEADER_LENGTH ? buffer.getLong(DURABLE_INDEX_OFFSET, BYTE_ORDER) : NO_DURABLE_INDEX;
    }

    /**
     * @return the durability an open record says the entries after it were written with, or null if the field
     * holds no known value.
     */
    JournalDurability durability()
    {
        final int value = buffer.getShort(OPEN_DURABILITY_OFFSET, BYTE_ORDER) & 0xFFFF;
        return value < JournalDurability.values().length ? JournalDurability.values()[value] : null;
    }

    /**
     * @return the sequence an open or cut record says the next entry gets.
     */
    long nextSequence()
    {
        return buffer.getLong(magic() == OPEN_MAGIC ? OPEN_NEXT_SEQUENCE_OFFSET : CUT_NEXT_SEQUENCE_OFFSET,
            BYTE_ORDER);
    }

    long firstDroppedIndex()
    {
        return buffer.getLong(CUT_FIRST_DROPPED_INDEX_OFFSET, BYTE_ORDER);
    }

    long droppedDocuments()
    {
        return buffer.getInt(CUT_DROPPED_DOCUMENTS_OFFSET, BYTE_ORDER) & 0xFFFF_FFFFL;
    }

    private int magic()
    {
        return buffer.getInt(MAGIC_OFFSET, BYTE_ORDER);
    }

    long discardedSequence()
    {
        return buffer.getLong(DISCARDED_SEQUENCE_OFFSET, BYTE_ORDER);
    }

    long discardedIndex()
    {
        return buffer.getLong(DISCARDED_INDEX_OFFSET, BYTE_ORDER);
    }

    /**
     * @return the copy: the command of an entry starts at {@link #commandOffset()}.
     */
    DirectBuffer buffer()
    {
        return buffer;
    }
}
