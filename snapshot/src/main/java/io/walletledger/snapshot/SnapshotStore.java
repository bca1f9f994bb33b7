package io.walletledger.snapshot;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.engine.LedgerStateException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A directory of snapshot files, {@code snapshot-<sequence>.bin}, each the whole engine state after the journal
 * entry with that sequence.
 *
 * <pre>
 *  header (64 bytes, little-endian)
 *    0  magic "WLSS" (i32)          4  format version (i32)
 *    8  sequence (i64)             16  journal index (i64, -1 if unknown)
 *   24  engine timestamp (i64)     32  state hash (i64)
 *   40  accounts (i32)             44  remembered transfers (i32)
 *   48  open holds (i32)           52  flags (i32): bit 0 set if the journal was not forced to disk first
 *   56  body length (i64)
 *  body      the engine state (LedgerEngine.writeState)
 *  trailer   CRC32C of header and body (i32), then magic "WLSE" (i32)
 * </pre>
 *
 * A snapshot is written to {@code snapshot-<sequence>.bin.tmp}, forced to disk, renamed atomically to its final
 * name and the directory forced, so a crash leaves either the whole file or none (a stray {@code .tmp}, deleted
 * when the store is next opened). After each write only the newest {@code retain} snapshots are kept. Loading
 * checks the length, the checksum and then the state hash of what was loaded; any failure is a
 * {@link SnapshotCorruptedException} naming the file.
 */
public final class SnapshotStore
{
    static final int MAGIC = 0x5353_4C57; // "WLSS" as a little-endian int
    static final int END_MAGIC = 0x4553_4C57; // "WLSE"
    static final int FORMAT_VERSION = 1;
    static final int HEADER_LENGTH = 64;
    static final int TRAILER_LENGTH = 8;
    /** Header flag: the journal was not forced to stable storage up to the snapshot's sequence before it. */
    static final int FLAG_JOURNAL_NOT_FORCED = 1;

    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".bin";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final int READ_CHUNK = 1 << 20;
    /**
     * The most one {@code write} call hands the kernel. A call that fills new page-cache pages holds its CPU until
     * it returns on a kernel without preemption ({@code PREEMPT_NONE}), and where the hypervisor backs each new page
     * on first touch a 1 MiB call held it for about 2.3 ms: a real-time request thread woken on that CPU waited that
     * long. At 64 KiB per call no wait over 2 ms was seen (docs/performance.md).
     */
    static final int WRITE_LENGTH = 64 * 1024;

    private final Path directory;
    private final int retain;

    private SnapshotStore(final Path directory, final int retain)
    {
        this.directory = directory;
        this.retain = retain;
    }

    /**
     * Opens (creating if needed) a snapshot directory and deletes temporary files a crash left behind.
     *
     * @param directory for the snapshot files.
     * @param retain    how many snapshots to keep, at least 1.
     * @return the store.
     * @throws UncheckedIOException if the directory cannot be created or listed.
     */
    public static SnapshotStore open(final Path directory, final int retain)
    {
        if (retain < 1)
        {
            throw new IllegalArgumentException("at least one snapshot must be kept, not " + retain);
        }
        try
        {
            Files.createDirectories(directory);
            try (DirectoryStream<Path> temps = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX + TEMP_SUFFIX))
            {
                for (final Path temp : temps)
                {
                    Files.delete(temp);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open snapshot directory " + directory, ex);
        }
        return new SnapshotStore(directory, retain);
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * @return the snapshot files, newest (highest sequence) first.
     */
    public List<Path> list()
    {
        return list(directory);
    }

    /**
     * Lists the snapshot files of a directory without changing anything in it (a writer may be at work there).
     *
     * @return the snapshot files, newest (highest sequence) first; none if the directory does not exist.
     */
    public static List<Path> list(final Path directory)
    {
        final List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory))
        {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX))
        {
            for (final Path file : stream)
            {
                if (sequenceOf(file) >= 0)
                {
                    files.add(file);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list snapshot directory " + directory, ex);
        }
        files.sort(Comparator.comparingLong(SnapshotStore::sequenceOf).reversed());
        return files;
    }

    /**
     * Writes the engine's state as the snapshot after journal entry {@code sequence}, then deletes snapshots
     * beyond the newest {@code retain}. Call it on the thread that drives the engine, between commands. Writes
     * through one store are serialized.
     *
     * @param engine       whose state is written; not changed.
     * @param sequence     of the last journal entry applied to it.
     * @param journalIndex the Chronicle index of that entry, or -1 if not known.
     * @return the header of the new snapshot.
     * @throws UncheckedIOException if it cannot be written; no partial file is left under the final name.
     */
    public SnapshotInfo write(final LedgerEngine engine, final long sequence, final long journalIndex)
    {
        return write(engine, sequence, journalIndex, true);
    }

    /**
     * As {@link #write(LedgerEngine, long, long)}, saying whether the journal is on stable storage up to
     * {@code sequence}: a snapshot written ahead of a journal that is not ({@code journalForced} false) is marked,
     * so that recovery may pass it over after a power loss instead of refusing to start.
     */
    public synchronized SnapshotInfo write(
        final LedgerEngine engine, final long sequence, final long journalIndex, final boolean journalForced)
    {
        if (sequence < 0)
        {
            throw new IllegalArgumentException("sequence must not be negative: " + sequence);
        }
        final Path file = directory.resolve(fileName(sequence));
        final Path temp = directory.resolve(fileName(sequence) + TEMP_SUFFIX);
        final long bodyLength = engine.stateLength();
        final SnapshotInfo info = new SnapshotInfo(file, sequence, journalIndex, engine.lastTimestamp(),
            engine.stateHash(), engine.accountCount(), engine.rememberedTransferCount(), engine.pendingTransferCount(),
            HEADER_LENGTH + bodyLength + TRAILER_LENGTH, journalForced);
        try
        {
            try (FileChannel channel = FileChannel.open(temp,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
            {
                final CRC32C crc = new CRC32C();
                final ByteBuffer header = encodeHeader(info, bodyLength);
                crc.update(header.duplicate());
                writeFully(channel, header);
                final long[] written = { 0 };
                engine.writeState(chunk ->
                {
                    written[0] += chunk.remaining();
                    crc.update(chunk.duplicate());
                    writeFully(channel, chunk);
                });
                if (written[0] != bodyLength)
                {
                    throw new IllegalStateException("the engine wrote " + written[0] + " bytes of state, not the " +
                        bodyLength + " it announced");
                }
                final ByteBuffer trailer = ByteBuffer.allocate(TRAILER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
                trailer.putInt(0, (int)crc.getValue()).putInt(4, END_MAGIC);
                writeFully(channel, trailer);
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
        }
        catch (final IOException ex)
        {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot write snapshot " + file, ex);
        }
        catch (final RuntimeException | Error ex)
        {
            deleteQuietly(temp);
            throw ex;
        }
        prune(sequence);
        return info;
    }

    /**
     * Reads and checks a snapshot's header only.
     *
     * @throws SnapshotCorruptedException if the file is too short, not a snapshot, or its length disagrees with
     *                                    its header.
     */
    public static SnapshotInfo readHeader(final Path file)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            return readHeader(file, channel);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read snapshot " + file, ex);
        }
    }

    /**
     * Checks a snapshot file without loading it: header, length and the checksum over the whole file.
     *
     * @return its header.
     * @throws SnapshotCorruptedException if any check fails.
     */
    public static SnapshotInfo verify(final Path file)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final SnapshotInfo info = readHeader(file, channel);
            verifyChecksum(file, channel, info.length());
            return info;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read snapshot " + file, ex);
        }
    }

    /**
     * Reads the settings a snapshot's state was taken under (capacities and currencies), to make the engine that
     * loads it ({@link LedgerEngine#settingsOf}).
     *
     * @param base the settings the ledger was created with, for a snapshot of a format that keeps none, and the
     *             hash seed.
     * @throws SnapshotCorruptedException if the file is not a snapshot or its state does not start as one.
     * @throws UncheckedIOException       if the file cannot be read.
     */
    public static LedgerConfig settingsOf(final Path file, final LedgerConfig base)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            readHeader(file, channel);
            channel.position(HEADER_LENGTH);
            return LedgerEngine.settingsOf(into -> readFully(channel, into), base);
        }
        catch (final LedgerStateException ex)
        {
            throw new SnapshotCorruptedException(file, "its state cannot be read: " + ex.getMessage(), ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read snapshot " + file, ex);
        }
    }

    /**
     * Verifies a snapshot file and loads its state into a new engine: the length, the checksum over the whole
     * file, then the state hash of what was loaded against the header's.
     *
     * @param file   a snapshot file.
     * @param engine a new engine, configured with the limits the snapshot was taken under. After an exception
     *               it holds a partial state and must be discarded.
     * @return the snapshot's header.
     * @throws SnapshotCorruptedException if the file fails any check or holds a state this engine cannot load.
     * @throws UncheckedIOException       if the file cannot be read.
     */
    public static SnapshotInfo load(final Path file, final LedgerEngine engine)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final SnapshotInfo info = readHeader(file, channel);
            verifyChecksum(file, channel, info.length());

            channel.position(HEADER_LENGTH);
            try
            {
                engine.readState(into -> readFully(channel, into));
            }
            catch (final LedgerStateException ex)
            {
                throw new SnapshotCorruptedException(file, "its state cannot be loaded: " + ex.getMessage(), ex);
            }
            if (channel.position() != info.length() - TRAILER_LENGTH)
            {
                throw new SnapshotCorruptedException(file, "its state ends at byte " + channel.position() +
                    ", not where the header says (" + (info.length() - TRAILER_LENGTH) + ")");
            }
            final long hash = engine.stateHash();
            if (hash != info.stateHash() || engine.accountCount() != info.accounts() ||
                engine.rememberedTransferCount() != info.rememberedTransfers() ||
                engine.pendingTransferCount() != info.openHolds())
            {
                throw new SnapshotCorruptedException(file, "the loaded state (hash " + Long.toHexString(hash) +
                    ", " + engine.accountCount() + " accounts) is not the one the header describes (hash " +
                    Long.toHexString(info.stateHash()) + ", " + info.accounts() + " accounts)");
            }
            return info;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read snapshot " + file, ex);
        }
    }

    /**
     * @return the sequence in a snapshot file's name, or -1 if the name is not a snapshot's.
     */
    public static long sequenceOf(final Path file)
    {
        final String name = file.getFileName().toString();
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX))
        {
            return -1;
        }
        final String digits = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
        if (digits.length() != 20 || !digits.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            return -1;
        }
        try
        {
            return Long.parseLong(digits);
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    private static String fileName(final long sequence)
    {
        return PREFIX + String.format("%020d", sequence) + SUFFIX;
    }

    private static ByteBuffer encodeHeader(final SnapshotInfo info, final long bodyLength)
    {
        final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0, MAGIC)
            .putInt(4, FORMAT_VERSION)
            .putLong(8, info.sequence())
            .putLong(16, info.journalIndex())
            .putLong(24, info.timestamp())
            .putLong(32, info.stateHash())
            .putInt(40, info.accounts())
            .putInt(44, info.rememberedTransfers())
            .putInt(48, info.openHolds())
            .putInt(52, info.journalForced() ? 0 : FLAG_JOURNAL_NOT_FORCED)
            .putLong(56, bodyLength);
        return header;
    }

    private static SnapshotInfo readHeader(final Path file, final FileChannel channel) throws IOException
    {
        final long size = channel.size();
        if (size < HEADER_LENGTH + TRAILER_LENGTH)
        {
            throw new SnapshotCorruptedException(file, "it is " + size + " bytes long, shorter than a header and " +
                "trailer");
        }
        final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        channel.position(0);
        readFully(channel, header);
        if (header.getInt(0) != MAGIC)
        {
            throw new SnapshotCorruptedException(file, "it does not start with the snapshot magic");
        }
        if (header.getInt(4) != FORMAT_VERSION)
        {
            throw new SnapshotCorruptedException(file, "format version " + header.getInt(4) + " is not " +
                FORMAT_VERSION + ", the one this version reads");
        }
        final long bodyLength = header.getLong(56);
        final long expected = HEADER_LENGTH + bodyLength + TRAILER_LENGTH;
        if (bodyLength < 0 || expected != size)
        {
            throw new SnapshotCorruptedException(file, "it is " + size + " bytes long but its header announces " +
                expected + " (cut short, or a damaged header)");
        }
        final SnapshotInfo info = new SnapshotInfo(file, header.getLong(8), header.getLong(16), header.getLong(24),
            header.getLong(32), header.getInt(40), header.getInt(44), header.getInt(48), size,
            (header.getInt(52) & FLAG_JOURNAL_NOT_FORCED) == 0);
        if (sequenceOf(file) >= 0 && sequenceOf(file) != info.sequence())
        {
            throw new SnapshotCorruptedException(file, "its header says sequence " + info.sequence() +
                ", its name another");
        }
        return info;
    }

    private static void verifyChecksum(final Path file, final FileChannel channel, final long size) throws IOException
    {
        final CRC32C crc = new CRC32C();
        final ByteBuffer chunk = ByteBuffer.allocateDirect(READ_CHUNK);
        long remaining = size - TRAILER_LENGTH;
        channel.position(0);
        while (remaining > 0)
        {
            chunk.clear().limit((int)Math.min(READ_CHUNK, remaining));
            readFully(channel, chunk);
            chunk.flip();
            remaining -= chunk.remaining();
            crc.update(chunk);
        }
        final ByteBuffer trailer = ByteBuffer.allocate(TRAILER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, trailer);
        if (trailer.getInt(4) != END_MAGIC)
        {
            throw new SnapshotCorruptedException(file, "its trailer is damaged");
        }
        if (trailer.getInt(0) != (int)crc.getValue())
        {
            throw new SnapshotCorruptedException(file, "its checksum does not match: the CRC32C of its contents " +
                "is " + Integer.toHexString((int)crc.getValue()) + ", the trailer says " +
                Integer.toHexString(trailer.getInt(0)));
        }
    }

    private static void readFully(final FileChannel channel, final ByteBuffer into)
    {
        try
        {
            while (into.hasRemaining())
            {
                if (channel.read(into) < 0)
                {
                    return;
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Writes all of {@code from}, at most {@link #WRITE_LENGTH} bytes per call, and leaves its limit as it was.
     */
    static void writeFully(final WritableByteChannel channel, final ByteBuffer from)
    {
        final int limit = from.limit();
        try
        {
            while (from.hasRemaining())
            {
                from.limit(Math.min(limit, from.position() + WRITE_LENGTH));
                channel.write(from);
                from.limit(limit);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            from.limit(limit);
        }
    }

    private void forceDirectory() throws IOException
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    /**
     * Keeps the newest {@code retain} snapshots up to the one just written. Files with a higher sequence can only be
     * left from before a recovery that could not use them (recovery renames those it finds unusable); they are not
     * counted and not deleted, so a good new snapshot is never deleted to keep one of them.
     */
    private void prune(final long written)
    {
        int kept = 0;
        for (final Path file : list())
        {
            if (sequenceOf(file) <= written && ++kept > retain)
            {
                deleteQuietly(file);
            }
        }
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignored)
        {
            // Retention is best effort: a file left behind is deleted by a later write.
        }
    }
}
