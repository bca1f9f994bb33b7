package io.walletledger.journal;

import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JournalPageAdviceTest
{
    private static final long CHUNK = 4L * 1024 * 1024;
    private static final long OVERLAP = 1024 * 1024;

    @TempDir
    Path directory;

    /** One madvise call, as file positions of the block it was made on. */
    private record Advice(MAdviseFlag flag, long from, long to, MappedBytesStore block)
    {
    }

    private final List<Advice> calls = Collections.synchronizedList(new ArrayList<>());
    /** The thread that made each call in {@link #calls}. */
    private final List<String> threads = Collections.synchronizedList(new ArrayList<>());
    private MappedBytesStore currentBlock;
    private int result;

    /** Records each madvise call, translated back to file positions through the block being written. */
    private PosixAPI recordingPosix()
    {
        return (PosixAPI)Proxy.newProxyInstance(PosixAPI.class.getClassLoader(), new Class<?>[] {PosixAPI.class},
            (proxy, method, args) ->
            {
                switch (method.getName())
                {
                    case "madvise":
                        if (args[2] instanceof MAdviseFlag)
                        {
                            final long address = (long)args[0];
                            final long base = currentBlock.addressForRead(currentBlock.start());
                            final long from = currentBlock.start() + (address - base);
                            threads.add(Thread.currentThread().getName());
                            calls.add(new Advice((MAdviseFlag)args[2], from, from + (long)args[1], currentBlock));
                            return result;
                        }
                        throw new AssertionError("the advice names its flag");
                    case "lastErrorStr":
                        return "EINVAL (test)";
                    case "lastError":
                        return 22;
                    case "strerror":
                        return "EINVAL (test)";
                    default:
                        throw new UnsupportedOperationException(method.getName());
                }
            });
    }

    @Test
    void advisesRandomAccessOnEachBlockAndAsksForThePagesAheadOfTheWriterInSteps() throws IOException
    {
        final JournalPageAdvice advice = new JournalPageAdvice(recordingPosix());
        final long fileLength = 3 * CHUNK + CHUNK / 2;
        try (MappedBytes bytes = MappedBytes.mappedBytes(directory.resolve("cycle-1").toFile(), CHUNK, OVERLAP))
        {
            long requestedUpTo = 0;
            final List<MappedBytesStore> blocks = new ArrayList<>();
            // Writes of uneven lengths, as journal entries are: 1 byte to ~90 KiB.
            for (long position = 0, n = 0; position < fileLength; n++)
            {
                position += 1 + (n * 7919) % 90_000;
                bytes.writeByte(position, (byte)1);
                currentBlock = (MappedBytesStore)bytes.bytesStore();
                if (blocks.isEmpty() || blocks.get(blocks.size() - 1) != currentBlock)
                {
                    blocks.add(currentBlock);
                }
                final int before = calls.size();
                advice.wrote(1, currentBlock, position + 1);

                for (final Advice call : calls.subList(before, calls.size()))
                {
                    if (call.flag == MAdviseFlag.MADV_RANDOM)
                    {
                        assertEquals(call.block.start(), call.from, "the whole block, from its start");
                        assertEquals(call.block.realCapacity(), call.to, "to the end of its mapping");
                        continue;
                    }
                    assertEquals(MAdviseFlag.MADV_WILLNEED, call.flag);
                    assertEquals(Math.max(requestedUpTo, (position + 1) & ~4095L), call.from,
                        "each request goes on where the last ended, or from the writer's page if it is past that");
                    assertTrue(call.to <= call.block.realCapacity(), "never past the mapping");
                    assertTrue(call.to <= position + 1 + JournalPageAdvice.LEAD, "at most LEAD ahead");
                    assertTrue(call.to - call.from >= JournalPageAdvice.STEP || call.to == call.block.realCapacity(),
                        "a full step, or the rest of the mapping");
                    assertEquals(0, call.from % 4096, "page-aligned");
                    requestedUpTo = call.to;
                }
                final long wanted = Math.min(((position + 1 + JournalPageAdvice.LEAD) & ~4095L) - JournalPageAdvice.STEP,
                    currentBlock.realCapacity());
                assertTrue(requestedUpTo >= wanted,
                    "at " + (position + 1) + " pages up to " + wanted + " are asked for, not only " + requestedUpTo);
            }
            assertEquals(4, blocks.size(), "the writes crossed into a fourth block");
            final List<MappedBytesStore> randomBlocks = calls.stream()
                .filter(call -> call.flag == MAdviseFlag.MADV_RANDOM).map(Advice::block).toList();
            assertEquals(blocks, randomBlocks, "MADV_RANDOM once for each block, as the writer enters it");
        }
    }

    @Test
    void withAPagerTheWriterOnlyHandsTheRangesOverAndThePagerAdvisesThemInOrder() throws Exception
    {
        final Set<Thread> pagersBefore = pagerThreads();
        final JournalPageAdvice advice = new JournalPageAdvice(recordingPosix(), true);
        final long end = CHUNK / 2; // one block, so the test's address translation holds for every call
        try (MappedBytes bytes = MappedBytes.mappedBytes(directory.resolve("cycle-1").toFile(), CHUNK, OVERLAP))
        {
            bytes.writeByte(0, (byte)1);
            currentBlock = (MappedBytesStore)bytes.bytesStore();
            for (long position = 0; position < end; position += 10_000)
            {
                bytes.writeByte(position, (byte)1);
                advice.wrote(1, currentBlock, position + 1);
            }
            final long wanted = ((end - 10_000 + 1 + JournalPageAdvice.LEAD) & ~4095L) - JournalPageAdvice.STEP;
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && advisedUpTo() < wanted)
            {
                Thread.sleep(1);
            }
            advice.close();
        }
        final String writer = Thread.currentThread().getName();
        long expectedFrom = 0;
        for (int i = 0; i < calls.size(); i++)
        {
            final Advice call = calls.get(i);
            if (call.flag == MAdviseFlag.MADV_RANDOM)
            {
                assertEquals(writer, threads.get(i), "the writer enters a block itself");
                continue;
            }
            assertEquals("wallet-journal-pager", threads.get(i));
            assertEquals(expectedFrom, call.from, "in order, each range where the last ended");
            expectedFrom = call.to;
        }
        assertTrue(expectedFrom >= ((end - 10_000 + 1 + JournalPageAdvice.LEAD) & ~4095L) - JournalPageAdvice.STEP,
            "pages up to LEAD ahead of the last write were advised, up to " + expectedFrom);
        assertEquals(pagersBefore, pagerThreads(), "close() ends the pager");
    }

    private long advisedUpTo()
    {
        synchronized (calls)
        {
            return calls.stream().filter((call) -> call.flag == MAdviseFlag.MADV_WILLNEED).mapToLong(Advice::to)
                .max().orElse(0);
        }
    }

    private static Set<Thread> pagerThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> thread.getName().equals("wallet-journal-pager")).collect(Collectors.toSet());
    }

    @Test
    void aNewFileIsAskedForFromTheWritersPositionInIt() throws IOException
    {
        final JournalPageAdvice advice = new JournalPageAdvice(recordingPosix());
        try (MappedBytes first = MappedBytes.mappedBytes(directory.resolve("cycle-1").toFile(), CHUNK, OVERLAP);
            MappedBytes second = MappedBytes.mappedBytes(directory.resolve("cycle-2").toFile(), CHUNK, OVERLAP))
        {
            first.writeByte(3 * 1024 * 1024, (byte)1);
            currentBlock = (MappedBytesStore)first.bytesStore();
            advice.wrote(1, currentBlock, 3 * 1024 * 1024 + 1);
            assertEquals(CHUNK + OVERLAP, calls.get(calls.size() - 1).to, "up to the end of the first file's block");

            second.writeByte(10_000, (byte)1);
            currentBlock = (MappedBytesStore)second.bytesStore();
            final int before = calls.size();
            advice.wrote(2, currentBlock, 10_001);
            final List<Advice> made = calls.subList(before, calls.size());
            assertEquals(MAdviseFlag.MADV_RANDOM, made.get(0).flag);
            assertEquals(new Advice(MAdviseFlag.MADV_WILLNEED, 8192, (10_001 + JournalPageAdvice.LEAD) & ~4095L,
                currentBlock), made.get(1), "the new file from the writer's page on, not from where the old one was");
        }
    }

    @Test
    void aRefusedCallStopsTheAdviceAndTheWriterCarriesOn() throws IOException
    {
        result = -1;
        final JournalPageAdvice advice = new JournalPageAdvice(recordingPosix());
        try (MappedBytes bytes = MappedBytes.mappedBytes(directory.resolve("cycle-1").toFile(), CHUNK, OVERLAP))
        {
            for (long position = 0; position < 2 * CHUNK; position += 100_000)
            {
                bytes.writeByte(position, (byte)1);
                currentBlock = (MappedBytesStore)bytes.bytesStore();
                advice.wrote(1, currentBlock, position + 1);
            }
        }
        assertEquals(1, calls.size(), "no call after the first refusal");
    }

    @Test
    void aNativeLayerThatThrowsEndsTheAdviceNotTheWrite() throws IOException
    {
        final PosixAPI throwing = (PosixAPI)Proxy.newProxyInstance(PosixAPI.class.getClassLoader(),
            new Class<?>[] {PosixAPI.class}, (proxy, method, args) ->
            {
                calls.add(null);
                throw new UnsatisfiedLinkError("madvise");
            });
        final JournalPageAdvice advice = new JournalPageAdvice(throwing);
        try (MappedBytes bytes = MappedBytes.mappedBytes(directory.resolve("cycle-1").toFile(), CHUNK, OVERLAP))
        {
            for (long position = 0; position < 2 * CHUNK; position += 100_000)
            {
                bytes.writeByte(position, (byte)1);
                advice.wrote(1, bytes.bytesStore(), position + 1);
            }
        }
        assertEquals(1, calls.size(), "one call, then none");
    }

    /**
     * The real thing: the kernel marks the writer's mapping of the journal file for random access ({@code rr} in
     * {@code /proc/self/smaps}), and entries written across mapping blocks replay intact.
     */
    @Test
    void inNoneTheWriteBackFollowsTheWriterALagBehindInOrderAndStartsAgainInANewFile() throws Exception
    {
        final long lag = 1024 * 1024;
        final List<String> files = new ArrayList<>();
        final List<long[]> ranges = Collections.synchronizedList(new ArrayList<>());
        final FileCalls recording = new FileCalls()
        {
            @Override
            public int openReadOnly(final String path)
            {
                files.add(path);
                return 3;
            }

            @Override
            public int startWriteBack(final int fd, final long offset, final long length)
            {
                ranges.add(new long[] {offset, offset + length});
                return 0;
            }

            @Override
            public int close(final int fd)
            {
                return 0;
            }

            @Override
            public int lastError()
            {
                return 0;
            }
        };
        final java.io.File[] current = {new java.io.File("/journal/1.cq4")};
        final JournalPageAdvice advice = new JournalPageAdvice(null, true, recording, () -> current[0], lag);
        try (advice)
        {
            long position = 8192 + 17;
            for (long n = 0; position < 6 * lag; n++)
            {
                // Entries of uneven lengths, 1 byte to ~90 KiB; the store does not matter to write-back.
                advice.wrote(1, null, position);
                position += 1 + (n * 7919) % 90_000;
            }
            final long lastPosition1 = position;
            // The pager drops what it has not reached of a file once the writer has moved to the next: wait.
            awaitRangesUpTo(ranges, advice.writeBackRequestedUpTo());
            final int rangesOfFile1 = ranges.size();
            current[0] = new java.io.File("/journal/2.cq4");
            final long start2 = 3 * lag + 100;
            advice.wrote(2, null, start2);
            advice.wrote(2, null, start2 + lag + JournalPager.WRITE_BACK_CALL);
            awaitRangesUpTo(ranges, advice.writeBackRequestedUpTo());

            assertEquals(List.of("/journal/1.cq4", "/journal/2.cq4"), files);
            long expected = 8192; // the page of the writer's first position
            int i = 0;
            for (; i < rangesOfFile1; i++)
            {
                assertEquals(expected, ranges.get(i)[0], "in order, without gaps");
                assertTrue(ranges.get(i)[1] - ranges.get(i)[0] <= JournalPager.WRITE_BACK_CALL, "at most one call's");
                expected = ranges.get(i)[1];
            }
            assertEquals(0, expected % 4096, "page-aligned");
            assertTrue(expected <= lastPosition1 - lag, "never within the lag of the writer");
            assertTrue(expected > lastPosition1 - lag - 100_000 - JournalPager.WRITE_BACK_CALL,
                "up to the lag, give or take an entry and a call: " + expected);
            assertEquals(List.of(start2 & ~4095L, (start2 & ~4095L) + JournalPager.WRITE_BACK_CALL),
                List.of(ranges.get(i)[0], ranges.get(i)[1]), "the new file from the writer's page in it");
            assertEquals(i + 1, ranges.size());
            assertEquals(ranges.size(), advice.writeBackCalls());
        }
    }

    /** Returns once the last range recorded ends at {@code end} (or after 10 s). */
    private static void awaitRangesUpTo(final List<long[]> ranges, final long end) throws InterruptedException
    {
        for (int i = 0; i < 1000 && (ranges.isEmpty() || ranges.get(ranges.size() - 1)[1] != end); i++)
        {
            Thread.sleep(10);
        }
    }

    @Test
    void aJournalInNoneWritesItselfBackUnlessToldNotToAndOneForcedPerBatchNever() throws Exception
    {
        assumeTrue(FileCalls.linux() != null, "needs Linux's sync_file_range");
        final byte[] command = TestCommands.ofLength(JournalEntryDescriptor.COMMAND_LENGTH_MAX, TestCommands.marker(3));
        // Write-back starts from the end of the first entry, so one entry more than the lag and two calls' worth.
        final int entries = (int)((JournalPageAdvice.WRITE_BACK_LAG + 2 * JournalPager.WRITE_BACK_CALL) /
            command.length) + 2;
        record Case(JournalDurability durability, boolean writeBehind, boolean writesBack)
        {
        }
        for (final Case c : List.of(new Case(JournalDurability.NONE, true, true),
            new Case(JournalDurability.NONE, false, false), new Case(JournalDurability.BATCH, true, false)))
        {
            final Path journalDirectory = directory.resolve(c.durability + "-" + c.writeBehind);
            try (CommandJournal journal = CommandJournal.open(
                journalDirectory, c.durability, TornTailPolicy.REFUSE, c.writeBehind))
            {
                for (int i = 1; i <= entries; i++)
                {
                    journal.append(i, new UnsafeBuffer(command), 0, command.length);
                }
                journal.flush();
                final long deadline = System.nanoTime() + 10_000_000_000L;
                while (c.writesBack && journal.writeBackCalls() == 0 && System.nanoTime() < deadline)
                {
                    Thread.sleep(5);
                }
                assertEquals(c.writesBack, journal.writeBackCalls() > 0, c + ": write-back calls " +
                    journal.writeBackCalls());
            }
            assertEquals(entries, ReplayedEntries.replay(journalDirectory, 1).entries.size());
            deleteJournal(journalDirectory);
        }
    }

    private static void deleteJournal(final Path journalDirectory) throws IOException
    {
        try (java.util.stream.Stream<Path> files = Files.walk(journalDirectory))
        {
            for (final Path file : files.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.delete(file);
            }
        }
    }

    @Test
    void theKernelMarksTheJournalWritersMappingForRandomAccess() throws IOException
    {
        assumeTrue(Files.isReadable(Path.of("/proc/self/smaps")), "needs Linux's /proc/self/smaps");
        final byte[] command = TestCommands.ofLength(JournalEntryDescriptor.COMMAND_LENGTH_MAX, TestCommands.marker(7));
        final int entries = (int)(JournalQueue.BLOCK_SIZE * 3 / 2 / command.length) + 1;
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
        {
            for (int i = 1; i <= entries; i++)
            {
                journal.append(i, new UnsafeBuffer(command), 0, command.length);
            }
            final List<String> flags = mappingFlags(JournalFiles.onlyQueueFile(directory));
            assertFalse(flags.isEmpty(), "the journal file is mapped");
            assertTrue(flags.stream().anyMatch(line -> line.contains(" rr")),
                "a mapping of the journal file is advised random access: " + flags);
        }
        assertEquals(entries, ReplayedEntries.replay(directory, 1).entries.size());
    }

    /**
     * @return the {@code VmFlags} line of each mapping of this file in {@code /proc/self/smaps}.
     */
    private static List<String> mappingFlags(final Path file) throws IOException
    {
        final String name = file.toRealPath().toString();
        final List<String> flags = new ArrayList<>();
        boolean inMapping = false;
        for (final String line : Files.readAllLines(Path.of("/proc/self/smaps")))
        {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*"))
            {
                inMapping = line.endsWith(name);
            }
            else if (inMapping && line.startsWith("VmFlags:"))
            {
                flags.add(line);
            }
        }
        return flags;
    }
}
