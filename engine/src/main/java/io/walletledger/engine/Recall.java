package io.walletledger.engine;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.walletledger.engine.RecallNote.*;

/**
 * The {@link RecallNote} of the command being executed, if it has one; read by event index.
 */
final class Recall
{
    static final int NOT_LOOKED_UP = 0;
    static final int NOT_FOUND = 1;
    static final int FOUND = 2;

    private final UnsafeBuffer note = new UnsafeBuffer(0, 0);
    private final AppliedTransfer transfer = new AppliedTransfer();
    private final TransferRecords found = new TransferRecords(1);
    private boolean present;
    private long recordTimestamp;
    private int entries;
    private int foundCount;
    private int loaded = -1;

    /**
     * The next command comes with this note.
     *
     * @throws IllegalArgumentException if the note is not well formed (a bug of the journaler: notes are checksummed
     *                                  in the journal).
     */
    void wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            throw new IllegalArgumentException("a recall note of " + length + " bytes");
        }
        note.wrap(buffer, offset, length);
        recordTimestamp = note.getLong(RECORD_TIMESTAMP_OFFSET, BYTE_ORDER);
        entries = note.getInt(ENTRIES_OFFSET, BYTE_ORDER);
        foundCount = note.getInt(FOUND_OFFSET, BYTE_ORDER);
        if (entries < 0 || foundCount < 0 || foundCount > entries || length != RecallNote.length(entries, foundCount))
        {
            throw new IllegalArgumentException("a recall note of " + length + " bytes for " + entries + " entries, " +
                foundCount + " found");
        }
        int previous = -1;
        for (int i = 0; i < entries; i++)
        {
            final int event = eventAt(i);
            final int at = transferAt(i);
            if (event <= previous || at < NOT_IN_RECORD || at >= foundCount)
            {
                throw new IllegalArgumentException("recall note entry " + i + " (event " + event + ", transfer " + at +
                    ") is out of order or points outside the note");
            }
            previous = event;
        }
        present = true;
        loaded = -1;
    }

    /**
     * The next command has no note: it is judged by the window alone.
     */
    void clear()
    {
        present = false;
        loaded = -1;
    }

    boolean present()
    {
        return present;
    }

    long recordTimestamp()
    {
        return recordTimestamp;
    }

    /**
     * @return {@link #FOUND} (then {@link #found()} holds the transfer, slot 0), {@link #NOT_FOUND} or
     * {@link #NOT_LOOKED_UP} for event {@code eventIndex}, which must have this id.
     * @throws IllegalStateException if the note's transfer for this event has another id.
     */
    int lookUp(final int eventIndex, final long idLo, final long idHi)
    {
        int low = 0;
        int high = entries - 1;
        while (low <= high)
        {
            final int middle = (low + high) >>> 1;
            final int event = eventAt(middle);
            if (event < eventIndex)
            {
                low = middle + 1;
            }
            else if (event > eventIndex)
            {
                high = middle - 1;
            }
            else
            {
                final int at = transferAt(middle);
                if (at == NOT_IN_RECORD)
                {
                    return NOT_FOUND;
                }
                if (loaded != at)
                {
                    transfer.wrap(note, HEADER_LENGTH + entries * ENTRY_LENGTH + at * AppliedTransfer.LENGTH);
                    if (transfer.idLo() != idLo || transfer.idHi() != idHi)
                    {
                        throw new IllegalStateException("the recall note of event " + eventIndex + " holds transfer " +
                            Long.toHexString(transfer.idHi()) + ":" + Long.toHexString(transfer.idLo()));
                    }
                    found.load(0, transfer);
                    loaded = at;
                }
                return FOUND;
            }
        }
        return NOT_LOOKED_UP;
    }

    /**
     * @return the transfer the last {@link #lookUp} found, in slot 0.
     */
    TransferRecords found()
    {
        return found;
    }

    private int eventAt(final int entry)
    {
        return note.getInt(HEADER_LENGTH + entry * ENTRY_LENGTH, BYTE_ORDER);
    }

    private int transferAt(final int entry)
    {
        return note.getInt(HEADER_LENGTH + entry * ENTRY_LENGTH + 4, BYTE_ORDER);
    }
}
