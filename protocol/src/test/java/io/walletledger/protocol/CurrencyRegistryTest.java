package io.walletledger.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ISO defaults, extra currencies such as BTC, and the refusal of any two currencies sharing a code.
 */
final class CurrencyRegistryTest
{
    @Test
    void isoDefaultsContainUsdJpyAndKwdWithTheirExponents()
    {
        final CurrencyRegistry registry = CurrencyRegistry.withIsoDefaults().build();

        assertEquals(new Currency("USD", 840, 2), registry.byAlphaCode("USD"));
        assertEquals(new Currency("JPY", 392, 0), registry.byAlphaCode("JPY"));
        assertEquals(new Currency("KWD", 414, 3), registry.byAlphaCode("KWD"));
        assertSame(registry.byAlphaCode("USD"), registry.byNumericCode(840));
        assertSame(registry.byAlphaCode("JPY"), registry.byNumericCode(392));
        assertSame(registry.byAlphaCode("KWD"), registry.byNumericCode(414));
        assertTrue(registry.isKnown(840));
        assertTrue(registry.isKnown(392));
        assertTrue(registry.isKnown(414));
    }

    @Test
    void isoDefaultsAreUniqueAndEachFindableByEitherCode()
    {
        final CurrencyRegistry registry = CurrencyRegistry.withIsoDefaults().build();
        final Set<String> alphaCodes = new HashSet<>();
        final Set<Integer> numericCodes = new HashSet<>();

        for (final Currency currency : registry.currencies())
        {
            assertTrue(alphaCodes.add(currency.alphaCode()), currency.toString());
            assertTrue(numericCodes.add(currency.numericCode()), currency.toString());
            assertSame(currency, registry.byAlphaCode(currency.alphaCode()));
            assertSame(currency, registry.byNumericCode(currency.numericCode()));
        }
        assertEquals(48, registry.currencies().size());
    }

    @Test
    void addsACurrencyBeyondIso()
    {
        final CurrencyRegistry registry = CurrencyRegistry.withIsoDefaults().add("BTC", 1001, 8).build();
        final Currency btc = registry.byAlphaCode("BTC");

        assertEquals(new Currency("BTC", 1001, 8), btc);
        assertSame(btc, registry.byNumericCode(1001));
        assertTrue(registry.isKnown(1001));
        assertEquals(1L, btc.toMinorUnits("0.00000001"));
        final List<Currency> currencies = registry.currencies();
        assertSame(btc, currencies.get(currencies.size() - 1));
    }

    @Test
    void keepsCurrenciesInTheOrderTheyWereAdded()
    {
        final CurrencyRegistry registry = CurrencyRegistry.empty()
            .add("KWD", 414, 3)
            .add("BTC", 1001, 8)
            .add("JPY", 392, 0)
            .build();

        assertEquals(
            List.of(new Currency("KWD", 414, 3), new Currency("BTC", 1001, 8), new Currency("JPY", 392, 0)),
            registry.currencies());
    }

    @Test
    void refusesTwoCurrenciesWithTheSameNumericCodeNamingBoth()
    {
        final CurrencyRegistry.Builder builder = CurrencyRegistry.withIsoDefaults().add("XBT", 840, 8);

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, builder::build);

        assertTrue(ex.getMessage().contains("840"), ex.getMessage());
        assertTrue(ex.getMessage().contains("USD"), ex.getMessage());
        assertTrue(ex.getMessage().contains("XBT"), ex.getMessage());
    }

    @Test
    void refusesTwoCurrenciesWithTheSameAlphabeticCodeNamingBoth()
    {
        final CurrencyRegistry.Builder builder = CurrencyRegistry.withIsoDefaults().add("USD", 1840, 2);

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, builder::build);

        assertTrue(ex.getMessage().contains("USD"), ex.getMessage());
        assertTrue(ex.getMessage().contains("840"), ex.getMessage());
        assertTrue(ex.getMessage().contains("1840"), ex.getMessage());
    }

    @Test
    void refusesTheSameCurrencyAddedTwice()
    {
        final CurrencyRegistry.Builder builder = CurrencyRegistry.empty().add("BTC", 1001, 8).add("BTC", 1001, 8);

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, builder::build);

        assertTrue(ex.getMessage().contains("BTC"), ex.getMessage());
        assertTrue(ex.getMessage().contains("1001"), ex.getMessage());
    }

    @Test
    void refusesABadCurrencyAsSoonAsItIsAdded()
    {
        final CurrencyRegistry.Builder builder = CurrencyRegistry.empty();

        assertThrows(IllegalArgumentException.class, () -> builder.add("btc", 1001, 8));
        assertThrows(IllegalArgumentException.class, () -> builder.add("BT", 1001, 8));
        assertThrows(IllegalArgumentException.class, () -> builder.add("BTC", 0, 8));
        assertThrows(IllegalArgumentException.class, () -> builder.add("BTC", 65536, 8));
        assertThrows(IllegalArgumentException.class, () -> builder.add("BTC", 1001, -1));
        assertThrows(IllegalArgumentException.class, () -> builder.add("BTC", 1001, 19));
        assertTrue(builder.build().currencies().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(ints = { Integer.MIN_VALUE, -1, 0, 1, 999, 65535, 65536, Integer.MAX_VALUE })
    void answersNullAndFalseForAnUnknownOrOutOfRangeNumericCode(final int numericCode)
    {
        final CurrencyRegistry registry = CurrencyRegistry.withIsoDefaults().build();

        assertNull(registry.byNumericCode(numericCode));
        assertFalse(registry.isKnown(numericCode));
    }

    @Test
    void answersNullForAnUnknownAlphabeticCode()
    {
        final CurrencyRegistry registry = CurrencyRegistry.withIsoDefaults().build();

        assertNull(registry.byAlphaCode("XXX"));
        assertNull(registry.byAlphaCode("usd"));
        assertNull(registry.byAlphaCode(""));
        assertNull(registry.byAlphaCode(null));
    }

    @Test
    void anEmptyRegistryKnowsNoCurrency()
    {
        final CurrencyRegistry registry = CurrencyRegistry.empty().build();

        assertTrue(registry.currencies().isEmpty());
        assertFalse(registry.isKnown(840));
        assertNull(registry.byAlphaCode("USD"));
    }

    @Test
    void cannotBeChangedThroughItsCurrencyList()
    {
        final CurrencyRegistry registry = CurrencyRegistry.withIsoDefaults().build();

        assertThrows(UnsupportedOperationException.class, () -> registry.currencies().add(new Currency("BTC", 1001, 8)));
        assertThrows(UnsupportedOperationException.class, () -> registry.currencies().clear());
    }

    @Test
    void aBuilderDoesNotChangeARegistryItAlreadyBuilt()
    {
        final CurrencyRegistry.Builder builder = CurrencyRegistry.empty().add("USD", 840, 2);
        final CurrencyRegistry first = builder.build();

        builder.add("BTC", 1001, 8);

        assertFalse(first.isKnown(1001));
        assertEquals(1, first.currencies().size());
        assertTrue(builder.build().isKnown(1001));
    }
}
