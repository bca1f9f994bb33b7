package io.walletledger.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a currency accepts as codes and exponent, and that conversions between major and minor units are
 * exact or refused, never rounded.
 */
final class CurrencyTest
{
    private static final Currency USD = new Currency("USD", 840, 2);
    private static final Currency JPY = new Currency("JPY", 392, 0);
    private static final Currency KWD = new Currency("KWD", 414, 3);
    private static final Currency BTC = new Currency("BTC", 1001, 8);

    @Test
    void holdsItsCodesAndExponent()
    {
        assertEquals("BTC", BTC.alphaCode());
        assertEquals(1001, BTC.numericCode());
        assertEquals(8, BTC.exponent());
    }

    @ParameterizedTest
    @ValueSource(strings = { "USD", "USDT", "A12", "X9Z", "ABCDEFGHIJ" })
    void acceptsThreeToTenUpperCaseLettersOrDigitsStartingWithALetter(final String alphaCode)
    {
        assertEquals(alphaCode, new Currency(alphaCode, 1001, 2).alphaCode());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "US", "usd", "Usd", "U$D", "1US", "ABCDEFGHIJK", " USD", "USD ", "US D", "ÜSD" })
    void refusesAnAlphabeticCodeOfTheWrongShape(final String alphaCode)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new Currency(alphaCode, 1001, 2));

        assertTrue(ex.getMessage().contains(alphaCode), ex.getMessage());
    }

    @Test
    void refusesANullAlphabeticCode()
    {
        assertThrows(NullPointerException.class, () -> new Currency(null, 840, 2));
    }

    @ParameterizedTest
    @ValueSource(ints = { Integer.MIN_VALUE, -1, 0, 65535, 65536, Integer.MAX_VALUE })
    void refusesANumericCodeOutsideTheUsableUint16Range(final int numericCode)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new Currency("XTS", numericCode, 2));

        assertTrue(ex.getMessage().contains("XTS"), ex.getMessage());
        assertTrue(ex.getMessage().contains(Integer.toString(numericCode)), ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 999, 65534 })
    void acceptsANumericCodeInTheUsableUint16Range(final int numericCode)
    {
        assertEquals(numericCode, new Currency("XTS", numericCode, 2).numericCode());
    }

    @ParameterizedTest
    @ValueSource(ints = { Integer.MIN_VALUE, -1, Currency.EXPONENT_MAX + 1, 100 })
    void refusesAnExponentOutsideZeroToEighteen(final int exponent)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new Currency("XTS", 963, exponent));

        assertTrue(ex.getMessage().contains(Integer.toString(exponent)), ex.getMessage());
    }

    @Test
    void acceptsTheSmallestAndLargestExponent()
    {
        assertEquals(0, new Currency("XTS", 963, 0).exponent());
        assertEquals(18, new Currency("XTS", 963, Currency.EXPONENT_MAX).exponent());
    }

    @Test
    void convertsMajorUnitsToMinorUnitsExactly()
    {
        assertEquals(1234L, USD.toMinorUnits("12.34"));
        assertEquals(1230L, USD.toMinorUnits("12.3"));
        assertEquals(1200L, USD.toMinorUnits("12"));
        assertEquals(1L, USD.toMinorUnits("0.01"));
        assertEquals(0L, USD.toMinorUnits("0"));
        assertEquals(500L, JPY.toMinorUnits("500"));
        assertEquals(12_345L, KWD.toMinorUnits("12.345"));
        assertEquals(1L, BTC.toMinorUnits("0.00000001"));
        assertEquals(2_100_000_000_000_000L, BTC.toMinorUnits("21000000"));
    }

    @Test
    void acceptsTrailingZerosBeyondTheExponent()
    {
        assertEquals(1234L, USD.toMinorUnits("12.340000"));
        assertEquals(7L, JPY.toMinorUnits("7.000"));
    }

    @Test
    void refusesMoreDecimalsThanTheCurrencyHas()
    {
        final ArithmeticException ex = assertThrows(ArithmeticException.class, () -> USD.toMinorUnits("12.345"));
        assertTrue(ex.getMessage().contains("USD"), ex.getMessage());
        assertTrue(ex.getMessage().contains("12.345"), ex.getMessage());

        assertThrows(ArithmeticException.class, () -> JPY.toMinorUnits("1.5"));
        assertThrows(ArithmeticException.class, () -> KWD.toMinorUnits("0.0001"));
        assertThrows(ArithmeticException.class, () -> BTC.toMinorUnits("0.000000001"));
    }

    @Test
    void handlesScientificNotation()
    {
        assertEquals(10_000L, USD.toMinorUnits("1e2"));
        assertEquals(10_000L, USD.toMinorUnits("1E+2"));
        assertEquals(1234L, USD.toMinorUnits("1234E-2"));
        assertEquals(15L, JPY.toMinorUnits("1.5e1"));
        assertEquals(1L, BTC.toMinorUnits("1e-8"));
        assertThrows(ArithmeticException.class, () -> USD.toMinorUnits("1e-3"));
    }

    @Test
    void convertsUpToTheLargestLong()
    {
        assertEquals(Long.MAX_VALUE, USD.toMinorUnits("92233720368547758.07"));
        assertEquals(Long.MAX_VALUE, JPY.toMinorUnits("9223372036854775807"));
    }

    @Test
    void refusesAnAmountBeyondTheLargestLong()
    {
        assertThrows(ArithmeticException.class, () -> USD.toMinorUnits("92233720368547758.08"));
        assertThrows(ArithmeticException.class, () -> JPY.toMinorUnits("9223372036854775808"));
        assertThrows(ArithmeticException.class, () -> BTC.toMinorUnits("92233720369"));
        assertThrows(ArithmeticException.class, () -> USD.toMinorUnits("1e30"));
        assertThrows(ArithmeticException.class, () -> USD.toMinorUnits("1e999999999"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "abc", "12,34", "1.2.3", " 12.34", "12.34 ", "$12", "0x10", "1e", "NaN" })
    void refusesTextThatIsNotADecimalNumber(final String text)
    {
        assertThrows(NumberFormatException.class, () -> USD.toMinorUnits(text));
    }

    @Test
    void convertsMinorUnitsToMajorUnitsExactly()
    {
        assertEquals(new BigDecimal("12.34"), USD.toMajorUnits(1234L));
        assertEquals(new BigDecimal("0.01"), USD.toMajorUnits(1L));
        assertEquals(new BigDecimal("500"), JPY.toMajorUnits(500L));
        assertEquals(new BigDecimal("12.345"), KWD.toMajorUnits(12_345L));
        assertEquals(new BigDecimal("0.00000001"), BTC.toMajorUnits(1L));
        assertEquals(new BigDecimal("92233720368547758.07"), USD.toMajorUnits(Long.MAX_VALUE));
        assertEquals(new BigDecimal("-92233720368547758.08"), USD.toMajorUnits(Long.MIN_VALUE));
    }

    @Test
    void minorUnitsSurviveARoundTripThroughMajorUnits()
    {
        final long[] amounts = { 0L, 1L, 99L, 100L, 1234L, 1_000_000_007L, Long.MAX_VALUE - 1, Long.MAX_VALUE };
        for (final Currency currency : new Currency[]{ USD, JPY, KWD, BTC })
        {
            for (final long amount : amounts)
            {
                final String text = currency.toMajorUnits(amount).toPlainString();
                assertEquals(amount, currency.toMinorUnits(text), currency + " " + text);
            }
        }
    }

    @Test
    void equalCurrenciesHaveEqualHashCodes()
    {
        final Currency other = new Currency("USD", 840, 2);

        assertEquals(USD, other);
        assertEquals(USD.hashCode(), other.hashCode());
        assertNotEquals(USD, new Currency("USD", 840, 3));
        assertNotEquals(USD, new Currency("USD", 841, 2));
        assertNotEquals(USD, new Currency("USN", 840, 2));
    }

    @Test
    void printsItsCodesAndExponent()
    {
        assertEquals("USD(840, exponent 2)", USD.toString());
    }
}
