package io.walletledger.engine;

import org.agrona.DirectBuffer;

/**
 * The idempotency window: a ring of the most recent transfer records (successful and failed), oldest
 * evicted first, indexed by id.
 * <p>
 * The ring holds {@code window + batchEventsMax} records. Before each batch the engine calls
 * {@link #reserve(int)}, which evicts the oldest records so the whole batch fits; appends inside a batch
 * therefore never evict, and a failed linked chain can be rolled back by dropping the newest records.
 * So the ring always remembers at least the last {@code window} transfers.
 */
final class TransferHistory
{
    private final TransferRecords records;
    /**
     * The id hash of the record in each slot, also kept in the record: eviction reads it from here, eight to a
     * cache line in slot order, instead of from the second line of every evicted record.
     */
    private final long[] idHashes;
    private final TransferIdIndex index;
    private final int capacity;
    private final int window;
    private final long hashSeed;
    private static final int EVICTION_RUN = 32;

    private int oldest;
    private long prefetchSink;
    private final int[] evictionPositions = new int[EVICTION_RUN];
    private int count;

    TransferHistory(final int window, final int batchEventsMax, final long hashSeed)
    {
        this.hashSeed = hashSeed;
        if (window < 1)
        {
            throw new IllegalArgumentException("the idempotency window must be at least 1, was " + window);
        }
        final long capacity = (long)window + batchEventsMax;
        if (capacity > Math.min(TransferDescriptor.CAPACITY_LIMIT, TransferIdIndex.SLOT_LIMIT))
        {
            throw new IllegalArgumentException("the idempotency window is too large: " + window + " + batch of " +
                batchEventsMax + " exceeds " + Math.min(TransferDescriptor.CAPACITY_LIMIT, TransferIdIndex.SLOT_LIMIT));
        }
        this.window = window;
        this.capacity = (int)capacity;
        this.records = new TransferRecords(this.capacity);
        this.idHashes = new long[this.capacity];
        this.index = new TransferIdIndex(records);
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
        while (count + events > capacity)
        {
            // Touch the index entries of a run of evictions first so their cache misses overlap.
            final int run = Math.min(EVICTION_RUN, count + events - capacity);
            final int[] positions = evictionPositions;
            for (int i = 0; i < run; i++)
            {
                positions[i] = index.position(idHashes[slotAt(i)]);
            }
            prefetchSink += index.touchAll(positions, run);
            for (int i = 0; i < run; i++)
            {
                index.remove(idHashes[oldest], oldest);
                oldest = oldest + 1 == capacity ? 0 : oldest + 1;
                count--;
            }
        }
    }

    /**
     * @return the hash of a transfer id, as stored in its record and used by every index of transfer ids.
     */
    long idHash(final long idLo, final long idHi)
    {
        return TransferIdIndex.hash(idLo, idHi, hashSeed);
    }

    /**
     * @return where the index's lookup of an id with this hash starts, for {@link #touchIndex}.
     */
    int indexPosition(final long idHash)
    {
        return index.position(idHash);
    }

    /**
     * Loads the index entries at these positions (see {@link TransferPrefetcher}).
     */
    long touchIndex(final int[] positions, final int count)
    {
        return index.touchAll(positions, count);
    }

    /**
     * @return the slot of the record with this id, or -1 if the window does not hold it.
     */
    int find(final long idLo, final long idHi)
    {
        return find(idLo, idHi, idHash(idLo, idHi));
    }

    int find(final long idLo, final long idHi, final long idHash)
    {
        return index.get(idLo, idHi, idHash);
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
        idHashes[slot] = idHash;
        index.put(idHash, slot);
        count++;
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
        if (index.get(records.idLo(slot), records.idHi(slot), records.idHash(slot)) >= 0)
        {
            throw new LedgerStateException("transfer id " + records.idHi(slot) + ":" + records.idLo(slot) +
                " appears twice in the remembered transfers of the state");
        }
        commitAppend(slot);
    }

    /**
     * Drops the newest record: used only to roll back a failed linked chain.
     */
    void removeNewest()
    {
        if (count == 0)
        {
            throw new IllegalStateException("no transfer to remove");
        }
        final int slot = slotAt(count - 1);
        index.remove(records.idHash(slot), slot);
        count--;
    }
}
