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
import static io.walletledger.journal.JournalEntryDescriptor.COMMAND_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.CRC_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARDED_INDEX_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARDED_SEQUENCE_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARD_MAGIC;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARD_RECORD_LENGTH;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARD_RESERVED2_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.DISCARD_RESERVED_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.ENTRY_MAGIC;
import static io.walletledger.journal.JournalEntryDescriptor.FORMAT_VERSION;
import static io.walletledger.journal.JournalEntryDescriptor.HEADER_LENGTH;
import static io.walletledger.journal.JournalEntryDescriptor.MAGIC_OFFSET;
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
     * @return {@link #ENTRY}, {@link #DISCARD} or {@link #CORRUPT}, in which case {@link #problem()} says why.
     */
    int verify()
    {
        if (documentLength > RECORD_LENGTH_MAX)
        {
            return corrupt("the document holds " + documentLength + " bytes, more than the longest record (" +
                RECORD_LENGTH_MAX + ")");
        }
        if (length < HEADER_LENGTH)
        {
            return corrupt("the document holds " + length + " bytes, fewer than the " + HEADER_LENGTH +
                "-byte record header");
        }
        final int magic = buffer.getInt(MAGIC_OFFSET, BYTE_ORDER);
        if (magic != ENTRY_MAGIC && magic != DISCARD_MAGIC)
        {
            return corrupt("unknown magic 0x" + Integer.toHexString(magic));
        }
        final int version = buffer.getShort(VERSION_OFFSET, BYTE_ORDER) & 0xFFFF;
        if (version != FORMAT_VERSION)
        {
            return corrupt("format version " + version + "; this build reads only version " + FORMAT_VERSION);
        }
        return magic == ENTRY_MAGIC ? verifyEntry() : verifyDiscard();
    }

    private int verifyEntry()
    {
        final long commandLength = buffer.getInt(COMMAND_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF_FFFFL;
        if (commandLength != length - HEADER_LENGTH)
        {
            return corrupt("the command length field says " + commandLength + " bytes but the document holds " +
                (length - HEADER_LENGTH) + " after the header");
        }
        final int computed = checksum(bytes, (int)commandLength);
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
        final int commandTemplateId = FrameDescriptor.templateId(buffer, COMMAND_OFFSET);
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

    private int verifyDiscard()
    {
        if (length != DISCARD_RECORD_LENGTH)
        {
            return corrupt("a discard record holds " + DISCARD_RECORD_LENGTH + " bytes, this document " + length);
        }
        final int computed = checksum(bytes, 0);
        final int stored = storedChecksum();
        if (computed != stored)
        {
            return corrupt("discard record checksum mismatch: stored 0x" + Integer.toHexString(stored) +
                ", computed 0x" + Integer.toHexString(computed));
        }
        if (buffer.getShort(DISCARD_RESERVED_OFFSET, BYTE_ORDER) != 0 ||
            buffer.getInt(DISCARD_RESERVED2_OFFSET, BYTE_ORDER) != 0)
        {
            return corrupt("a discard record with non-zero reserved fields");
        }
        if (discardedSequence() < 1)
        {
            return corrupt("a discard record for sequence " + discardedSequence());
        }
        return DISCARD;
    }

    private int checksum(final byte[] record, final int commandLength)
    {
        crc.reset();
        crc.update(record, 0, CRC_OFFSET);
        crc.update(record, COMMAND_OFFSET, commandLength);
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
        return length - HEADER_LENGTH;
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
     * @return the copy: the command of an entry starts at {@link JournalEntryDescriptor#COMMAND_OFFSET}.
     */
    DirectBuffer buffer()
    {
        return buffer;
    }
}
