package io.walletledger.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real child JVM killed with SIGKILL while it writes the journal.
 */
class JournalCrashTest
{
    @TempDir
    Path directory;

    @Test
    void aDocumentHalfWrittenWhenTheProcessIsKilledIsNeverDeliveredAndIsOverwritten() throws Exception
    {
        final Process child = start("mid-document", directory.toString());
        try (BufferedReader output = reader(child))
        {
            assertEquals("MID-DOCUMENT", output.readLine());
            kill(child);
        }

        // The dead child still holds Chronicle's write lock and left an incomplete header: neither stops us.
        final byte[] command = JournalCrashChild.command(JournalCrashChild.MID_DOCUMENT_ENTRIES + 1);
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE, TornTailPolicy.REFUSE))
        {
            assertEquals(JournalCrashChild.MID_DOCUMENT_ENTRIES, journal.lastSequence());
            assertEquals(JournalCrashChild.MID_DOCUMENT_ENTRIES + 1,
                journal.append(4, new UnsafeBuffer(command), 0, command.length));
        }

        final ReplayedEntries replayed = ReplayedEntries.replay(directory, 1);
        assertEquals(JournalCrashChild.MID_DOCUMENT_ENTRIES + 1, replayed.entries.size());
        for (final ReplayedEntries.Entry entry : replayed.entries)
        {
            assertArrayEquals(JournalCrashChild.command(entry.sequence), entry.command);
        }
    }

    @Test
    void aRefusedSecondWriterInThisProcessLeavesTheFirstOneLockedAgainstOthers() throws Exception
    {
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
        {
            assertThrows(IllegalStateException.class, () -> CommandJournal.open(directory, JournalDurability.NONE));
            assertEquals("REFUSED", runToEnd("open-writer", directory.toString()));
            assertEquals(0, journal.lastSequence());
        }
        assertEquals("OPENED", runToEnd("open-writer", directory.toString()));
    }

    @ParameterizedTest
    @EnumSource(JournalDurability.class)
    void everyAcknowledgedEntrySurvivesSigkillWhileAppending(final JournalDurability durability) throws Exception
    {
        long acknowledged = 0;
        // Each new child opening the journal also shows that the dead one's writer lock went with it.
        for (int kill = 0; kill < 2; kill++)
        {
            final Process child = start("appending", directory.toString(), durability.name());
            try (BufferedReader output = reader(child))
            {
                final long target = acknowledged + 300;
                String line;
                while ((line = output.readLine()) != null)
                {
                    acknowledged = Long.parseLong(line);
                    if (acknowledged >= target)
                    {
                        break;
                    }
                }
                final IllegalStateException secondWriter = assertThrows(IllegalStateException.class,
                    () -> CommandJournal.open(directory, durability));
                assertTrue(secondWriter.getMessage().contains("another writer"), secondWriter.getMessage());
                kill(child);
                while ((line = output.readLine()) != null)
                {
                    acknowledged = Long.parseLong(line);
                }
            }
            assertTrue(acknowledged >= 300L * (kill + 1), "the child acknowledged " + acknowledged);

            final ReplayedEntries replayed = ReplayedEntries.replay(directory, 1);
            assertTrue(replayed.last >= acknowledged, replayed.last + " < acknowledged " + acknowledged);
            assertEquals(replayed.last, replayed.entries.size());
            for (final ReplayedEntries.Entry entry : replayed.entries)
            {
                assertArrayEquals(JournalCrashChild.command(entry.sequence), entry.command);
            }
            acknowledged = replayed.last;

            // A kill is not a power loss: the page cache kept every byte, so a writer opening the journal with the
            // default durability finds nothing to drop, whatever the killed one used.
            try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.BATCH))
            {
                assertNull(journal.droppedAtOpen(), "a SIGKILL left a tail to drop");
                assertEquals(acknowledged, journal.lastSequence());
            }
        }
    }

    /**
     * SIGKILL, through the process handle: {@link Process#destroyForcibly()} would also close our end of the
     * child's output, losing the acknowledgements still in the pipe.
     */
    private static void kill(final Process child) throws InterruptedException
    {
        child.toHandle().destroyForcibly();
        child.waitFor();
    }

    private static String runToEnd(final String... args) throws Exception
    {
        final Process child = start(args);
        try (BufferedReader output = reader(child))
        {
            final String line = output.readLine();
            assertEquals(0, child.waitFor());
            return line;
        }
    }

    private static BufferedReader reader(final Process child)
    {
        return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static Process start(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            // The Chronicle flags Surefire's argLine gave this JVM (the parent pom's wallet.jvm.flags): every JVM here needs them.
            if (argument.startsWith("--add-") || argument.startsWith("-Dchronicle.") ||
                argument.startsWith("--enable-native-access") || argument.startsWith("--sun-misc"))
            {
                command.add(argument);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(JournalCrashChild.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
