package io.walletledger.engine;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.walletledger.engine.TransferDescriptor.*;

/**
 * A fixed number of {@link TransferDescriptor transfer records} in one cache-aligned off-heap buffer,
 * addressed by slot. Which slots are in use is up to the owner ({@link TransferHistory} or
 * {@link PendingTransfers}).
 */
final class TransferRecords
{
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
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity * RECORD_LENGTH, 64));
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

    /**
     * Writes a whole record; bytes not named here are zeroed.
     */
    void write(
        final int slot,
        final long idLo,
        final long idHi,
        final long debitAccountId,
        final long creditAccountId,
        final long amount,
        final long pendingIdLo,
        final long pendingIdHi,
        final long userData128Lo,
        final long userData128Hi,
        final long userData64,
        final long timestamp,
        final long expiresAt,
        final int userData32,
        final int timeout,
        final int currency,
        final int code,
        final int flags,
        final int result,
        final int pendingStatus,
        final long idHash)
    {
        final UnsafeBuffer b = buffer;
        final int o = offset(slot);
        b.putLong(o + ID_LO_OFFSET, idLo);
        b.putLong(o + ID_HI_OFFSET, idHi);
        b.putLong(o + DEBIT_ACCOUNT_ID_OFFSET, debitAccountId);
        b.putLong(o + CREDIT_ACCOUNT_ID_OFFSET, creditAccountId);
        b.putLong(o + AMOUNT_OFFSET, amount);
        b.putLong(o + PENDING_ID_LO_OFFSET, pendingIdLo);
        b.putLong(o + PENDING_ID_HI_OFFSET, pendingIdHi);
        b.putLong(o + USER_DATA_128_LO_OFFSET, userData128Lo);
        b.putLong(o + USER_DATA_128_HI_OFFSET, userData128Hi);
        b.putLong(o + USER_DATA_64_OFFSET, userData64);
        b.putLong(o + TIMESTAMP_OFFSET, timestamp);
        b.putLong(o + EXPIRES_AT_OFFSET, expiresAt);
        b.putInt(o + USER_DATA_32_OFFSET, userData32);
        b.putInt(o + TIMEOUT_OFFSET, timeout);
        b.putShort(o + CURRENCY_OFFSET, (short)currency);
        b.putShort(o + CODE_OFFSET, (short)code);
        b.putShort(o + FLAGS_OFFSET, (short)flags);
        b.putShort(o + RESULT_OFFSET, (short)result);
        b.putLong(o + PENDING_STATUS_OFFSET, 0L);
        b.putByte(o + PENDING_STATUS_OFFSET, (byte)pendingStatus);
        b.putLong(o + ID_HASH_OFFSET, idHash);
    }

    /**
     * Writes a record of a failed transfer: only its id, timestamp and result are kept.
     */
    void writeFailure(
        final int slot, final long idLo, final long idHi, final long timestamp, final int result, final long idHash)
    {
        final int o = offset(slot);
        buffer.setMemory(o, RECORD_LENGTH, (byte)0);
        buffer.putLong(o + ID_LO_OFFSET, idLo);
        buffer.putLong(o + ID_HI_OFFSET, idHi);
        buffer.putLong(o + ID_HASH_OFFSET, idHash);
        buffer.putLong(o + TIMESTAMP_OFFSET, timestamp);
        buffer.putShort(o + RESULT_OFFSET, (short)result);
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
        return buffer.getLong(offset(slot) + ID_LO_OFFSET);
    }

    long idHi(final int slot)
    {
        return buffer.getLong(offset(slot) + ID_HI_OFFSET);
    }

    long debitAccountId(final int slot)
    {
        return buffer.getLong(offset(slot) + DEBIT_ACCOUNT_ID_OFFSET);
    }

    long creditAccountId(final int slot)
    {
        return buffer.getLong(offset(slot) + CREDIT_ACCOUNT_ID_OFFSET);
    }

    long amount(final int slot)
    {
        return buffer.getLong(offset(slot) + AMOUNT_OFFSET);
    }

    long pendingIdLo(final int slot)
    {
        return buffer.getLong(offset(slot) + PENDING_ID_LO_OFFSET);
    }

    long pendingIdHi(final int slot)
    {
        return buffer.getLong(offset(slot) + PENDING_ID_HI_OFFSET);
    }

    long userData128Lo(final int slot)
    {
        return buffer.getLong(offset(slot) + USER_DATA_128_LO_OFFSET);
    }

    long userData128Hi(final int slot)
    {
        return buffer.getLong(offset(slot) + USER_DATA_128_HI_OFFSET);
    }

    long userData64(final int slot)
    {
        return buffer.getLong(offset(slot) + USER_DATA_64_OFFSET);
    }

    long timestamp(final int slot)
    {
        return buffer.getLong(offset(slot) + TIMESTAMP_OFFSET);
    }

    /**
     * Records the fee of a transfer that is not pending, just written by {@link #write}.
     */
    void fee(final int slot, final long fee, final int feeAccountSlot)
    {
        buffer.putLong(offset(slot) + FEE_OFFSET, fee);
        buffer.putInt(offset(slot) + FEE_ACCOUNT_SLOT_OFFSET, feeAccountSlot + 1);
    }

    /**
     * @return the fee of a transfer that is not pending (0 for none).
     */
    long fee(final int slot)
    {
        return (flags(slot) & Flags.TRANSFER_PENDING) != 0 ? 0 : buffer.getLong(offset(slot) + FEE_OFFSET);
    }

    /**
     * @return the slot of the account that received the fee, or -1.
     */
    int feeAccountSlot(final int slot)
    {
        return buffer.getInt(offset(slot) + FEE_ACCOUNT_SLOT_OFFSET) - 1;
    }

    long expiresAt(final int slot)
    {
        return buffer.getLong(offset(slot) + EXPIRES_AT_OFFSET);
    }

    int userData32(final int slot)
    {
        return buffer.getInt(offset(slot) + USER_DATA_32_OFFSET);
    }

    int timeout(final int slot)
    {
        return buffer.getInt(offset(slot) + TIMEOUT_OFFSET);
    }

    int currency(final int slot)
    {
        return buffer.getShort(offset(slot) + CURRENCY_OFFSET) & 0xFFFF;
    }

    int code(final int slot)
    {
        return buffer.getShort(offset(slot) + CODE_OFFSET) & 0xFFFF;
    }

    int flags(final int slot)
    {
        return buffer.getShort(offset(slot) + FLAGS_OFFSET) & 0xFFFF;
    }

    int result(final int slot)
    {
        return buffer.getShort(offset(slot) + RESULT_OFFSET) & 0xFFFF;
    }

    long idHash(final int slot)
    {
        return buffer.getLong(offset(slot) + ID_HASH_OFFSET);
    }

    int pendingStatus(final int slot)
    {
        return buffer.getByte(offset(slot) + PENDING_STATUS_OFFSET);
    }

    void pendingStatus(final int slot, final int status)
    {
        buffer.putByte(offset(slot) + PENDING_STATUS_OFFSET, (byte)status);
    }
}
