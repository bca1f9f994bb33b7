package io.walletledger.engine;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static io.walletledger.engine.AccountDescriptor.*;

/**
 * Every account, as 64-byte records stored directly in an open-addressing hash table keyed by account
 * id (linear probing, at most {@link #LOAD_FACTOR} full), in one cache-aligned off-heap buffer. Finding
 * an account is one cache line in the common case: the record is where the lookup lands. A record's slot
 * never changes once created; {@link #slotAt} lists slots in creation order, which is the order of the
 * state hash and of snapshots.
 * <p>
 * Sized once: creating an account never allocates, and the table refuses to grow past its capacity
 * instead of running out of memory. Id 0 is never an account, so a zero id marks an empty slot.
 */
final class Accounts
{
    static final double LOAD_FACTOR = 0.7;
    /** The most accounts whose table an int-indexed buffer can address. */
    static final int CAPACITY_LIMIT = (int)((Integer.MAX_VALUE / RECORD_LENGTH) * LOAD_FACTOR);

    private final UnsafeBuffer records;
    private final int tableLength;
    private final int capacity;
    private final int[] creationOrder;
    private int count;

    Accounts(final int capacity)
    {
        if (capacity < 1 || capacity > CAPACITY_LIMIT)
        {
            throw new IllegalArgumentException("account capacity must be in 1.." + CAPACITY_LIMIT + ", was " + capacity);
        }
        this.capacity = capacity;
        this.tableLength = (int)Math.ceil(capacity / LOAD_FACTOR) + 1;
        this.records = new UnsafeBuffer(BufferUtil.allocateDirectAligned(tableLength * RECORD_LENGTH, RECORD_LENGTH));
        this.creationOrder = new int[capacity];
    }

    int capacity()
    {
        return capacity;
    }

    int count()
    {
        return count;
    }

    boolean isFull()
    {
        return count == capacity;
    }

    /**
     * @param i 0 for the first account created, {@code count() - 1} for the newest.
     * @return its slot.
     */
    int slotAt(final int i)
    {
        return creationOrder[i];
    }

    private int home(final long id)
    {
        long h = id * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        // Map the high 32 bits onto [0, tableLength) by multiplication: no power-of-two table needed.
        return (int)(((h >>> 32) * tableLength) >>> 32);
    }

    /**
     * @param id account id.
     * @return the slot of the account, or -1 if there is none.
     */
    int slotOf(final long id)
    {
        if (id == 0)
        {
            return -1;
        }
        final UnsafeBuffer records = this.records;
        int slot = home(id);
        while (true)
        {
            final long found = records.getLong(slot * RECORD_LENGTH + ID_OFFSET);
            if (found == id)
            {
                return slot;
            }
            if (found == 0)
            {
                return -1;
            }
            slot = slot + 1 == tableLength ? 0 : slot + 1;
        }
    }

    /**
     * Loads the record where a lookup of this id lands (see {@link Ledger#prefetchTransfers}); returns a
     * word of it only so the load cannot be optimised away.
     */
    long touch(final long id)
    {
        return records.getLong(home(id) * RECORD_LENGTH + ID_OFFSET);
    }

    /**
     * Adds a new account; the caller has checked that the id is new, not zero, and the store not full.
     *
     * @return the slot of the new account.
     */
    int create(
        final long id, final long userData, final int currency, final int code, final int flags, final long timestamp)
    {
        int slot = home(id);
        while (records.getLong(slot * RECORD_LENGTH + ID_OFFSET) != 0)
        {
            slot = slot + 1 == tableLength ? 0 : slot + 1;
        }
        final int offset = slot * RECORD_LENGTH;
        records.setMemory(offset, RECORD_LENGTH, (byte)0);
        records.putLong(offset + ID_OFFSET, id);
        records.putLong(offset + USER_DATA_OFFSET, userData);
        records.putLong(offset + TIMESTAMP_OFFSET, timestamp);
        records.putShort(offset + CURRENCY_OFFSET, (short)currency);
        records.putShort(offset + CODE_OFFSET, (short)code);
        records.putShort(offset + FLAGS_OFFSET, (short)flags);
        records.putByte(offset + STATUS_OFFSET, (byte)AccountStatusValue.ACTIVE);
        creationOrder[count++] = slot;
        return slot;
    }

    /**
     * Undoes the most recent {@link #create}: used only to roll back a failed linked chain. Emptying the
     * slot restores the table exactly as it was before that insertion, because linear probing placed the
     * record in the first empty slot of its path and no entry inserted earlier probed past it.
     */
    void removeNewest()
    {
        if (count == 0)
        {
            throw new IllegalStateException("no account to remove");
        }
        final int slot = creationOrder[--count];
        records.setMemory(slot * RECORD_LENGTH, RECORD_LENGTH, (byte)0);
    }

    long id(final int slot)
    {
        return records.getLong(slot * RECORD_LENGTH + ID_OFFSET);
    }

    long debitsPending(final int slot)
    {
        return records.getLong(slot * RECORD_LENGTH + DEBITS_PENDING_OFFSET);
    }

    long debitsPosted(final int slot)
    {
        return records.getLong(slot * RECORD_LENGTH + DEBITS_POSTED_OFFSET);
    }

    long creditsPending(final int slot)
    {
        return records.getLong(slot * RECORD_LENGTH + CREDITS_PENDING_OFFSET);
    }

    long creditsPosted(final int slot)
    {
        return records.getLong(slot * RECORD_LENGTH + CREDITS_POSTED_OFFSET);
    }

    long userData(final int slot)
    {
        return records.getLong(slot * RECORD_LENGTH + USER_DATA_OFFSET);
    }

    long timestamp(final int slot)
    {
        return records.getLong(slot * RECORD_LENGTH + TIMESTAMP_OFFSET);
    }

    int currency(final int slot)
    {
        return records.getShort(slot * RECORD_LENGTH + CURRENCY_OFFSET) & 0xFFFF;
    }

    int code(final int slot)
    {
        return records.getShort(slot * RECORD_LENGTH + CODE_OFFSET) & 0xFFFF;
    }

    int flags(final int slot)
    {
        return records.getShort(slot * RECORD_LENGTH + FLAGS_OFFSET) & 0xFFFF;
    }

    int status(final int slot)
    {
        return records.getByte(slot * RECORD_LENGTH + STATUS_OFFSET);
    }

    void status(final int slot, final int status)
    {
        records.putByte(slot * RECORD_LENGTH + STATUS_OFFSET, (byte)status);
    }

    void debitsPending(final int slot, final long value)
    {
        records.putLong(slot * RECORD_LENGTH + DEBITS_PENDING_OFFSET, value);
    }

    void debitsPosted(final int slot, final long value)
    {
        records.putLong(slot * RECORD_LENGTH + DEBITS_POSTED_OFFSET, value);
    }

    void creditsPending(final int slot, final long value)
    {
        records.putLong(slot * RECORD_LENGTH + CREDITS_PENDING_OFFSET, value);
    }

    void creditsPosted(final int slot, final long value)
    {
        records.putLong(slot * RECORD_LENGTH + CREDITS_POSTED_OFFSET, value);
    }

    /**
     * @return the buffer holding the records, at {@code slot * RECORD_LENGTH}, for hashing and snapshots.
     */
    UnsafeBuffer records()
    {
        return records;
    }
}
