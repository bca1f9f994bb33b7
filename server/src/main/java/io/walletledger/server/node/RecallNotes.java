package io.walletledger.server.node;

import io.walletledger.engine.AppliedTransfer;
import io.walletledger.engine.RecallNote;
import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.RequestType;
import io.walletledger.record.RecordedTransfer;
import io.walletledger.record.TransferRecordStore;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

import static io.walletledger.engine.RecallNote.BYTE_ORDER;

/**
 * Writes the {@link RecallNote} of each journaled command whose events carry transfer ids, on the journaler's thread:
 * every id that is not above the largest id the engine's window has forgotten (as the engine last published it) is
 * looked up in the permanent record, and what the record holds under it goes into the note, journaled with the
 * command. The engine then decides from the note and its own state alone, the same on every replay.
 * <p>
 * Time-ordered ids (the Java client's) are above the forgotten ones once the window has moved past the time they
 * were made, so they cost no look-up; random ids cost one each, once the window has forgotten anything. A look-up
 * that fails (the record unreadable) is left out of the note: the engine then refuses that id with
 * {@code RECORD_BEHIND} unless it can prove it new, and a retry is judged again.
 */
final class RecallNotes
{
    private static final Logger LOG = LoggerFactory.getLogger(RecallNotes.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final TransferRecordStore record;
    private final PipelineState state;
    /** Opened on the journaler's thread at its first look-up. */
    private TransferRecordStore.IdLookups lookups;
    private boolean begun;
    private final ExpandableArrayBuffer found = new ExpandableArrayBuffer(AppliedTransfer.LENGTH);
    private long lastLoggedAt = System.nanoTime() - LOG_EVERY_NANOS;

    RecallNotes(final TransferRecordStore record, final PipelineState state)
    {
        this.record = record;
        this.state = state;
    }

    /**
     * @param request a well-formed request that is journaled.
     * @param note    where the note goes, from offset 0; grows as needed.
     * @param room    the longest note the entry has room for beside the command: ids beyond what fits are not
     *                looked up (the engine refuses them {@code RECORD_BEHIND} unless it can prove them new).
     * @return the note's length; 0 if the request's events carry no transfer ids (it gets no note).
     */
    int write(final DirectBuffer request, final int offset, final MutableDirectBuffer note, final int room)
    {
        final int idOffset = RequestType.of(FrameDescriptor.templateId(request, offset)).transferIdOffset();
        if (idOffset < 0)
        {
            return 0;
        }
        // Read before any look-up: each look-up then sees at least everything up to this timestamp.
        final long covered = record.coveredTimestamp();
        final long forgottenHi = state.forgottenIdHi;
        final long forgottenLo = state.forgottenIdLo;
        final int group = FrameDescriptor.groupHeaderOffset(request, offset);
        final int elementLength = FrameDescriptor.groupElementLength(request, group);
        final int count = FrameDescriptor.groupCount(request, group);
        final int first = group + FrameDescriptor.GROUP_HEADER_LENGTH + idOffset;
        int entries = 0;
        int foundCount = 0;
        begun = false;
        for (int i = 0; i < count; i++)
        {
            final long idLo = request.getLong(first + i * elementLength, BYTE_ORDER);
            final long idHi = request.getLong(first + i * elementLength + 8, BYTE_ORDER);
            if (RecallNote.isAbove(idHi, idLo, forgottenHi, forgottenLo) || (idLo == 0 && idHi == 0))
            {
                continue;
            }
            if (RecallNote.length(entries + 1, foundCount + 1) > room)
            {
                break;
            }
            final RecordedTransfer recorded = lookUp(idHi, idLo);
            if (recorded == NOT_LOOKED_UP)
            {
                continue;
            }
            final int entry = RecallNote.HEADER_LENGTH + entries * RecallNote.ENTRY_LENGTH;
            note.putInt(entry, i, BYTE_ORDER);
            if (recorded == null)
            {
                note.putInt(entry + 4, RecallNote.NOT_IN_RECORD, BYTE_ORDER);
            }
            else
            {
                note.putInt(entry + 4, foundCount, BYTE_ORDER);
                recorded.transfer().copyTo(found, foundCount * AppliedTransfer.LENGTH);
                foundCount++;
            }
            entries++;
        }
        note.putLong(RecallNote.RECORD_TIMESTAMP_OFFSET, covered, BYTE_ORDER);
        note.putInt(RecallNote.ENTRIES_OFFSET, entries, BYTE_ORDER);
        note.putInt(RecallNote.FOUND_OFFSET, foundCount, BYTE_ORDER);
        final int foundAt = RecallNote.HEADER_LENGTH + entries * RecallNote.ENTRY_LENGTH;
        note.putBytes(foundAt, found, 0, foundCount * AppliedTransfer.LENGTH);
        return RecallNote.length(entries, foundCount);
    }

    /** Stands for a look-up that failed. */
    private static final RecordedTransfer NOT_LOOKED_UP = new RecordedTransfer(null, -1, null);

    /**
     * @return the first transfer the record holds under the id, null if none, {@link #NOT_LOOKED_UP} if it cannot
     * be read.
     */
    private RecordedTransfer lookUp(final long idHi, final long idLo)
    {
        try
        {
            if (!begun)
            {
                if (lookups == null)
                {
                    lookups = record.idLookups();
                }
                lookups.begin();
                begun = true;
            }
            return lookups.find(idHi, idLo);
        }
        catch (final RuntimeException ex)
        {
            final long now = System.nanoTime();
            if (now - lastLoggedAt >= LOG_EVERY_NANOS)
            {
                lastLoggedAt = now;
                LOG.warn("cannot look up a transfer id in the record ({}): ids the window forgot are refused " +
                    "RECORD_BEHIND until it can", ex.getMessage());
            }
            return NOT_LOOKED_UP;
        }
    }

    /**
     * Releases the record's iterator; call on the journaler's thread, or once it has stopped, before the record
     * closes.
     */
    void close()
    {
        if (lookups != null)
        {
            lookups.close();
            lookups = null;
        }
    }

}
