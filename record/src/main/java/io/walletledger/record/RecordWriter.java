package io.walletledger.record;

import io.walletledger.engine.AppliedTransfer;
import io.walletledger.engine.AppliedTransferListener;

/**
 * Feeds a {@link TransferRecordStore} from an engine that replays the journal: set it as the engine's
 * {@link AppliedTransferListener}, call {@link #beginCommand} before each journaled command the engine executes, and
 * {@link #commit} now and then (after a poll of the journal) to write what was heard, atomically with the journal
 * sequence it reaches. Commands at or below the record's position are already recorded and are passed over, so a
 * writer can replay from any snapshot before that position.
 * <p>
 * On the engine's thread only.
 */
public final class RecordWriter implements AppliedTransferListener, AutoCloseable
{
    private final TransferRecordStore store;
    private final TransferRecordStore.Batch batch;
    private long sequence;
    private int index;
    private boolean recorded;

    public RecordWriter(final TransferRecordStore store)
    {
        this.store = store;
        this.batch = store.batch();
    }

    /**
     * The engine is about to execute the command journaled at {@code journalSequence}.
     */
    public void beginCommand(final long journalSequence)
    {
        sequence = journalSequence;
        index = 0;
        recorded = journalSequence <= store.position();
    }

    @Override
    public void onTransfer(final AppliedTransfer transfer)
    {
        if (!recorded)
        {
            batch.add(TransferRecordStore.position(sequence, index), transfer);
        }
        index++;
    }

    /**
     * Writes every transfer heard since the last commit, and makes {@code journalSequence} (the last command
     * executed) the record's position.
     *
     * @param engineTimestamp the engine's timestamp after that command: every transfer up to it is recorded.
     */
    public void commit(final long journalSequence, final long engineTimestamp)
    {
        if (journalSequence > store.position())
        {
            batch.commit(journalSequence, engineTimestamp);
        }
    }

    @Override
    public void close()
    {
        batch.close();
    }
}
