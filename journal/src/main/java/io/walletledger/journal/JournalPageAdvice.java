package io.walletledger.journal;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.util.function.Supplier;

/**
 * Tells the kernel how the journal writer uses its memory-mapped file, so that storing into a page the page cache
 * does not hold yet never stalls the writer for long.
 * <p>
 * Chronicle Queue writes through a shared mapping of a sparse file. A store to a page the page cache lacks faults,
 * and the kernel serves the fault like a read of the file, with read-around: on a disk whose read-ahead window is
 * large (8 MiB on this project's VM, {@code /sys/block/<dev>/queue/read_ahead_kb}) one fault allocates and zeroes
 * 8 MiB of pages before the store completes. Measured there at 900,000 transfers/s, open loop: the journaler spent
 * 21 % of a core in such faults, in stalls of several milliseconds that every request behind them waited out, and
 * the load generator's p99 was 23 ms (2.5 ms with the journal on tmpfs, where faults are cheap).
 * <p>
 * Two pieces of advice on the writer's mapping:
 * <ul>
 *   <li>{@code MADV_RANDOM} on each mapped block as the writer enters it: a fault then brings in its own page, not
 *       a read-ahead window. Alone this moved p99 from 23 ms to 5 ms, and p50 up by 0.2 ms (a fault per page).</li>
 *   <li>{@code MADV_WILLNEED} on the next {@link #STEP} bytes once the writer is within {@link #LEAD} of them: the
 *       kernel fills that range into the page cache in one call, a bounded piece of work (zeroing 64 KiB of pages
 *       of a new file, or starting the reads of an existing one), so the writer's own stores find their pages and
 *       fault only to map them. With both, p99 was 2.6–3.4 ms and p50 back at 0.53 ms. These calls run on a
 *       {@link JournalPager}'s thread (the writer only hands the ranges over), since zeroing the pages of a new
 *       region is work too: on this project's VM, once a run had written ~6 GB of journal, 28 % of a vCPU.</li>
 * </ul>
 * In {@link JournalDurability#NONE}, unless told not to, the pager also starts writing the journal to disk itself,
 * {@link #WRITE_BACK_LAG} behind the writer, with {@code sync_file_range(SYNC_FILE_RANGE_WRITE)} once per
 * {@link JournalPager#WRITE_BACK_CALL} bytes. Left to the kernel, the dirty journal is written by its flusher: every 5 s
 * ({@code vm.dirty_writeback_centisecs}) once it is 30 s old, ~700 MB at a time at 1,450,000 transfers/s, pages
 * still mapped included. On a {@code PREEMPT_NONE} kernel the flusher held its CPU for up to ~4.5 ms at a time
 * ({@code perf sched}: the task most often on the CPU when a real-time request thread waited over 1 ms), and the open
 * loop's slow seconds came every 5 s. Asked for in small pieces, by a thread that returns to user space between
 * them, and only for pages neither the writer nor the follower maps any more, the same writing did not show: three
 * alternating pairs of 60 s runs at 1,450,000/s with real-time priority gave p99 0.65, 0.77 and 0.74 ms against
 * 2.75, 2.36 and 2.75 ms (docs/performance.md). Writing back pages that are still mapped costs a TLB flush each and a
 * fault when the writer stores to them again: 1 MiB behind the writer, p50 doubled.
 * <p>
 * Advice changes only what the kernel caches and when, never what the file holds. Where the operating system has no
 * {@code madvise} (Chronicle's POSIX layer falls back to doing nothing) nothing changes. A refused call on the
 * writer's thread is logged once and advice stops for this journal; the pager logs its first refusal and goes on.
 */
final class JournalPageAdvice implements AutoCloseable
{
    /** How far ahead of the writer pages are asked for. */
    static final long LEAD = 2L * 1024 * 1024;
    /**
     * How much is asked for at once: one call per this many bytes written. The kernel does not preempt the call
     * (a {@code PREEMPT_NONE} kernel), and on this project's VM zeroing 256 KiB in one took up to ~0.8 ms, during
     * which a real-time thread woken on the pager's CPU waited. With 64 KiB, two alternating pairs of 60 s runs at
     * 1,450,000/s with real-time priority gave p99 1.96 and 2.47 ms against 3.04 and 2.56 ms, and p99.9 6.4 and
     * 7.9 ms against 43 and 45 ms: within this VM's spread from run to run, but both pairs lean the same way.
     */
    static final long STEP = 64L * 1024;
    /**
     * How far behind the writer write-back stays: two blocks, past the writer's block and the one before it, which
     * the journal's follower may still map. Writing back a page that is still mapped write-protects it in every
     * mapping, at a TLB flush each, and the writer faults again on the next store to it. At 1,450,000/s with real-time
     * priority, one to three 60 s runs each: 16 MiB behind gave p50 0.53 ms and p99 1.3 ms; 96, 128 and 384 MiB
     * behind gave p50 0.40–0.46 ms and p99 0.65–0.77 ms.
     */
    static final long WRITE_BACK_LAG = 2 * JournalQueue.BLOCK_SIZE;

    private static final Logger LOG = LoggerFactory.getLogger(JournalPageAdvice.class);
    private static final long PAGE_MASK = ~(4096L - 1);

    private final PosixAPI posix;
    private final boolean pagerWanted;
    /** The write-back's calls, and the file the writer is in; both null if no write-back is wanted. */
    private final FileCalls files;
    private final Supplier<File> currentFile;
    private final long writeBackLag;
    /** Makes the MADV_WILLNEED calls off the writer's thread; started by the first one, if wanted. */
    private JournalPager pager;
    private MappedBytesStore block;
    private int cycle = Integer.MIN_VALUE;
    /** File position up to which pages were asked for, in the file of {@link #cycle}. */
    private long requestedUpTo;
    private boolean failed;
    private int writeBackCycle = Integer.MIN_VALUE;
    /** File position up to which write-back was asked for, in the file of {@link #writeBackCycle}. */
    private long writeBackUpTo;

    /**
     * @param posix the calls' target; null for no advice.
     */
    JournalPageAdvice(final PosixAPI posix)
    {
        this(posix, false);
    }

    /**
     * @param posix       the calls' target; null for no advice.
     * @param pagerWanted whether {@code MADV_WILLNEED} is called on a {@link JournalPager}'s thread rather than on
     *                    the writer's.
     */
    JournalPageAdvice(final PosixAPI posix, final boolean pagerWanted)
    {
        this(posix, pagerWanted, null, null, WRITE_BACK_LAG);
    }

    /**
     * @param posix       the advice calls' target; null for no advice.
     * @param pagerWanted whether {@code MADV_WILLNEED} is called on a {@link JournalPager}'s thread rather than on
     *                    the writer's.
     * @param files       the write-back calls' target; null for no write-back.
     * @param currentFile  the file the writer is in, asked for when {@link #wrote} names a new cycle; null for no
     *                     write-back.
     * @param writeBackLag how far behind the writer's position write-back stays, {@link #WRITE_BACK_LAG} but in
     *                     tests.
     */
    JournalPageAdvice(
        final PosixAPI posix,
        final boolean pagerWanted,
        final FileCalls files,
        final Supplier<File> currentFile,
        final long writeBackLag)
    {
        this.posix = posix;
        this.pagerWanted = pagerWanted;
        this.failed = posix == null;
        this.files = currentFile == null ? null : files;
        this.currentFile = files == null ? null : currentFile;
        this.writeBackLag = writeBackLag;
    }

    /**
     * @param currentFile the file the writer is in, for write-back as it goes; null for none (the journal forces
     *                    its file itself).
     * @return advice through Chronicle's POSIX layer, and write-back through the C library's
     *         {@code sync_file_range}, each doing nothing where it cannot load.
     */
    static JournalPageAdvice create(final Supplier<File> currentFile)
    {
        PosixAPI posix = null;
        try
        {
            posix = PosixAPI.posix();
        }
        catch (final RuntimeException | LinkageError ex)
        {
            LOG.warn("no POSIX layer for madvise; the journal works on, and its writer may stall on page faults " +
                "where read-ahead is large", ex);
        }
        return new JournalPageAdvice(
            posix, true, currentFile == null ? null : FileCalls.linux(), currentFile, WRITE_BACK_LAG);
    }

    /**
     * Call after each append, with the cycle (file) and the store the append wrote into, and the file position after
     * it.
     */
    void wrote(final int cycle, final BytesStore<?, ?> store, final long position)
    {
        if (currentFile != null)
        {
            writeBack(cycle, position);
        }
        if (failed || !(store instanceof MappedBytesStore))
        {
            return;
        }
        final MappedBytesStore mapped = (MappedBytesStore)store;
        // realCapacity() is the end of the block's mapping as a file position; start() its first.
        final long blockStart = mapped.start();
        final long blockEnd = mapped.realCapacity();
        if (mapped != block)
        {
            block = mapped;
            if (!advise(mapped, blockStart, blockEnd - blockStart, MAdviseFlag.MADV_RANDOM))
            {
                return;
            }
        }
        if (cycle != this.cycle)
        {
            // A new block of the same file goes on where the last left off (blocks overlap); a new file starts at
            // the writer's position.
            this.cycle = cycle;
            requestedUpTo = position & PAGE_MASK;
        }
        final long from = Math.max(requestedUpTo, position & PAGE_MASK);
        final long to = Math.min((position + LEAD) & PAGE_MASK, blockEnd);
        if (to - from >= STEP || (to == blockEnd && to > from))
        {
            if (pagerWanted)
            {
                // Dropped when the pager is behind: the writer's own faults then bring the pages in.
                pager().submit(mapped.addressForRead(from), to - from);
                requestedUpTo = to;
            }
            else if (advise(mapped, from, to - from, MAdviseFlag.MADV_WILLNEED))
            {
                requestedUpTo = to;
            }
        }
    }

    private void writeBack(final int cycle, final long position)
    {
        if (cycle != writeBackCycle)
        {
            // A new file, or the first append: what the file held before the writer's position is the kernel's.
            writeBackCycle = cycle;
            writeBackUpTo = position & PAGE_MASK;
            pager().publishFile(cycle, currentFile.get().getPath());
        }
        final long upTo = (position - writeBackLag) & PAGE_MASK;
        if (upTo - writeBackUpTo >= JournalPager.WRITE_BACK_CALL)
        {
            // Dropped when the pager is behind: the kernel's flusher then writes that range.
            pager().submitWriteBack(cycle, writeBackUpTo, upTo - writeBackUpTo);
            writeBackUpTo = upTo;
        }
    }

    /**
     * @return the file position up to which write-back was asked for, in the writer's current file; for tests.
     */
    long writeBackRequestedUpTo()
    {
        return writeBackUpTo;
    }

    /**
     * @return {@code sync_file_range} calls the pager made so far that succeeded.
     */
    long writeBackCalls()
    {
        return pager == null ? 0 : pager.writeBackCalls();
    }

    private JournalPager pager()
    {
        if (pager == null)
        {
            pager = new JournalPager(posix, files, "wallet-journal-pager");
        }
        return pager;
    }

    /**
     * Stops the pager's thread, if one was started. Call from the writer's thread, or after it has stopped.
     */
    @Override
    public void close()
    {
        if (pager != null)
        {
            pager.close();
            pager = null;
        }
    }

    private boolean advise(final MappedBytesStore store, final long position, final long length, final MAdviseFlag flag)
    {
        String problem;
        try
        {
            if (posix.madvise(store.addressForRead(position), length, flag) == 0)
            {
                return true;
            }
            problem = posix.lastErrorStr();
        }
        catch (final RuntimeException | LinkageError ex)
        {
            // Advice must never fail an append: whatever the native layer throws ends the advice, not the journal.
            problem = ex.toString();
        }
        failed = true;
        LOG.warn("madvise({}) of the journal's mapping failed ({}); the journal works on, and its writer may stall " +
            "on page faults where read-ahead is large", flag, problem);
        return false;
    }
}
