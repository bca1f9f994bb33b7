package io.walletledger.config;

/**
 * One entry of {@code wallet.policies.fees}: the fee of transfers with a transfer code in a currency.
 *
 * @param transferCode the transfers' code, 0..65535.
 * @param currency     the alphabetic currency code, as in {@link CurrencySetting#code()}.
 * @param fixedAmount  minor units added to every fee, 0 or more.
 * @param basisPoints  of the amount, 0..10,000 (rounded half up).
 * @param minimum      the least fee, 0 or more.
 * @param maximum      the largest fee, 0 for none; at least {@code minimum} otherwise.
 * @param feeAccount   the account the fee goes to, 1 or more.
 */
public record FeeSetting(
    int transferCode, String currency, long fixedAmount, int basisPoints, long minimum, long maximum, long feeAccount)
{
    /** The fields of an entry, in the order they are documented. */
    static final java.util.List<String> KEYS =
        java.util.List.of("transfer-code", "currency", "fixed-amount", "basis-points", "minimum", "maximum", "fee-account");
    static final String EXAMPLE = "{ transfer-code = 1, currency = \"USD\", fixed-amount = 0, basis-points = 30, " +
        "minimum = 10, maximum = 0, fee-account = 3 }";
}
