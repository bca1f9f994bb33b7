package io.walletledger.journal;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A follower tails the journal while the writer appends: it sees exactly what was appended, verified as a replay
 * verifies it, and never mistakes the writer's current end for the end of the journal.
 */
class JournalFollowerTest
{
    private static final long START_MILLIS = 1_767_225_600_000L;  // 2026-01-01T00:00Z
    private static final long HOUR_MILLIS = 3_600_000L;
    private static final long IDLE_NANOS = 100_000L;

    @TempDir
    Path directory;

    @Test
    @Timeout(120)
    void followsAWriterAppendingConcurrentlyAcrossFlushesAndHourlyFiles() throws Exception
    {
        final int count = 3000;
        final SetTimeProvider clock = new SetTimeProvider(START_MILLIS);
        final CommandJournal journal =
            CommandJournal.open(directory, JournalDurability.BATCH, TornTailPolicy.REFUSE, clock);
        final AtomicLong followed = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread writer = new Thread(() ->
        {
            try
            {
                for (int i = 1; i <= count; i++)
                {
                    if (i % 1000 == 501)
                    {
                        // Roll while the follower sits at the live end of the file, not after it.
                        awaitFollower(followed, i - 1, failure);
                        clock.advanceMillis(HOUR_MILLIS);
                    }
                    final byte[] command = command(i);
                    journal.append(timestamp(i), new UnsafeBuffer(command), 0, command.length);
                    if (i % 16 == 0)
                    {
                        journal.flush();
                    }
                }
                journal.close();
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        }, "journaler");

        final ReplayedEntries entries = new ReplayedEntries();
        try (JournalReader reader = JournalReader.open(directory);
            JournalFollower follower = reader.follow(1))
        {
            assertEquals(0, follower.lastSequence());
            writer.start();
            while (follower.lastSequence() < count && failure.get() == null)
            {
                if (follower.poll(entries, 64) == 0)
                {
                    LockSupport.parkNanos(IDLE_NANOS);
                }
                followed.set(follower.lastSequence());
            }
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
        finally
        {
            writer.join();
            journal.close();
        }
        assertNull(failure.get());

        assertEquals(4, JournalFiles.queueFiles(directory).size(), "three rolls of the hourly file");
        assertEquals(count, entries.entries.size());
        for (int i = 1; i <= count; i++)
        {
            final ReplayedEntries.Entry entry = entries.entries.get(i - 1);
            assertEquals(i, entry.sequence);
            assertEquals(timestamp(i), entry.timestamp);
            assertArrayEquals(command(i), entry.command, "entry " + i);
        }
    }

    @Test
    void startsAtAMiddleSequenceInAnyFile()
    {
        final int count = 1000;
        final SetTimeProvider clock = new SetTimeProvider(START_MILLIS);
        try (CommandJournal journal =
            CommandJournal.open(directory, JournalDurability.NONE, TornTailPolicy.REFUSE, clock))
        {
            for (int i = 1; i <= count; i++)
            {
                if (i == 401)
                {
                    clock.advanceMillis(HOUR_MILLIS);
                }
                append(journal, i);
            }
        }

        try (JournalReader reader = JournalReader.open(directory))
        {
            for (final long from : new long[]{2, 255, 256, 257, 400, 401, 402, 999, 1000})
            {
                final ReplayedEntries entries = new ReplayedEntries();
                try (JournalFollower follower = reader.follow(from))
                {
                    assertEquals(from - 1, follower.lastSequence());
                    pollUntilCaughtUp(follower, entries, 100);
                    assertEquals(count, follower.lastSequence());
                }
                assertEquals(count - from + 1, entries.entries.size(), "from " + from);
                assertEquals(from, entries.entries.get(0).sequence, "from " + from);
                assertArrayEquals(command(from), entries.entries.get(0).command, "from " + from);
                assertEquals(count, entries.entries.get(entries.entries.size() - 1).sequence);
            }
        }
    }

    @Test
    void pollDeliversAtMostTheLimitAndContinuesWhereItStopped()
    {
        appendEntries(100);
        final ReplayedEntries entries = new ReplayedEntries();
        try (JournalReader reader = JournalReader.open(directory);
            JournalFollower follower = reader.follow(1))
        {
            for (int i = 1; i <= 14; i++)
            {
                assertEquals(7, follower.poll(entries, 7));
                assertEquals(7L * i, follower.lastSequence());
            }
            assertEquals(2, follower.poll(entries, 7));
            assertEquals(0, follower.poll(entries, 7));
            assertEquals(100, follower.lastSequence());
        }
        assertEquals(100, entries.entries.size());
        for (int i = 0; i < 100; i++)
        {
            assertEquals(i + 1, entries.entries.get(i).sequence);
            assertArrayEquals(command(i + 1), entries.entries.get(i).command);
        }
    }

    @Test
    void aCaughtUpFollowerReturnsNothingUntilTheWriterAppendsMore()
    {
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE);
            JournalReader reader = JournalReader.open(directory);
            JournalFollower follower = reader.follow(1))
        {
            final ReplayedEntries entries = new ReplayedEntries();
            assertEquals(0, follower.poll(entries, 10), "nothing written yet");
            assertEquals(-1, follower.lastIndex());
            assertEquals(-1, journal.lastIndex());
            for (int i = 1; i <= 5; i++)
            {
                append(journal, i);
            }
            assertEquals(5, follower.poll(entries, 10));
            assertTrue(journal.lastIndex() >= 0);
            assertEquals(journal.lastIndex(), follower.lastIndex(), "both name the index of entry 5");
            assertEquals(0, follower.poll(entries, 10));
            assertEquals(0, follower.poll(entries, 10));
            assertEquals(5, follower.lastSequence());

            for (int i = 6; i <= 8; i++)
            {
                append(journal, i);
            }
            assertEquals(3, follower.poll(entries, 10));
            assertEquals(0, follower.poll(entries, 10));
            assertEquals(8, follower.lastSequence());
            assertEquals(8, entries.entries.size());
            assertEquals(6, entries.entries.get(5).sequence);
            assertArrayEquals(command(8), entries.entries.get(7).command);
        }
    }

    @Test
    void aFlippedByteInTheMiddleStopsTheFollowerAtThatSequence() throws IOException
    {
        appendEntries(10);
        final Path file = JournalFiles.onlyQueueFile(directory);
        final long index = RawRecords.entries(directory).get(4).index;
        JournalFiles.flipByte(file, JournalFiles.find(file, TestCommands.marker(5)) + 100);

        final ReplayedEntries entries = new ReplayedEntries();
        try (JournalReader reader = JournalReader.open(directory);
            JournalFollower follower = reader.follow(1))
        {
            final JournalCorruptedException ex =
                assertThrows(JournalCorruptedException.class, () -> follower.poll(entries, 100));
            assertEquals(file, ex.file());
            assertEquals(index, ex.chronicleIndex());
            assertEquals(5, ex.expectedSequence());
            assertTrue(ex.getMessage().contains("expected sequence 5"), ex.getMessage());
            assertTrue(ex.problem().startsWith("checksum mismatch"), ex.getMessage());
            assertEquals(4, entries.entries.size(), "the entries before it were delivered");
            assertEquals(4, follower.lastSequence());

            final IllegalStateException again =
                assertThrows(IllegalStateException.class, () -> follower.poll(entries, 100));
            assertEquals(ex, again.getCause(), "the follower never reads past the bad record");
        }
    }

    @Test
    void aBadLastRecordWaitsAndIsPassedOverWhenADiscardRecordFollows() throws IOException
    {
        appendEntries(10);
        final Path file = JournalFiles.onlyQueueFile(directory);
        JournalFiles.flipByte(file, JournalFiles.find(file, TestCommands.marker(10)) + 100);

        final ReplayedEntries entries = new ReplayedEntries();
        try (JournalReader reader = JournalReader.open(directory);
            JournalFollower follower = reader.follow(1))
        {
            assertEquals(9, follower.poll(entries, 100), "the writer may still discard it: no error yet");
            assertEquals(0, follower.poll(entries, 100));
            assertEquals(9, follower.lastSequence());

            final byte[] replacement = replacement();
            try (CommandJournal journal =
                CommandJournal.open(directory, JournalDurability.NONE, TornTailPolicy.TRUNCATE))
            {
                assertEquals(10, journal.append(99, new UnsafeBuffer(replacement), 0, replacement.length));
            }
            assertEquals(1, follower.poll(entries, 100));
            assertEquals(10, follower.lastSequence());
        }
        assertEquals(10, entries.entries.size());
        assertEquals(10, entries.entries.get(9).sequence);
        assertArrayEquals(replacement(), entries.entries.get(9).command);
    }

    @Test
    void aBadLastRecordFollowedByAnythingButItsDiscardRecordIsReported() throws IOException
    {
        appendEntries(10);
        final Path file = JournalFiles.onlyQueueFile(directory);
        final long badIndex = RawRecords.entries(directory).get(9).index;
        JournalFiles.flipByte(file, JournalFiles.find(file, TestCommands.marker(10)) + 100);

        try (JournalReader reader = JournalReader.open(directory);
            JournalFollower follower = reader.follow(1))
        {
            final ReplayedEntries entries = new ReplayedEntries();
            assertEquals(9, follower.poll(entries, 100));
            RawRecords.append(directory, RawRecords.entry(10, 10, command(10)));

            final JournalCorruptedException ex =
                assertThrows(JournalCorruptedException.class, () -> follower.poll(entries, 100));
            assertEquals(badIndex, ex.chronicleIndex());
            assertEquals(10, ex.expectedSequence());
            assertTrue(ex.problem().contains("is not a discard record for it"), ex.getMessage());
        }
    }

    @Test
    void pollAllocatesNothingPerEntryAfterWarmUp()
    {
        final int count = 200_000;
        final byte[] command = TestCommands.ofLength(64, TestCommands.marker(1));
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(command);
            for (int i = 0; i < count; i++)
            {
                journal.append(i, buffer, 0, command.length);
            }
        }

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final CountingHandler handler = new CountingHandler();
        try (JournalReader reader = JournalReader.open(directory);
            JournalFollower follower = reader.follow(1))
        {
            // As for appends, interpreted and C1 code allocates what C2 later removes: warm up first.
            pollCounting(follower, handler, 140_000);
            long leastAllocated = Long.MAX_VALUE;
            for (int window = 0; window < 5; window++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                pollCounting(follower, handler, 10_000);
                leastAllocated = Math.min(leastAllocated, threads.getCurrentThreadAllocatedBytes() - before);
            }
            assertEquals(0, leastAllocated, "bytes allocated by polling 10,000 entries");
            assertEquals(190_000, handler.count);
        }
    }

    private static void pollCounting(final JournalFollower follower, final CountingHandler handler, final int entries)
    {
        for (int polled = 0; polled < entries; )
        {
            final int delivered = follower.poll(handler, 100);
            if (delivered == 0)
            {
                throw new AssertionError("the journal ended early, at " + follower.lastSequence());
            }
            polled += delivered;
        }
    }

    private static void pollUntilCaughtUp(
        final JournalFollower follower, final ReplayedEntries entries, final int limit)
    {
        int delivered;
        do
        {
            delivered = follower.poll(entries, limit);
            assertTrue(delivered <= limit);
        }
        while (delivered > 0);
    }

    private static void awaitFollower(
        final AtomicLong followed, final long sequence, final AtomicReference<Throwable> failure)
    {
        while (followed.get() < sequence && failure.get() == null)
        {
            LockSupport.parkNanos(IDLE_NANOS);
        }
    }

    private void appendEntries(final int count)
    {
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
        {
            for (int i = 1; i <= count; i++)
            {
                append(journal, i);
            }
        }
    }

    private static void append(final CommandJournal journal, final long sequence)
    {
        final byte[] command = command(sequence);
        assertEquals(sequence, journal.append(timestamp(sequence), new UnsafeBuffer(command), 0, command.length));
    }

    /**
     * Commands of varied sizes, large enough that a byte 100 in is inside the command.
     */
    private static byte[] command(final long sequence)
    {
        return TestCommands.createTransfers(2 + (int)(sequence % 37), TestCommands.marker(sequence));
    }

    private static byte[] replacement()
    {
        return TestCommands.createTransfers(5, TestCommands.marker(99));
    }

    private static long timestamp(final long sequence)
    {
        return 1_000_003L * sequence - 17;
    }

    private static final class CountingHandler implements JournalEntryHandler
    {
        long count;

        @Override
        public void onEntry(
            final long sequence,
            final long timestamp,
            final int templateId,
            final DirectBuffer command,
            final int offset,
            final int length, final int noteLength)
        {
            count++;
        }
    }
}
