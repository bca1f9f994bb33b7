package io.walletledger.journal;

import org.agrona.collections.LongHashSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The journal entries that readers pass over: entries the ledger cannot apply, which an operator chose to skip
 * ({@code wallet recover --skip}), one sequence per line in {@code skipped-entries} in the journal directory. A
 * {@link JournalReader} reads the file when it opens and never delivers those entries, so recovery, the snapshot
 * follower, the permanent record and {@code wallet verify} all pass over the same ones. The journal itself keeps the
 * entries, and a {@code SkipJournalEntries} command journaled by the same tool records the skip.
 */
public final class JournalSkips
{
    /** The file, in the journal directory. */
    public static final String FILE_NAME = "skipped-entries";

    private JournalSkips()
    {
    }

    /**
     * @return the sequences to pass over; empty if there is no file.
     * @throws IllegalStateException if the file holds a line that is not a sequence.
     */
    public static LongHashSet read(final Path journalDirectory)
    {
        final LongHashSet skipped = new LongHashSet();
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(journalDirectory.resolve(FILE_NAME), StandardCharsets.US_ASCII);
        }
        catch (final NoSuchFileException ex)
        {
            return skipped;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        for (final String line : lines)
        {
            final String text = line.strip();
            if (text.isEmpty())
            {
                continue;
            }
            try
            {
                final long sequence = Long.parseLong(text);
                if (sequence < 1)
                {
                    throw new NumberFormatException("below 1");
                }
                skipped.add(sequence);
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalStateException(journalDirectory.resolve(FILE_NAME) + " holds \"" + text + "\", not " +
                    "a journal sequence: it lists the entries to pass over, one sequence per line");
            }
        }
        return skipped;
    }

    /**
     * Adds a sequence to the file, durably: the file is forced, and so is the directory when it is new.
     */
    public static void add(final Path journalDirectory, final long sequence)
    {
        if (sequence < 1)
        {
            throw new IllegalArgumentException("journal sequences start at 1, not " + sequence);
        }
        final Path file = journalDirectory.resolve(FILE_NAME);
        try
        {
            final boolean created = !Files.exists(file);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND))
            {
                channel.write(ByteBuffer.wrap((sequence + "\n").getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            if (created)
            {
                try (FileChannel directory = FileChannel.open(journalDirectory, StandardOpenOption.READ))
                {
                    directory.force(true);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }
}
