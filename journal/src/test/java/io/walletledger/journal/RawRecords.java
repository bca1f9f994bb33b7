package io.walletledger.journal;

import io.walletledger.protocol.FrameDescriptor;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static io.walletledger.journal.JournalEntryDescriptor.BYTE_ORDER;

/**
 * Writes and reads journal records straight through Chronicle, encoding the layout independently of the
 * journal's own code: to build records the journal would never write, and to check the bytes it does write.
 */
final class RawRecords
{
    private RawRecords()
    {
    }

    /**
     * @return an entry of format version 1, as builds before the durable index wrote them.
     */
    static byte[] entry(final long sequence, final long timestamp, final byte[] command)
    {
        final byte[] record = new byte[32 + command.length];
        final UnsafeBuffer buffer = new UnsafeBuffer(record);
        buffer.putInt(0, 0x454A4C57, BYTE_ORDER);
        buffer.putShort(4, (short)1, BYTE_ORDER);
        buffer.putShort(6, (short)FrameDescriptor.templateId(new UnsafeBuffer(command), 0), BYTE_ORDER);
        buffer.putLong(8, sequence, BYTE_ORDER);
        buffer.putLong(16, timestamp, BYTE_ORDER);
        buffer.putInt(24, command.length, BYTE_ORDER);
        buffer.putBytes(32, command);
        final CRC32C crc = new CRC32C();
        crc.update(record, 0, 28);
        crc.update(record, 32, command.length);
        buffer.putInt(28, (int)crc.getValue(), BYTE_ORDER);
        return record;
    }

    static byte[] discard(final long sequence, final long index)
    {
        final byte[] record = new byte[32];
        final UnsafeBuffer buffer = new UnsafeBuffer(record);
        buffer.putInt(0, 0x444A4C57, BYTE_ORDER);
        buffer.putShort(4, (short)2, BYTE_ORDER);
        buffer.putLong(8, sequence, BYTE_ORDER);
        buffer.putLong(16, index, BYTE_ORDER);
        final CRC32C crc = new CRC32C();
        crc.update(record, 0, 28);
        buffer.putInt(28, (int)crc.getValue(), BYTE_ORDER);
        return record;
    }

    /**
     * @return the Chronicle index the record got.
     */
    static long append(final Path directory, final byte[] record)
    {
        try (SingleChronicleQueue queue = JournalQueue.open(directory, SystemTimeProvider.INSTANCE);
            ExcerptAppender appender = queue.createAppender())
        {
            try (DocumentContext context = appender.writingDocument())
            {
                context.wire().bytes().write(record);
            }
            return appender.lastIndexAppended();
        }
    }

    /**
     * @return an entry of format version 2, with its durable index.
     */
    static byte[] entryV2(final long sequence, final long timestamp, final long durableIndex, final byte[] command)
    {
        return entry(2, sequence, timestamp, durableIndex, command, new byte[0]);
    }

    /**
     * @return an entry of format version 3: version 2 with a note after the command.
     */
    static byte[] entryV3(
        final long sequence, final long timestamp, final long durableIndex, final byte[] command, final byte[] note)
    {
        return entry(3, sequence, timestamp, durableIndex, command, note);
    }

    private static byte[] entry(
        final int version, final long sequence, final long timestamp, final long durableIndex, final byte[] command,
        final byte[] note)
    {
        final byte[] record = new byte[40 + command.length + note.length];
        final UnsafeBuffer buffer = new UnsafeBuffer(record);
        buffer.putInt(0, 0x454A4C57, BYTE_ORDER);
        buffer.putShort(4, (short)version, BYTE_ORDER);
        buffer.putShort(6, (short)FrameDescriptor.templateId(new UnsafeBuffer(command), 0), BYTE_ORDER);
        buffer.putLong(8, sequence, BYTE_ORDER);
        buffer.putLong(16, timestamp, BYTE_ORDER);
        buffer.putInt(24, command.length, BYTE_ORDER);
        buffer.putLong(32, durableIndex, BYTE_ORDER);
        buffer.putBytes(40, command);
        buffer.putBytes(40 + command.length, note);
        final CRC32C crc = new CRC32C();
        crc.update(record, 0, 28);
        crc.update(record, 32, record.length - 32);
        buffer.putInt(28, (int)crc.getValue(), BYTE_ORDER);
        return record;
    }

    /**
     * @return an open record: a writer opened the journal with this durability (0 none, 1 batch).
     */
    static byte[] open(final int durability, final long nextSequence)
    {
        final byte[] record = new byte[32];
        final UnsafeBuffer buffer = new UnsafeBuffer(record);
        buffer.putInt(0, 0x4F4A4C57, BYTE_ORDER);
        buffer.putShort(4, (short)2, BYTE_ORDER);
        buffer.putShort(6, (short)durability, BYTE_ORDER);
        buffer.putLong(8, nextSequence, BYTE_ORDER);
        final CRC32C crc = new CRC32C();
        crc.update(record, 0, 28);
        buffer.putInt(28, (int)crc.getValue(), BYTE_ORDER);
        return record;
    }

    /**
     * Every entry in the queue (no open, cut or discard record), as stored, with its Chronicle index.
     */
    static List<Stored> entries(final Path directory)
    {
        final List<Stored> entries = new ArrayList<>();
        for (final Stored stored : readAll(directory))
        {
            if (stored.isEntry())
            {
                entries.add(stored);
            }
        }
        return entries;
    }

    /**
     * Every data document in the queue, as stored, with its Chronicle index.
     */
    static List<Stored> readAll(final Path directory)
    {
        final List<Stored> all = new ArrayList<>();
        try (SingleChronicleQueue queue = JournalQueue.open(directory, SystemTimeProvider.INSTANCE);
            ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        return all;
                    }
                    final byte[] bytes = new byte[(int)context.wire().bytes().readRemaining()];
                    context.wire().bytes().read(bytes);
                    all.add(new Stored(context.index(), bytes));
                }
            }
        }
    }

    /**
     * As {@link #readAll(Path)}, stopping quietly where Chronicle fails to read the next document, as it may in a
     * damaged queue, and not waiting on a file that lost its header.
     */
    static List<Stored> readAllUntilFailure(final Path directory)
    {
        final List<Stored> all = new ArrayList<>();
        try (SingleChronicleQueue queue = JournalQueue.openForInspection(directory, SystemTimeProvider.INSTANCE);
            ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        return all;
                    }
                    final byte[] bytes = new byte[(int)context.wire().bytes().readRemaining()];
                    context.wire().bytes().read(bytes);
                    all.add(new Stored(context.index(), bytes));
                }
            }
        }
        catch (final RuntimeException | AssertionError ex)
        {
            return all;
        }
    }

    static final class Stored
    {
        final long index;
        final byte[] bytes;

        Stored(final long index, final byte[] bytes)
        {
            this.index = index;
            this.bytes = bytes;
        }

        boolean isEntry()
        {
            return bytes.length >= 4 && new UnsafeBuffer(bytes).getInt(0, BYTE_ORDER) == 0x454A4C57;
        }

        boolean isOpen()
        {
            return bytes.length >= 4 && new UnsafeBuffer(bytes).getInt(0, BYTE_ORDER) == 0x4F4A4C57;
        }

        boolean isCut()
        {
            return bytes.length >= 4 && new UnsafeBuffer(bytes).getInt(0, BYTE_ORDER) == 0x434A4C57;
        }
    }
}
