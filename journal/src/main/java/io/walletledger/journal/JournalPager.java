package io.walletledger.journal;

import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes the journal writer's {@code MADV_WILLNEED} calls on a thread of its own, so the kernel's work behind them
 * is not done on the request path.
 * <p>
 * On a file system with read-ahead, {@code MADV_WILLNEED} over a range of the journal's mapping fills the page cache
 * for it: for a new region of the file, it allocates and zeroes every page. That is cheap where zeroing a page is
 * cheap, but it was not on this project's VM once a run had written ~6 GB of journal. The journaler then spent
 * 28 % of a vCPU in those calls ({@code ext4_mpage_readpages} → {@code memset}), about 200 µs per request of 1,000
 * transfers (README, Performance).
 * <p>
 * The writer hands over (address, length) pairs through a bounded single-producer, single-consumer ring and never
 * waits: when the ring is full the request is dropped, since advice is only a hint and the writer's own page faults
 * do the same work. The pager sleeps while it has nothing to do. A range may have been unmapped by the time the
 * pager reaches it (the writer moved to the next block of the file); {@code madvise} then fails with
 * {@code ENOMEM}, which is expected and ignored. Other failures are logged once.
 */
final class JournalPager implements AutoCloseable
{
    /** Requests the ring holds: each covers {@link JournalPageAdvice#STEP} bytes, so 4 MiB, twice the lead. */
    static final int CAPACITY = 64;

    private static final Logger LOG = LoggerFactory.getLogger(JournalPager.class);
    private static final int ENOMEM = 12;
    private static final int MASK = CAPACITY - 1;

    private final PosixAPI posix;
    private final long[] addresses = new long[CAPACITY];
    private final long[] lengths = new long[CAPACITY];
    /** The next request the pager takes. */
    private final AtomicLong head = new AtomicLong();
    /** The next slot the writer fills. */
    private final AtomicLong tail = new AtomicLong();
    private final Thread thread;
    private volatile boolean sleeping;
    private volatile boolean closed;
    private boolean failureLogged;
    private long dropped;

    /**
     * Starts the pager's thread.
     *
     * @param posix the calls' target.
     * @param name  of the pager's thread.
     */
    JournalPager(final PosixAPI posix, final String name)
    {
        this.posix = posix;
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
        final long slot = tail.get();
        if (slot - head.get() == CAPACITY)
        {
            dropped++;
            return false;
        }
        addresses[(int)slot & MASK] = address;
        lengths[(int)slot & MASK] = length;
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

    private void run()
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
            head.set(slot + 1);
            advise(address, length);
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
     * Stops the pager's thread; requests still in the ring are dropped. Waits up to a second for it to end.
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
