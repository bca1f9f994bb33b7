package io.walletledger.engine;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.walletledger.engine.AccountDescriptor.*;
import static io.walletledger.engine.RecordBlock.*;

/**
 * Every account: 64-byte records in one cache-aligned off-heap buffer, in creation order (a record's slot
 * is its creation index and never changes), plus an open-addressing index from id to slot.
 * <p>
 * Each index entry is one {@code long}: 32 bits of the id's hash and the slot plus one; zero marks an
 * empty entry. The index is at most a quarter full and eight entries share a cache line, so a lookup almost
 * always reads one index line and then the record, whose id confirms the match. Both lines can be brought
 * into cache ahead of time ({@link #indexAddress}, {@link #recordAddress}), which is how the engine overlaps
 * the cache misses of many transfers.
 * <p>
 * Sized once: creating an account never allocates, and the store refuses to grow past its capacity
 * instead of running out of memory.
 */
final class Accounts
{
    /** The most accounts whose records an int-indexed buffer can address. */
    static final int CAPACITY_LIMIT = (Integer.MAX_VALUE - RECORD_LENGTH) / RECORD_LENGTH;

    private static final long SLOT_MASK = 0xFFFF_FFFFL;

    private final RecordBlock block;
    private final UnsafeBuffer records;
    /** The index's entries, off-heap so that {@link TransferPrefetcher} can load them by address. */
    private final RecordBlock indexBlock;
    private final long indexBase;
    private final int indexMask;
    private final int capacity;
    private final long hashSeed;
    private int count;
    /** Told of every write of a balance, only while the invariant checks are on. */
    private LedgerInvariants invariants;

    Accounts(final int capacity, final long hashSeed)
    {
        this.hashSeed = hashSeed;
        if (capacity < 1 || capacity > CAPACITY_LIMIT)
        {
            throw new IllegalArgumentException("account capacity must be in 1.." + CAPACITY_LIMIT + ", was " + capacity);
        }
        this.capacity = capacity;
        this.block = new RecordBlock(capacity, RECORD_LENGTH);
        this.records = block.buffer();
        final int indexLength = LedgerConfig.indexLength(capacity);
        this.indexBlock = new RecordBlock(indexLength, Long.BYTES);
        this.indexBase = indexBlock.address(0);
        this.indexMask = indexLength - 1;
    }

    int capacity()
    {
        return capacity;
    }

    /**
     * Reports every later write of a balance, every account created and every one removed, to the invariant checks
     * (only while {@link LedgerInvariants#ENABLED}).
     */
    void reportWritesTo(final LedgerInvariants invariants)
    {
        this.invariants = invariants;
    }

    private void written(final int slot)
    {
        if (LedgerInvariants.ENABLED && invariants != null)
        {
            invariants.accountWritten(slot);
        }
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
     * @return the hash of an account id, which {@link #indexPosition} and {@link #candidateSlot} take, so that a
     * caller that needs both computes it once.
     */
    long hash(final long id)
    {
        long h = (id ^ hashSeed) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return h;
    }

    /**
     * @param id account id.
     * @return the slot of the account, or -1 if there is none.
     */
    int slotOf(final long id)
    {
        return probe(id, hash(id), true);
    }

    /**
     * Finds the slot whose index entry matches the id's hash, without reading any record: the id of the
     * record must still be compared ({@link #confirm}). Index entries only, so it can run while the records
     * are still in memory and not in cache.
     *
     * @return a candidate slot, or -1 if the account certainly does not exist.
     */
    int candidateSlot(final long id, final long hash)
    {
        return probe(id, hash, false);
    }

    private int probe(final long id, final long h, final boolean compareIds)
    {
        final long fingerprint = h & ~SLOT_MASK;
        int position = (int)h & indexMask;
        while (true)
        {
            final long entry = entry(position);
            if (entry == 0)
            {
                return -1;
            }
            if ((entry & ~SLOT_MASK) == fingerprint)
            {
                final int slot = (int)(entry & SLOT_MASK) - 1;
                if (!compareIds || getLong(block.address(slot) + ID_OFFSET) == id)
                {
                    return slot;
                }
            }
            position = (position + 1) & indexMask;
        }
    }

    /**
     * @param candidate a slot from {@link #candidateSlot}.
     * @param id        the account id it was found for.
     * @return the slot of the account: the candidate if its record has this id, else a full lookup (two ids
     * whose hashes share 32 bits, about one lookup in four billion).
     */
    int confirm(final int candidate, final long id)
    {
        if (candidate < 0 || getLong(block.address(candidate) + ID_OFFSET) == id)
        {
            return candidate;
        }
        return slotOf(id);
    }

    /**
     * @param hash {@link #hash} of the id.
     * @return the address of the index entry where a lookup of this id starts, for {@link TransferPrefetcher} to
     * load ahead.
     */
    long indexAddress(final long hash)
    {
        return entryAddress((int)hash & indexMask);
    }

    private long entry(final int position)
    {
        return getLong(entryAddress(position));
    }

    /**
     * @param position in the index, which the mask keeps in range.
     */
    private long entryAddress(final int position)
    {
        return indexBase + ((long)position << 3);
    }

    /**
     * @return the address of the record of {@code slot}, or for a negative slot (no account) the address of the
     * first record, which is harmless to load: so that loading a run's records needs no branch.
     */
    long recordAddress(final int slot)
    {
        return block.address(Math.max(slot, 0));
    }

    /**
     * Adds a new account; the caller has checked that the id is new and the store not full.
     *
     * @return the slot of the new account.
     */
    int create(
        final long id, final long userData, final int currency, final int code, final int flags, final long timestamp)
    {
        final int slot = count;
        final int offset = slot * RECORD_LENGTH;
        records.setMemory(offset, RECORD_LENGTH, (byte)0);
        records.putLong(offset + ID_OFFSET, id);
        records.putLong(offset + USER_DATA_OFFSET, userData);
        records.putLong(offset + TIMESTAMP_OFFSET, timestamp);
        records.putShort(offset + CURRENCY_OFFSET, (short)currency);
        records.putShort(offset + CODE_OFFSET, (short)code);
        records.putShort(offset + FLAGS_OFFSET, (short)flags);
        records.putByte(offset + STATUS_OFFSET, (byte)AccountStatusValue.ACTIVE);
        indexNewest(id, slot);
        written(slot);
        return slot;
    }

    /**
     * Indexes the record just written at slot {@code count} and makes it the newest account.
     */
    private void indexNewest(final long id, final int slot)
    {
        final long h = hash(id);
        int position = (int)h & indexMask;
        while (entry(position) != 0)
        {
            position = (position + 1) & indexMask;
        }
        putLong(entryAddress(position), (h & ~SLOT_MASK) | (slot + 1));
        count++;
    }

    /**
     * Adds an account record read from a snapshot as the newest account, and indexes it.
     *
     * @param from   holding a whole {@link AccountDescriptor} record.
     * @param offset of the record in {@code from}.
     * @throws LedgerStateException if the store is full or already holds the record's id.
     */
    void restore(final DirectBuffer from, final int offset)
    {
        final long id = from.getLong(offset + ID_OFFSET);
        if (count == capacity)
        {
            throw new LedgerStateException("the state holds more accounts than the capacity of " + capacity);
        }
        if (id == 0 || slotOf(id) >= 0)
        {
            throw new LedgerStateException("account id " + id + " is zero or appears twice in the state");
        }
        final int slot = count;
        records.putBytes(slot * RECORD_LENGTH, from, offset, RECORD_LENGTH);
        indexNewest(id, slot);
        written(slot);
    }

    /**
     * Undoes the most recent {@link #create}: used only to roll back a failed linked chain. Emptying its
     * index entry restores the index exactly as it was before that insertion, because linear probing put
     * the entry in the first empty position of its path and no entry inserted earlier probed past it.
     */
    void removeNewest()
    {
        if (count == 0)
        {
            throw new IllegalStateException("no account to remove");
        }
        final int slot = count - 1;
        final long id = id(slot);
        final long h = hash(id);
        final long entry = (h & ~SLOT_MASK) | (slot + 1);
        int position = (int)h & indexMask;
        while (entry(position) != entry)
        {
            position = (position + 1) & indexMask;
        }
        putLong(entryAddress(position), 0);
        records.setMemory(slot * RECORD_LENGTH, RECORD_LENGTH, (byte)0);
        count--;
        written(slot);
    }

    long id(final int slot)
    {
        return getLong(block.address(slot) + ID_OFFSET);
    }

    long debitsPending(final int slot)
    {
        return getLong(block.address(slot) + DEBITS_PENDING_OFFSET);
    }

    long debitsPosted(final int slot)
    {
        return getLong(block.address(slot) + DEBITS_POSTED_OFFSET);
    }

    long creditsPending(final int slot)
    {
        return getLong(block.address(slot) + CREDITS_PENDING_OFFSET);
    }

    long creditsPosted(final int slot)
    {
        return getLong(block.address(slot) + CREDITS_POSTED_OFFSET);
    }

    long userData(final int slot)
    {
        return getLong(block.address(slot) + USER_DATA_OFFSET);
    }

    long timestamp(final int slot)
    {
        return getLong(block.address(slot) + TIMESTAMP_OFFSET);
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

    int status(final int slot)
    {
        return getByte(block.address(slot) + STATUS_OFFSET);
    }

    void status(final int slot, final int status)
    {
        putByte(block.address(slot) + STATUS_OFFSET, status);
    }

    int policy(final int slot)
    {
        return getByte(block.address(slot) + POLICY_OFFSET);
    }

    void policy(final int slot, final int policy)
    {
        putByte(block.address(slot) + POLICY_OFFSET, policy);
    }

    void debitsPending(final int slot, final long value)
    {
        putLong(block.address(slot) + DEBITS_PENDING_OFFSET, value);
        written(slot);
    }

    void debitsPosted(final int slot, final long value)
    {
        putLong(block.address(slot) + DEBITS_POSTED_OFFSET, value);
        written(slot);
    }

    void creditsPending(final int slot, final long value)
    {
        putLong(block.address(slot) + CREDITS_PENDING_OFFSET, value);
        written(slot);
    }

    void creditsPosted(final int slot, final long value)
    {
        putLong(block.address(slot) + CREDITS_POSTED_OFFSET, value);
        written(slot);
    }

    /**
     * @return the buffer holding {@link #count()} records from offset 0, in creation order.
     */
    UnsafeBuffer records()
    {
        return records;
    }
}
