package io.walletledger.server.node;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import io.walletledger.journal.CommandJournal;
import io.walletledger.journal.JournalDurability;
import io.walletledger.journal.JournalEntryDescriptor;
import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.RequestType;
import io.walletledger.protocol.RequestValidator;

/**
 * Stage 1: journals every well-formed state-changing request; flushes once per Disruptor batch, then publishes
 * its progress early (the sequence callback) so the engine stage can start on the batch at once.
 */
final class Journaler implements EventHandler<NodeEvent>
{
    private final CommandJournal journal;
    private final JournalDurability durability;
    private final PipelineState state;
    private final EngineClock clock;
    private final RequestValidator validator;
    /** Null without a record: commands then get no note and are judged by the window alone. */
    private final RecallNotes recallNotes;
    /** Null without a disk watch. */
    private final DiskSpace disk;
    /** The engine time of the last command journaled (a command not journaled is told it). */
    private long lastTimestamp;
    private long batchStart = -1;
    private boolean unflushed;
    private Sequence progress;

    /**
     * @param journal        where commands go.
     * @param config         the durability mode and the batch limit.
     * @param state          shared with the other stages and the node.
     * @param clock          gives the engine timestamps; it knows the newest recovered.
     * @param lastTimestamp  of the newest command recovered.
     * @param recallNotes    writes the notes of commands with transfer ids, or null without a record.
     * @param disk           the free-space watch, or null for none.
     */
    Journaler(
        final CommandJournal journal,
        final NodeConfig config,
        final PipelineState state,
        final EngineClock clock,
        final long lastTimestamp,
        final RecallNotes recallNotes,
        final DiskSpace disk)
    {
        this.recallNotes = recallNotes;
        this.disk = disk;
        this.journal = journal;
        this.durability = config.durability();
        this.state = state;
        this.clock = clock;
        this.validator = new RequestValidator(config.ledger().batchEventsMax());
        this.lastTimestamp = lastTimestamp;
    }

    @Override
    public void setSequenceCallback(final Sequence sequenceCallback)
    {
        this.progress = sequenceCallback;
    }

    /**
     * Releases what the look-ups hold in the record, on this thread, before the node closes the record.
     */
    @Override
    public void onShutdown()
    {
        if (recallNotes != null)
        {
            recallNotes.close();
        }
    }

    @Override
    public void onEvent(final NodeEvent event, final long ringSequence, final boolean endOfBatch)
    {
        if (batchStart < 0)
        {
            batchStart = ringSequence;
        }
        event.timestamp = lastTimestamp;
        try
        {
            if (state.failure == null && isJournaled(event) && !refusedForDisk(event))
            {
                final long timestamp = clock.next();
                lastTimestamp = timestamp;
                event.timestamp = timestamp;
                event.noteLength = recallNotes == null ? 0 : recallNotes.write(event.request, event.offset,
                    event.note, JournalEntryDescriptor.COMMAND_LENGTH_MAX - event.length);
                event.sequence = journal.append(
                    timestamp, event.request, event.offset, event.length, event.note, 0, event.noteLength);
                event.journaled = true;
                unflushed = true;
                state.metrics.countAppend(JournalEntryDescriptor.HEADER_LENGTH + event.length + event.noteLength);
            }
        }
        catch (final Throwable ex)
        {
            // Earlier entries of this batch are appended but not flushed: none of them may be acknowledged.
            state.halt(batchStart, ex);
        }
        if (endOfBatch)
        {
            endBatch(ringSequence);
        }
    }

    private void endBatch(final long ringSequence)
    {
        if (unflushed && state.failure == null)
        {
            try
            {
                final long start = System.nanoTime();
                journal.flush();
                if (durability == JournalDurability.BATCH)
                {
                    state.metrics.recordFlush(System.nanoTime() - start);
                }
                state.durableSequence = journal.lastSequence();
            }
            catch (final Throwable ex)
            {
                // Nothing of this batch is known to be on disk: none of it may be acknowledged.
                state.halt(batchStart, ex);
            }
        }
        unflushed = false;
        batchStart = -1;
        progress.set(ringSequence);
        state.signal();
    }

    /**
     * @return whether the disk is too full to take this change (the event is then answered {@code DISK_FULL}).
     */
    private boolean refusedForDisk(final NodeEvent event)
    {
        if (disk != null && disk.isLow(state.metrics.journalBytes() + JournalEntryDescriptor.RECORD_LENGTH_MAX))
        {
            event.diskFull = true;
            return true;
        }
        return false;
    }

    private boolean isJournaled(final NodeEvent event)
    {
        if (event.length < FrameDescriptor.MESSAGE_HEADER_LENGTH)
        {
            return false;
        }
        // The engine refuses malformed requests without a change, so only well-formed mutations are journaled.
        final RequestType type = RequestType.of(FrameDescriptor.templateId(event.request, event.offset));
        return type != null && type.journaled() &&
            validator.validate(event.request, event.offset, event.length) == null;
    }
}
