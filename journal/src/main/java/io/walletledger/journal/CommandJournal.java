package io.walletledger.journal;

import io.walletledger.protocol.FrameDescriptor;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.zip.CRC32C;

import static io.walletledger.journal.JournalEntryDescriptor.BYTE_ORDER;
import static io.walletledger.journal.JournalEntryDescriptor.COMMAND_LENGTH_MAX;
import static io.walletledger.journal.JournalEntryDescriptor.COMMAND_LENGTH_MIN;
import static io.walletledger.journal.JournalEntryDescriptor.COMMAND_LENGTH_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.CRC_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.CRC_RESUME_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.DURABLE_INDEX_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.ENTRY_MAGIC;
import static io.walletledger.journal.JournalEntryDescriptor.FORMAT_VERSION;
import static io.walletledger.journal.JournalEntryDescriptor.FORMAT_VERSION_NOTE;
import static io.walletledger.journal.JournalEntryDescriptor.HEADER_LENGTH;
import static io.walletledger.journal.JournalEntryDescriptor.MAGIC_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.SEQUENCE_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.TEMPLATE_ID_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.TIMESTAMP_OFFSET;
import static io.walletledger.journal.JournalEntryDescriptor.VERSION_OFFSET;

/**
 * The write side of the command journal: the journaler stage appends every state-changing command here, one
 * Chronicle Queue document each, before the engine applies it. With the journal alone every balance and transfer
 * can be rebuilt from the beginning of time.
 *
 * <pre>
 *   journaler thread                          journal directory (Chronicle Queue, one file per hour)
 *   ----------------                          -----------------------------------------------------
 *   append(ts, cmd) -> header + CRC32C -->    +--------+--------+--------+----
 *   append(ts, cmd) ->        ...      -->    | seq 41 | seq 42 | seq 43 | ...  memory-mapped: committed
 *   flush()  (BATCH: fdatasync) ------>       +--------+--------+--------+----  when append returns
 *   then the batch's replies
 * </pre>
 *
 * One writer: while a journal is open for writing, opening it again, from this process or another, is refused.
 * One writer thread: the Chronicle appender is created by the first {@link #append} and belongs to the thread
 * that made it, as Chronicle 2026.x requires; {@link #flush()} must be called on that thread too. After warm-up an
 * append allocates nothing. {@link #open} inspects only the end of the journal ({@link JournalTail}: a torn tail
 * written with {@link JournalDurability#BATCH} is dropped, one written with {@link JournalDurability#NONE} refused)
 * and starts the session with an open record that says with which durability its entries are written: replay the
 * journal with {@link JournalReader} before the first append, which verifies all of it.
 * <p>
 * Every entry carries the durable index, the Chronicle index of the last record known to be on stable storage when
 * it was written: the open record, then, with {@link JournalDurability#BATCH}, the last entry of each completed
 * flush. It is what tells a torn tail from damage after a power loss, and it costs no write of its own.
 * <p>
 * Failures here are exceptions, not values: an append or flush that fails leaves the journal in doubt, and the
 * pipeline must halt rather than acknowledge anything more.
 */
public final class CommandJournal implements AutoCloseable
{
    /** Whether a NONE journal writes itself back behind the writer unless told otherwise. */
    public static final boolean WRITE_BEHIND_DEFAULT = true;
    /** Commands in off-heap buffers are checksummed and copied through this much heap at a time. */
    private static final int COPY_CHUNK_LENGTH = 64 * 1024;

    private final Path directory;
    private final JournalWriterLock writerLock;
    private final JournalDurability durability;
    private final SingleChronicleQueue queue;
    private final byte[] headerBytes = new byte[HEADER_LENGTH];
    private final UnsafeBuffer header = new UnsafeBuffer(headerBytes);
    private final byte[] copyChunk = new byte[COPY_CHUNK_LENGTH];
    private final CRC32C crc = new CRC32C();
    private final JournalPageAdvice pageAdvice;

    private final JournalTailDrop droppedAtOpen;

    private ExcerptAppender appender;
    private long lastSequence;
    private long lastIndex = -1;
    /**
     * The Chronicle index of the last record known to be on stable storage, written into every entry: the open
     * record at first, then (BATCH only) the last entry of each completed flush or finished hourly file.
     */
    private long durableIndex;
    private boolean closed;

    // BATCH only: the file the appender is writing, held open so each flush is one fdatasync.
    private FileChannel cycleFile;
    private int cycleFileCycle = Integer.MIN_VALUE;
    private boolean directoryUnforced;
    private boolean unflushed;

    private CommandJournal(
        final Path directory,
        final JournalWriterLock writerLock,
        final JournalDurability durability,
        final JournalTail.Opened opened,
        final boolean writeBehind)
    {
        this.directory = directory;
        this.writerLock = writerLock;
        this.durability = durability;
        this.queue = opened.queue();
        this.lastSequence = opened.lastSequence();
        this.durableIndex = opened.openIndex();
        this.droppedAtOpen = opened.drop();
        // BATCH forces the file itself; NONE may have the pager start the write-back behind the writer.
        this.pageAdvice = JournalPageAdvice.create(
            writeBehind && durability == JournalDurability.NONE ? () -> appender().currentFile() : null);
    }

    /**
     * Opens (creating if needed) the journal in a directory, refusing a torn tail.
     *
     * @see #open(Path, JournalDurability, TornTailPolicy)
     */
    public static CommandJournal open(final Path directory, final JournalDurability durability)
    {
        return open(directory, durability, TornTailPolicy.REFUSE);
    }

    /**
     * Opens (creating if needed) the journal in a directory and finds its last entry, so that appends continue
     * from the next sequence.
     *
     * @param directory  holding the Chronicle Queue files; created if missing.
     * @param durability what an append survives, see {@link JournalDurability}.
     * @param policy     what to do if the last record fails verification.
     * @return the journal, ready for appends.
     * @throws JournalCorruptedException if the end of the journal cannot be trusted and the policy does not
     *                                   allow discarding it.
     */
    public static CommandJournal open(
        final Path directory, final JournalDurability durability, final TornTailPolicy policy)
    {
        return open(directory, durability, policy, WRITE_BEHIND_DEFAULT);
    }

    /**
     * As {@link #open(Path, JournalDurability, TornTailPolicy)}, saying whether a {@link JournalDurability#NONE}
     * journal starts writing its file back to disk behind the writer (see {@link JournalPageAdvice}) rather than
     * leave that to the kernel's flusher. A journal forced per batch writes itself back either way.
     */
    public static CommandJournal open(
        final Path directory, final JournalDurability durability, final TornTailPolicy policy,
        final boolean writeBehind)
    {
        return open(directory, durability, policy, SystemTimeProvider.INSTANCE, writeBehind);
    }

    /**
     * As {@link #open(Path, JournalDurability, TornTailPolicy)}, with the clock that decides when Chronicle starts
     * a new hourly file: tests move it to roll files without waiting.
     */
    static CommandJournal open(
        final Path directory,
        final JournalDurability durability,
        final TornTailPolicy policy,
        final TimeProvider time)
    {
        return open(directory, durability, policy, time, WRITE_BEHIND_DEFAULT);
    }

    /**
     * As {@link #open(Path, JournalDurability, TornTailPolicy, boolean)}, with the clock that decides when Chronicle
     * starts a new hourly file (the system clock in a server; tests move one to roll files without waiting).
     */
    public static CommandJournal open(
        final Path directory,
        final JournalDurability durability,
        final TornTailPolicy policy,
        final TimeProvider time,
        final boolean writeBehind)
    {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(policy, "policy");
        final JournalWriterLock writerLock = JournalWriterLock.acquire(directory);
        try
        {
            final SingleChronicleQueue queue = JournalQueue.open(directory, time);
            try
            {
                JournalQueue.releaseWriteLockOfEarlierProcessWithOurPid(queue);
            }
            catch (final RuntimeException ex)
            {
                queue.close();
                throw ex;
            }
            final JournalTail.Opened opened = JournalTail.open(queue, directory, durability, policy, time);
            try
            {
                return new CommandJournal(directory, writerLock, durability, opened, writeBehind);
            }
            catch (final RuntimeException ex)
            {
                opened.queue().close();
                throw ex;
            }
        }
        catch (final RuntimeException ex)
        {
            writerLock.close();
            throw ex;
        }
    }

    /**
     * Appends one command as the next entry. In {@link JournalDurability#NONE} the entry survives a process crash
     * once this returns; in {@link JournalDurability#BATCH} it survives power loss once {@link #flush()} returns.
     *
     * @param timestamp the engine timestamp given to the command.
     * @param command   holding one SBE message, header and body; heap or off-heap.
     * @param offset    of the message header in {@code command}.
     * @param length    of header and body, from {@link JournalEntryDescriptor#COMMAND_LENGTH_MIN} to
     *                  {@link JournalEntryDescriptor#COMMAND_LENGTH_MAX}.
     * @return the entry's sequence: one more than the last entry's.
     * @throws IllegalArgumentException if the command does not fit those bounds: the gateway lets no such request
     *                                  through, so getting one here is a bug.
     */
    public long append(final long timestamp, final DirectBuffer command, final int offset, final int length)
    {
        return append(timestamp, command, offset, length, null, 0, 0);
    }

    /**
     * Appends one command and a note about it as the next entry (format version 3 if there is a note): the note is
     * whatever the command's consumer needs beside the command to decide it the same way on every replay, and is
     * handed back with the command ({@link JournalEntryHandler}).
     *
     * @param note       holding the note, or null for none.
     * @param noteOffset of the note in {@code note}.
     * @param noteLength of the note; the command and the note together at most
     *                   {@link JournalEntryDescriptor#COMMAND_LENGTH_MAX}.
     * @see #append(long, DirectBuffer, int, int)
     */
    public long append(
        final long timestamp, final DirectBuffer command, final int offset, final int length,
        final DirectBuffer note, final int noteOffset, final int noteLength)
    {
        if (closed)
        {
            throw new IllegalStateException("the journal in " + directory + " is closed");
        }
        if (length < COMMAND_LENGTH_MIN || length > COMMAND_LENGTH_MAX)
        {
            throw new IllegalArgumentException("a command must hold " + COMMAND_LENGTH_MIN + " to " +
                COMMAND_LENGTH_MAX + " bytes, this one " + length);
        }
        command.boundsCheck(offset, length);
        if (noteLength < 0 || noteLength > COMMAND_LENGTH_MAX - length || (noteLength > 0 && note == null))
        {
            throw new IllegalArgumentException("a note of " + noteLength + " bytes beside a command of " + length);
        }
        if (noteLength > 0)
        {
            note.boundsCheck(noteOffset, noteLength);
        }

        final long sequence = lastSequence + 1;
        final int templateId = FrameDescriptor.templateId(command, offset);
        header.putInt(MAGIC_OFFSET, ENTRY_MAGIC, BYTE_ORDER);
        header.putShort(VERSION_OFFSET, noteLength > 0 ? FORMAT_VERSION_NOTE : FORMAT_VERSION, BYTE_ORDER);
        header.putShort(TEMPLATE_ID_OFFSET, (short)templateId, BYTE_ORDER);
        header.putLong(SEQUENCE_OFFSET, sequence, BYTE_ORDER);
        header.putLong(TIMESTAMP_OFFSET, timestamp, BYTE_ORDER);
        header.putInt(COMMAND_LENGTH_OFFSET, length, BYTE_ORDER);
        header.putInt(CRC_OFFSET, 0, BYTE_ORDER);
        header.putLong(DURABLE_INDEX_OFFSET, durableIndex, BYTE_ORDER);
        crc.reset();
        crc.update(headerBytes, 0, CRC_OFFSET);
        crc.update(headerBytes, CRC_RESUME_OFFSET, HEADER_LENGTH - CRC_RESUME_OFFSET);

        final ExcerptAppender appender = appender();
        final DocumentContext context = appender.writingDocument();
        try
        {
            final Bytes<?> bytes = context.wire().bytes();
            final long start = bytes.writePosition();
            bytes.write(headerBytes, 0, HEADER_LENGTH);
            writeCommand(bytes, command, offset, length);
            if (noteLength > 0)
            {
                writeCommand(bytes, note, noteOffset, noteLength);
            }
            putChecksum(bytes, start + CRC_OFFSET, (int)crc.getValue());
            pageAdvice.wrote(appender.cycle(), bytes.bytesStore(), bytes.writePosition());
        }
        catch (final RuntimeException | Error ex)
        {
            // Without this, closing the context would commit a partial document.
            context.rollbackOnClose();
            throw ex;
        }
        finally
        {
            context.close();
        }
        final long previousIndex = lastIndex;
        lastSequence = sequence;
        lastIndex = appender.lastIndexAppended();

        if (durability == JournalDurability.BATCH)
        {
            unflushed = true;
            final int cycle = appender.cycle();
            if (cycle != cycleFileCycle)
            {
                switchCycleFile(cycle, previousIndex);
            }
        }
        return sequence;
    }

    /**
     * In {@link JournalDurability#BATCH}, returns once every entry appended so far is on stable storage; call it
     * once per batch, before the batch's replies. Does nothing in {@link JournalDurability#NONE}, or when nothing
     * was appended since the last flush.
     *
     * @throws UncheckedIOException if the device reports a failed write. The entries' fate is then unknown (the
     *                              kernel may have dropped the failed pages), so the journal must not be used
     *                              further: halt, and let recovery read what is really on disk.
     */
    public void flush()
    {
        if (closed)
        {
            throw new IllegalStateException("the journal in " + directory + " is closed");
        }
        if (!unflushed)
        {
            return;
        }
        try
        {
            cycleFile.force(false);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not force the journal file to stable storage: " + directory, ex);
        }
        if (directoryUnforced)
        {
            JournalQueue.force(directory, true);
            directoryUnforced = false;
        }
        unflushed = false;
        durableIndex = lastIndex;
    }

    /**
     * Forces every journal file in a directory, and the directory, to stable storage: what {@link #flush()} does
     * per batch in {@link JournalDurability#BATCH}, for a journal written in {@link JournalDurability#NONE} when
     * something that depends on it (a snapshot) is about to be forced to disk. Any thread may call it, beside the
     * writer: it forces what the files hold at the time.
     *
     * @param directory a journal directory.
     * @throws UncheckedIOException if a file cannot be forced.
     */
    public static void force(final Path directory)
    {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SingleChronicleQueue.SUFFIX))
        {
            for (final Path file : files)
            {
                JournalQueue.force(file, false);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not list journal directory " + directory, ex);
        }
        JournalQueue.force(directory, true);
    }

    /**
     * @return the sequence of the last entry appended, or found when the journal was opened; 0 if none.
     */
    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * @return the Chronicle index of the last entry appended by this journal object, or -1 if none: for snapshot
     * headers. Read it on the appending thread, or after that thread has stopped.
     */
    public long lastIndex()
    {
        return lastIndex;
    }

    public JournalDurability durability()
    {
        return durability;
    }

    /**
     * @return what opening the journal dropped from a torn tail written with {@link JournalDurability#BATCH}
     * (never acknowledged), or null if it dropped nothing.
     */
    public JournalTailDrop droppedAtOpen()
    {
        return droppedAtOpen;
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * Closes the journal; in {@link JournalDurability#BATCH} it first flushes what was appended since the last
     * flush. Call it from the appending thread, or after that thread has stopped.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        try
        {
            flush();
        }
        finally
        {
            closed = true;
            // First: the pager's calls name addresses in the mappings closed below.
            pageAdvice.close();
            if (cycleFile != null)
            {
                // Closing forces nothing; flush() above already reported any write failure.
                JournalWriterLock.closeQuietly(cycleFile);
            }
            try
            {
                if (appender != null)
                {
                    appender.close();
                }
                queue.close();
            }
            finally
            {
                writerLock.close();
            }
        }
    }

    private ExcerptAppender appender()
    {
        ExcerptAppender appender = this.appender;
        if (appender == null)
        {
            appender = queue.createAppender();
            this.appender = appender;
        }
        return appender;
    }

    /**
     * Writes and checksums bytes of a command or a note.
     */
    private void writeCommand(
        final Bytes<?> bytes, final DirectBuffer command, final int offset, final int length)
    {
        final byte[] array = command.byteArray();
        if (array != null)
        {
            final int arrayOffset = command.wrapAdjustment() + offset;
            crc.update(array, arrayOffset, length);
            bytes.write(array, arrayOffset, length);
        }
        else
        {
            final byte[] chunk = copyChunk;
            int copied = 0;
            while (copied < length)
            {
                final int chunkLength = Math.min(chunk.length, length - copied);
                command.getBytes(offset + copied, chunk, 0, chunkLength);
                crc.update(chunk, 0, chunkLength);
                bytes.write(chunk, 0, chunkLength);
                copied += chunkLength;
            }
        }
    }

    /**
     * Writes the checksum into the header already in the document, byte by byte so the order is little-endian
     * whatever Chronicle's native order.
     */
    private static void putChecksum(final Bytes<?> bytes, final long position, final int checksum)
    {
        bytes.writeByte(position, (byte)checksum);
        bytes.writeByte(position + 1, (byte)(checksum >>> 8));
        bytes.writeByte(position + 2, (byte)(checksum >>> 16));
        bytes.writeByte(position + 3, (byte)(checksum >>> 24));
    }

    /**
     * @return {@code sync_file_range} calls made so far to write the journal back behind its writer (NONE only).
     */
    long writeBackCalls()
    {
        return pageAdvice.writeBackCalls();
    }

    /**
     * The appender moved to a new hourly file (or wrote its first entry): force what the previous file still
     * holds unforced, which includes the end-of-file marker Chronicle just wrote there, and hold the new one open.
     * The next flush also forces the directory so the new file's name survives power loss. Once the previous file
     * and its name are on stable storage, so is every entry before the one just appended: the next entries say so.
     *
     * @param previousIndex the index of the entry appended before this one, the previous file's last; -1 if none.
     */
    private void switchCycleFile(final int cycle, final long previousIndex)
    {
        try
        {
            final FileChannel previous = cycleFile;
            if (previous != null)
            {
                previous.force(false);
                previous.close();
                if (directoryUnforced)
                {
                    JournalQueue.force(directory, true);
                }
                durableIndex = Math.max(durableIndex, previousIndex);
            }
            cycleFile = FileChannel.open(appender.currentFile().toPath(), StandardOpenOption.WRITE);
            cycleFileCycle = cycle;
            directoryUnforced = true;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not switch to the new journal file in " + directory, ex);
        }
    }
}
