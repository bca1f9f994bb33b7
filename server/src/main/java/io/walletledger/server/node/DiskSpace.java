package io.walletledger.server.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the free space of the file system that holds the journal, so that the journal never meets a full disk:
 * Chronicle writes through memory-mapped files, and a write to a mapped page the file system cannot back kills the
 * process (SIGBUS) instead of failing. A thread reads the usable space every {@link #POLL_NANOS}; between two reads
 * the journaler counts what it appended since, so a burst cannot outrun the poll. Below the minimum, requests that
 * change the ledger are refused {@code DISK_FULL} before anything of them is written; lookups go on, and requests
 * are taken again as soon as a read finds the space back.
 */
final class DiskSpace implements AutoCloseable
{
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private static final Logger LOG = LoggerFactory.getLogger(DiskSpace.class);

    /** What one read of the file system found, and how many bytes the journaler had appended by then. */
    private record Reading(long usable, long appendedAt)
    {
    }

    private final FileStore store;
    private final Path directory;
    private final long minFree;
    private final PipelineState state;
    private final Thread thread;
    private volatile Reading reading;
    private volatile boolean running = true;
    private boolean low;

    /**
     * Reads the free space once, then starts the thread that reads it again every {@link #POLL_NANOS}.
     */
    DiskSpace(final Path directory, final long minFree, final PipelineState state)
    {
        try
        {
            this.store = Files.getFileStore(directory);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot find the file system of " + directory, ex);
        }
        this.directory = directory;
        this.minFree = minFree;
        this.state = state;
        poll();
        this.thread = new Thread(this::run, "wallet-disk-space");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * @param appended the bytes the journaler has appended so far, with those it is about to append.
     * @return whether the free space, less what was appended since the last read, is below the minimum.
     */
    boolean isLow(final long appended)
    {
        final Reading last = reading;
        return last.usable - (appended - last.appendedAt) < minFree;
    }

    /**
     * @return whether the last read found the free space below the minimum, for work off the request path (snapshots).
     */
    boolean isLow()
    {
        return isLow(state.metrics.journalBytes());
    }

    private void run()
    {
        while (running)
        {
            LockSupport.parkNanos(POLL_NANOS);
            poll();
        }
    }

    private void poll()
    {
        final long appended = state.metrics.journalBytes();
        try
        {
            final long usable = store.getUsableSpace();
            reading = new Reading(usable, appended);
            state.metrics.diskFree(usable);
            final boolean nowLow = usable < minFree;
            if (nowLow != low)
            {
                low = nowLow;
                if (nowLow)
                {
                    LOG.error("{} has {} MiB free, below wallet.disk.min-free ({} MiB): requests that change the " +
                        "ledger are refused DISK_FULL until space is freed", directory, usable >> 20, minFree >> 20);
                }
                else
                {
                    LOG.warn("{} has {} MiB free again: taking requests that change the ledger", directory,
                        usable >> 20);
                }
            }
        }
        catch (final IOException ex)
        {
            // Unknown is treated as full: nothing is written on a file system that cannot say how much room it has.
            reading = new Reading(0, appended);
            LOG.error("cannot read the free space of {}: refusing requests that change the ledger", directory, ex);
        }
    }

    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
    }
}
