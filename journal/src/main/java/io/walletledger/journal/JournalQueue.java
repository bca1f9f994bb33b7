package io.walletledger.journal;

import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.queue.impl.single.TableStoreWriteLock;
import net.openhft.chronicle.threads.BusyTimedPauser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * How the journal uses Chronicle Queue, in one place so the writer and the reader always agree, and the checks
 * that Chronicle's own view of a queue file matches what can be read back from it.
 * <p>
 * <b>Roll cycle.</b> {@link RollCycles#FAST_HOURLY}: one file per hour, up to 2^32 - 1 documents in it (1.19 M per
 * second sustained, and the journal writes one document per batch, not per transfer), every 256th document indexed.
 * At the design's peak of about 100 MB/s of commands an hourly file reaches some 360 GB; a daily file would be
 * 8.6 TB, too coarse to archive or delete, and the shorter cycles allow only 2^30 documents.
 * <p>
 * <b>Blocks.</b> 64 MiB mapping blocks, which let a document be up to 16 MiB (a quarter of a block), twice the
 * longest record ({@link JournalEntryDescriptor#RECORD_LENGTH_MAX}).
 * <p>
 * <b>No Chronicle msync.</b> Chronicle's {@code SyncMode} defaults to {@code ASYNC}, an {@code msync(MS_ASYNC)} that
 * Linux treats as a no-op, and even {@code SYNC} makes {@code ExcerptAppender.sync()} force only the part of the
 * current 64 MiB mapping written since its last sync. The journal forces whole files itself
 * ({@link #force(Path, boolean)}), so Chronicle's msync is switched off.
 */
final class JournalQueue
{
    static final long BLOCK_SIZE = 64L * 1024 * 1024;
    private static final long INSPECTION_TIMEOUT_MS = 1;

    private JournalQueue()
    {
    }

    static SingleChronicleQueue open(final Path directory, final TimeProvider time)
    {
        return builder(directory, time).build();
    }

    /**
     * Opens the queue to inspect a journal whose writer lock the caller holds, so that nobody else can be writing
     * it. After a power loss a queue file may have lost its first page, Chronicle's header: Chronicle then waits, for
     * its time-out on every look at that file, for a writer to finish the header, which no writer will. This queue
     * gives up at once.
     */
    static SingleChronicleQueue openForInspection(final Path directory, final TimeProvider time)
    {
        return builder(directory, time).timeoutMS(INSPECTION_TIMEOUT_MS).build();
    }

    private static SingleChronicleQueueBuilder builder(final Path directory, final TimeProvider time)
    {
        return SingleChronicleQueueBuilder.binary(directory)
            .rollCycle(RollCycles.FAST_HOURLY)
            .blockSize(BLOCK_SIZE)
            .syncMode(SyncMode.NONE)
            .timeProvider(time);
    }

    /**
     * @return whether a queue file starts with Chronicle's header; false if its first four bytes are zero (the page
     * that holds them never reached the disk) or it is shorter than that.
     */
    static boolean hasHeader(final Path file)
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer header = ByteBuffer.allocate(4);
            while (header.hasRemaining() && channel.read(header, header.position()) > 0)
            {
                // Read the four bytes, or up to the end of the file.
            }
            return header.position() == 4 && header.getInt(0) != 0;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not read " + file, ex);
        }
    }

    /**
     * @return the file of the cycle an index belongs to, or null if there is none.
     */
    static Path fileOf(final SingleChronicleQueue queue, final long index)
    {
        return fileOfCycle(queue, queue.rollCycle().toCycle(index));
    }

    /**
     * Chronicle keeps, in each cycle file's header, the position of the last document it committed; its next
     * append walks forward from there over complete documents and writes at the first empty header. If that
     * position lies past the last document a reader can reach, which happens when power loss keeps the file
     * header but not the data pages, the next append would land beyond the gap where no reader ever finds it.
     * This check refuses that state. A position behind the last readable document is harmless: a process killed
     * between committing a document and recording its position leaves it so, and Chronicle's next append walks
     * forward over the complete documents.
     * <p>
     * Chronicle updates the position only after committing a document, so reading the position before looking
     * for one more document, and then finding none, proves the position was not ahead of the data even with a
     * writer appending at the same time.
     *
     * @param cycle                the cycle whose last readable document was found.
     * @param lastHeaderPosition   the position of that document's Chronicle header, or -1 if the cycle holds
     *                             no readable data document.
     * @param writePosition        Chronicle's write position of the cycle, read before the last read attempt.
     * @param lastIndex            the index of the last readable document, for the message.
     * @param expectedSequence     the sequence the journal expects next, for the message.
     */
    static void checkWritePosition(
        final SingleChronicleQueue queue,
        final int cycle,
        final long lastHeaderPosition,
        final long writePosition,
        final long lastIndex,
        final long expectedSequence)
    {
        final boolean ahead = lastHeaderPosition < 0 ? writePosition != 0 : writePosition > lastHeaderPosition;
        if (ahead)
        {
            throw new JournalCorruptedException(
                fileOfCycle(queue, cycle),
                lastIndex,
                expectedSequence,
                "Chronicle's write position (byte " + writePosition + ") lies past the last document that can be " +
                "read (" + (lastHeaderPosition < 0 ? "none in this file" : "header at byte " + lastHeaderPosition) +
                "): the end of the file is missing or unreadable at the Chronicle level, as power loss can leave " +
                "it. If the journal was written with durability batch, a writer opening it drops this tail (none of " +
                "it was acknowledged); written with durability none, it may hold acknowledged commands, which " +
                "TornTailPolicy.TRUNCATE cannot bring back: restore the data directory from a backup");
        }
    }

    /**
     * @return Chronicle's write position of a cycle file: 0 if it holds no data document or does not exist.
     */
    static long writePosition(final SingleChronicleQueue queue, final int cycle)
    {
        final SingleChronicleQueueStore store = store(queue, cycle);
        if (store == null)
        {
            return 0;
        }
        try
        {
            return store.writePosition();
        }
        finally
        {
            queue.closeStore(store);
        }
    }

    /**
     * Checks that no cycle after {@code cycle} holds a data document Chronicle committed: a reader that stopped in
     * {@code cycle} would otherwise have stopped short of them.
     *
     * @param cycle the cycle the reader stopped in, or {@link Integer#MIN_VALUE} if it read nothing.
     */
    static void checkNoDataAfter(
        final SingleChronicleQueue queue, final int cycle, final long lastIndex, final long expectedSequence)
    {
        for (final int laterCycle : cyclesAfter(queue, cycle))
        {
            final Path file = fileOfCycle(queue, laterCycle);
            if (file != null && !hasHeader(file))
            {
                throw new JournalCorruptedException(file, lastIndex, expectedSequence, "the file has no Chronicle " +
                    "header: its first page never reached the disk, as power loss can leave a file created just " +
                    "before it. If the journal was written with durability batch, a writer opening it drops the " +
                    "file (nothing in it was acknowledged); written with durability none, restore the journal from " +
                    "a backup");
            }
            checkWritePosition(queue, laterCycle, -1, writePosition(queue, laterCycle), lastIndex, expectedSequence);
        }
    }

    /**
     * @return the cycles with a file after {@code cycle}, in order; every cycle if it is {@link Integer#MIN_VALUE}.
     * Hours without traffic have no file, so the cycles need not be consecutive.
     */
    static List<Integer> cyclesAfter(final SingleChronicleQueue queue, final int cycle)
    {
        final int firstCycle = queue.firstCycle();
        final int lastCycle = queue.lastCycle();
        final List<Integer> later = new ArrayList<>();
        if (firstCycle == Integer.MAX_VALUE || lastCycle <= cycle)
        {
            return later;
        }
        // Chronicle lists cycles only between two that have files: list them all and keep the later ones.
        for (final Long listed : queue.listCyclesBetween(firstCycle, lastCycle))
        {
            if (listed > cycle)
            {
                later.add(listed.intValue());
            }
        }
        return later;
    }

    /**
     * Releases Chronicle's write lock if it names this very process although nothing in it writes to the queue:
     * it was left by an earlier process that had the same PID and was killed mid-append. In a container the JVM is
     * often PID 1 on every start, and Chronicle, which frees only the locks of dead processes, would otherwise
     * wait 15 seconds on the next append and then fail, on every restart. The caller holds the journal's writer
     * lock, so no writer of this process can be holding Chronicle's.
     */
    static void releaseWriteLockOfEarlierProcessWithOurPid(final SingleChronicleQueue queue)
    {
        try (TableStoreWriteLock lock = new TableStoreWriteLock(queue.metaStore(), BusyTimedPauser::new, 0L))
        {
            if (lock.locked() && lock.isLockedByCurrentProcess(JournalQueue::otherProcess))
            {
                lock.forceUnlock();
            }
        }
    }

    private static void otherProcess(final long lockValue)
    {
        // Held by another process, or not at all: Chronicle's own open frees it if that process is dead.
    }

    /**
     * The file in a journal directory that says below which sequence entries may have been archived
     * ({@link JournalArchive}): its one line is that sequence. Chronicle lists only {@code .cq4} files, so it ignores
     * it. Without it the journal must start at sequence 1.
     */
    static final String ARCHIVED_BEFORE_FILE = "archived-before";

    /**
     * @return the sequence below which entries may have been archived: the journal's first entry has a sequence from
     * 1 up to it. 1 if nothing was archived.
     * @throws IllegalStateException if the file does not hold a sequence.
     */
    static long archivedBefore(final Path directory)
    {
        final Path file = directory.resolve(ARCHIVED_BEFORE_FILE);
        if (!Files.exists(file))
        {
            return 1;
        }
        final String text;
        try
        {
            text = Files.readString(file).trim();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not read " + file, ex);
        }
        try
        {
            final long sequence = Long.parseLong(text);
            if (sequence >= 1)
            {
                return sequence;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // Answered below.
        }
        throw new IllegalStateException(file + " must hold one sequence of at least 1, not \"" + text + "\"");
    }

    /**
     * The sequence of the first entry the journal holds: that of its first record (an entry, or an open, cut or discard
     * record, which names the sequence the next entry has), checked against {@link #archivedBefore(Path)}.
     *
     * @return the first sequence; 1 for an empty journal that was never archived.
     * @throws JournalCorruptedException if the journal starts after the sequence below which entries were archived:
     *                                   files are missing at its start.
     */
    static long firstSequence(final SingleChronicleQueue queue, final JournalRecordDecoder record)
    {
        final Path directory = queue.file().toPath();
        final long archivedBefore = archivedBefore(directory);
        long first = archivedBefore;
        long index = -1;
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.direction(TailerDirection.FORWARD).toStart();
            if (record.readFrom(tailer))
            {
                index = record.index();
                first = switch (record.verify())
                {
                    case JournalRecordDecoder.ENTRY -> record.sequence();
                    case JournalRecordDecoder.DISCARD -> record.discardedSequence();
                    case JournalRecordDecoder.OPEN, JournalRecordDecoder.CUT -> record.nextSequence();
                    // A scan reading it reports what is wrong with it.
                    default -> archivedBefore;
                };
            }
        }
        catch (final RuntimeException | AssertionError ex)
        {
            // Chronicle cannot read the first record: a scan reading it reports why.
            return archivedBefore;
        }
        if (first > archivedBefore)
        {
            throw new JournalCorruptedException(index < 0 ? directory : fileOf(queue, index), index, archivedBefore,
                "the journal's first record is at sequence " + first + ", but only the entries before " +
                archivedBefore + " were archived (" + ARCHIVED_BEFORE_FILE + "): journal files are missing at its " +
                "start");
        }
        return first;
    }

    /**
     * Forces a file, or a directory's entries, to stable storage: {@code fdatasync}, or {@code fsync} with
     * {@code metadata}. On Linux this writes back every dirty page of the file, including pages written through
     * any memory mapping of it: {@code msync(MS_SYNC)} is itself implemented as a ranged fsync.
     */
    static void force(final Path path, final boolean metadata)
    {
        final StandardOpenOption mode = Files.isDirectory(path) ? StandardOpenOption.READ : StandardOpenOption.WRITE;
        try (FileChannel channel = FileChannel.open(path, mode))
        {
            channel.force(metadata);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not force " + path + " to stable storage", ex);
        }
    }

    /**
     * @return the file of a cycle, or null if there is none. Worked out from the roll cycle's file name pattern,
     * without asking Chronicle, which would wait on a file that lost its header.
     */
    static Path fileOfCycle(final SingleChronicleQueue queue, final int cycle)
    {
        final RollCycle rollCycle = queue.rollCycle();
        final String name = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC)
            .format(Instant.ofEpochMilli(queue.epoch() + (long)cycle * rollCycle.lengthInMillis())) +
            SingleChronicleQueue.SUFFIX;
        final Path file = queue.file().toPath().resolve(name);
        return Files.exists(file) ? file : null;
    }

    private static SingleChronicleQueueStore store(final SingleChronicleQueue queue, final int cycle)
    {
        return queue.storeForCycle(cycle, queue.epoch(), false, null);
    }
}
