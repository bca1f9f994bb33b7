package io.walletledger.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses among n accounts, numbered 1..n, uniformly or by a Zipf law over ranks (1 the hottest): the account
 * choice of both load generators, so they drive the same workload. Read-only once built, so threads may share one.
 */
public final class AccountChooser
{
    private final int accounts;
    private final double[] cumulative;

    public AccountChooser(final int accounts, final double exponent)
    {
        this.accounts = accounts;
        if (exponent == 0)
        {
            cumulative = null;
        }
        else
        {
            cumulative = new double[accounts];
            double sum = 0;
            for (int rank = 1; rank <= accounts; rank++)
            {
                sum += 1.0 / Math.pow(rank, exponent);
                cumulative[rank - 1] = sum;
            }
            for (int i = 0; i < accounts; i++)
            {
                cumulative[i] /= sum;
            }
        }
    }

    public long choose(final SplittableRandom random)
    {
        if (cumulative == null)
        {
            return 1 + random.nextInt(accounts);
        }
        final int found = Arrays.binarySearch(cumulative, random.nextDouble());
        final int index = found >= 0 ? found : -found - 1;
        return 1 + Math.min(index, accounts - 1);
    }
}
