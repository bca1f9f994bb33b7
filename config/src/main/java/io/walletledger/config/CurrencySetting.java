package io.walletledger.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of {@code wallet.ledger.currencies}: a currency the ledger knows beyond the ISO 4217 ones.
 *
 * @param code     the alphabetic code, 3 to {@value #CODE_LENGTH_MAX} upper-case letters or digits starting with a letter (the protocol's rule), e.g. BTC.
 * @param numeric  the numeric code used on the wire and in account records, 1..{@value #NUMERIC_MAX}.
 * @param exponent decimal places of the minor unit, 0..{@value #EXPONENT_MAX} (BTC: 8).
 */
public record CurrencySetting(String code, int numeric, int exponent)
{
    /**
     * Longest alphabetic code.
     */
    public static final int CODE_LENGTH_MAX = 10;

    /**
     * Largest numeric code: 65535 is the null value of the protocol's uint16 currency field.
     */
    public static final int NUMERIC_MAX = 65534;

    /**
     * Most decimal places of a minor unit: 10^18 minor units still fit a long.
     */
    public static final int EXPONENT_MAX = 18;

    static final Pattern CODE_PATTERN = Pattern.compile("[A-Z][A-Z0-9]{2," + (CODE_LENGTH_MAX - 1) + "}");

    /**
     * @throws IllegalArgumentException if a field is outside its range.
     */
    public CurrencySetting
    {
        Objects.requireNonNull(code, "code");
        if (!CODE_PATTERN.matcher(code).matches())
        {
            throw new IllegalArgumentException(
                "currency code must be 3 to " + CODE_LENGTH_MAX + " upper-case letters or digits starting with a letter, was " + code);
        }
        if (numeric < 1 || numeric > NUMERIC_MAX)
        {
            throw new IllegalArgumentException(
                "numeric code of " + code + " must be in 1.." + NUMERIC_MAX + ", was " + numeric);
        }
        if (exponent < 0 || exponent > EXPONENT_MAX)
        {
            throw new IllegalArgumentException(
                "exponent of " + code + " must be in 0.." + EXPONENT_MAX + ", was " + exponent);
        }
    }
}
