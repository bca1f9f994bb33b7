package io.walletledger.engine;

import java.util.SplittableRandom;

/**
 * Seeds for the randomized tests: fresh ones every run, so that runs keep exploring, or exactly one given with
 * {@code -Dwallet.test.seed=N} to reproduce a failure. Every assertion message of a randomized test names
 * its seed.
 */
final class TestSeeds
{
    static final String SEED_PROPERTY = "wallet.test.seed";
    static final String SEEDS_PROPERTY = "wallet.test.seeds";

    private TestSeeds()
    {
    }

    /**
     * @param count how many seeds to run unless {@code -Dwallet.test.seeds=N} says otherwise.
     * @return the seed given by {@code -Dwallet.test.seed}, or {@code count} new random seeds.
     */
    static long[] seeds(final int count)
    {
        final String fixed = System.getProperty(SEED_PROPERTY);
        if (fixed != null && !fixed.isBlank())
        {
            return new long[]{ Long.parseLong(fixed.trim()) };
        }
        final int n = Integer.getInteger(SEEDS_PROPERTY, count);
        final SplittableRandom random = new SplittableRandom();
        final long[] seeds = new long[n];
        for (int i = 0; i < n; i++)
        {
            seeds[i] = random.nextLong();
        }
        return seeds;
    }
}
