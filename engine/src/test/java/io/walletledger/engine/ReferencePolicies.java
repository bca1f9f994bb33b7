package io.walletledger.engine;

import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.sbe.ResultCode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ledger-wide policies of {@link ReferenceLedger}, written from {@code docs/ledger-semantics.md} alone: the fee
 * schedule, the review thresholds, the default limits of account codes and the settings, in sorted maps, with the
 * commands that change them. Policy commands are never part of a linked chain, so nothing here is ever rolled back.
 */
final class ReferencePolicies
{
    static final int SETTING_DAY_START_SECONDS = 1;
    static final int SETTING_CONFIG_DIGEST = 2;
    static final int SETTING_HOLDS_PER_ACCOUNT_MAX = 3;
    static final int SETTING_HOLD_TIMEOUT_MAX_SECONDS = 4;
    private static final int TABLE_ENTRIES_MAX = ProtocolLimits.POLICY_ENTRIES_MAX;
    private static final long SECONDS_PER_DAY = 86_400;
    private static final long BASIS_POINTS_MAX = 10_000;
    private static final BigInteger AMOUNT_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** An entry of the fee schedule. */
    record Fee(long fixed, long basisPoints, long minimum, long maximum, long accountId)
    {
    }

    /** Limits as a command gives them; 0 = none. */
    record LimitValues(long transferAmount, long daily, long velocityDebits, long velocityWindowSeconds)
    {
    }

    private CurrencyRegistry currencies;
    private final int velocityDebitsMax;
    /** By transfer code, then currency: the key order of the lookup. */
    private final TreeMap<Long, Fee> fees = new TreeMap<>();
    private final TreeMap<Integer, Long> thresholds = new TreeMap<>();
    private final TreeMap<Integer, LimitValues> codeLimits = new TreeMap<>();
    private long dayStartSeconds;
    /** Most holds open at once per debit account; 0 = no limit. */
    private long holdsPerAccountMax;
    /** Longest timeout a hold asked for may have, in seconds; 0 = no limit. */
    private long holdTimeoutMaxSeconds;
    private long configDigest;

    void currencies(final CurrencyRegistry registry)
    {
        this.currencies = registry;
    }

    /**
     * @return the currencies the fee schedule and the review thresholds name.
     */
    java.util.Set<Integer> currenciesInUse()
    {
        final java.util.Set<Integer> used = new java.util.HashSet<>(thresholds.keySet());
        for (final Long key : fees.keySet())
        {
            used.add((int)(key & 0xFFFF));
        }
        return used;
    }

    ReferencePolicies(final CurrencyRegistry currencies, final int velocityDebitsMax)
    {
        this.currencies = currencies;
        this.velocityDebitsMax = velocityDebitsMax;
    }

    // ---------------------------------------------------------------------------------------------- commands

    ResultCode setFee(final OperatorCommand.SetFee c)
    {
        final ResultCode currency = checkCurrency(c.currency());
        if (currency != null)
        {
            return currency;
        }
        if (c.fixedAmount() < 0 || c.minimum() < 0 || c.maximum() < 0)
        {
            return ResultCode.FEE_MUST_NOT_BE_NEGATIVE;
        }
        if (c.basisPoints() > BASIS_POINTS_MAX)
        {
            return ResultCode.FEE_BASIS_POINTS_TOO_LARGE;
        }
        if (c.maximum() != 0 && c.minimum() > c.maximum())
        {
            return ResultCode.FEE_MINIMUM_EXCEEDS_MAXIMUM;
        }
        final long key = (long)c.transferCode() << 16 | c.currency();
        if (c.feeAccountId() == 0)
        {
            fees.remove(key);
            return ResultCode.OK;
        }
        return put(fees, key, new Fee(c.fixedAmount(), c.basisPoints(), c.minimum(), c.maximum(), c.feeAccountId()));
    }

    ResultCode setThreshold(final OperatorCommand.SetThreshold c)
    {
        final ResultCode currency = checkCurrency(c.currency());
        if (currency != null)
        {
            return currency;
        }
        if (c.threshold() < 0)
        {
            return ResultCode.THRESHOLD_MUST_NOT_BE_NEGATIVE;
        }
        if (c.threshold() == 0)
        {
            thresholds.remove(c.currency());
            return ResultCode.OK;
        }
        return put(thresholds, c.currency(), c.threshold());
    }

    ResultCode setCodeLimits(final OperatorCommand.SetCodeLimits c)
    {
        final LimitValues values = new LimitValues(c.transferAmountLimit(), c.dailyDebitLimit(), c.velocityDebitLimit(),
            c.velocityWindowSeconds());
        final ResultCode invalid = checkLimits(values);
        if (invalid != null)
        {
            return invalid;
        }
        if (values.transferAmount() == 0 && values.daily() == 0 && values.velocityDebits() == 0)
        {
            codeLimits.remove(c.code());
            return ResultCode.OK;
        }
        return put(codeLimits, c.code(), values);
    }

    ResultCode setSetting(final OperatorCommand.SetSetting c)
    {
        switch (c.setting())
        {
            case SETTING_DAY_START_SECONDS:
                if (c.value() < 0 || c.value() >= SECONDS_PER_DAY)
                {
                    return ResultCode.SETTING_OUT_OF_RANGE;
                }
                dayStartSeconds = c.value();
                return ResultCode.OK;
            case SETTING_CONFIG_DIGEST:
                configDigest = c.value();
                return ResultCode.OK;
            case SETTING_HOLDS_PER_ACCOUNT_MAX:
                if (c.value() < 0 || c.value() > Integer.MAX_VALUE)
                {
                    return ResultCode.SETTING_OUT_OF_RANGE;
                }
                holdsPerAccountMax = c.value();
                return ResultCode.OK;
            case SETTING_HOLD_TIMEOUT_MAX_SECONDS:
                if (c.value() < 0 || c.value() > 0xFFFF_FFFFL)
                {
                    return ResultCode.SETTING_OUT_OF_RANGE;
                }
                holdTimeoutMaxSeconds = c.value();
                return ResultCode.OK;
            default:
                return ResultCode.SETTING_UNKNOWN;
        }
    }

    /**
     * @return null if account or code limits may be set to these values, otherwise why not.
     */
    ResultCode checkLimits(final LimitValues values)
    {
        if (values.transferAmount() < 0 || values.daily() < 0)
        {
            return ResultCode.LIMIT_MUST_NOT_BE_NEGATIVE;
        }
        if (values.velocityDebits() > velocityDebitsMax)
        {
            return ResultCode.VELOCITY_LIMIT_TOO_LARGE;
        }
        if (values.velocityDebits() != 0 && values.velocityWindowSeconds() == 0)
        {
            return ResultCode.VELOCITY_WINDOW_MUST_NOT_BE_ZERO;
        }
        return null;
    }

    private ResultCode checkCurrency(final int currency)
    {
        if (currency == 0)
        {
            return ResultCode.CURRENCY_MUST_NOT_BE_ZERO;
        }
        return currencies.isKnown(currency) ? null : ResultCode.CURRENCY_UNKNOWN;
    }

    private static <K, V> ResultCode put(final Map<K, V> table, final K key, final V value)
    {
        if (!table.containsKey(key) && table.size() >= TABLE_ENTRIES_MAX)
        {
            return ResultCode.POLICY_TABLE_FULL;
        }
        table.put(key, value);
        return ResultCode.OK;
    }

    // --------------------------------------------------------------------------------------------- queries

    /**
     * @return the fee schedule entry of transfers with this code and currency, or null.
     */
    Fee feeEntry(final int transferCode, final int currency)
    {
        return fees.get((long)transferCode << 16 | currency);
    }

    /**
     * @return the fee of {@code amount} under an entry: fixed plus the basis points of the amount rounded half up,
     * raised to the minimum, cut to a non-zero maximum; null if fixed plus basis points exceed 2^63-1.
     */
    static BigInteger fee(final Fee entry, final long amount)
    {
        final BigInteger proportional = BigInteger.valueOf(amount).multiply(BigInteger.valueOf(entry.basisPoints()))
            .add(BigInteger.valueOf(BASIS_POINTS_MAX / 2)).divide(BigInteger.valueOf(BASIS_POINTS_MAX));
        BigInteger fee = BigInteger.valueOf(entry.fixed()).add(proportional);
        if (fee.compareTo(AMOUNT_MAX) > 0)
        {
            return null;
        }
        fee = fee.max(BigInteger.valueOf(entry.minimum()));
        return entry.maximum() == 0 ? fee : fee.min(BigInteger.valueOf(entry.maximum()));
    }

    /**
     * @return the review threshold of the currency, 0 for none.
     */
    long threshold(final int currency)
    {
        return thresholds.getOrDefault(currency, 0L);
    }

    /**
     * @return the default limits of accounts created with this code, or null.
     */
    LimitValues codeLimits(final int code)
    {
        return codeLimits.get(code);
    }

    /**
     * @return most holds open at once per debit account; 0 = no limit.
     */
    long holdsPerAccountMax()
    {
        return holdsPerAccountMax;
    }

    /**
     * @return longest timeout a hold asked for may have, in seconds; 0 = no limit.
     */
    long holdTimeoutMaxSeconds()
    {
        return holdTimeoutMaxSeconds;
    }

    /**
     * @return the engine-time day of a timestamp: days start {@code dayStartSeconds} after 00:00 UTC.
     */
    long dayOf(final long timestamp)
    {
        return Math.floorDiv(Math.floorDiv(timestamp, 1_000_000_000L) - dayStartSeconds, SECONDS_PER_DAY);
    }

    TestLedger.PoliciesView view()
    {
        final List<TestLedger.FeeView> feeViews = new ArrayList<>();
        for (final Map.Entry<Long, Fee> e : fees.entrySet())
        {
            final Fee f = e.getValue();
            feeViews.add(new TestLedger.FeeView((int)(e.getKey() >>> 16), (int)(e.getKey() & 0xFFFF), f.fixed(),
                f.basisPoints(), f.minimum(), f.maximum(), f.accountId()));
        }
        final List<TestLedger.ThresholdView> thresholdViews = new ArrayList<>();
        thresholds.forEach((currency, threshold) -> thresholdViews.add(new TestLedger.ThresholdView(currency, threshold)));
        final List<TestLedger.CodeLimitsView> limitViews = new ArrayList<>();
        codeLimits.forEach((code, v) -> limitViews.add(new TestLedger.CodeLimitsView(code, v.transferAmount(), v.daily(),
            v.velocityDebits(), v.velocityWindowSeconds())));
        return new TestLedger.PoliciesView(dayStartSeconds, configDigest, holdsPerAccountMax, holdTimeoutMaxSeconds,
            feeViews, thresholdViews, limitViews);
    }
}
