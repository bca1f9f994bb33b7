package io.walletledger.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer per journal: an OS file lock on {@code journal-writer.lock}, held for as long as a writer has the
 * journal open. Chronicle lets any number of processes append to one queue, which would give two entries the same
 * sequence; the OS drops the lock when its holder dies, so unlike Chronicle's own lock it never goes stale.
 */
final class JournalWriterLock implements AutoCloseable
{
    static final String WRITER_LOCK_FILE = "journal-writer.lock";

    /**
     * The journals this process has open for writing. Checked before the lock file is touched: on Linux, closing
     * any channel on a locked file releases every lock the process holds on it, so a second open attempt must not
     * even open the file.
     */
    private static final Set<Path> OPEN_FOR_WRITING = ConcurrentHashMap.newKeySet();

    private final Path realDirectory;
    private final FileChannel channel;

    private JournalWriterLock(final Path realDirectory, final FileChannel channel)
    {
        this.realDirectory = realDirectory;
        this.channel = channel;
    }

    /**
     * Creates the journal directory if missing and takes its writer lock.
     *
     * @throws IllegalStateException if another writer, in this process or another, has the journal open.
     */
    static JournalWriterLock acquire(final Path directory)
    {
        final Path realDirectory;
        try
        {
            Files.createDirectories(directory);
            realDirectory = directory.toRealPath();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not create the journal directory " + directory, ex);
        }
        if (!OPEN_FOR_WRITING.add(realDirectory))
        {
            throw new IllegalStateException("another writer has the journal open: " + realDirectory +
                " is already open for writing in this process");
        }
        try
        {
            return new JournalWriterLock(realDirectory, lockFile(realDirectory));
        }
        catch (final RuntimeException ex)
        {
            OPEN_FOR_WRITING.remove(realDirectory);
            throw ex;
        }
    }

    private static FileChannel lockFile(final Path directory)
    {
        final Path lockFile = directory.resolve(WRITER_LOCK_FILE);
        final FileChannel channel;
        try
        {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not open " + lockFile, ex);
        }
        FileLock lock = null;
        try
        {
            lock = channel.tryLock();
        }
        catch (final IOException | OverlappingFileLockException ex)
        {
            closeQuietly(channel);
            throw new IllegalStateException("could not lock " + lockFile, ex);
        }
        if (lock == null)
        {
            // Closing is safe: this process holds no lock on the file (OPEN_FOR_WRITING).
            closeQuietly(channel);
            throw new IllegalStateException("another writer has the journal open: " + lockFile +
                " is locked by another process");
        }
        return channel;
    }

    /**
     * Releases the lock.
     */
    @Override
    public void close()
    {
        closeQuietly(channel);
        OPEN_FOR_WRITING.remove(realDirectory);
    }

    static void closeQuietly(final FileChannel channel)
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // Only a lock or a read-only use rides on these channels: closing them loses no data.
        }
    }
}
