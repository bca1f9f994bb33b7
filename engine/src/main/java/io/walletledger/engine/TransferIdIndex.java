package io.walletledger.engine;

/**
 * Open-addressing index from a 128-bit transfer id to the slot of its record in a {@link TransferRecords}.
 * <p>
 * Each table entry is one {@code long}: the upper bits of the id's hash (which also give the entry's
 * home position, so deletion can shift entries back without touching records) and, in the low
 * {@link #SLOT_BITS} bits, the slot plus one; zero marks an empty entry. A lookup compares the stored hash
 * bits first and reads the record's id only on a match, so a miss usually costs one cache line. Linear
 * probing, at most a quarter full ({@link LedgerConfig#indexLength}), sized once: it never allocates after
 * construction.
 */
final class TransferIdIndex
{
    static final int SLOT_BITS = 26;
    static final int SLOT_LIMIT = (1 << SLOT_BITS) - 1;
    private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
    private static final long HASH_MASK = ~SLOT_MASK;

    private final long[] table;
    private final int mask;
    private final TransferRecords records;
    private int size;

    TransferIdIndex(final TransferRecords records)
    {
        final int capacity = records.capacity();
        if (capacity > SLOT_LIMIT)
        {
            throw new IllegalArgumentException("at most " + SLOT_LIMIT + " records can be indexed, not " + capacity);
        }
        final int tableLength = LedgerConfig.indexLength(capacity);
        this.table = new long[tableLength];
        this.mask = tableLength - 1;
        this.records = records;
    }

    int size()
    {
        return size;
    }

    /**
     * @param seed a secret per process (see {@link LedgerConfig#hashSeed()}), so clients cannot choose ids
     *             that pile up in one place of the table.
     */
    static long hash(final long lo, final long hi, final long seed)
    {
        long h = (lo ^ seed) * 0x9E3779B97F4A7C15L;
        h ^= Long.rotateLeft((hi + seed) * 0xC2B2AE3D27D4EB4FL, 29);
        h ^= h >>> 32;
        h *= 0xD6E8FEB86659FD93L;
        h ^= h >>> 29;
        return h;
    }

    private int home(final long hashBits)
    {
        return (int)(hashBits >>> SLOT_BITS) & mask;
    }

    /**
     * @return where a lookup of the id with this hash starts, for {@link #touchAll}.
     */
    int position(final long idHash)
    {
        return home(idHash & HASH_MASK);
    }

    /**
     * Loads the table entries at {@code positions[0..count)}: a loop that does nothing else, so the CPU
     * keeps as many of these independent cache misses in flight as it can.
     */
    long touchAll(final int[] positions, final int count)
    {
        return CacheLines.touch(table, positions, count);
    }

    /**
     * @param idHash {@link #hash(long, long, long)} of the id.
     * @return the slot of the record with this id, or -1.
     */
    int get(final long lo, final long hi, final long idHash)
    {
        final long hashBits = idHash & HASH_MASK;
        final long[] table = this.table;
        int pos = home(hashBits);
        while (true)
        {
            final long entry = table[pos];
            if (entry == 0)
            {
                return -1;
            }
            if ((entry & HASH_MASK) == hashBits)
            {
                final int slot = (int)(entry & SLOT_MASK) - 1;
                if (records.idLo(slot) == lo && records.idHi(slot) == hi)
                {
                    return slot;
                }
            }
            pos = (pos + 1) & mask;
        }
    }

    /**
     * Adds an id that is not in the index.
     *
     * @param idHash {@link #hash(long, long, long)} of the id.
     * @param slot   of its record.
     */
    void put(final long idHash, final int slot)
    {
        final long hashBits = idHash & HASH_MASK;
        int pos = home(hashBits);
        while (table[pos] != 0)
        {
            pos = (pos + 1) & mask;
        }
        table[pos] = hashBits | (slot + 1);
        size++;
    }

    /**
     * Removes an id that is in the index, pointing at {@code slot}.
     *
     * @param idHash {@link #hash(long, long, long)} of the id.
     * @param slot   of its record.
     */
    void remove(final long idHash, final int slot)
    {
        final long entryValue = (idHash & HASH_MASK) | (slot + 1);
        int hole = home(entryValue & HASH_MASK);
        while (table[hole] != entryValue)
        {
            if (table[hole] == 0)
            {
                throw new IllegalStateException("transfer id not in index: slot " + slot);
            }
            hole = (hole + 1) & mask;
        }

        // Backward-shift deletion: move later entries of the cluster into the hole when their home
        // position does not lie cyclically in (hole, pos].
        int pos = hole;
        while (true)
        {
            pos = (pos + 1) & mask;
            final long entry = table[pos];
            if (entry == 0)
            {
                break;
            }
            final int home = home(entry & HASH_MASK);
            final boolean stays = hole <= pos ? (hole < home && home <= pos) : (hole < home || home <= pos);
            if (!stays)
            {
                table[hole] = entry;
                hole = pos;
            }
        }
        table[hole] = 0;
        size--;
    }
}
