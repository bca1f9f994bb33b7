package io.walletledger.journal;

import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.TableStoreWriteLock;
import net.openhft.chronicle.threads.BusyTimedPauser;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandJournalTest
{
    @TempDir
    Path directory;

    @Test
    void replaysEntriesOfEverySizeExactlyAsAppendedIncludingAFullBatchOf8190Transfers()
    {
        final List<byte[]> commands = new ArrayList<>();
        final int[] transferCounts = {0, 1, 2, 7, 100, ProtocolLimits.BATCH_EVENTS_MAX_DEFAULT, 3, 1000, 4096, 1};
        for (int i = 0; i < transferCounts.length; i++)
        {
            commands.add(TestCommands.createTransfers(transferCounts[i], TestCommands.marker(i)));
            commands.add(TestCommands.createAccounts(i * 10, TestCommands.marker(100 + i)));
        }
        commands.add(TestCommands.ofLength(JournalEntryDescriptor.COMMAND_LENGTH_MIN + 8, TestCommands.marker(200)));
        assertEquals(769_880, commands.get(10).length, "8,190 transfers of 94 bytes and the message headers");

        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
        {
            assertEquals(0, journal.lastSequence());
            for (int i = 0; i < commands.size(); i++)
            {
                final byte[] command = commands.get(i);
                assertEquals(i + 1, journal.append(1_000_000L * i, new UnsafeBuffer(command), 0, command.length));
            }
            assertEquals(commands.size(), journal.lastSequence());
        }

        final ReplayedEntries replayed = ReplayedEntries.replay(directory, 1);
        assertEquals(commands.size(), replayed.entries.size());
        assertEquals(commands.size(), replayed.last);
        for (int i = 0; i < commands.size(); i++)
        {
            final ReplayedEntries.Entry entry = replayed.entries.get(i);
            assertEquals(i + 1, entry.sequence);
            assertEquals(1_000_000L * i, entry.timestamp);
            assertEquals(i % 2 == 1 && i < 20 ? CreateAccountsEncoder.TEMPLATE_ID : CreateTransfersEncoder.TEMPLATE_ID,
                entry.templateId);
            assertArrayEquals(commands.get(i), entry.command, "command " + (i + 1));
        }
    }

    @Test
    void storesEachEntryInTheDocumentedLayout()
    {
        final byte[] command = TestCommands.createTransfers(3, TestCommands.marker(1));
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
        {
            journal.append(-42L, new UnsafeBuffer(command), 0, command.length);
        }
        final List<RawRecords.Stored> stored = RawRecords.readAll(directory);
        assertEquals(2, stored.size(), "the open record, then the entry");
        assertArrayEquals(RawRecords.open(0, 1), stored.get(0).bytes,
            "magic, version, durability none, next sequence, CRC32C; little-endian");
        assertArrayEquals(RawRecords.entryV2(1, -42L, stored.get(0).index, command), stored.get(1).bytes,
            "magic, version, template, sequence, timestamp, length, CRC32C, durable index (the open record: the " +
            "journal is not forced in none), command; little-endian");
    }

    @Test
    void keepsTheNoteOfAnEntryBesideItsCommandInFormatVersion3AndChecksumsIt() throws java.io.IOException
    {
        final byte[] command = TestCommands.createTransfers(3, TestCommands.marker(1));
        final long noteMarker = TestCommands.marker(77);
        final byte[] note = new byte[12];
        new UnsafeBuffer(note).putLong(2, noteMarker, java.nio.ByteOrder.LITTLE_ENDIAN);
        final ExpandableDirectByteBuffer offHeapNote = new ExpandableDirectByteBuffer(64);
        offHeapNote.putBytes(5, note);
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
        {
            journal.append(10, new UnsafeBuffer(command), 0, command.length, new UnsafeBuffer(note), 0, note.length);
            journal.append(11, new UnsafeBuffer(command), 0, command.length);
            journal.append(12, new UnsafeBuffer(command), 0, command.length, offHeapNote, 5, note.length);
            assertThrows(IllegalArgumentException.class, () -> journal.append(13, new UnsafeBuffer(command), 0,
                command.length, new UnsafeBuffer(note), 0, JournalEntryDescriptor.COMMAND_LENGTH_MAX), "too long");
        }
        final List<RawRecords.Stored> stored = RawRecords.readAll(directory);
        assertArrayEquals(RawRecords.entryV3(1, 10, stored.get(0).index, command, note), stored.get(1).bytes,
            "a version 3 entry: the version 2 layout, then the note, all checksummed");
        assertArrayEquals(RawRecords.entryV2(2, 11, stored.get(0).index, command), stored.get(2).bytes,
            "an entry without a note stays version 2");

        final ReplayedEntries replayed = ReplayedEntries.replay(directory, 1);
        assertEquals(3, replayed.entries.size());
        for (int i = 0; i < 3; i++)
        {
            assertArrayEquals(command, replayed.entries.get(i).command);
            assertArrayEquals(i == 1 ? new byte[0] : note, replayed.entries.get(i).note, "note of entry " + (i + 1));
        }

        final Path file = JournalFiles.onlyQueueFile(directory);
        JournalFiles.flipByte(file, JournalFiles.find(file, noteMarker) + 3);
        final JournalCorruptedException corrupt = assertThrows(JournalCorruptedException.class,
            () -> ReplayedEntries.replay(directory, 1));
        assertEquals(1, corrupt.expectedSequence());
        assertTrue(corrupt.problem().startsWith("checksum mismatch"), corrupt.getMessage());
    }

    @Test
    void appendsCommandsFromHeapOffHeapAndOffsetBuffersAlike()
    {
        final byte[] small = TestCommands.createTransfers(5, TestCommands.marker(1));
        final byte[] large = TestCommands.createTransfers(2000, TestCommands.marker(2));

        final byte[] padded = new byte[small.length + 100];
        System.arraycopy(small, 0, padded, 37, small.length);
        final ByteBuffer heapSlice = ByteBuffer.wrap(new byte[small.length + 20], 5, small.length + 10).slice();
        heapSlice.position(3);
        heapSlice.put(small);
        final ExpandableDirectByteBuffer offHeap = new ExpandableDirectByteBuffer(large.length + 64);
        offHeap.putBytes(11, large);
        final ByteBuffer direct = ByteBuffer.allocateDirect(large.length + 8);
        final UnsafeBuffer directView = new UnsafeBuffer(direct, 4, large.length);
        directView.putBytes(0, large);

        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
        {
            journal.append(1, new UnsafeBuffer(padded), 37, small.length);
            journal.append(2, new UnsafeBuffer(padded, 30, small.length + 10), 7, small.length);
            journal.append(3, new UnsafeBuffer(heapSlice), 3, small.length);
            journal.append(4, offHeap, 11, large.length);
            journal.append(5, directView, 0, large.length);
        }

        final ReplayedEntries replayed = ReplayedEntries.replay(directory, 1);
        assertEquals(5, replayed.entries.size());
        assertArrayEquals(small, replayed.entries.get(0).command);
        assertArrayEquals(small, replayed.entries.get(1).command);
        assertArrayEquals(small, replayed.entries.get(2).command);
        assertArrayEquals(large, replayed.entries.get(3).command);
        assertArrayEquals(large, replayed.entries.get(4).command);
    }

    @Test
    void continuesTheSequenceAfterCloseAndReopen()
    {
        appendCommands(JournalDurability.NONE, 1, 5);
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.BATCH))
        {
            assertEquals(5, journal.lastSequence());
            final byte[] command = TestCommands.createTransfers(2, TestCommands.marker(6));
            assertEquals(6, journal.append(6, new UnsafeBuffer(command), 0, command.length));
        }
        appendCommands(JournalDurability.NONE, 7, 3);

        final ReplayedEntries replayed = ReplayedEntries.replay(directory, 1);
        assertEquals(9, replayed.entries.size());
        for (int i = 0; i < 9; i++)
        {
            assertEquals(i + 1, replayed.entries.get(i).sequence);
            assertArrayEquals(TestCommands.createTransfers(2, TestCommands.marker(i + 1)),
                replayed.entries.get(i).command);
        }
    }

    @Test
    void replaysFromAMiddleSequenceOnly()
    {
        appendCommands(JournalDurability.NONE, 1, 1000);

        for (final long from : new long[]{2, 255, 256, 257, 500, 999, 1000})
        {
            final ReplayedEntries replayed = ReplayedEntries.replay(directory, from);
            assertEquals(1000 - from + 1, replayed.entries.size(), "from " + from);
            assertEquals(from, replayed.entries.get(0).sequence);
            assertArrayEquals(TestCommands.createTransfers(2, TestCommands.marker(from)),
                replayed.entries.get(0).command);
            assertEquals(1000, replayed.last);
        }
    }

    @Test
    void replayFromPastTheEndDeliversNothingAndReportsWhereTheJournalEnds()
    {
        appendCommands(JournalDurability.NONE, 1, 10);

        final ReplayedEntries atEnd = ReplayedEntries.replay(directory, 11);
        assertEquals(0, atEnd.entries.size());
        assertEquals(10, atEnd.last);

        final ReplayedEntries beyond = ReplayedEntries.replay(directory, 500);
        assertEquals(0, beyond.entries.size());
        assertEquals(10, beyond.last, "below fromSequence - 1: the journal ends before the start asked for");
    }

    @Test
    void anEmptyJournalReplaysNothing()
    {
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.BATCH))
        {
            journal.flush();
            assertEquals(0, journal.lastSequence());
        }
        assertEquals(0, ReplayedEntries.replay(directory, 1).last);
        assertEquals(0, ReplayedEntries.replay(directory, 7).entries.size());
    }

    @Test
    void sequencesRunOnAcrossHourlyFilesAndReplayCanStartInAnyOfThem() throws Exception
    {
        final SetTimeProvider clock = new SetTimeProvider(1_767_225_600_000L);  // 2026-01-01T00:00Z
        long sequence = 0;
        for (int hour = 0; hour < 3; hour++)
        {
            try (CommandJournal journal =
                CommandJournal.open(directory, JournalDurability.BATCH, TornTailPolicy.REFUSE, clock))
            {
                assertEquals(sequence, journal.lastSequence());
                for (int i = 0; i < 300; i++)
                {
                    final byte[] command = TestCommands.createTransfers(1, TestCommands.marker(++sequence));
                    assertEquals(sequence, journal.append(sequence, new UnsafeBuffer(command), 0, command.length));
                    if (i == 150)
                    {
                        clock.advanceMillis(3_600_000L);
                    }
                    journal.flush();
                }
            }
        }
        assertEquals(4, JournalFiles.queueFiles(directory).size(), "one file per hour");

        // Hour 0 holds 1..151, hour 1 152..451, hour 2 452..751, hour 3 752..900.
        for (final long from : new long[]{1, 150, 151, 152, 400, 451, 452, 751, 752, 899, 900})
        {
            final ReplayedEntries replayed = ReplayedEntries.replay(directory, from);
            assertEquals(900 - from + 1, replayed.entries.size(), "from " + from);
            for (int i = 0; i < replayed.entries.size(); i++)
            {
                assertEquals(from + i, replayed.entries.get(i).sequence);
            }
            assertArrayEquals(TestCommands.createTransfers(1, TestCommands.marker(from)),
                replayed.entries.get(0).command);
        }
    }

    @Test
    void batchModeFlushesEveryBatchWithoutError()
    {
        // Power loss cannot be simulated here: this shows flush() forces the files (fdatasync; the directory too
        // after a new file) without failing, and that flushed and unflushed entries read back alike. That the
        // force reaches the disk was checked separately by watching the kernel's dirty page count drop.
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.BATCH))
        {
            long sequence = 0;
            for (int batch = 0; batch < 20; batch++)
            {
                for (int i = 0; i < 5; i++)
                {
                    final byte[] command = TestCommands.createTransfers(10, TestCommands.marker(++sequence));
                    journal.append(sequence, new UnsafeBuffer(command), 0, command.length);
                }
                journal.flush();
                journal.flush();
            }
            final byte[] command = TestCommands.createTransfers(10, TestCommands.marker(++sequence));
            journal.append(sequence, new UnsafeBuffer(command), 0, command.length);
        }
        assertEquals(101, ReplayedEntries.replay(directory, 1).entries.size(), "close() flushed the last entry");
    }

    @Test
    void appendsFromTheJournalerThreadAfterOpeningOnAnother() throws Exception
    {
        final CommandJournal journal = CommandJournal.open(directory, JournalDurability.BATCH);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread journaler = new Thread(() ->
        {
            try
            {
                for (int i = 1; i <= 50; i++)
                {
                    final byte[] command = TestCommands.createTransfers(3, TestCommands.marker(i));
                    journal.append(i, new UnsafeBuffer(command), 0, command.length);
                    journal.flush();
                }
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        }, "journaler");
        journaler.start();
        journaler.join();
        assertNull(failure.get());
        journal.close();

        assertEquals(50, ReplayedEntries.replay(directory, 1).entries.size());
    }

    @Test
    void appendAndFlushAllocateNothingAfterWarmUp()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final byte[] heapCommand = TestCommands.ofLength(64, TestCommands.marker(1));
        final UnsafeBuffer heap = new UnsafeBuffer(heapCommand);
        final UnsafeBuffer offHeap = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        offHeap.putBytes(0, heapCommand);

        for (final JournalDurability durability : JournalDurability.values())
        {
            try (CommandJournal journal = CommandJournal.open(directory.resolve(durability.name()), durability))
            {
                // Until the JIT has settled (some 70,000 appends here) interpreted and C1 code still allocates
                // what C2's escape analysis later removes; after that a window of appends allocates nothing.
                appendFlushing(journal, heap, offHeap, 100_000);
                long leastAllocated = Long.MAX_VALUE;
                for (int window = 0; window < 5; window++)
                {
                    final long before = threads.getCurrentThreadAllocatedBytes();
                    appendFlushing(journal, heap, offHeap, 10_000);
                    leastAllocated = Math.min(leastAllocated, threads.getCurrentThreadAllocatedBytes() - before);
                }
                assertEquals(0, leastAllocated, durability + ": bytes allocated by 10,000 appends and 10 flushes");
            }
        }
    }

    @Test
    void refusesASecondWriterOnTheSameJournal()
    {
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> CommandJournal.open(directory.resolve(".").resolve("..").resolve(directory.getFileName()),
                    JournalDurability.NONE));
            assertTrue(ex.getMessage().contains("another writer"), ex.getMessage());
            assertEquals(0, journal.lastSequence());
        }
        try (CommandJournal reopened = CommandJournal.open(directory, JournalDurability.NONE))
        {
            assertEquals(0, reopened.lastSequence());
        }
    }

    @Test
    void aChronicleWriteLockLeftByAnEarlierProcessWithOurPidDoesNotStallTheWriter()
    {
        // What a container whose JVM is always PID 1 finds after being killed mid-append.
        try (SingleChronicleQueue queue = JournalQueue.open(directory, SystemTimeProvider.INSTANCE))
        {
            final TableStoreWriteLock lock = new TableStoreWriteLock(queue.metaStore(), BusyTimedPauser::new, 0L);
            lock.lock();
        }
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
        {
            final byte[] command = TestCommands.createTransfers(1, TestCommands.marker(1));
            assertEquals(1, journal.append(1, new UnsafeBuffer(command), 0, command.length));
        }
        assertEquals(1, ReplayedEntries.replay(directory, 1).last);
    }

    @Test
    void refusesCommandsOutsideTheEntryBounds()
    {
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
        {
            final UnsafeBuffer tooShort = new UnsafeBuffer(new byte[7]);
            assertThrows(IllegalArgumentException.class, () -> journal.append(1, tooShort, 0, 7));
            final UnsafeBuffer tooLong = new UnsafeBuffer(new byte[JournalEntryDescriptor.COMMAND_LENGTH_MAX + 1]);
            assertThrows(IllegalArgumentException.class,
                () -> journal.append(1, tooLong, 0, JournalEntryDescriptor.COMMAND_LENGTH_MAX + 1));
            final UnsafeBuffer small = new UnsafeBuffer(new byte[16]);
            assertThrows(IndexOutOfBoundsException.class, () -> journal.append(1, small, 4, 16));
            assertEquals(0, journal.lastSequence());
        }
        assertEquals(0, ReplayedEntries.replay(directory, 1).last);
    }

    @Test
    void theLongestProtocolMessageFitsInAnEntry()
    {
        assertTrue(ProtocolLimits.messageLengthMax(ProtocolLimits.BATCH_EVENTS_MAX_LIMIT) <=
            JournalEntryDescriptor.COMMAND_LENGTH_MAX);
        assertTrue(JournalEntryDescriptor.RECORD_LENGTH_MAX <= JournalQueue.BLOCK_SIZE / 4,
            "Chronicle's longest document is a quarter of a mapping block");
    }

    @Test
    void theLongestCommandRoundTrips()
    {
        final byte[] command = TestCommands.ofLength(JournalEntryDescriptor.COMMAND_LENGTH_MAX, TestCommands.marker(1));
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
        {
            journal.append(1, new UnsafeBuffer(command), 0, command.length);
            journal.append(2, new UnsafeBuffer(command), 0, command.length);
        }
        final ReplayedEntries replayed = ReplayedEntries.replay(directory, 2);
        assertEquals(1, replayed.entries.size());
        assertArrayEquals(command, replayed.entries.get(0).command);
    }

    private static void appendFlushing(
        final CommandJournal journal, final DirectBuffer heap, final DirectBuffer offHeap, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            journal.append(i, (i & 1) == 0 ? heap : offHeap, 0, 64);
            if ((i & 1023) == 0)
            {
                journal.flush();
            }
        }
        journal.flush();
    }

    private void appendCommands(final JournalDurability durability, final long firstSequence, final int count)
    {
        try (CommandJournal journal = CommandJournal.open(directory, durability))
        {
            assertEquals(firstSequence - 1, journal.lastSequence());
            for (long sequence = firstSequence; sequence < firstSequence + count; sequence++)
            {
                final byte[] command = TestCommands.createTransfers(2, TestCommands.marker(sequence));
                assertEquals(sequence, journal.append(sequence, new UnsafeBuffer(command), 0, command.length));
            }
        }
    }
}
