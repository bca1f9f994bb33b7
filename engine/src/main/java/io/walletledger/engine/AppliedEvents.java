package io.walletledger.engine;

import io.walletledger.protocol.sbe.ResultCode;
import org.agrona.concurrent.UnsafeBuffer;

import static io.walletledger.engine.AppliedTransfer.*;

/**
 * What the engine captures of each transfer it decides, for its {@link AppliedTransferListener}: one
 * {@link AppliedTransfer} entry per event of the batch, filled right after the event (so the balances are those
 * right after it), and handed over when it is final: at once outside a linked chain, when the chain ends inside
 * one (a failed chain turns its entries into failures first). A hold that expires is handed over at once.
 * <p>
 * Exists only when a listener is set; the engine checks for it once per event.
 */
final class AppliedEvents
{
    private static final int NOT_REPORTED = 0;

    private final AppliedTransferListener listener;
    private final Accounts accounts;
    private final TransferHistory history;
    private final PendingTransfers pending;
    private final UnsafeBuffer entries;
    private final int expiryEntry;
    private final AppliedTransfer view = new AppliedTransfer();

    AppliedEvents(
        final AppliedTransferListener listener,
        final Accounts accounts,
        final TransferHistory history,
        final PendingTransfers pending,
        final int batchEventsMax)
    {
        this.listener = listener;
        this.accounts = accounts;
        this.history = history;
        this.pending = pending;
        this.entries = new UnsafeBuffer(new byte[(batchEventsMax + 1) * LENGTH]);
        this.expiryEntry = batchEventsMax;
    }

    /**
     * Entry {@code i} will not be reported.
     */
    void skip(final int i)
    {
        entries.putByte(offset(i) + KIND_OFFSET, (byte)NOT_REPORTED);
    }

    /**
     * Entry {@code i} is the transfer the event just stored: the newest record of the history.
     */
    void applied(final int i, final ResultCode result)
    {
        final TransferHistory history = this.history;
        stored(offset(i), history.records(), history.slotAt(history.count() - 1), KIND_EVENT, result);
    }

    /**
     * Entry {@code i} is a transfer event that failed: what it asked for.
     */
    void failed(final int i, final TransferEvent event, final long timestamp, final ResultCode result)
    {
        final int at = offset(i);
        final UnsafeBuffer e = entries;
        e.setMemory(at, LENGTH, (byte)0);
        e.putLong(at + ID_LO_OFFSET, event.idLo(), BYTE_ORDER);
        e.putLong(at + ID_HI_OFFSET, event.idHi(), BYTE_ORDER);
        e.putLong(at + DEBIT_ACCOUNT_ID_OFFSET, event.debitAccountId(), BYTE_ORDER);
        e.putLong(at + CREDIT_ACCOUNT_ID_OFFSET, event.creditAccountId(), BYTE_ORDER);
        e.putLong(at + AMOUNT_OFFSET, event.amount(), BYTE_ORDER);
        e.putLong(at + PENDING_ID_LO_OFFSET, event.pendingIdLo(), BYTE_ORDER);
        e.putLong(at + PENDING_ID_HI_OFFSET, event.pendingIdHi(), BYTE_ORDER);
        e.putLong(at + USER_DATA_128_LO_OFFSET, event.userData128Lo(), BYTE_ORDER);
        e.putLong(at + USER_DATA_128_HI_OFFSET, event.userData128Hi(), BYTE_ORDER);
        e.putLong(at + USER_DATA_64_OFFSET, event.userData64(), BYTE_ORDER);
        e.putInt(at + USER_DATA_32_OFFSET, event.userData32(), BYTE_ORDER);
        e.putInt(at + TIMEOUT_OFFSET, event.timeout(), BYTE_ORDER);
        e.putShort(at + CURRENCY_OFFSET, (short)event.currency(), BYTE_ORDER);
        e.putShort(at + CODE_OFFSET, (short)event.code(), BYTE_ORDER);
        e.putShort(at + FLAGS_OFFSET, (short)event.flags(), BYTE_ORDER);
        finishFailure(at, timestamp, result);
    }

    /**
     * Entry {@code i} is a review decision that failed: the post (approve) or void (reject) it asked for.
     */
    void failedDecision(
        final int i, final long idLo, final long idHi, final long pendingIdLo, final long pendingIdHi,
        final int flags, final long timestamp, final ResultCode result)
    {
        final int at = offset(i);
        final UnsafeBuffer e = entries;
        e.setMemory(at, LENGTH, (byte)0);
        e.putLong(at + ID_LO_OFFSET, idLo, BYTE_ORDER);
        e.putLong(at + ID_HI_OFFSET, idHi, BYTE_ORDER);
        e.putLong(at + PENDING_ID_LO_OFFSET, pendingIdLo, BYTE_ORDER);
        e.putLong(at + PENDING_ID_HI_OFFSET, pendingIdHi, BYTE_ORDER);
        e.putShort(at + FLAGS_OFFSET, (short)flags, BYTE_ORDER);
        finishFailure(at, timestamp, result);
    }

    /**
     * @return whether entry {@code i} is to be reported (it was not skipped).
     */
    boolean isReported(final int i)
    {
        return entries.getByte(offset(i) + KIND_OFFSET) != NOT_REPORTED;
    }

    /**
     * Hands entries {@code from..to} (inclusive) to the listener, in order.
     */
    void deliver(final int from, final int to)
    {
        for (int i = from; i <= to; i++)
        {
            final int at = offset(i);
            if (entries.getByte(at + KIND_OFFSET) != NOT_REPORTED)
            {
                listener.onTransfer(view.wrap(entries, at));
            }
        }
    }

    /**
     * A hold expired at {@code now} and released its amount; called before the hold leaves the table.
     */
    void expired(final int hold, final long now)
    {
        final int at = offset(expiryEntry);
        stored(at, pending.records(), hold, KIND_EXPIRED, ResultCode.OK);
        entries.putLong(at + TIMESTAMP_OFFSET, now, BYTE_ORDER);
        listener.onTransfer(view.wrap(entries, at));
    }

    private void stored(
        final int at, final TransferRecords records, final int slot, final byte kind, final ResultCode result)
    {
        final UnsafeBuffer e = entries;
        final boolean hold = (records.flags(slot) & Flags.TRANSFER_PENDING) != 0;
        final int feeSlot = records.feeAccountSlot(slot);
        e.setMemory(at, LENGTH, (byte)0);
        e.putLong(at + ID_LO_OFFSET, records.idLo(slot), BYTE_ORDER);
        e.putLong(at + ID_HI_OFFSET, records.idHi(slot), BYTE_ORDER);
        e.putLong(at + DEBIT_ACCOUNT_ID_OFFSET, records.debitAccountId(slot), BYTE_ORDER);
        e.putLong(at + CREDIT_ACCOUNT_ID_OFFSET, records.creditAccountId(slot), BYTE_ORDER);
        e.putLong(at + AMOUNT_OFFSET, records.amount(slot), BYTE_ORDER);
        e.putLong(at + PENDING_ID_LO_OFFSET, records.pendingIdLo(slot), BYTE_ORDER);
        e.putLong(at + PENDING_ID_HI_OFFSET, records.pendingIdHi(slot), BYTE_ORDER);
        e.putLong(at + USER_DATA_128_LO_OFFSET, records.userData128Lo(slot), BYTE_ORDER);
        e.putLong(at + USER_DATA_128_HI_OFFSET, records.userData128Hi(slot), BYTE_ORDER);
        e.putLong(at + USER_DATA_64_OFFSET, records.userData64(slot), BYTE_ORDER);
        e.putLong(at + TIMESTAMP_OFFSET, records.timestamp(slot), BYTE_ORDER);
        e.putLong(at + FEE_OFFSET, records.fee(slot), BYTE_ORDER);
        e.putLong(at + EXPIRES_AT_OFFSET, hold ? records.expiresAt(slot) : 0, BYTE_ORDER);
        e.putLong(at + FEE_ACCOUNT_ID_OFFSET, feeSlot >= 0 ? accounts.id(feeSlot) : 0, BYTE_ORDER);
        e.putInt(at + USER_DATA_32_OFFSET, records.userData32(slot), BYTE_ORDER);
        e.putInt(at + TIMEOUT_OFFSET, records.timeout(slot), BYTE_ORDER);
        e.putShort(at + CURRENCY_OFFSET, (short)records.currency(slot), BYTE_ORDER);
        e.putShort(at + CODE_OFFSET, (short)records.code(slot), BYTE_ORDER);
        e.putShort(at + FLAGS_OFFSET, (short)records.flags(slot), BYTE_ORDER);
        e.putShort(at + RESULT_OFFSET, (short)result.value(), BYTE_ORDER);
        e.putByte(at + KIND_OFFSET, kind);
        balances(at);
    }

    private void finishFailure(final int at, final long timestamp, final ResultCode result)
    {
        entries.putLong(at + TIMESTAMP_OFFSET, timestamp, BYTE_ORDER);
        entries.putShort(at + RESULT_OFFSET, (short)result.value(), BYTE_ORDER);
        entries.putByte(at + KIND_OFFSET, KIND_EVENT);
        balances(at);
    }

    /**
     * Writes the present-accounts bits and the current balances of the entry's debit, credit and fee accounts.
     */
    private void balances(final int at)
    {
        int present = 0;
        present |= balancesOf(at, DEBIT, entries.getLong(at + DEBIT_ACCOUNT_ID_OFFSET, BYTE_ORDER));
        present |= balancesOf(at, CREDIT, entries.getLong(at + CREDIT_ACCOUNT_ID_OFFSET, BYTE_ORDER));
        present |= balancesOf(at, FEE, entries.getLong(at + FEE_ACCOUNT_ID_OFFSET, BYTE_ORDER));
        entries.putByte(at + PRESENT_OFFSET, (byte)present);
    }

    private int balancesOf(final int at, final int account, final long id)
    {
        final int slot = id == 0 ? -1 : accounts.slotOf(id);
        final int to = at + BALANCES_OFFSET + account * BALANCES_LENGTH;
        if (slot < 0)
        {
            entries.setMemory(to, BALANCES_LENGTH, (byte)0);
            return 0;
        }
        entries.putLong(to, accounts.debitsPending(slot), BYTE_ORDER);
        entries.putLong(to + 8, accounts.debitsPosted(slot), BYTE_ORDER);
        entries.putLong(to + 16, accounts.creditsPending(slot), BYTE_ORDER);
        entries.putLong(to + 24, accounts.creditsPosted(slot), BYTE_ORDER);
        return 1 << account;
    }

    private static int offset(final int i)
    {
        return i * LENGTH;
    }
}
