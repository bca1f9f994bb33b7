package io.walletledger.journal;

import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.queue.impl.single.TableStoreWriteLock;
import net.openhft.chronicle.threads.BusyTimedPauser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.NavigableSet;

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

    private JournalQueue()
    {
    }

    static SingleChronicleQueue open(final Path directory, final TimeProvider time)
    {
        return SingleChronicleQueueBuilder.binary(directory)
            .rollCycle(RollCycles.FAST_HOURLY)
            .blockSize(BLOCK_SIZE)
            .syncMode(SyncMode.NONE)
            .timeProvider(time)
            .build();
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
                "it. Appending now would write where no reader finds it. TornTailPolicy.TRUNCATE cannot repair " +
                "this: restore the journal from a replica or backup");
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
        final int firstCycle = queue.firstCycle();
        final int lastCycle = queue.lastCycle();
        if (firstCycle == Integer.MAX_VALUE || lastCycle <= cycle)
        {
            return;
        }
        final int from = cycle == Integer.MIN_VALUE ? firstCycle : cycle + 1;
        final NavigableSet<Long> cycles = queue.listCyclesBetween(from, lastCycle);
        for (final Long later : cycles)
        {
            final int laterCycle = later.intValue();
            checkWritePosition(queue, laterCycle, -1, writePosition(queue, laterCycle), lastIndex, expectedSequence);
        }
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

    private static Path fileOfCycle(final SingleChronicleQueue queue, final int cycle)
    {
        final SingleChronicleQueueStore store = store(queue, cycle);
        if (store == null)
        {
            return null;
        }
        try
        {
            return store.file().toPath();
        }
        finally
        {
            queue.closeStore(store);
        }
    }

    private static SingleChronicleQueueStore store(final SingleChronicleQueue queue, final int cycle)
    {
        return queue.storeForCycle(cycle, queue.epoch(), false, null);
    }
}
