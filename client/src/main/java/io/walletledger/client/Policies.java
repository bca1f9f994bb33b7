package io.walletledger.client;

import java.util.List;
import java.util.Optional;

/**
 * The ledger-wide policies as a lookup found them ({@link WalletClient#lookupPolicies()}): the fee schedule, the
 * review thresholds, the default limits per account code, and the settings, each table in the ledger's order.
 *
 * @param dayStartSeconds  where a day of the daily limits starts: seconds after 00:00 UTC.
 * @param configDigest     the digest of the policy configuration the server last applied at start-up.
 * @param holdsPerAccountMax most holds open at once with one account as their debit account; 0 = no limit (and
 *                         from a server of schema version 4 or older, which has none).
 * @param holdTimeoutMaxSeconds the longest timeout a hold may ask for, in seconds; 0 = no limit.
 * @param fees             the fee schedule: one entry per transfer code and currency.
 * @param reviewThresholds the large-transfer rules: one per currency.
 * @param codeLimits       the default limits of new accounts: one entry per account code.
 */
public record Policies(
    int dayStartSeconds,
    long configDigest,
    long holdsPerAccountMax,
    long holdTimeoutMaxSeconds,
    List<FeeSchedule> fees,
    List<ReviewThreshold> reviewThresholds,
    List<CodeLimits> codeLimits)
{
    /**
     * @throws NullPointerException if a list is null or holds a null.
     */
    public Policies
    {
        fees = List.copyOf(fees);
        reviewThresholds = List.copyOf(reviewThresholds);
        codeLimits = List.copyOf(codeLimits);
    }

    /**
     * @return the fee of transfers with this code and currency, if any.
     */
    public Optional<FeeSchedule> fee(final int transferCode, final int currency)
    {
        return fees.stream().filter(f -> f.transferCode() == transferCode && f.currency() == currency).findFirst();
    }

    /**
     * @return the review threshold of the currency in minor units; 0 if it has none.
     */
    public long reviewThreshold(final int currency)
    {
        return reviewThresholds.stream().filter(t -> t.currency() == currency).mapToLong(ReviewThreshold::threshold)
            .findFirst().orElse(0);
    }

    /**
     * @return the default limits of accounts created with this code, if it has any.
     */
    public Optional<Limits> limitsOfCode(final int code)
    {
        return codeLimits.stream().filter(c -> c.code() == code).map(CodeLimits::limits).findFirst();
    }

    @Override
    public String toString()
    {
        return "Policies{dayStartSeconds=" + dayStartSeconds + ", configDigest=" + Long.toHexString(configDigest) +
            ", holdsPerAccountMax=" + holdsPerAccountMax + ", holdTimeoutMaxSeconds=" + holdTimeoutMaxSeconds +
            ", fees=" + fees + ", reviewThresholds=" + reviewThresholds + ", codeLimits=" + codeLimits + "}";
    }
}
