package io.walletledger.journal;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a copy of every entry a replay delivers.
 */
final class ReplayedEntries implements JournalEntryHandler
{
    final List<Entry> entries = new ArrayList<>();

    @Override
    public void onEntry(
        final long sequence,
        final long timestamp,
        final int templateId,
        final DirectBuffer command,
        final int offset,
        final int length,
        final int noteLength)
    {
        final byte[] bytes = new byte[length];
        command.getBytes(offset, bytes);
        final byte[] note = new byte[noteLength];
        command.getBytes(offset + length, note);
        entries.add(new Entry(sequence, timestamp, templateId, bytes, note));
    }

    static ReplayedEntries replay(final java.nio.file.Path directory, final long fromSequence)
    {
        final ReplayedEntries replayed = new ReplayedEntries();
        try (JournalReader reader = JournalReader.open(directory))
        {
            replayed.last = reader.replay(fromSequence, replayed);
        }
        return replayed;
    }

    long last;

    static final class Entry
    {
        final long sequence;
        final long timestamp;
        final int templateId;
        final byte[] command;
        /** The note appended with the command, empty for none. */
        final byte[] note;

        Entry(final long sequence, final long timestamp, final int templateId, final byte[] command, final byte[] note)
        {
            this.note = note;
            this.sequence = sequence;
            this.timestamp = timestamp;
            this.templateId = templateId;
            this.command = command;
        }
    }
}
