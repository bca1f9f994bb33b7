package io.walletledger.engine;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The changes made by the events of the linked chain being applied, newest last, so that a failed chain
 * can be undone exactly. Fixed-size entries in one preallocated buffer; the engine records into it only
 * while a chain is open, and clears it when the chain ends.
 *
 * <pre>
 *  entry (136 bytes): type (i32) | slot (i32) | payload (up to 128 bytes)
 * </pre>
 */
final class UndoLog
{
    /**
     * The most entries one event can record: three balances (debit, credit, fee account), the spending of a limited
     * account, a removed or inserted hold, a status and an append; or an account and its limits record.
     */
    static final int ENTRIES_PER_EVENT_MAX = 8;

    private static final int TYPE_OFFSET = 0;
    private static final int SLOT_OFFSET = 4;
    private static final int PAYLOAD_OFFSET = 8;
    private static final int ENTRY_LENGTH = PAYLOAD_OFFSET + TransferDescriptor.RECORD_LENGTH;

    private static final int ACCOUNT_CREATED = 1;
    private static final int BALANCES = 2;
    private static final int HISTORY_APPENDED = 3;
    private static final int PENDING_INSERTED = 4;
    private static final int PENDING_REMOVED = 5;
    private static final int HISTORY_STATUS = 6;
    private static final int LIMITS_SPENDING = 7;
    private static final int LIMITS_CREATED = 8;

    private final UnsafeBuffer buffer;
    private final int capacity;
    private int count;

    UndoLog(final int batchEventsMax)
    {
        this.capacity = batchEventsMax * ENTRIES_PER_EVENT_MAX;
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity * ENTRY_LENGTH, 64));
    }

    void clear()
    {
        count = 0;
    }

    private int push(final int type, final int slot)
    {
        if (count == capacity)
        {
            throw new IllegalStateException("undo log overflow: more than " + capacity + " entries in one chain");
        }
        final int offset = count++ * ENTRY_LENGTH;
        buffer.putInt(offset + TYPE_OFFSET, type);
        buffer.putInt(offset + SLOT_OFFSET, slot);
        return offset + PAYLOAD_OFFSET;
    }

    void accountCreated()
    {
        push(ACCOUNT_CREATED, 0);
    }

    void balances(final Accounts accounts, final int slot)
    {
        final int payload = push(BALANCES, slot);
        buffer.putLong(payload, accounts.debitsPending(slot));
        buffer.putLong(payload + 8, accounts.debitsPosted(slot));
        buffer.putLong(payload + 16, accounts.creditsPending(slot));
        buffer.putLong(payload + 24, accounts.creditsPosted(slot));
    }

    void historyAppended()
    {
        push(HISTORY_APPENDED, 0);
    }

    void pendingInserted(final int slot)
    {
        push(PENDING_INSERTED, slot);
    }

    void pendingRemoved(final TransferRecords pendingRecords, final int slot)
    {
        final int payload = push(PENDING_REMOVED, slot);
        buffer.putBytes(payload, pendingRecords.buffer(), TransferRecords.offset(slot), TransferDescriptor.RECORD_LENGTH);
    }

    void historyStatus(final int historySlot, final int previousStatus)
    {
        final int payload = push(HISTORY_STATUS, historySlot);
        buffer.putInt(payload, previousStatus);
    }

    void limitsSpending(final AccountLimits limits, final int record)
    {
        final int payload = push(LIMITS_SPENDING, record);
        limits.saveSpending(record, buffer, payload);
    }

    void limitsCreated(final int accountSlot)
    {
        push(LIMITS_CREATED, accountSlot);
    }

    /**
     * Undoes every recorded change, newest first, and clears the log.
     */
    void rollback(
        final Accounts accounts, final TransferHistory history, final PendingTransfers pending, final AccountLimits limits)
    {
        while (count > 0)
        {
            final int offset = --count * ENTRY_LENGTH;
            final int slot = buffer.getInt(offset + SLOT_OFFSET);
            final int payload = offset + PAYLOAD_OFFSET;
            switch (buffer.getInt(offset + TYPE_OFFSET))
            {
                case ACCOUNT_CREATED:
                    accounts.removeNewest();
                    break;
                case BALANCES:
                    accounts.debitsPending(slot, buffer.getLong(payload));
                    accounts.debitsPosted(slot, buffer.getLong(payload + 8));
                    accounts.creditsPending(slot, buffer.getLong(payload + 16));
                    accounts.creditsPosted(slot, buffer.getLong(payload + 24));
                    break;
                case HISTORY_APPENDED:
                    history.removeNewest();
                    break;
                case PENDING_INSERTED:
                    pending.remove(slot);
                    break;
                case PENDING_REMOVED:
                {
                    // remove() pushed the slot on the free stack, so claim() returns it again.
                    final int restored = pending.claim();
                    if (restored != slot)
                    {
                        throw new IllegalStateException("undo restored hold into slot " + restored + ", not " + slot);
                    }
                    pending.records().buffer().putBytes(
                        TransferRecords.offset(slot), buffer, payload, TransferDescriptor.RECORD_LENGTH);
                    pending.commit(slot);
                    break;
                }
                case HISTORY_STATUS:
                    history.records().pendingStatus(slot, buffer.getInt(payload));
                    break;
                case LIMITS_SPENDING:
                    limits.restoreSpending(slot, buffer, payload);
                    break;
                case LIMITS_CREATED:
                    limits.removeNewest();
                    accounts.policy(slot, accounts.policy(slot) & ~AccountDescriptor.POLICY_HAS_LIMITS);
                    break;
                default:
                    throw new IllegalStateException("corrupt undo log entry at " + offset);
            }
        }
    }
}
