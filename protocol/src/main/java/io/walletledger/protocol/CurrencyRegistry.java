package io.walletledger.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The currencies a ledger accepts, looked up by numeric code (the engine, without allocation) or by
 * alphabetic code (the HTTP API). Immutable once built; every node of a deployment must use the same
 * registry, because an account's currency is stored as its numeric code.
 */
public final class CurrencyRegistry
{
    /**
     * Common ISO 4217 currencies: alphabetic code, numeric code, minor-unit exponent.
     */
    private static final Object[][] ISO_4217_COMMON = {
        { "AED", 784, 2 }, { "ARS", 32, 2 }, { "AUD", 36, 2 }, { "BHD", 48, 3 }, { "BRL", 986, 2 },
        { "CAD", 124, 2 }, { "CHF", 756, 2 }, { "CLP", 152, 0 }, { "CNY", 156, 2 }, { "COP", 170, 2 },
        { "CZK", 203, 2 }, { "DKK", 208, 2 }, { "EGP", 818, 2 }, { "EUR", 978, 2 }, { "GBP", 826, 2 },
        { "HKD", 344, 2 }, { "HUF", 348, 2 }, { "IDR", 360, 2 }, { "ILS", 376, 2 }, { "INR", 356, 2 },
        { "ISK", 352, 0 }, { "JOD", 400, 3 }, { "JPY", 392, 0 }, { "KES", 404, 2 }, { "KRW", 410, 0 },
        { "KWD", 414, 3 }, { "MXN", 484, 2 }, { "MYR", 458, 2 }, { "NGN", 566, 2 }, { "NOK", 578, 2 },
        { "NZD", 554, 2 }, { "OMR", 512, 3 }, { "PHP", 608, 2 }, { "PKR", 586, 2 }, { "PLN", 985, 2 },
        { "QAR", 634, 2 }, { "RON", 946, 2 }, { "SAR", 682, 2 }, { "SEK", 752, 2 }, { "SGD", 702, 2 },
        { "THB", 764, 2 }, { "TND", 788, 3 }, { "TRY", 949, 2 }, { "TWD", 901, 2 }, { "UAH", 980, 2 },
        { "USD", 840, 2 }, { "VND", 704, 0 }, { "ZAR", 710, 2 },
    };

    private final Currency[] byNumeric = new Currency[65536];
    private final Map<String, Currency> byAlpha;
    private final List<Currency> all;

    private CurrencyRegistry(final List<Currency> currencies)
    {
        final Map<String, Currency> alpha = new HashMap<>();
        for (final Currency currency : currencies)
        {
            if (byNumeric[currency.numericCode()] != null)
            {
                throw new IllegalArgumentException("numeric currency code " + currency.numericCode() +
                    " is used by both " + byNumeric[currency.numericCode()].alphaCode() + " and " +
                    currency.alphaCode());
            }
            if (alpha.containsKey(currency.alphaCode()))
            {
                throw new IllegalArgumentException("currency " + currency.alphaCode() + " is defined twice, as " +
                    alpha.get(currency.alphaCode()).numericCode() + " and " + currency.numericCode());
            }
            byNumeric[currency.numericCode()] = currency;
            alpha.put(currency.alphaCode(), currency);
        }
        this.byAlpha = Collections.unmodifiableMap(alpha);
        this.all = List.copyOf(currencies);
    }

    /**
     * @return a builder that starts with the common ISO 4217 currencies.
     */
    public static Builder withIsoDefaults()
    {
        final Builder builder = new Builder();
        for (final Object[] row : ISO_4217_COMMON)
        {
            builder.add((String)row[0], (Integer)row[1], (Integer)row[2]);
        }
        return builder;
    }

    /**
     * @return a builder with no currency in it.
     */
    public static Builder empty()
    {
        return new Builder();
    }

    /**
     * @param numericCode a numeric currency code.
     * @return true if the registry holds it.
     */
    public boolean isKnown(final int numericCode)
    {
        return numericCode > 0 && numericCode < byNumeric.length && byNumeric[numericCode] != null;
    }

    /**
     * @param numericCode a numeric currency code.
     * @return the currency, or null if unknown.
     */
    public Currency byNumericCode(final int numericCode)
    {
        return numericCode > 0 && numericCode < byNumeric.length ? byNumeric[numericCode] : null;
    }

    /**
     * @param alphaCode an alphabetic code such as "USD".
     * @return the currency, or null if unknown.
     */
    public Currency byAlphaCode(final String alphaCode)
    {
        return byAlpha.get(alphaCode);
    }

    /**
     * @return every currency, in the order they were added.
     */
    public List<Currency> currencies()
    {
        return all;
    }

    /**
     * Collects currencies and refuses duplicates when built.
     */
    public static final class Builder
    {
        private final List<Currency> currencies = new ArrayList<>();

        private Builder()
        {
        }

        /**
         * Adds a currency, for example {@code add("BTC", 1001, 8)}.
         *
         * @param alphaCode   alphabetic code.
         * @param numericCode numeric code, unique in the registry.
         * @param exponent    number of decimal places of the minor unit.
         * @return this builder.
         */
        public Builder add(final String alphaCode, final int numericCode, final int exponent)
        {
            currencies.add(new Currency(alphaCode, numericCode, exponent));
            return this;
        }

        /**
         * @return the registry.
         * @throws IllegalArgumentException if two currencies share a code.
         */
        public CurrencyRegistry build()
        {
            return new CurrencyRegistry(currencies);
        }
    }
}
