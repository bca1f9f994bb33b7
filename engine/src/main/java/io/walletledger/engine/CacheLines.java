package io.walletledger.engine;

/**
 * Bringing memory into cache ahead of use, from Java, which has no prefetch instruction: plain loads whose
 * values are summed (so the JIT keeps them) in loops that do nothing else, so that the CPU keeps as many
 * of these independent cache misses in flight as its queues allow.
 */
final class CacheLines
{
    private CacheLines()
    {
    }

    /**
     * Loads {@code table[positions[i]]} for i in {@code [0, count)}.
     *
     * @return the sum of the loaded values, only so the loads cannot be optimised away.
     */
    static long touch(final long[] table, final int[] positions, final int count)
    {
        long touched = 0;
        for (int i = 0; i < count; i++)
        {
            touched += table[positions[i]];
        }
        return touched;
    }

    /**
     * Loads the {@code long} at each of {@code addresses[0..count)}.
     *
     * @return the sum of the loaded values, only so the loads cannot be optimised away.
     */
    static long touch(final long[] addresses, final int count)
    {
        long touched = 0;
        for (int i = 0; i < count; i++)
        {
            touched += RecordBlock.getLong(addresses[i]);
        }
        return touched;
    }
}
