package io.walletledger.engine;

import io.walletledger.protocol.sbe.ResultCode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.walletledger.engine.RecordBlock.*;
import static io.walletledger.engine.TransferDescriptor.*;

/**
 * A fixed number of {@link TransferDescriptor transfer records} in one cache-aligned off-heap buffer,
 * addressed by slot. Which slots are in use is up to the owner ({@link TransferHistory} or
 * {@link PendingTransfers}).
 */
final class TransferRecords
{
    private final RecordBlock block;
    private final UnsafeBuffer buffer;
    private final int capacity;

    TransferRecords(final int capacity)
    {
        if (capacity < 1 || capacity > CAPACITY_LIMIT)
        {
            throw new IllegalArgumentException("transfer record capacity must be in 1.." + CAPACITY_LIMIT +
                ", was " + capacity);
        }
        this.capacity = capacity;
        this.block = new RecordBlock(capacity, RECORD_LENGTH);
        this.buffer = block.buffer();
    }

    int capacity()
    {
        return capacity;
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    static int offset(final int slot)
    {
        return slot * RECORD_LENGTH;
    }

    // The writers below read everything first, then write every field in the order of the layout: the JIT keeps
    // reads of the request (through Unsafe, of memory it cannot type) in program order with every other access, and
    // the record's two cache lines take their stores fastest in order (measured: 2-3 % of a transfer otherwise).

    /**
     * Writes the record of a new transfer that applied (single-phase, or a hold): what it asked for from its event,
     * the rest from its plan. The fee and the fee account, which share bytes with the deadline, are written after it
     * by {@link #fee(int, long, int)} when there is a fee.
     *
     * @param flags the flags the record keeps.
     */
    void writeNew(final int slot, final TransferEvent event, final TransferPlan plan, final int flags)
    {
        final long a = block.address(slot);
        final long debitAccountId = event.debitAccountId();
        final long creditAccountId = event.creditAccountId();
        final long amount = event.amount();
        final long userData128Lo = event.userData128Lo();
        final long userData128Hi = event.userData128Hi();
        final long userData64 = event.userData64();
        final int userData32 = event.userData32();
        final int timeout = event.timeout();
        final int currency = event.currency();
        final int code = event.code();
        putLong(a + ID_LO_OFFSET, plan.idLo);
        putLong(a + ID_HI_OFFSET, plan.idHi);
        putLong(a + DEBIT_ACCOUNT_ID_OFFSET, debitAccountId);
        putLong(a + CREDIT_ACCOUNT_ID_OFFSET, creditAccountId);
        putLong(a + AMOUNT_OFFSET, amount);
        putLong(a + PENDING_ID_LO_OFFSET, 0L);
        putLong(a + PENDING_ID_HI_OFFSET, 0L);
        putLong(a + USER_DATA_128_LO_OFFSET, userData128Lo);
        putLong(a + USER_DATA_128_HI_OFFSET, userData128Hi);
        putLong(a + USER_DATA_64_OFFSET, userData64);
        putLong(a + TIMESTAMP_OFFSET, plan.timestamp);
        putLong(a + EXPIRES_AT_OFFSET, plan.expiresAt);
        putInt(a + USER_DATA_32_OFFSET, userData32);
        putInt(a + TIMEOUT_OFFSET, timeout);
        putShort(a + CURRENCY_OFFSET, currency);
        putShort(a + CODE_OFFSET, code);
        putShort(a + FLAGS_OFFSET, flags);
        putShort(a + RESULT_OFFSET, ResultCode.OK.value());
        putLong(a + PENDING_STATUS_OFFSET, 0L);
        putByte(a + PENDING_STATUS_OFFSET, plan.pending ? Flags.PENDING_STATUS_PENDING : Flags.PENDING_STATUS_NONE);
        putLong(a + ID_HASH_OFFSET, plan.idHash);
    }

    /**
     * Writes the record of a post or void that applied: what it asked for from its event; the hold's accounts and
     * currency and the amount that moved from its plan. A fee is written after it by {@link #fee(int, long, int)}.
     */
    void writeResolution(final int slot, final TransferEvent event, final TransferPlan plan)
    {
        final long a = block.address(slot);
        final long pendingIdLo = event.pendingIdLo();
        final long pendingIdHi = event.pendingIdHi();
        final long userData128Lo = event.userData128Lo();
        final long userData128Hi = event.userData128Hi();
        final long userData64 = event.userData64();
        final int userData32 = event.userData32();
        final int timeout = event.timeout();
        final int code = event.code();
        final int flags = event.flags();
        putLong(a + ID_LO_OFFSET, plan.idLo);
        putLong(a + ID_HI_OFFSET, plan.idHi);
        putLong(a + DEBIT_ACCOUNT_ID_OFFSET, plan.debitAccountId);
        putLong(a + CREDIT_ACCOUNT_ID_OFFSET, plan.creditAccountId);
        putLong(a + AMOUNT_OFFSET, plan.amount);
        putLong(a + PENDING_ID_LO_OFFSET, pendingIdLo);
        putLong(a + PENDING_ID_HI_OFFSET, pendingIdHi);
        putLong(a + USER_DATA_128_LO_OFFSET, userData128Lo);
        putLong(a + USER_DATA_128_HI_OFFSET, userData128Hi);
        putLong(a + USER_DATA_64_OFFSET, userData64);
        putLong(a + TIMESTAMP_OFFSET, plan.timestamp);
        putLong(a + EXPIRES_AT_OFFSET, 0L);
        putInt(a + USER_DATA_32_OFFSET, userData32);
        putInt(a + TIMEOUT_OFFSET, timeout);
        putShort(a + CURRENCY_OFFSET, plan.currency);
        putShort(a + CODE_OFFSET, code);
        putShort(a + FLAGS_OFFSET, flags & ~Flags.TRANSFER_LINKED);
        putShort(a + RESULT_OFFSET, ResultCode.OK.value());
        putLong(a + PENDING_STATUS_OFFSET, 0L);
        putByte(a + PENDING_STATUS_OFFSET, Flags.PENDING_STATUS_NONE);
        putLong(a + ID_HASH_OFFSET, plan.idHash);
    }

    /**
     * Writes the record of a failed transfer: what it asked for (flags without {@code linked}), its timestamp and its
     * result, so that a retry is compared with it field by field like a transfer that applied.
     */
    void writeFailure(final int slot, final TransferEvent event, final long timestamp, final int result,
        final long idHash)
    {
        final int o = offset(slot);
        buffer.setMemory(o, RECORD_LENGTH, (byte)0);
        buffer.putLong(o + ID_LO_OFFSET, event.idLo());
        buffer.putLong(o + ID_HI_OFFSET, event.idHi());
        buffer.putLong(o + DEBIT_ACCOUNT_ID_OFFSET, event.debitAccountId());
        buffer.putLong(o + CREDIT_ACCOUNT_ID_OFFSET, event.creditAccountId());
        buffer.putLong(o + AMOUNT_OFFSET, event.amount());
        buffer.putLong(o + PENDING_ID_LO_OFFSET, event.pendingIdLo());
        buffer.putLong(o + PENDING_ID_HI_OFFSET, event.pendingIdHi());
        buffer.putLong(o + USER_DATA_128_LO_OFFSET, event.userData128Lo());
        buffer.putLong(o + USER_DATA_128_HI_OFFSET, event.userData128Hi());
        buffer.putLong(o + USER_DATA_64_OFFSET, event.userData64());
        buffer.putLong(o + TIMESTAMP_OFFSET, timestamp);
        buffer.putInt(o + USER_DATA_32_OFFSET, event.userData32());
        buffer.putInt(o + TIMEOUT_OFFSET, event.timeout());
        buffer.putShort(o + CURRENCY_OFFSET, (short)event.currency());
        buffer.putShort(o + CODE_OFFSET, (short)event.code());
        buffer.putShort(o + FLAGS_OFFSET, (short)(event.flags() & ~Flags.TRANSFER_LINKED));
        buffer.putShort(o + RESULT_OFFSET, (short)result);
        buffer.putLong(o + ID_HASH_OFFSET, idHash);
    }

    /**
     * Writes what a retry is compared with from a transfer the read side recorded ({@link RecallNote}): the fields
     * {@link TransferRetries} reads, and the result. No id hash, fee or pending status: the slot is not indexed.
     */
    void load(final int slot, final AppliedTransfer transfer)
    {
        final int o = offset(slot);
        buffer.setMemory(o, RECORD_LENGTH, (byte)0);
        buffer.putLong(o + ID_LO_OFFSET, transfer.idLo());
        buffer.putLong(o + ID_HI_OFFSET, transfer.idHi());
        buffer.putLong(o + DEBIT_ACCOUNT_ID_OFFSET, transfer.debitAccountId());
        buffer.putLong(o + CREDIT_ACCOUNT_ID_OFFSET, transfer.creditAccountId());
        buffer.putLong(o + AMOUNT_OFFSET, transfer.amount());
        buffer.putLong(o + PENDING_ID_LO_OFFSET, transfer.pendingIdLo());
        buffer.putLong(o + PENDING_ID_HI_OFFSET, transfer.pendingIdHi());
        buffer.putLong(o + USER_DATA_128_LO_OFFSET, transfer.userData128Lo());
        buffer.putLong(o + USER_DATA_128_HI_OFFSET, transfer.userData128Hi());
        buffer.putLong(o + USER_DATA_64_OFFSET, transfer.userData64());
        buffer.putLong(o + TIMESTAMP_OFFSET, transfer.timestamp());
        buffer.putInt(o + USER_DATA_32_OFFSET, transfer.userData32());
        buffer.putInt(o + TIMEOUT_OFFSET, transfer.timeout());
        buffer.putShort(o + CURRENCY_OFFSET, (short)transfer.currency());
        buffer.putShort(o + CODE_OFFSET, (short)transfer.code());
        buffer.putShort(o + FLAGS_OFFSET, (short)(transfer.flags() & ~Flags.TRANSFER_LINKED));
        buffer.putShort(o + RESULT_OFFSET, (short)transfer.result().value());
    }

    /**
     * Copies a record from a snapshot into a slot and gives it the id hash of this process's seed.
     */
    void restore(final int slot, final DirectBuffer from, final int offset, final long hashSeed)
    {
        final int o = offset(slot);
        buffer.putBytes(o, from, offset, RECORD_LENGTH);
        buffer.putLong(o + ID_HASH_OFFSET,
            TransferIdIndex.hash(buffer.getLong(o + ID_LO_OFFSET), buffer.getLong(o + ID_HI_OFFSET), hashSeed));
    }

    void copy(final int fromSlot, final TransferRecords to, final int toSlot)
    {
        to.buffer.putBytes(offset(toSlot), buffer, offset(fromSlot), RECORD_LENGTH);
    }

    long idLo(final int slot)
    {
        return getLong(block.address(slot) + ID_LO_OFFSET);
    }

    long idHi(final int slot)
    {
        return getLong(block.address(slot) + ID_HI_OFFSET);
    }

    long debitAccountId(final int slot)
    {
        return getLong(block.address(slot) + DEBIT_ACCOUNT_ID_OFFSET);
    }

    long creditAccountId(final int slot)
    {
        return getLong(block.address(slot) + CREDIT_ACCOUNT_ID_OFFSET);
    }

    long amount(final int slot)
    {
        return getLong(block.address(slot) + AMOUNT_OFFSET);
    }

    long pendingIdLo(final int slot)
    {
        return getLong(block.address(slot) + PENDING_ID_LO_OFFSET);
    }

    long pendingIdHi(final int slot)
    {
        return getLong(block.address(slot) + PENDING_ID_HI_OFFSET);
    }

    long userData128Lo(final int slot)
    {
        return getLong(block.address(slot) + USER_DATA_128_LO_OFFSET);
    }

    long userData128Hi(final int slot)
    {
        return getLong(block.address(slot) + USER_DATA_128_HI_OFFSET);
    }

    long userData64(final int slot)
    {
        return getLong(block.address(slot) + USER_DATA_64_OFFSET);
    }

    long timestamp(final int slot)
    {
        return getLong(block.address(slot) + TIMESTAMP_OFFSET);
    }

    /**
     * Records the fee of a transfer that is not pending, just written by {@link #writeNew} or
     * {@link #writeResolution}.
     */
    void fee(final int slot, final long fee, final int feeAccountSlot)
    {
        putLong(block.address(slot) + FEE_OFFSET, fee);
        putInt(block.address(slot) + FEE_ACCOUNT_SLOT_OFFSET, feeAccountSlot + 1);
    }

    /**
     * @return the fee of a transfer that is not pending (0 for none).
     */
    long fee(final int slot)
    {
        return (flags(slot) & Flags.TRANSFER_PENDING) != 0 ? 0 : getLong(block.address(slot) + FEE_OFFSET);
    }

    /**
     * @return the slot of the account that received the fee, or -1.
     */
    int feeAccountSlot(final int slot)
    {
        return getInt(block.address(slot) + FEE_ACCOUNT_SLOT_OFFSET) - 1;
    }

    long expiresAt(final int slot)
    {
        return getLong(block.address(slot) + EXPIRES_AT_OFFSET);
    }

    int userData32(final int slot)
    {
        return getInt(block.address(slot) + USER_DATA_32_OFFSET);
    }

    int timeout(final int slot)
    {
        return getInt(block.address(slot) + TIMEOUT_OFFSET);
    }

    int currency(final int slot)
    {
        return getShort(block.address(slot) + CURRENCY_OFFSET) & 0xFFFF;
    }

    int code(final int slot)
    {
        return getShort(block.address(slot) + CODE_OFFSET) & 0xFFFF;
    }

    int flags(final int slot)
    {
        return getShort(block.address(slot) + FLAGS_OFFSET) & 0xFFFF;
    }

    int result(final int slot)
    {
        return getShort(block.address(slot) + RESULT_OFFSET) & 0xFFFF;
    }

    long idHash(final int slot)
    {
        return getLong(block.address(slot) + ID_HASH_OFFSET);
    }

    int pendingStatus(final int slot)
    {
        return getByte(block.address(slot) + PENDING_STATUS_OFFSET);
    }

    void pendingStatus(final int slot, final int status)
    {
        putByte(block.address(slot) + PENDING_STATUS_OFFSET, status);
    }
}
