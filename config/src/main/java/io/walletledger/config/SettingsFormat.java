package io.walletledger.config;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;

import java.time.Duration;
import java.util.List;

/**
 * Writes setting values as HOCON an operator reads easily ({@code 5 minutes}, {@code 4 MiB}) and Typesafe Config
 * parses back to the same value, for {@link WalletSettings#describe()} and for messages.
 */
final class SettingsFormat
{
    private static final long KIB = 1024;
    private static final long MIB = KIB * 1024;
    private static final long GIB = MIB * 1024;

    private static final long[] UNIT_NANOS =
    {
        86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L
    };
    private static final String[] UNIT_NAMES =
    {
        "days", "hours", "minutes", "seconds", "milliseconds", "microseconds", "nanoseconds"
    };

    private SettingsFormat()
    {
    }

    static String choice(final Enum<?> choice)
    {
        return quote(SettingsReader.settingValue(choice));
    }

    static String quote(final String string)
    {
        return ConfigValueFactory.fromAnyRef(string).render(ConfigRenderOptions.concise());
    }

    /**
     * @return the largest binary unit that holds {@code bytes} exactly, such as {@code 4 MiB}, else bare bytes.
     */
    static String bytes(final long bytes)
    {
        if (bytes != 0 && bytes % GIB == 0)
        {
            return bytes / GIB + " GiB";
        }
        if (bytes != 0 && bytes % MIB == 0)
        {
            return bytes / MIB + " MiB";
        }
        if (bytes != 0 && bytes % KIB == 0)
        {
            return bytes / KIB + " KiB";
        }
        return Long.toString(bytes);
    }

    /**
     * @param duration not negative and short enough for {@link Duration#toNanos()}, as every duration setting is.
     * @return the largest unit that holds {@code duration} exactly, such as {@code 5 minutes} or {@code 1500
     * milliseconds}; {@code 0} for zero.
     */
    static String duration(final Duration duration)
    {
        if (duration.isZero())
        {
            return "0";
        }
        final long nanos = duration.toNanos();
        int unit = 0;
        while (nanos % UNIT_NANOS[unit] != 0)
        {
            unit++;
        }
        return nanos / UNIT_NANOS[unit] + " " + UNIT_NAMES[unit];
    }

    static String currencies(final List<CurrencySetting> currencies)
    {
        final StringBuilder out = new StringBuilder("[");
        for (final CurrencySetting currency : currencies)
        {
            out.append(out.length() > 1 ? ", " : " ")
                .append("{ code = ").append(quote(currency.code()))
                .append(", numeric = ").append(currency.numeric())
                .append(", exponent = ").append(currency.exponent()).append(" }");
        }
        return out.append(currencies.isEmpty() ? "]" : " ]").toString();
    }

    static String fees(final List<FeeSetting> fees)
    {
        final StringBuilder out = new StringBuilder("[");
        for (final FeeSetting fee : fees)
        {
            out.append(out.length() > 1 ? ", " : " ")
                .append("{ transfer-code = ").append(fee.transferCode())
                .append(", currency = ").append(quote(fee.currency()))
                .append(", fixed-amount = ").append(fee.fixedAmount())
                .append(", basis-points = ").append(fee.basisPoints())
                .append(", minimum = ").append(fee.minimum())
                .append(", maximum = ").append(fee.maximum())
                .append(", fee-account = ").append(fee.feeAccount()).append(" }");
        }
        return out.append(fees.isEmpty() ? "]" : " ]").toString();
    }

    static String codeLimits(final List<CodeLimitsSetting> limits)
    {
        final StringBuilder out = new StringBuilder("[");
        for (final CodeLimitsSetting limit : limits)
        {
            out.append(out.length() > 1 ? ", " : " ")
                .append("{ code = ").append(limit.code())
                .append(", transfer-amount-limit = ").append(limit.transferAmountLimit())
                .append(", daily-debit-limit = ").append(limit.dailyDebitLimit())
                .append(", velocity-debit-limit = ").append(limit.velocityDebitLimit())
                .append(", velocity-window = ").append(duration(limit.velocityWindow())).append(" }");
        }
        return out.append(limits.isEmpty() ? "]" : " ]").toString();
    }

    static String thresholds(final java.util.Map<String, Long> thresholds)
    {
        final StringBuilder out = new StringBuilder("[");
        for (final java.util.Map.Entry<String, Long> threshold : thresholds.entrySet())
        {
            out.append(out.length() > 1 ? ", " : " ").append("{ currency = ").append(quote(threshold.getKey()))
                .append(", threshold = ").append(threshold.getValue()).append(" }");
        }
        return out.append(thresholds.isEmpty() ? "]" : " ]").toString();
    }
}
