package io.walletledger.protocol;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A currency the ledger knows: its alphabetic code (ISO 4217 or a configured extra such as BTC), the
 * numeric code that travels on the wire and in account records, and the exponent of its minor unit
 * (2 for USD cents, 0 for JPY, 8 for BTC satoshis).
 */
public final class Currency
{
    public static final int EXPONENT_MAX = 18;
    /** 65535 is the SBE null value of the uint16 currency field, so the largest usable code is one less. */
    public static final int NUMERIC_CODE_MAX = 65534;

    private final String alphaCode;
    private final int numericCode;
    private final int exponent;

    public Currency(final String alphaCode, final int numericCode, final int exponent)
    {
        Objects.requireNonNull(alphaCode, "alphaCode");
        if (!alphaCode.matches("[A-Z][A-Z0-9]{2,9}"))
        {
            throw new IllegalArgumentException(
                "currency code must be 3 to 10 upper-case letters or digits, starting with a letter: " + alphaCode);
        }
        if (numericCode < 1 || numericCode > NUMERIC_CODE_MAX)
        {
            throw new IllegalArgumentException(
                "numeric code of " + alphaCode + " must be in 1.." + NUMERIC_CODE_MAX + ", was " + numericCode);
        }
        if (exponent < 0 || exponent > EXPONENT_MAX)
        {
            throw new IllegalArgumentException(
                "exponent of " + alphaCode + " must be in 0.." + EXPONENT_MAX + ", was " + exponent);
        }
        this.alphaCode = alphaCode;
        this.numericCode = numericCode;
        this.exponent = exponent;
    }

    public String alphaCode()
    {
        return alphaCode;
    }

    public int numericCode()
    {
        return numericCode;
    }

    public int exponent()
    {
        return exponent;
    }

    /**
     * @param minorUnits an amount in minor units.
     * @return the same amount in major units, exact (for example 1234 USD cents is 12.34).
     */
    public BigDecimal toMajorUnits(final long minorUnits)
    {
        return BigDecimal.valueOf(minorUnits, exponent);
    }

    /**
     * Converts a decimal amount in major units to minor units, refusing anything that is not exactly
     * representable: more decimals than the exponent allows, or beyond the range of a {@code long}.
     *
     * @param majorUnits for example "12.34".
     * @return the amount in minor units; negative if the text is negative (callers that take only
     * positive amounts must check).
     * @throws ArithmeticException      if the amount has too many decimals or is out of range.
     * @throws NumberFormatException    if the text is not a decimal number.
     */
    public long toMinorUnits(final String majorUnits)
    {
        final BigDecimal value = new BigDecimal(majorUnits);
        if (value.stripTrailingZeros().scale() > exponent)
        {
            throw new ArithmeticException(
                alphaCode + " has " + exponent + " decimal places; " + majorUnits + " has more");
        }
        return value.movePointRight(exponent).longValueExact();
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof Currency))
        {
            return false;
        }
        final Currency that = (Currency)o;
        return numericCode == that.numericCode && exponent == that.exponent && alphaCode.equals(that.alphaCode);
    }

    @Override
    public int hashCode()
    {
        return numericCode;
    }

    @Override
    public String toString()
    {
        return alphaCode + "(" + numericCode + ", exponent " + exponent + ")";
    }
}
