package io.walletledger.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Drops a torn tail written with {@link JournalDurability#BATCH} ({@link JournalTail} decides that it may), the one
 * way that is sound with Chronicle Queue, which cannot cut a file and whose file header, index and directory listing
 * may all claim documents of the dropped tail:
 *
 * <pre>
 *   journal/20261207-14F.cq4   kept records | dropped tail (zeros, stale pages, bad records)     hour of the cut
 *   journal/20261207-15F.cq4   dropped tail                                                    later hours
 *
 *   1. later hours:     renamed 20261207-15F.cq4.dropped     Chronicle lists only *.cq4
 *   2. hour of the cut: its kept records are copied, through Chronicle, into a new file of the same hour in
 *                       journal/.tail-rebuild/, followed by a cut record; the copy is forced
 *   3. the file as found is kept under a second name (a hard link): 20261207-14F.cq4.torn
 *   4. the copy replaces 20261207-14F.cq4 in one atomic rename; the directory is forced
 * </pre>
 *
 * Chronicle writes the new file's header, index and write position itself, so nothing of the old file's metadata
 * survives, and every kept record keeps its Chronicle index. A crash at any step leaves either the old file or the
 * new one under the queue's name, and the next start finds the tail again, or finds it cut. The cost is a copy of
 * the kept part of one hourly file, paid only after a power loss.
 */
final class JournalTailCut
{
    static final String REBUILD_DIRECTORY = ".tail-rebuild";
    static final String ORIGINAL_SUFFIX = ".torn";
    static final String SET_ASIDE_SUFFIX = ".dropped";

    private JournalTailCut()
    {
    }

    /**
     * @param directory the journal, closed: no queue of this process may have its files mapped.
     * @param scan      that found a torn tail written with {@link JournalDurability#BATCH}.
     * @param time      the writer's clock, for the queues opened here.
     * @return what was dropped.
     */
    static JournalTailDrop cut(final Path directory, final JournalTailScan scan, final TimeProvider time)
    {
        final Path rebuildDirectory = directory.resolve(REBUILD_DIRECTORY);
        deleteTree(rebuildDirectory);
        final long firstIndex = scan.tornIndex();
        final int cycle;
        final List<Path> later = new ArrayList<>();
        try (SingleChronicleQueue queue = JournalQueue.openForInspection(directory, time))
        {
            cycle = queue.rollCycle().toCycle(firstIndex);
            for (final int laterCycle : JournalQueue.cyclesAfter(queue, cycle))
            {
                final Path file = JournalQueue.fileOfCycle(queue, laterCycle);
                if (file != null)
                {
                    later.add(file);
                }
            }
        }
        final List<Path> setAside = new ArrayList<>();
        for (final Path file : later)
        {
            setAside.add(moveAside(file));
        }
        final Path rebuilt = rebuild(directory, rebuildDirectory, cycle, firstIndex, scan, time);
        final Path target = directory.resolve(rebuilt.getFileName());
        final Path original = keepOriginal(target);
        move(rebuilt, target);
        JournalQueue.force(directory, true);
        deleteTree(rebuildDirectory);
        return new JournalTailDrop(scan.lastSequence() + 1, firstIndex, scan.lastReadIndex(), firstIndex,
            scan.droppedDocuments(), scan.corruptDocuments(), scan.tornProblem(), scan.claims(), target, original,
            List.copyOf(setAside));
    }

    /**
     * Writes the records of the cut's hour that come before the torn tail, then the cut record, into a new queue
     * whose clock stands at the start of that hour.
     *
     * @return the new file, forced.
     */
    private static Path rebuild(
        final Path directory, final Path rebuildDirectory, final int cycle, final long firstIndex,
        final JournalTailScan scan, final TimeProvider time)
    {
        final Path file;
        try (SingleChronicleQueue damaged = JournalQueue.openForInspection(directory, time);
            SingleChronicleQueue fresh = JournalQueue.open(rebuildDirectory, clockAt(damaged.rollCycle(), cycle));
            ExcerptAppender appender = fresh.createAppender();
            ExcerptTailer tailer = damaged.createTailer())
        {
            copyKept(damaged.rollCycle().toIndex(cycle, 0), firstIndex, tailer, appender);
            final byte[] cut = JournalRecordEncoder.cut(scan.lastSequence() + 1, firstIndex, scan.droppedDocuments());
            try (DocumentContext context = appender.writingDocument())
            {
                context.wire().bytes().write(cut, 0, cut.length);
            }
            if (appender.lastIndexAppended() != firstIndex)
            {
                throw new IllegalStateException("the rebuilt journal file gave the cut record index 0x" +
                    Long.toHexString(appender.lastIndexAppended()) + ", not 0x" + Long.toHexString(firstIndex));
            }
            file = appender.currentFile().toPath();
        }
        JournalQueue.force(file, false);
        return file;
    }

    /**
     * Copies, byte for byte, the documents with indexes from {@code from} up to {@code end}, exclusive: all of them
     * were read when the tail was found, or are older than the record the scan started from.
     */
    private static void copyKept(
        final long from, final long end, final ExcerptTailer tailer, final ExcerptAppender appender)
    {
        if (end == from)
        {
            return;
        }
        tailer.direction(TailerDirection.FORWARD);
        if (!tailer.moveToIndex(from))
        {
            throw new JournalCorruptedException(null, from, 0, "Chronicle cannot find the first record of the " +
                "file that holds the start of the torn tail, which it read a moment ago");
        }
        for (long index = from; index < end; index++)
        {
            try (DocumentContext source = tailer.readingDocument())
            {
                if (!source.isPresent() || source.index() != index)
                {
                    throw new JournalCorruptedException(null, index, 0, "Chronicle no longer reads the record at " +
                        "this index, which it read a moment ago");
                }
                final Bytes<?> bytes = source.wire().bytes();
                try (DocumentContext target = appender.writingDocument())
                {
                    target.wire().bytes().write(bytes, bytes.readPosition(), bytes.readRemaining());
                }
            }
        }
    }

    private static TimeProvider clockAt(final RollCycle rollCycle, final int cycle)
    {
        return new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos((long)cycle * rollCycle.lengthInMillis()));
    }

    /**
     * Keeps the file as found under a second name, so the evidence outlives the rename that replaces it.
     *
     * @return the second name, or null if there was no file.
     */
    private static Path keepOriginal(final Path file)
    {
        if (!Files.exists(file))
        {
            return null;
        }
        final Path kept = freeName(file, ORIGINAL_SUFFIX);
        try
        {
            Files.createLink(kept, file);
        }
        catch (final UnsupportedOperationException | FileSystemException ex)
        {
            // No hard links here: a copy, before the original is replaced.
            copy(file, kept);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not keep " + file + " as " + kept, ex);
        }
        return kept;
    }

    private static Path moveAside(final Path file)
    {
        final Path aside = freeName(file, SET_ASIDE_SUFFIX);
        move(file, aside);
        return aside;
    }

    private static Path freeName(final Path file, final String suffix)
    {
        Path name = file.resolveSibling(file.getFileName() + suffix);
        for (int n = 1; Files.exists(name); n++)
        {
            name = file.resolveSibling(file.getFileName() + suffix + "." + n);
        }
        return name;
    }

    private static void move(final Path from, final Path to)
    {
        try
        {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not rename " + from + " to " + to, ex);
        }
    }

    private static void copy(final Path from, final Path to)
    {
        try
        {
            Files.copy(from, to);
            JournalQueue.force(to, false);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not copy " + from + " to " + to, ex);
        }
    }

    private static void deleteTree(final Path directory)
    {
        if (!Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not delete " + directory, ex);
        }
    }
}
