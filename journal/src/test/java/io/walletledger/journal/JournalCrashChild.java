package io.walletledger.journal;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The process {@link JournalCrashTest} kills with SIGKILL. It reports on standard output; Chronicle logs to
 * standard error.
 * <ul>
 *     <li>{@code mid-document DIR}: appends entries 1 to 3, then starts a fourth document by hand, writes half of
 *     it, prints {@code MID-DOCUMENT} and waits to be killed, with the document open and Chronicle's write lock
 *     held.</li>
 *     <li>{@code open-writer DIR}: tries to open the journal for writing and prints {@code OPENED} or
 *     {@code REFUSED}.</li>
 *     <li>{@code appending DIR NONE|BATCH}: appends entries for ever, printing each sequence once append (and in
 *     BATCH, flush) has returned: the acknowledgement.</li>
 * </ul>
 */
public final class JournalCrashChild
{
    static final int MID_DOCUMENT_ENTRIES = 3;

    private JournalCrashChild()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final Path directory = Paths.get(args[1]);
        if ("mid-document".equals(args[0]))
        {
            writeHalfADocument(directory);
        }
        else if ("open-writer".equals(args[0]))
        {
            try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
            {
                System.out.println(journal.lastSequence() >= 0 ? "OPENED" : "?");
            }
            catch (final IllegalStateException ex)
            {
                System.out.println("REFUSED");
            }
        }
        else
        {
            appendForEver(directory, JournalDurability.valueOf(args[2]));
        }
    }

    static byte[] command(final long sequence)
    {
        return TestCommands.createTransfers((int)(sequence % 50) * 20, TestCommands.marker(sequence));
    }

    private static void writeHalfADocument(final Path directory) throws IOException
    {
        try (CommandJournal journal = CommandJournal.open(directory, JournalDurability.NONE))
        {
            for (long sequence = 1; sequence <= MID_DOCUMENT_ENTRIES; sequence++)
            {
                final byte[] command = command(sequence);
                journal.append(sequence, new UnsafeBuffer(command), 0, command.length);
            }
        }
        final SingleChronicleQueue queue = JournalQueue.open(directory, SystemTimeProvider.INSTANCE);
        final ExcerptAppender appender = queue.createAppender();
        final byte[] record = RawRecords.entry(MID_DOCUMENT_ENTRIES + 1, 4,
            TestCommands.createTransfers(8190, TestCommands.marker(MID_DOCUMENT_ENTRIES + 1)));
        final DocumentContext context = appender.writingDocument();
        context.wire().bytes().write(record, 0, record.length / 2);
        System.out.println("MID-DOCUMENT");
        System.out.flush();
        while (System.in.read() >= 0)
        {
            // Wait for the kill; never commit the document.
        }
        Runtime.getRuntime().halt(1);
    }

    private static void appendForEver(final Path directory, final JournalDurability durability)
    {
        try (CommandJournal journal = CommandJournal.open(directory, durability))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
            for (long sequence = journal.lastSequence() + 1; ; sequence++)
            {
                final byte[] command = command(sequence);
                buffer.wrap(command);
                journal.append(sequence, buffer, 0, command.length);
                journal.flush();
                System.out.println(sequence);
            }
        }
    }
}
