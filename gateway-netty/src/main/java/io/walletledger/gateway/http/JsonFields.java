package io.walletledger.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walletledger.protocol.Currency;
import io.walletledger.protocol.CurrencyRegistry;

import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * How the HTTP API reads one field of a request body or one segment of a path, each with a message that names the
 * field and says what is wrong, and writes amounts and timestamps. Ids are decimal strings (JSON integers are taken
 * too), small numbers are JSON integers, transfer ids may be UUIDs, currencies are alphabetic codes from the
 * registry. An amount is in major units under its own name and in minor units under {@code <name>_minor}
 * ({@link #amount}, {@link #putAmount}); a timestamp is RFC 3339 under its name and the engine's nanoseconds under
 * {@code <name>_ns} ({@link #putTimestamp}).
 * <p>
 * The rules check only what the wire can carry; what the ledger allows (a negative limit, too many basis points)
 * is the ledger's to answer, with a result code.
 */
final class JsonFields
{
    private static final Pattern UUID_TEXT =
        Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern UNSIGNED = Pattern.compile("[0-9]{1,20}");
    private static final Pattern SIGNED = Pattern.compile("-?[0-9]{1,19}");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,19}(\\.[0-9]{1,18})?");
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
    /** The suffix of an amount's name in minor units. */
    static final String MINOR = "_minor";
    private static final DateTimeFormatter TIMESTAMP =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** The largest value of a u16 field (codes). */
    static final long U16_MAX = 0xFFFF;
    /** The largest value of a u32 field (timeouts, counts, seconds). */
    static final long U32_MAX = 0xFFFF_FFFFL;

    private JsonFields()
    {
    }

    /**
     * Refuses anything but a JSON object holding only the allowed fields.
     */
    static void requireObject(final JsonNode node, final Set<String> allowed, final String what)
    {
        if (node == null || !node.isObject())
        {
            throw new BadRequestException(what + " must be a JSON object");
        }
        for (final Iterator<String> names = node.fieldNames(); names.hasNext(); )
        {
            final String name = names.next();
            if (!allowed.contains(name))
            {
                throw new BadRequestException(what + ": unknown field \"" + name + "\"; " + (allowed.isEmpty() ?
                    "it takes no fields" : "allowed: " + String.join(", ", allowed.stream().sorted().toList())));
            }
        }
    }

    /**
     * @return an unsigned 64-bit value given as a decimal string (or a JSON integer); 0 if absent and optional.
     */
    static long unsigned64(final JsonNode node, final String field, final boolean required)
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            if (required)
            {
                throw new BadRequestException("\"" + field + "\" is required");
            }
            return 0;
        }
        final String text = value.isTextual() ? value.asText() : value.isIntegralNumber() ? value.asText() : null;
        if (text == null || !UNSIGNED.matcher(text).matches() || new BigInteger(text).compareTo(TWO_TO_64) >= 0)
        {
            throw new BadRequestException("\"" + field + "\" must be an unsigned 64-bit integer as a decimal " +
                "string, such as \"1001\"; got " + value);
        }
        final long parsed = Long.parseUnsignedLong(text);
        if (required && parsed == 0)
        {
            throw new BadRequestException("\"" + field + "\" must not be zero");
        }
        return parsed;
    }

    /**
     * @return an integer from 0 to {@code max} given as a JSON integer; 0 if absent.
     */
    static long unsigned(final JsonNode node, final String field, final long max)
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0 || value.asLong() > max)
        {
            throw new BadRequestException("\"" + field + "\" must be an integer from 0 to " + max + "; got " + value);
        }
        return value.asLong();
    }

    /**
     * @return a signed 64-bit JSON integer, which must be present.
     */
    static long signedInteger(final JsonNode node, final String field)
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            throw new BadRequestException("\"" + field + "\" is required");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong())
        {
            throw new BadRequestException("\"" + field + "\" must be an integer; got " + value);
        }
        return value.asLong();
    }

    /**
     * @return an amount in minor units given as a decimal string of a signed 64-bit integer (or a JSON integer).
     */
    static long minorAmount(final JsonNode node, final String field)
    {
        final JsonNode value = node.get(field);
        final String text = value == null ? null : value.isTextual() || value.isIntegralNumber() ? value.asText() : null;
        if (text == null || !SIGNED.matcher(text).matches())
        {
            throw new BadRequestException("\"" + field + "\" must be an integer number of minor units as a string, " +
                "such as \"1234\"; got " + value);
        }
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new BadRequestException("\"" + field + "\" is out of range: " + text);
        }
    }

    /**
     * @return an amount in major units of {@code currency}, given as a decimal string, in minor units; more
     * decimals than the currency has are refused, never rounded.
     */
    static long majorAmount(final JsonNode node, final String field, final Currency currency)
    {
        final JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || !DECIMAL.matcher(value.asText()).matches())
        {
            throw new BadRequestException("\"" + field + "\" must be a decimal string such as \"12.34\"; got " + value);
        }
        try
        {
            return currency.toMinorUnits(value.asText());
        }
        catch (final ArithmeticException ex)
        {
            throw new BadRequestException("\"" + field + "\": " + ex.getMessage());
        }
    }

    static Currency currency(final CurrencyRegistry currencies, final JsonNode node, final String field)
    {
        final JsonNode value = node.get(field);
        if (value == null || !value.isTextual())
        {
            throw new BadRequestException("\"" + field + "\" must be a currency code such as \"USD\"; got " + value);
        }
        return knownCurrency(currencies, value.asText());
    }

    /**
     * @param text a currency code in a URL path.
     */
    static Currency currencyFromPath(final CurrencyRegistry currencies, final String text)
    {
        return knownCurrency(currencies, text);
    }

    private static Currency knownCurrency(final CurrencyRegistry currencies, final String code)
    {
        final Currency currency = currencies.byAlphaCode(code);
        if (currency == null)
        {
            throw new BadRequestException("unknown currency \"" + code + "\"");
        }
        return currency;
    }

    /**
     * @return the alphabetic code of a numeric currency code, or the number as text if the registry lacks it.
     */
    static String currencyText(final CurrencyRegistry currencies, final int numeric)
    {
        return currencies.isKnown(numeric) ? currencies.byNumericCode(numeric).alphaCode() : Integer.toString(numeric);
    }

    /**
     * @param uri a request's URI, as received.
     * @return its path, percent-decoded.
     * @throws BadRequestException if it does not decode (a stray or truncated percent escape, say), which Netty's
     *                             decoder reports with an unchecked exception that would otherwise close the
     *                             connection without an answer.
     */
    static String pathOf(final String uri)
    {
        try
        {
            return new io.netty.handler.codec.http.QueryStringDecoder(uri).path();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadRequestException("malformed request path: " + ex.getMessage());
        }
    }

    /**
     * @param text an id in a URL path.
     * @return the account id.
     */
    static long accountIdFromPath(final String text)
    {
        if (!UNSIGNED.matcher(text).matches() || new BigInteger(text).compareTo(TWO_TO_64) >= 0)
        {
            throw new BadRequestException("an account id is an unsigned 64-bit decimal integer, not \"" + text + "\"");
        }
        return Long.parseUnsignedLong(text);
    }

    /**
     * @param what  what the code is, for the message: "an account code", "a transfer code".
     * @param text  a code in a URL path.
     * @return the code, 0 to 65535.
     */
    static int codeFromPath(final String what, final String text)
    {
        if (!UNSIGNED.matcher(text).matches() || new BigInteger(text).compareTo(BigInteger.valueOf(U16_MAX)) > 0)
        {
            throw new BadRequestException(what + " is an integer from 0 to " + U16_MAX + ", not \"" + text + "\"");
        }
        return Integer.parseInt(text);
    }

    /**
     * @return a transfer id from a URL path: a UUID, or an unsigned 64-bit decimal integer; {hi, lo}.
     */
    static long[] transferIdFromPath(final String text)
    {
        if (UUID_TEXT.matcher(text).matches())
        {
            final UUID uuid = UUID.fromString(text);
            return new long[] { uuid.getMostSignificantBits(), uuid.getLeastSignificantBits() };
        }
        if (UNSIGNED.matcher(text).matches() && new BigInteger(text).compareTo(TWO_TO_64) < 0)
        {
            return new long[] { 0, Long.parseUnsignedLong(text) };
        }
        throw new BadRequestException("a transfer id is a UUID or an unsigned 64-bit decimal integer, not \"" +
            text + "\"");
    }

    /**
     * @return a 128-bit id given as a UUID or an unsigned 64-bit decimal string, {hi, lo}; zero if absent and
     * optional.
     */
    static long[] transferId(final JsonNode node, final String field, final boolean required)
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            if (required)
            {
                throw new BadRequestException("\"" + field + "\" is required");
            }
            return new long[2];
        }
        if (!value.isTextual())
        {
            throw new BadRequestException("\"" + field + "\" must be a string: a UUID or an unsigned 64-bit " +
                "decimal integer; got " + value);
        }
        return transferIdFromPath(value.asText());
    }

    static UUID uuid(final JsonNode node, final String field)
    {
        final JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || !UUID_TEXT.matcher(value.asText()).matches())
        {
            throw new BadRequestException("\"" + field + "\" must be a UUID such as " +
                "\"3f2b8c1e-5d4a-4e7b-9c1d-2a6f8e0b7c35\"; got " + value);
        }
        return UUID.fromString(value.asText());
    }

    /**
     * @return one of {@code names}, given as a string; {@code absent} if the field is absent and that is not null.
     */
    static String choice(final JsonNode node, final String field, final String absent, final String... names)
    {
        final JsonNode value = node.get(field);
        if ((value == null || value.isNull()) && absent != null)
        {
            return absent;
        }
        if (value != null && value.isTextual())
        {
            for (final String name : names)
            {
                if (name.equals(value.asText()))
                {
                    return name;
                }
            }
        }
        throw new BadRequestException("\"" + field + "\" must be one of " + String.join(", ", names) + "; got " +
            (value == null ? "nothing" : value.toString()));
    }

    /**
     * @return the names in a {@code "flags"} array; empty if absent.
     */
    static List<String> flags(final JsonNode node)
    {
        final JsonNode value = node.get("flags");
        if (value == null || value.isNull())
        {
            return List.of();
        }
        if (!value.isArray())
        {
            throw new BadRequestException("\"flags\" must be an array of flag names");
        }
        final List<String> names = new ArrayList<>();
        for (final JsonNode flag : value)
        {
            if (!flag.isTextual())
            {
                throw new BadRequestException("\"flags\" must hold flag names as strings; got " + flag);
            }
            names.add(flag.asText());
        }
        return names;
    }

    /**
     * An amount is given as {@code field}, a decimal string in major units of the currency its object names
     * ({@code "12.34"}), or as {@code field_minor}, an integer string of minor units ({@code "1234"}); never both.
     * Where the object names no currency (a code's limits, an account's limits, a post of a hold that leaves the
     * currency to the hold), only {@code field_minor} is taken.
     *
     * @param currency the object's currency, or null.
     * @param pointed  whether a major amount must be written with its decimal point for a currency that has
     *                 decimals: for the fields whose bare name meant minor units before (a transfer's amount in
     *                 {@code POST /v1/transfers}, a fee's amounts, a review threshold), where an integer may be an
     *                 older client's minor units and would move a hundred times more; it is refused instead.
     * @return the amount in minor units; 0 when neither is given and the amount is not required.
     */
    static long amount(
        final JsonNode node, final String field, final Currency currency, final boolean required, final boolean pointed)
    {
        final String minorField = field + MINOR;
        final boolean major = node.hasNonNull(field);
        final boolean minor = node.hasNonNull(minorField);
        if (major && minor)
        {
            throw new BadRequestException("give \"" + field + "\" (major units) or \"" + minorField + "\" (minor units), " +
                "not both");
        }
        if (minor)
        {
            return minorAmount(node, minorField);
        }
        if (major)
        {
            if (currency == null)
            {
                throw new BadRequestException("\"" + field + "\" is in major units of a currency, and this names none: " +
                    "give \"" + minorField + "\", in minor units, instead");
            }
            if (pointed && currency.exponent() > 0 && !node.get(field).asText().contains("."))
            {
                throw new BadRequestException("\"" + field + "\" is in major units, written with " +
                    currency.alphaCode() + "'s decimal point (such as \"5.00\"); an integer here may be minor units, " +
                    "which go in \"" + minorField + "\"");
            }
            return majorAmount(node, field, currency);
        }
        if (required)
        {
            throw new BadRequestException(currency == null ? "\"" + minorField + "\" (minor units, such as \"1234\") is " +
                "required" : "\"" + field + "\" (major units, such as \"12.34\") or \"" + minorField + "\" (minor units) " +
                "is required");
        }
        return 0;
    }

    /**
     * Writes an amount as {@code field} in major units of {@code currency} (a decimal string) and
     * {@code field_minor} in minor units (an integer string); only {@code field_minor} without a known currency.
     */
    static void putAmount(final ObjectNode json, final String field, final Currency currency, final long minorUnits)
    {
        if (currency != null)
        {
            json.put(field, currency.toMajorUnits(minorUnits).toPlainString());
        }
        json.put(field + MINOR, Long.toString(minorUnits));
    }

    /**
     * Writes an engine timestamp as {@code field}, RFC 3339 in UTC with nanoseconds
     * ({@code "2026-12-07T23:20:48.315000123Z"}), and {@code field_ns}, the engine's integer (nanoseconds since the
     * epoch) as a decimal string.
     */
    static void putTimestamp(final ObjectNode json, final String field, final long epochNanos)
    {
        json.put(field, rfc3339(epochNanos));
        json.put(field + "_ns", Long.toUnsignedString(epochNanos));
    }

    /**
     * @return nanoseconds since the epoch as RFC 3339 in UTC, always with nine decimals.
     */
    static String rfc3339(final long epochNanos)
    {
        return TIMESTAMP.format(Instant.ofEpochSecond(Long.divideUnsigned(epochNanos, 1_000_000_000L),
            Long.remainderUnsigned(epochNanos, 1_000_000_000L)));
    }

    /**
     * @return a 128-bit id as text: decimal when it fits 64 bits, else a UUID.
     */
    static String idText(final long hi, final long lo)
    {
        return hi == 0 ? Long.toUnsignedString(lo) : new UUID(hi, lo).toString();
    }
}
