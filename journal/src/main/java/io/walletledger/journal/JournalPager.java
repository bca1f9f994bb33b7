package io.walletledger.journal;

import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes the journal writer's {@code MADV_WILLNEED} calls, and in {@link JournalDurability#NONE} the calls that start
 * writing its pages back to disk, on a thread of its own, so the kernel's work behind them is not done on the request
 * path.
 * <p>
 * On a file system with read-ahead, {@code MADV_WILLNEED} over a range of the journal's mapping fills the page cache
 * for it: for a new region of the file, it allocates and zeroes every page. That is cheap where zeroing a page is
 * cheap, but it was not on this project's VM once a run had written ~6 GB of journal. The journaler then spent
 * 28 % of a vCPU in those calls ({@code ext4_mpage_readpages} → {@code memset}), about 200 µs per request of 1,000
 * transfers (docs/performance.md).
 * <p>
 * The writer hands over (address, length) pairs through a bounded single-producer, single-consumer ring and never
 * waits: when the ring is full the request is dropped, since advice is only a hint and the writer's own page faults
 * do the same work. The pager sleeps while it has nothing to do. A range may have been unmapped by the time the
 * pager reaches it (the writer moved to the next block of the file); {@code madvise} then fails with
 * {@code ENOMEM}, which is expected and ignored. Other failures are logged once.
 * <p>
 * Write-back requests name a cycle (a file of the queue) and a range of it. The writer first publishes the cycle's
 * file ({@link #publishFile}); the pager opens it read-only when it reaches the cycle's first request, closes the
 * previous one, and drops requests for a cycle older than the published one. It calls {@code sync_file_range} once
 * per {@link #WRITE_BACK_CALL} bytes (see {@link JournalPageAdvice}).
 */
final class JournalPager implements AutoCloseable
{
    /** Requests the ring holds: each covers {@link JournalPageAdvice#STEP} bytes, so 4 MiB, twice the lead. */
    static final int CAPACITY = 64;
    /** The most one {@code sync_file_range} call asks the kernel to start writing. */
    static final long WRITE_BACK_CALL = 256L * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(JournalPager.class);
    private static final int ENOMEM = 12;
    private static final int MASK = CAPACITY - 1;

    /** The cycle of an advice request. */
    private static final int NO_CYCLE = Integer.MIN_VALUE;

    private final PosixAPI posix;
    private final FileCalls files;
    /** Per request: the address (advice) or the file position (write-back) of its range. */
    private final long[] addresses = new long[CAPACITY];
    private final long[] lengths = new long[CAPACITY];
    /** Per request: {@link #NO_CYCLE} for advice, else the cycle of the file to write back. */
    private final int[] cycles = new int[CAPACITY];
    /** The next request the pager takes. */
    private final AtomicLong head = new AtomicLong();
    /** The next slot the writer fills. */
    private final AtomicLong tail = new AtomicLong();
    private final Thread thread;
    private volatile boolean sleeping;
    private volatile boolean closed;
    /** The file write-back requests are for, as the writer last published it. */
    private volatile CycleFile published;
    private boolean failureLogged;
    private long dropped;
    // The pager's own: the file it holds open for write-back.
    private int openCycle = NO_CYCLE;
    private int openFd = -1;
    private boolean writeBackFailureLogged;
    private volatile long writeBackCalls;

    /** A cycle's file, as the writer publishes it. */
    private record CycleFile(int cycle, String path)
    {
    }

    /**
     * Starts the pager's thread, for advice only.
     *
     * @param posix the calls' target.
     * @param name  of the pager's thread.
     */
    JournalPager(final PosixAPI posix, final String name)
    {
        this(posix, null, name);
    }

    /**
     * Starts the pager's thread.
     *
     * @param posix the advice calls' target.
     * @param files the write-back calls' target; null if no write-back is asked for.
     * @param name  of the pager's thread.
     */
    JournalPager(final PosixAPI posix, final FileCalls files, final String name)
    {
        this.posix = posix;
        this.files = files;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Asks for {@code MADV_WILLNEED} over {@code length} bytes from {@code address}. Call from one thread only, the
     * writer's; it never blocks.
     *
     * @return false if the ring was full and the request was dropped.
     */
    boolean submit(final long address, final long length)
    {
        return offer(NO_CYCLE, address, length);
    }

    /**
     * Names the file of a cycle, before the first {@link #submitWriteBack} for it. Call from the writer's thread.
     */
    void publishFile(final int cycle, final String path)
    {
        published = new CycleFile(cycle, path);
    }

    /**
     * Asks for the write-back of {@code length} bytes from file position {@code position} of the cycle's file, as
     * last published. Call from the writer's thread; it never blocks.
     *
     * @return false if the ring was full and the request was dropped.
     */
    boolean submitWriteBack(final int cycle, final long position, final long length)
    {
        if (cycle == NO_CYCLE || files == null)
        {
            throw new IllegalArgumentException("no write-back for cycle " + cycle + " with calls " + files);
        }
        return offer(cycle, position, length);
    }

    private boolean offer(final int cycle, final long address, final long length)
    {
        final long slot = tail.get();
        if (slot - head.get() == CAPACITY)
        {
            dropped++;
            return false;
        }
        addresses[(int)slot & MASK] = address;
        lengths[(int)slot & MASK] = length;
        cycles[(int)slot & MASK] = cycle;
        // A volatile store, then a volatile load of sleeping: with the pager's store of sleeping before its own
        // re-check of tail, one of the two sees the other, so a request is never left behind a sleeping pager.
        tail.set(slot + 1);
        if (sleeping)
        {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /**
     * @return requests dropped because the ring was full; read on the writer's thread.
     */
    long dropped()
    {
        return dropped;
    }

    /**
     * @return {@code sync_file_range} calls made so far that succeeded.
     */
    long writeBackCalls()
    {
        return writeBackCalls;
    }

    private void run()
    {
        try
        {
            work();
        }
        finally
        {
            closeOpenFile();
        }
    }

    private void work()
    {
        while (!closed)
        {
            final long slot = head.get();
            if (slot == tail.get())
            {
                sleeping = true;
                if (slot == tail.get() && !closed)
                {
                    LockSupport.park(this);
                }
                sleeping = false;
                continue;
            }
            final long address = addresses[(int)slot & MASK];
            final long length = lengths[(int)slot & MASK];
            final int cycle = cycles[(int)slot & MASK];
            head.set(slot + 1);
            if (cycle == NO_CYCLE)
            {
                advise(address, length);
            }
            else
            {
                writeBack(cycle, address, length);
            }
        }
    }

    private void writeBack(final int cycle, final long position, final long length)
    {
        if (cycle != openCycle && !open(cycle))
        {
            return;
        }
        long from = position;
        final long end = position + length;
        while (from < end && !closed)
        {
            final long to = Math.min(end, from + WRITE_BACK_CALL);
            if (files.startWriteBack(openFd, from, to - from) != 0)
            {
                writeBackFailed("sync_file_range", files.lastError());
                return;
            }
            writeBackCalls++;
            from = to;
        }
    }

    /**
     * Opens the published file if it is the cycle's. A request for another cycle is stale (the writer has moved on
     * to a newer file) and is dropped, which leaves its pages to the kernel's flusher.
     */
    private boolean open(final int cycle)
    {
        final CycleFile file = published;
        if (file == null || file.cycle() != cycle)
        {
            return false;
        }
        closeOpenFile();
        final int fd = files.openReadOnly(file.path());
        if (fd < 0)
        {
            writeBackFailed("open " + file.path(), files.lastError());
            return false;
        }
        openFd = fd;
        openCycle = cycle;
        return true;
    }

    private void closeOpenFile()
    {
        if (openFd >= 0)
        {
            files.close(openFd);
            openFd = -1;
            openCycle = NO_CYCLE;
        }
    }

    private void writeBackFailed(final String call, final int errno)
    {
        if (!writeBackFailureLogged)
        {
            writeBackFailureLogged = true;
            LOG.warn("{} for the journal's write-back failed (errno {}); the journal works on, and the kernel's " +
                "flusher writes its pages", call, errno);
        }
    }

    private void advise(final long address, final long length)
    {
        try
        {
            if (posix.madvise(address, length, MAdviseFlag.MADV_WILLNEED) == 0)
            {
                return;
            }
            final int error = posix.lastError();
            if (error != ENOMEM && !failureLogged)
            {
                failureLogged = true;
                LOG.warn("madvise(MADV_WILLNEED) of the journal's mapping failed ({}); the journal works on, and " +
                    "its writer takes the page faults itself", posix.strerror(error));
            }
        }
        catch (final RuntimeException | LinkageError ex)
        {
            if (!failureLogged)
            {
                failureLogged = true;
                LOG.warn("madvise(MADV_WILLNEED) of the journal's mapping failed; the journal works on", ex);
            }
        }
    }

    /**
     * Stops the pager's thread; requests still in the ring are dropped, and the file held open for write-back is
     * closed. Waits up to a second for it to end.
     */
    @Override
    public void close()
    {
        closed = true;
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(1));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
