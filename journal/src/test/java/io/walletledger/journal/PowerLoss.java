package io.walletledger.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Builds what a directory of memory-mapped files may hold after a power loss, from two byte copies of it: one taken
 * right after everything was forced (the durable state) and one taken later, with more written but not forced.
 * The kernel writes dirty pages back in no particular order, so after the loss each 4 KiB page of a file holds
 * either what was forced or a later version of it; a page that was never forced and never written back reads as
 * zeros (the files are sparse). A file created after the forced state may be missing altogether, since nothing
 * forced the directory entry. Chronicle's file headers, its index pages and its {@code metadata.cq4t} are pages
 * like any other.
 */
public final class PowerLoss
{
    static final int PAGE = 4096;
    private static final int CHUNK = 256 * PAGE;

    private PowerLoss()
    {
    }

    /**
     * Copies every file of a directory, page by page, leaving all-zero pages unwritten so the copy stays sparse.
     */
    public static void copy(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        for (final Path file : files(from))
        {
            mixFile(file, null, to.resolve(file.getFileName()), null, 0);
        }
    }

    /**
     * Writes into {@code out} the files of {@code later}, each page taken from {@code later} with probability
     * {@code laterShare} where it differs from {@code durable}'s page (or from zeros where {@code durable} has no
     * such page), else from {@code durable}. A file {@code durable} lacks is left out half of the time.
     *
     * @return the names of the files written.
     */
    public static List<String> mix(
        final Path durable, final Path later, final Path out, final SplittableRandom random, final double laterShare)
        throws IOException
    {
        Files.createDirectories(out);
        final List<String> written = new ArrayList<>();
        for (final Path file : files(later))
        {
            final Path durableFile = durable.resolve(file.getFileName());
            final boolean durableHasIt = Files.exists(durableFile);
            if (!durableHasIt && random.nextBoolean())
            {
                continue;
            }
            mixFile(file, durableHasIt ? durableFile : null, out.resolve(file.getFileName()), random, laterShare);
            written.add(file.getFileName().toString());
        }
        return written;
    }

    private static void mixFile(
        final Path later, final Path durable, final Path out, final SplittableRandom random, final double laterShare)
        throws IOException
    {
        try (FileChannel laterChannel = FileChannel.open(later, StandardOpenOption.READ);
            FileChannel durableChannel = durable == null ? null : FileChannel.open(durable, StandardOpenOption.READ);
            FileChannel outChannel = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
        {
            final long size = laterChannel.size();
            final ByteBuffer laterChunk = ByteBuffer.allocate(CHUNK);
            final ByteBuffer durableChunk = ByteBuffer.allocate(CHUNK);
            for (long chunk = 0; chunk < size; chunk += CHUNK)
            {
                read(laterChannel, chunk, laterChunk);
                read(durableChannel, chunk, durableChunk);
                for (int page = 0; page < CHUNK && chunk + page < size; page += PAGE)
                {
                    final ByteBuffer laterPage = laterChunk.duplicate().position(page).limit(page + PAGE);
                    final ByteBuffer durablePage = durableChunk.duplicate().position(page).limit(page + PAGE);
                    final boolean takeLater = random == null || laterPage.equals(durablePage) ||
                        random.nextDouble() < laterShare;
                    final ByteBuffer chosen = takeLater ? laterPage : durablePage;
                    if (!isZero(chosen))
                    {
                        outChannel.write(chosen, chunk + page);
                    }
                }
            }
            if (size > 0 && outChannel.size() < size)
            {
                outChannel.write(ByteBuffer.allocate(1), size - 1);
            }
            // A last page written whole runs past the file's end: the file keeps its own length.
            if (outChannel.size() > size)
            {
                outChannel.truncate(size);
            }
        }
    }

    private static void read(final FileChannel channel, final long position, final ByteBuffer page)
        throws IOException
    {
        page.clear();
        if (channel != null)
        {
            while (page.hasRemaining() && channel.read(page, position + page.position()) > 0)
            {
                // Read the whole page, or up to the end of the file.
            }
        }
        while (page.hasRemaining())
        {
            page.put((byte)0);
        }
        page.flip();
    }

    private static boolean isZero(final ByteBuffer page)
    {
        for (int i = page.position(); i < page.limit(); i += 8)
        {
            if (page.getLong(i) != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static List<Path> files(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
