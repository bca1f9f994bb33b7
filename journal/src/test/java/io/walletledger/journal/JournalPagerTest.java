package io.walletledger.journal;

import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalPagerTest
{
    /** One madvise call and the thread that made it. */
    private record Call(long address, long length, MAdviseFlag flag, String thread)
    {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    /**
     * Records each call; the first waits for {@code release}, so a test can fill the ring behind it.
     */
    private PosixAPI recordingPosix(final CountDownLatch release, final int result, final int errno)
    {
        return (PosixAPI)Proxy.newProxyInstance(PosixAPI.class.getClassLoader(), new Class<?>[] {PosixAPI.class},
            (proxy, method, args) ->
            {
                switch (method.getName())
                {
                    case "madvise":
                        calls.add(new Call((long)args[0], (long)args[1], (MAdviseFlag)args[2],
                            Thread.currentThread().getName()));
                        release.await(10, TimeUnit.SECONDS);
                        return result;
                    case "lastError":
                        return errno;
                    case "strerror":
                        return "error " + args[0];
                    default:
                        throw new UnsupportedOperationException(method.getName());
                }
            });
    }

    @Test
    void everyRequestIsAdvisedInOrderOnThePagersThread() throws Exception
    {
        try (JournalPager pager = new JournalPager(recordingPosix(new CountDownLatch(0), 0, 0), "pager-test"))
        {
            for (int round = 0; round < 3; round++)
            {
                // Rounds apart in time: the pager sleeps in between, and each submit must wake it.
                for (int i = 0; i < 10; i++)
                {
                    assertTrue(pager.submit(4096L * (round * 10 + i), 4096));
                }
                awaitCalls(10 * (round + 1));
                Thread.sleep(20);
            }
            for (int i = 0; i < 30; i++)
            {
                assertEquals(new Call(4096L * i, 4096, MAdviseFlag.MADV_WILLNEED, "pager-test"), calls.get(i));
            }
            assertEquals(0, pager.dropped());
        }
    }

    @Test
    void aFullRingDropsRequestsInsteadOfWaiting() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final int accepted;
        try (JournalPager pager = new JournalPager(recordingPosix(release, 0, 0), "pager-test"))
        {
            assertTrue(pager.submit(0, 4096));
            awaitCalls(1); // the pager holds the first request: the ring behind it is empty
            int taken = 0;
            for (int i = 1; i <= JournalPager.CAPACITY + 10; i++)
            {
                if (pager.submit(4096L * i, 4096))
                {
                    taken++;
                }
            }
            assertEquals(JournalPager.CAPACITY, taken, "the ring holds CAPACITY requests");
            assertEquals(10, pager.dropped());
            accepted = taken + 1;
            release.countDown();
            awaitCalls(accepted);
        }
        assertEquals(accepted, calls.size(), "nothing dropped was advised");
    }

    @Test
    void aFailedCallIsNotRetriedAndThePagerGoesOn() throws Exception
    {
        // ENOMEM: the range was unmapped since it was asked for.
        try (JournalPager pager = new JournalPager(recordingPosix(new CountDownLatch(0), -1, 12), "pager-test"))
        {
            assertTrue(pager.submit(0, 4096));
            assertTrue(pager.submit(8192, 4096));
            awaitCalls(2);
        }
        assertEquals(2, calls.size());
    }

    @Test
    void closeEndsThePagersThread() throws Exception
    {
        final JournalPager pager = new JournalPager(recordingPosix(new CountDownLatch(0), 0, 0), "pager-close-test");
        pager.submit(0, 4096);
        awaitCalls(1);
        pager.close();
        assertFalse(Thread.getAllStackTraces().keySet().stream()
            .anyMatch((thread) -> thread.getName().equals("pager-close-test")), "the thread ended");
    }

    private void awaitCalls(final int count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (calls.size() < count && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(count, calls.size(), "calls made");
    }
}
