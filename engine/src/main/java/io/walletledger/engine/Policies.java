package io.walletledger.engine;

import io.walletledger.protocol.ProtocolLimits;
import org.agrona.collections.Int2IntHashMap;

/**
 * The ledger-wide policies: the fee schedule (per transfer code and currency), the review thresholds (per
 * currency), the default limits of new accounts (per account code), where an engine-time day starts, and the
 * digest of the configuration the server last applied. Changed only by journaled commands, so a replay sees
 * the same policies at the same point.
 * <p>
 * Each table is kept sorted by key (as unsigned ints), at most {@link ProtocolLimits#POLICY_ENTRIES_MAX} entries, with a hash
 * index rebuilt when the table changes (rare, operator commands); a lookup on the transfer path is one probe
 * and allocates nothing.
 */
final class Policies
{
    static final int ENTRIES_MAX = ProtocolLimits.POLICY_ENTRIES_MAX;
    static final int BASIS_POINTS_MAX = 10_000;

    // Fee schedule: key = transferCode << 16 | currency.
    final int[] feeKey = new int[ENTRIES_MAX];
    final long[] feeFixed = new long[ENTRIES_MAX];
    final int[] feeBasisPoints = new int[ENTRIES_MAX];
    final long[] feeMinimum = new long[ENTRIES_MAX];
    final long[] feeMaximum = new long[ENTRIES_MAX];
    final long[] feeAccountId = new long[ENTRIES_MAX];
    int feeCount;
    private final Int2IntHashMap feeIndex = new Int2IntHashMap(ENTRIES_MAX * 2, 0.65f, -1);

    // Review thresholds: key = currency.
    final int[] thresholdCurrency = new int[ENTRIES_MAX];
    final long[] threshold = new long[ENTRIES_MAX];
    int thresholdCount;
    private final Int2IntHashMap thresholdIndex = new Int2IntHashMap(ENTRIES_MAX * 2, 0.65f, -1);

    // Default limits of new accounts: key = account code.
    final int[] limitsCode = new int[ENTRIES_MAX];
    final long[] limitsTransferAmount = new long[ENTRIES_MAX];
    final long[] limitsDaily = new long[ENTRIES_MAX];
    final int[] limitsVelocityDebits = new int[ENTRIES_MAX];
    final int[] limitsVelocityWindow = new int[ENTRIES_MAX];
    int limitsCount;
    private final Int2IntHashMap limitsIndex = new Int2IntHashMap(ENTRIES_MAX * 2, 0.65f, -1);

    int dayStartSeconds;
    long configDigest;
    /** Most holds open at once with one account as their debit account; 0 = no limit. */
    int holdsPerAccountMax;
    /** Longest timeout of a new hold a transfer asks for, in seconds (unsigned); 0 = no limit. */
    int holdTimeoutMaxSeconds;

    static int feeKey(final int transferCode, final int currency)
    {
        return transferCode << 16 | currency;
    }

    /**
     * @return the fee schedule entry for transfers of this code and currency, or -1.
     */
    int feeEntry(final int transferCode, final int currency)
    {
        return feeCount == 0 ? -1 : feeIndex.get(feeKey(transferCode, currency));
    }

    /**
     * @return the fee of a transfer of {@code amount} under entry {@code entry}: fixed plus basis points of the
     * amount (rounded half up), raised to the minimum and cut to the maximum; negative if it overflows.
     */
    long fee(final int entry, final long amount)
    {
        final long basisPoints = feeBasisPoints[entry];
        // amount / 10^4 * bp fits a long for bp <= 10^4; the remainder part is below 10^8.
        final long proportional = amount / BASIS_POINTS_MAX * basisPoints +
            ((amount % BASIS_POINTS_MAX) * basisPoints + BASIS_POINTS_MAX / 2) / BASIS_POINTS_MAX;
        long fee = feeFixed[entry] + proportional;
        if (fee < 0)
        {
            return -1;
        }
        fee = Math.max(fee, feeMinimum[entry]);
        final long maximum = feeMaximum[entry];
        return maximum != 0 ? Math.min(fee, maximum) : fee;
    }

    /**
     * @return the review threshold of the currency, or 0 if it has none.
     */
    long reviewThreshold(final int currency)
    {
        if (thresholdCount == 0)
        {
            return 0;
        }
        final int entry = thresholdIndex.get(currency);
        return entry < 0 ? 0 : threshold[entry];
    }

    /**
     * @return the default limits entry of an account code, or -1.
     */
    int limitsEntry(final int code)
    {
        return limitsCount == 0 ? -1 : limitsIndex.get(code);
    }

    /**
     * Sets or, with fee account 0, removes the fee of a transfer code and currency.
     *
     * @param key {@link #feeKey} of the transfer code and currency.
     * @return false if the table is full.
     */
    boolean putFee(
        final int key, final long fixed, final int basisPoints, final long minimum, final long maximum, final long accountId)
    {
        if (accountId == 0)
        {
            final int at = search(feeKey, feeCount, key);
            if (at >= 0)
            {
                close(at, feeCount, feeKey, feeBasisPoints);
                close(at, feeCount, feeFixed, feeMinimum, feeMaximum, feeAccountId);
                feeCount--;
            }
            reindex(feeIndex, feeKey, feeCount);
            return true;
        }
        final int at = insertionPoint(feeKey, feeCount, key);
        if (at < 0)
        {
            return false;
        }
        feeFixed[at] = fixed;
        feeBasisPoints[at] = basisPoints;
        feeMinimum[at] = minimum;
        feeMaximum[at] = maximum;
        feeAccountId[at] = accountId;
        return true;
    }

    /**
     * Sets or, with 0, removes the review threshold of a currency.
     *
     * @return false if the table is full.
     */
    boolean putThreshold(final int currency, final long amount)
    {
        if (amount == 0)
        {
            final int at = search(thresholdCurrency, thresholdCount, currency);
            if (at >= 0)
            {
                close(at, thresholdCount, thresholdCurrency);
                close(at, thresholdCount, threshold);
                thresholdCount--;
            }
            reindex(thresholdIndex, thresholdCurrency, thresholdCount);
            return true;
        }
        final int at = insertionPoint(thresholdCurrency, thresholdCount, currency);
        if (at < 0)
        {
            return false;
        }
        threshold[at] = amount;
        return true;
    }

    /**
     * Sets or, with every limit 0, removes the default limits of an account code.
     *
     * @return false if the table is full.
     */
    boolean putCodeLimits(
        final int code, final long transferAmount, final long daily, final int velocityDebits, final int velocityWindow)
    {
        if (transferAmount == 0 && daily == 0 && velocityDebits == 0)
        {
            final int at = search(limitsCode, limitsCount, code);
            if (at >= 0)
            {
                close(at, limitsCount, limitsCode, limitsVelocityDebits, limitsVelocityWindow);
                close(at, limitsCount, limitsTransferAmount, limitsDaily);
                limitsCount--;
            }
            reindex(limitsIndex, limitsCode, limitsCount);
            return true;
        }
        final int at = insertionPoint(limitsCode, limitsCount, code);
        if (at < 0)
        {
            return false;
        }
        limitsTransferAmount[at] = transferAmount;
        limitsDaily[at] = daily;
        limitsVelocityDebits[at] = velocityDebits;
        limitsVelocityWindow[at] = velocityWindow;
        return true;
    }

    /**
     * Finds the entry of {@code key} or makes room for it at its sorted place (shifting every parallel array of
     * that table), and rebuilds the table's index.
     *
     * @return the entry, or -1 if the key is new and the table full.
     */
    private int insertionPoint(final int[] keys, final int count, final int key)
    {
        final int found = search(keys, count, key);
        if (found >= 0)
        {
            return found;
        }
        if (count == ENTRIES_MAX)
        {
            return -1;
        }
        final int at = -found - 1;
        if (keys == feeKey)
        {
            shift(at, count, feeKey, feeBasisPoints);
            shift(at, count, feeFixed, feeMinimum, feeMaximum, feeAccountId);
            feeKey[at] = key;
            feeCount++;
            reindex(feeIndex, feeKey, feeCount);
        }
        else if (keys == thresholdCurrency)
        {
            shift(at, count, thresholdCurrency);
            shift(at, count, threshold);
            thresholdCurrency[at] = key;
            thresholdCount++;
            reindex(thresholdIndex, thresholdCurrency, thresholdCount);
        }
        else
        {
            shift(at, count, limitsCode, limitsVelocityDebits, limitsVelocityWindow);
            shift(at, count, limitsTransferAmount, limitsDaily);
            limitsCode[at] = key;
            limitsCount++;
            reindex(limitsIndex, limitsCode, limitsCount);
        }
        return at;
    }

    private static void shift(final int at, final int count, final int[]... arrays)
    {
        for (final int[] array : arrays)
        {
            System.arraycopy(array, at, array, at + 1, count - at);
        }
    }

    private static void shift(final int at, final int count, final long[]... arrays)
    {
        for (final long[] array : arrays)
        {
            System.arraycopy(array, at, array, at + 1, count - at);
        }
    }

    /**
     * Closes the gap an entry of a table of {@code count} entries leaves at {@code at}, in each array given: with
     * {@link #shift}'s, the parallel arrays of a table move together.
     */
    private static void close(final int at, final int count, final int[]... arrays)
    {
        for (final int[] array : arrays)
        {
            System.arraycopy(array, at + 1, array, at, count - at - 1);
        }
    }

    private static void close(final int at, final int count, final long[]... arrays)
    {
        for (final long[] array : arrays)
        {
            System.arraycopy(array, at + 1, array, at, count - at - 1);
        }
    }

    /**
     * A binary search over keys ordered as unsigned ints, so a fee key ({@code transferCode << 16 | currency}) with a
     * transfer code of 32,768 or more sorts after the smaller codes rather than first.
     *
     * @return the index of the key, or {@code -(insertion point) - 1}, as {@link java.util.Arrays#binarySearch}.
     */
    static int search(final int[] keys, final int count, final int key)
    {
        int low = 0;
        int high = count - 1;
        while (low <= high)
        {
            final int middle = (low + high) >>> 1;
            final int order = Integer.compareUnsigned(keys[middle], key);
            if (order < 0)
            {
                low = middle + 1;
            }
            else if (order > 0)
            {
                high = middle - 1;
            }
            else
            {
                return middle;
            }
        }
        return -(low + 1);
    }

    private static void reindex(final Int2IntHashMap index, final int[] keys, final int count)
    {
        index.clear();
        for (int i = 0; i < count; i++)
        {
            index.put(keys[i], i);
        }
    }

    /**
     * Rebuilds every index after the tables were filled directly (loading a state).
     */
    void reindexAll()
    {
        reindex(feeIndex, feeKey, feeCount);
        reindex(thresholdIndex, thresholdCurrency, thresholdCount);
        reindex(limitsIndex, limitsCode, limitsCount);
    }
}
