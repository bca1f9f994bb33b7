package io.walletledger.engine;

import org.agrona.DirectBuffer;

import static io.walletledger.engine.RecordBlock.getLong;
import static io.walletledger.engine.RecordBlock.putLong;

/**
 * The idempotency window: a ring of the most recent transfer records (successful and failed), oldest
 * evicted first, indexed by id.
 * <p>
 * The ring holds {@code window + batchEventsMax} records. Before each batch the engine calls
 * {@link #reserve(int)}, which evicts the oldest records so the whole batch fits; appends inside a batch
 * therefore never evict, and a failed linked chain can be rolled back by dropping the newest records.
 * So the ring always remembers at least the last {@code window} transfers.
 * <p>
 * <b>The index expires with the ring.</b> Every record gets a sequence number as it is appended (kept modulo
 * 2<sup>32</sup>); the index maps an id to the sequence number of its record, and an entry counts only while
 * its sequence number is one of the ring's. Evicting records therefore touches nothing but two counters: their
 * entries go stale by themselves, and later appends overwrite stale entries where they find them. A lookup
 * answers only with a record of the ring whose id equals the one asked for, so what is remembered is exactly
 * the ring's content, whatever stale entries the index still holds.
 * <p>
 * The index is set-associative: buckets of one cache line, each a header and {@link #BUCKET_ENTRIES} entries of
 * 32 fingerprint bits of the id's hash and 32 bits of sequence number. An id goes to the first free (empty or
 * stale) entry of its home bucket; if that bucket holds only live entries, the id goes on to the next bucket,
 * and the header of every bucket it passed notes its sequence number. A lookup reads the home bucket, and the
 * next only while that note is not older than the oldest record, so it almost always costs one cache line,
 * which {@link TransferPrefetcher} loads ahead ({@link #indexAddress}). At most {@link #LIVE_PER_BUCKET} records
 * per bucket on average ({@link #bucketCount}), a bucket full of live entries is rare. Sized once: it never allocates after
 * construction.
 * <p>
 * <b>The forgotten horizon.</b> Eviction notes the largest id it evicts and the timestamp of the newest record it
 * evicts: an id above the first was never evicted, and a permanent record that holds every transfer up to the second
 * holds every evicted id ({@link Ledger#recalled}). Both are ledger state.
 */
final class TransferHistory
{
    /** Entries per bucket: a bucket is one 64-byte cache line, an 8-byte header and seven 8-byte entries. */
    static final int BUCKET_ENTRIES = 7;
    /** The most remembered records per bucket, on average, {@link #bucketCount} allows. */
    static final int LIVE_PER_BUCKET = 2;
    private static final int BUCKET_LENGTH = 64;
    private static final long SEQUENCE_MASK = 0xFFFF_FFFFL;
    private static final long FINGERPRINT_MASK = ~SEQUENCE_MASK;
    /** Set in the fingerprint of every entry (so no entry is zero) and in every header that was passed. */
    private static final long MARK = 1L << 32;

    private final TransferRecords records;
    private final RecordBlock buckets;
    private final int bucketMask;
    private final int capacity;
    private final int window;
    private final long hashSeed;

    /** The engine timestamp of the newest record evicted: every forgotten transfer is at or before it. 0: none. */
    private long forgottenTimestamp;
    /** The largest id (as an unsigned 128-bit number) of every record ever evicted; 0:0 while none was. */
    private long forgottenIdHi;
    private long forgottenIdLo;

    /** The slot of the oldest record. */
    private int oldest;
    /** The sequence number of the oldest record, modulo 2^32; the newest is {@code oldestSequence + count - 1}. */
    private int oldestSequence;
    private int count;

    TransferHistory(final int window, final int batchEventsMax, final long hashSeed)
    {
        this(window, batchEventsMax, hashSeed, 0);
    }

    /**
     * @param firstSequence the sequence number of the first record, for tests of the wrap-around at 2^32.
     */
    TransferHistory(final int window, final int batchEventsMax, final long hashSeed, final int firstSequence)
    {
        this.hashSeed = hashSeed;
        this.oldestSequence = firstSequence;
        if (window < 1)
        {
            throw new IllegalArgumentException("the idempotency window must be at least 1, was " + window);
        }
        final long capacity = (long)window + batchEventsMax;
        if (capacity > TransferDescriptor.CAPACITY_LIMIT)
        {
            throw new IllegalArgumentException("the idempotency window is too large: " + window + " + batch of " +
                batchEventsMax + " exceeds " + TransferDescriptor.CAPACITY_LIMIT);
        }
        this.window = window;
        this.capacity = (int)capacity;
        this.records = new TransferRecords(this.capacity);
        final int bucketCount = bucketCount(this.capacity);
        this.buckets = new RecordBlock(bucketCount, BUCKET_LENGTH);
        this.bucketMask = bucketCount - 1;
    }

    /**
     * @return the buckets of the index of a ring of {@code capacity} records: the smallest power of two that
     * keeps {@link #LIVE_PER_BUCKET} records per bucket or fewer on average.
     */
    static int bucketCount(final long capacity)
    {
        int buckets = 1;
        while ((long)buckets * LIVE_PER_BUCKET < capacity)
        {
            buckets <<= 1;
        }
        return buckets;
    }

    /**
     * @return the bytes of the index of a ring of {@code capacity} records.
     */
    static long indexBytes(final long capacity)
    {
        return (long)bucketCount(capacity) * BUCKET_LENGTH;
    }

    TransferRecords records()
    {
        return records;
    }

    int count()
    {
        return count;
    }

    /**
     * @param i 0 for the oldest record, {@code count() - 1} for the newest.
     * @return the slot of that record.
     */
    int slotAt(final int i)
    {
        final int slot = oldest + i;
        return slot >= capacity ? slot - capacity : slot;
    }

    /**
     * Evicts the oldest records until {@code events} more fit without eviction.
     */
    void reserve(final int events)
    {
        if (events > capacity - window)
        {
            throw new IllegalArgumentException("batch of " + events + " exceeds the reserved " + (capacity - window));
        }
        final int evicted = count + events - capacity;
        if (evicted > 0)
        {
            forget(evicted);
            oldest = slotAt(evicted);
            oldestSequence += evicted;
            count -= evicted;
        }
    }

    /**
     * Moves the forgotten horizon past the {@code evicted} oldest records, which are about to leave the ring.
     */
    private void forget(final int evicted)
    {
        long hi = forgottenIdHi;
        long lo = forgottenIdLo;
        for (int i = 0; i < evicted; i++)
        {
            final int slot = slotAt(i);
            final long idHi = records.idHi(slot);
            final long idLo = records.idLo(slot);
            if (RecallNote.isAbove(idHi, idLo, hi, lo))
            {
                hi = idHi;
                lo = idLo;
            }
        }
        forgottenIdHi = hi;
        forgottenIdLo = lo;
        forgottenTimestamp = records.timestamp(slotAt(evicted - 1));
    }

    /**
     * @return whether no record the window ever evicted had this id: it is above every forgotten id. Time-ordered
     * ids (UUIDv7, the Java client's) are, once the window has moved on from the time they were made.
     */
    boolean isAboveForgotten(final long idHi, final long idLo)
    {
        return RecallNote.isAbove(idHi, idLo, forgottenIdHi, forgottenIdLo);
    }


    /**
     * @return the engine timestamp of the newest evicted record: a record that holds every transfer up to this
     * timestamp holds every id the window forgot. 0 while the window has forgotten nothing.
     */
    long forgottenTimestamp()
    {
        return forgottenTimestamp;
    }

    long forgottenIdHi()
    {
        return forgottenIdHi;
    }

    long forgottenIdLo()
    {
        return forgottenIdLo;
    }

    /**
     * Sets the forgotten horizon of a state being loaded.
     */
    void restoreForgotten(final long timestamp, final long idHi, final long idLo)
    {
        forgottenTimestamp = timestamp;
        forgottenIdHi = idHi;
        forgottenIdLo = idLo;
    }

    /**
     * @return the hash of a transfer id, as stored in its record and used by every index of transfer ids.
     */
    long idHash(final long idLo, final long idHi)
    {
        return TransferIdIndex.hash(idLo, idHi, hashSeed);
    }

    /**
     * @return the home bucket of an id with this hash, where its lookup starts.
     */
    int indexPosition(final long idHash)
    {
        return (int)idHash & bucketMask;
    }

    /**
     * @return the address of the home bucket of an id with this hash, for {@link TransferPrefetcher} to load ahead.
     */
    long indexAddress(final long idHash)
    {
        return buckets.address(indexPosition(idHash));
    }

    /**
     * @return the slot of the record with this id, or -1 if the window does not hold it.
     */
    int find(final long idLo, final long idHi)
    {
        return find(idLo, idHi, idHash(idLo, idHi));
    }

    /**
     * @param idHash {@link #idHash} of the id.
     */
    int find(final long idLo, final long idHi, final long idHash)
    {
        final long fingerprint = fingerprint(idHash);
        int bucket = indexPosition(idHash);
        for (int passed = 0; passed <= bucketMask; passed++)
        {
            final long address = buckets.address(bucket);
            for (int i = 0; i < BUCKET_ENTRIES; i++)
            {
                final long entry = getLong(entryAddress(address, i));
                if ((entry & FINGERPRINT_MASK) == fingerprint)
                {
                    final int age = (int)entry - oldestSequence;
                    if (Integer.compareUnsigned(age, count) < 0)
                    {
                        final int slot = slotAt(age);
                        if (records.idLo(slot) == idLo && records.idHi(slot) == idHi)
                        {
                            return slot;
                        }
                    }
                }
            }
            if (!passedSinceOldest(getLong(address)))
            {
                return -1;
            }
            bucket = (bucket + 1) & bucketMask;
        }
        return -1;
    }

    /**
     * @return the slot the next record goes to; write it into {@link #records()}, then {@link #commitAppend}.
     */
    int nextSlot()
    {
        if (count == capacity)
        {
            throw new IllegalStateException("transfer history full: reserve() was not called for this batch");
        }
        return slotAt(count);
    }

    /**
     * Makes the record written at {@link #nextSlot()} the newest of the window and indexes its id, which
     * must not be in the window already.
     */
    void commitAppend(final int slot)
    {
        if (slot != slotAt(count))
        {
            throw new IllegalStateException("append out of order: slot " + slot + ", expected " + slotAt(count));
        }
        final long idHash = records.idHash(slot);
        final long value = fingerprint(idHash) | ((oldestSequence + count) & SEQUENCE_MASK);
        int bucket = indexPosition(idHash);
        for (int passed = 0; passed <= bucketMask; passed++)
        {
            final long address = buckets.address(bucket);
            // Which entries are free (empty or stale), computed without a branch per entry: the first free one
            // is at a position no branch predictor could learn. The record being appended is not counted yet,
            // so an entry left by a rolled-back one is stale.
            int free = 0;
            for (int i = 0; i < BUCKET_ENTRIES; i++)
            {
                final long entry = getLong(entryAddress(address, i));
                final long age = ((int)entry - oldestSequence) & SEQUENCE_MASK;
                final long stale = ((long)count - 1 - age) >>> 63;
                final long empty = ((entry >>> 32) & 1) ^ 1;
                free |= (int)(stale | empty) << i;
            }
            if (free != 0)
            {
                putLong(entryAddress(address, Integer.numberOfTrailingZeros(free)), value);
                count++;
                return;
            }
            putLong(address, MARK | (value & SEQUENCE_MASK));
            bucket = (bucket + 1) & bucketMask;
        }
        throw new IllegalStateException("every bucket of the window's index is full of live entries");
    }

    /**
     * Appends a transfer record read from a snapshot as the newest of the window; its id hash is computed
     * afresh, since it depends on this process's seed.
     *
     * @throws LedgerStateException if the window is full or already holds the record's id.
     */
    void restoreNewest(final DirectBuffer from, final int offset)
    {
        if (count == capacity)
        {
            throw new LedgerStateException("the state remembers more transfers than the window's capacity of " +
                capacity);
        }
        final int slot = slotAt(count);
        records.restore(slot, from, offset, hashSeed);
        if (find(records.idLo(slot), records.idHi(slot), records.idHash(slot)) >= 0)
        {
            throw new LedgerStateException("transfer id " + records.idHi(slot) + ":" + records.idLo(slot) +
                " appears twice in the remembered transfers of the state");
        }
        commitAppend(slot);
    }

    /**
     * Drops the newest record: used only to roll back a failed linked chain. Its entry is emptied; notes in
     * headers it passed stay, and only make a lookup read one bucket more than it needs to.
     */
    void removeNewest()
    {
        if (count == 0)
        {
            throw new IllegalStateException("no transfer to remove");
        }
        final long idHash = records.idHash(slotAt(count - 1));
        final long value = fingerprint(idHash) | ((oldestSequence + count - 1) & SEQUENCE_MASK);
        int bucket = indexPosition(idHash);
        for (int passed = 0; passed <= bucketMask; passed++)
        {
            final long address = buckets.address(bucket);
            for (int i = 0; i < BUCKET_ENTRIES; i++)
            {
                if (getLong(entryAddress(address, i)) == value)
                {
                    putLong(entryAddress(address, i), 0);
                    count--;
                    return;
                }
            }
            bucket = (bucket + 1) & bucketMask;
        }
        throw new IllegalStateException("the newest transfer is not in the window's index");
    }

    /**
     * @return the address of entry {@code position} (0 to {@code BUCKET_ENTRIES - 1}) of the bucket at
     * {@code bucketAddress}; the bucket's first 8 bytes are its header.
     */
    private static long entryAddress(final long bucketAddress, final int position)
    {
        return bucketAddress + 8 + 8L * position;
    }

    private static long fingerprint(final long idHash)
    {
        return (idHash & FINGERPRINT_MASK) | MARK;
    }

    /**
     * @return whether an id passed the bucket with this header on its way to a later bucket, and may still be
     * remembered: the note is not older than the oldest record.
     */
    private boolean passedSinceOldest(final long header)
    {
        return header != 0 && (int)header - oldestSequence >= 0;
    }
}
