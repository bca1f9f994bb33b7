package io.walletledger.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reaches under Chronicle to damage queue files the way a crash or a bad disk would.
 */
final class JournalFiles
{
    /** Chronicle's 4-byte document header precedes each record. */
    static final int CHRONICLE_HEADER_LENGTH = 4;

    private JournalFiles()
    {
    }

    static List<Path> queueFiles(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(f -> f.getFileName().toString().endsWith(".cq4")).sorted().collect(Collectors.toList());
        }
    }

    static Path onlyQueueFile(final Path directory) throws IOException
    {
        final List<Path> files = queueFiles(directory);
        if (files.size() != 1)
        {
            throw new AssertionError("expected one queue file, found " + files);
        }
        return files.get(0);
    }

    /**
     * @return the position in the file of the first occurrence of the 8-byte little-endian value.
     */
    static long find(final Path file, final long value) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            map.order(ByteOrder.LITTLE_ENDIAN);
            final byte first = (byte)value;
            for (int i = 0, end = map.limit() - 8; i <= end; i++)
            {
                if (map.get(i) == first && map.getLong(i) == value)
                {
                    return i;
                }
            }
        }
        throw new AssertionError("marker 0x" + Long.toHexString(value) + " not found in " + file);
    }

    /**
     * @return where the record holding the command with this marker starts (its journal header).
     */
    static long recordPosition(final Path file, final long marker) throws IOException
    {
        return find(file, marker) - TestCommands.MARKER_OFFSET_IN_COMMAND - JournalEntryDescriptor.HEADER_LENGTH;
    }

    static void flipByte(final Path file, final long position) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(position);
            final int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x01);
        }
    }

    static void truncate(final Path file, final long length) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(length);
        }
    }
}
