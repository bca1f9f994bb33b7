package io.walletledger.journal;

import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    /** One write-back call, in the order made: "open path", "write fd from length", or "close fd". */
    private final List<String> fileCalls = new CopyOnWriteArrayList<>();

    /**
     * Records each call; files get descriptors 100, 101, ...; {@code startWriteBack} fails with {@code failWrite}.
     */
    private FileCalls recordingFiles(final boolean failWrite)
    {
        return new FileCalls()
        {
            private int nextFd = 100;

            @Override
            public int openReadOnly(final String path)
            {
                fileCalls.add("open " + path + " on " + Thread.currentThread().getName());
                return nextFd++;
            }

            @Override
            public int startWriteBack(final int fd, final long offset, final long length)
            {
                fileCalls.add("write " + fd + " " + offset + " " + length);
                return failWrite ? -1 : 0;
            }

            @Override
            public int close(final int fd)
            {
                fileCalls.add("close " + fd);
                return 0;
            }

            @Override
            public int lastError()
            {
                return 5; // EIO
            }
        };
    }

    @Test
    void writeBackGoesToThePublishedFileInCallsOfAtMost256KiB() throws Exception
    {
        final long call = JournalPager.WRITE_BACK_CALL;
        final JournalPager pager = new JournalPager(null, recordingFiles(false), "pager-test");
        try (pager)
        {
            pager.publishFile(7, "/journal/a.cq4");
            assertTrue(pager.submitWriteBack(7, 4096, 2 * call + 8192));
            assertTrue(pager.submitWriteBack(7, 4096 + 2 * call + 8192, 4096));
            awaitFileCalls(5);
            // The writer moves to the next file: the pager closes the last one and opens the new one.
            pager.publishFile(8, "/journal/b.cq4");
            assertTrue(pager.submitWriteBack(8, 0, 4096));
            awaitFileCalls(8);
            assertEquals(5, pager.writeBackCalls());
        }
        assertEquals(List.of(
            "open /journal/a.cq4 on pager-test",
            "write 100 4096 " + call,
            "write 100 " + (4096 + call) + " " + call,
            "write 100 " + (4096 + 2 * call) + " 8192",
            "write 100 " + (4096 + 2 * call + 8192) + " 4096",
            "close 100",
            "open /journal/b.cq4 on pager-test",
            "write 101 0 4096",
            "close 101"), fileCalls, "and close() closes the file held open");
    }

    @Test
    void aRequestForAnOlderFileThanThePublishedOneIsDropped() throws Exception
    {
        try (JournalPager pager = new JournalPager(null, recordingFiles(false), "pager-test"))
        {
            pager.publishFile(8, "/journal/b.cq4");
            assertTrue(pager.submitWriteBack(7, 0, 4096));
            assertTrue(pager.submitWriteBack(8, 0, 4096));
            awaitFileCalls(2);
        }
        assertEquals(List.of("open /journal/b.cq4 on pager-test", "write 100 0 4096", "close 100"), fileCalls);
    }

    @Test
    void aFailedWriteBackEndsItsRequestAndThePagerGoesOn() throws Exception
    {
        try (JournalPager pager = new JournalPager(null, recordingFiles(true), "pager-test"))
        {
            pager.publishFile(1, "/journal/a.cq4");
            assertTrue(pager.submitWriteBack(1, 0, 3 * JournalPager.WRITE_BACK_CALL));
            assertTrue(pager.submitWriteBack(1, 3 * JournalPager.WRITE_BACK_CALL, 4096));
            awaitFileCalls(3);
            assertEquals(0, pager.writeBackCalls());
        }
        assertEquals(List.of("open /journal/a.cq4 on pager-test", "write 100 0 " + JournalPager.WRITE_BACK_CALL,
            "write 100 " + 3 * JournalPager.WRITE_BACK_CALL + " 4096", "close 100"), fileCalls);
    }

    @Test
    void withoutFileCallsThereIsNoWriteBack()
    {
        try (JournalPager pager = new JournalPager(recordingPosix(new CountDownLatch(0), 0, 0), "pager-test"))
        {
            assertThrows(IllegalArgumentException.class, () -> pager.submitWriteBack(1, 0, 4096));
        }
    }

    @Test
    void theCLibrarysCallsStartTheWriteBackOfARealFile(@TempDir final Path directory) throws IOException
    {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "sync_file_range is Linux's");
        final FileCalls files = FileCalls.linux();
        assertNotNull(files, "bound on Linux");
        final Path file = directory.resolve("dirty");
        Files.write(file, new byte[3 * 4096]);
        final int fd = files.openReadOnly(file.toString());
        assertTrue(fd >= 0, "opened: " + fd);
        assertEquals(0, files.startWriteBack(fd, 0, 3 * 4096), "errno " + files.lastError());
        assertEquals(0, files.close(fd));
        assertEquals(-1, files.startWriteBack(fd, 0, 4096), "a closed descriptor");
        assertEquals(9, files.lastError(), "EBADF");
        assertEquals(-1, files.openReadOnly(directory.resolve("missing").toString()));
        assertEquals(2, files.lastError(), "ENOENT");
    }

    private void awaitFileCalls(final int count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fileCalls.size() < count && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(count, fileCalls.size(), "file calls made: " + fileCalls);
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
