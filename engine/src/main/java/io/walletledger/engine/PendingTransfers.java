package io.walletledger.engine;

import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;

/**
 * Open pending transfers (holds), each a full transfer record, indexed by id and ordered by expiry in an
 * indexed binary min-heap so the engine can release the ones whose timeout has passed.
 * <p>
 * A hold stays here until it is posted, voided or expires, even after its record has left the
 * idempotency window, so a hold can always be resolved. Capacity is fixed at construction.
 */
final class PendingTransfers
{
    private static final int NOT_IN_HEAP = -1;

    private final TransferRecords records;
    private final TransferIdIndex index;
    private final int capacity;
    private final long hashSeed;
    private final int[] freeSlots;
    private final boolean[] inUse;
    private int freeCount;
    /**
     * Open holds per debit account id, for the policy setting holdsPerAccountMax: derived from the holds (a snapshot
     * restores them through {@link #commit}), never stored. Sized so that it never grows: there are at most
     * {@code capacity} keys.
     */
    private final Long2LongHashMap holdsByDebitAccount;
    /** Told of every hold opened or closed, only while the invariant checks are on. */
    private LedgerInvariants invariants;

    // Min-heap of slots ordered by (expiresAt, timestamp); timestamps are unique, so the order is total.
    private final int[] heap;
    private final int[] heapPosition;
    private int heapSize;

    PendingTransfers(final int capacity, final long hashSeed)
    {
        this.hashSeed = hashSeed;
        if (capacity < 1 || capacity > Math.min(TransferDescriptor.CAPACITY_LIMIT, TransferIdIndex.SLOT_LIMIT))
        {
            throw new IllegalArgumentException("pending transfer capacity must be in 1.." +
                Math.min(TransferDescriptor.CAPACITY_LIMIT, TransferIdIndex.SLOT_LIMIT) + ", was " + capacity);
        }
        this.capacity = capacity;
        this.records = new TransferRecords(capacity);
        this.index = new TransferIdIndex(records);
        this.freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            freeSlots[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
        this.inUse = new boolean[capacity];
        this.holdsByDebitAccount = new Long2LongHashMap(Math.max(8, capacity * 2), 0.65f, 0);
        this.heap = new int[capacity];
        this.heapPosition = new int[capacity];
        Arrays.fill(heapPosition, NOT_IN_HEAP);
    }

    TransferRecords records()
    {
        return records;
    }

    /**
     * Reports every later hold opened or closed to the invariant checks (only while {@link LedgerInvariants#ENABLED}).
     */
    void reportChangesTo(final LedgerInvariants invariants)
    {
        this.invariants = invariants;
    }

    int capacity()
    {
        return capacity;
    }

    int count()
    {
        return capacity - freeCount;
    }

    /**
     * @return how many holds are open with this account as their debit account.
     */
    int holdsOf(final long debitAccountId)
    {
        return (int)holdsByDebitAccount.get(debitAccountId);
    }

    boolean isFull()
    {
        return freeCount == 0;
    }

    boolean isInUse(final int slot)
    {
        return inUse[slot];
    }

    int indexPosition(final long idHash)
    {
        return index.position(idHash);
    }

    long touchIndex(final int[] positions, final int count)
    {
        return index.touchAll(positions, count);
    }

    int find(final long idLo, final long idHi)
    {
        return find(idLo, idHi, TransferIdIndex.hash(idLo, idHi, hashSeed));
    }

    int find(final long idLo, final long idHi, final long idHash)
    {
        // Most transfers are not holds: skip the index (a likely cache miss) when no hold is open.
        if (freeCount == capacity)
        {
            return -1;
        }
        return index.get(idLo, idHi, idHash);
    }

    /**
     * Takes a free slot for a hold with this id; the caller writes the record, then calls {@link #commit(int)}.
     */
    int claim()
    {
        if (freeCount == 0)
        {
            throw new IllegalStateException("pending transfers full");
        }
        return freeSlots[--freeCount];
    }

    /**
     * Indexes a record written into a slot from {@link #claim()} and schedules its expiry.
     */
    void commit(final int slot)
    {
        index.put(records.idHash(slot), slot);
        inUse[slot] = true;
        final long debitAccountId = records.debitAccountId(slot);
        holdsByDebitAccount.put(debitAccountId, holdsByDebitAccount.get(debitAccountId) + 1);
        if (records.expiresAt(slot) != 0)
        {
            heapInsert(slot);
        }
        if (LedgerInvariants.ENABLED && invariants != null)
        {
            invariants.holdChanged(records, slot, 1);
        }
    }

    /**
     * Adds an open hold read from a snapshot; its id hash is computed afresh, since it depends on this
     * process's seed. The slot may differ from the one it had, which nothing observable depends on.
     *
     * @throws LedgerStateException if the table is full or already holds the record's id.
     */
    void restore(final DirectBuffer from, final int offset)
    {
        if (freeCount == 0)
        {
            throw new LedgerStateException("the state holds more open holds than the capacity of " + capacity);
        }
        final int slot = freeSlots[freeCount - 1];
        records.restore(slot, from, offset, hashSeed);
        if (index.get(records.idLo(slot), records.idHi(slot), records.idHash(slot)) >= 0)
        {
            throw new LedgerStateException("hold id " + records.idHi(slot) + ":" + records.idLo(slot) +
                " appears twice in the state");
        }
        freeCount--;
        commit(slot);
    }

    /**
     * Releases the slot of a resolved hold.
     */
    void remove(final int slot)
    {
        if (LedgerInvariants.ENABLED && invariants != null)
        {
            invariants.holdChanged(records, slot, -1);
        }
        index.remove(records.idHash(slot), slot);
        final long debitAccountId = records.debitAccountId(slot);
        final long holds = holdsByDebitAccount.get(debitAccountId) - 1;
        if (holds == 0)
        {
            holdsByDebitAccount.remove(debitAccountId);
        }
        else
        {
            holdsByDebitAccount.put(debitAccountId, holds);
        }
        if (heapPosition[slot] != NOT_IN_HEAP)
        {
            heapRemove(slot);
        }
        inUse[slot] = false;
        freeSlots[freeCount++] = slot;
    }

    /**
     * @param now a timestamp.
     * @return the slot of the hold that expires first if it expires at or before {@code now}, else -1.
     */
    int firstExpired(final long now)
    {
        if (heapSize == 0)
        {
            return -1;
        }
        final int slot = heap[0];
        return records.expiresAt(slot) <= now ? slot : -1;
    }

    private boolean before(final int a, final int b)
    {
        final long ea = records.expiresAt(a);
        final long eb = records.expiresAt(b);
        return ea < eb || (ea == eb && records.timestamp(a) < records.timestamp(b));
    }

    private void heapInsert(final int slot)
    {
        final int position = heapSize++;
        heap[position] = slot;
        heapPosition[slot] = position;
        siftUp(position);
    }

    private void heapRemove(final int slot)
    {
        final int position = heapPosition[slot];
        final int last = heap[--heapSize];
        heapPosition[slot] = NOT_IN_HEAP;
        if (position != heapSize)
        {
            heap[position] = last;
            heapPosition[last] = position;
            siftDown(position);
            siftUp(heapPosition[last]);
        }
    }

    private void siftUp(final int start)
    {
        int position = start;
        final int slot = heap[position];
        while (position > 0)
        {
            final int parent = (position - 1) >>> 1;
            final int parentSlot = heap[parent];
            if (!before(slot, parentSlot))
            {
                break;
            }
            heap[position] = parentSlot;
            heapPosition[parentSlot] = position;
            position = parent;
        }
        heap[position] = slot;
        heapPosition[slot] = position;
    }

    private void siftDown(final int start)
    {
        int position = start;
        final int slot = heap[position];
        final int half = heapSize >>> 1;
        while (position < half)
        {
            int child = 2 * position + 1;
            final int right = child + 1;
            if (right < heapSize && before(heap[right], heap[child]))
            {
                child = right;
            }
            if (!before(heap[child], slot))
            {
                break;
            }
            heap[position] = heap[child];
            heapPosition[heap[child]] = position;
            position = child;
        }
        heap[position] = slot;
        heapPosition[slot] = position;
    }
}
