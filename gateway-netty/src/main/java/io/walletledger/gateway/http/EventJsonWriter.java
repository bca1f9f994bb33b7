package io.walletledger.gateway.http;

import io.walletledger.gateway.ArchivedTransfer;
import io.walletledger.gateway.EventPage;
import io.walletledger.gateway.LedgerEvent;
import io.walletledger.protocol.Currency;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.AccountFlagsDecoder;
import io.walletledger.protocol.sbe.AccountStatus;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.PolicySetting;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongPredicate;

/**
 * Writes events of the change stream as JSON bytes, directly: the stream's hot path (a page of a long poll, a part
 * of a stream of Server-Sent Events, a Kafka record), where building a tree of nodes per event and formatting each
 * amount and time through {@code BigDecimal} and {@code DateTimeFormatter} cost several times the bytes themselves.
 * The output is byte for byte what {@link EventEndpoints#event} builds from the API's other renderings (the same
 * transfer as {@code GET /v1/transfers/{id}}, the same account as {@code GET /v1/accounts/{id}}): a test holds the two
 * equal over random events of every kind.
 * <p>
 * One writer per thread; it reuses its buffer.
 */
final class EventJsonWriter
{
    private static final long[] POWERS_OF_TEN = powersOfTen();
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.");

    private final CurrencyRegistry currencies;
    private byte[] bytes = new byte[64 * 1024];
    private int length;
    /** The epoch second whose "yyyy-MM-ddTHH:mm:ss." is in {@link #secondText}. */
    private long second = Long.MIN_VALUE;
    private final byte[] secondText = new byte[20];
    private final byte[] digits = new byte[20];

    EventJsonWriter(final CurrencyRegistry currencies)
    {
        this.currencies = currencies;
    }

    /**
     * @return {@code {"events":[...],"next_after":N}}.
     */
    byte[] page(final EventPage page, final LongPredicate mayUse)
    {
        length = 0;
        ascii("{\"events\":[");
        boolean first = true;
        for (final LedgerEvent event : page.events())
        {
            if (!first)
            {
                raw((byte)',');
            }
            first = false;
            event(event, mayUse);
        }
        ascii("],\"next_after\":");
        number(page.next());
        raw((byte)'}');
        return Arrays.copyOf(bytes, length);
    }

    /**
     * @return each event as a Server-Sent Event ({@code id:} its position, {@code data:} its JSON), or a comment if
     * there is none.
     */
    byte[] serverSentEvents(final EventPage page, final LongPredicate mayUse)
    {
        length = 0;
        if (page.events().isEmpty())
        {
            ascii(": no events yet\n\n");
        }
        for (final LedgerEvent event : page.events())
        {
            ascii("id: ");
            number(event.position());
            ascii("\ndata: ");
            event(event, mayUse);
            ascii("\n\n");
        }
        return Arrays.copyOf(bytes, length);
    }

    /**
     * @return one event.
     */
    byte[] event(final LedgerEvent event)
    {
        length = 0;
        event(event, account -> true);
        return Arrays.copyOf(bytes, length);
    }

    private void event(final LedgerEvent event, final LongPredicate mayUse)
    {
        ascii("{\"version\":");
        number(EventEndpoints.VERSION);
        ascii(",\"position\":");
        number(event.position());
        field("type");
        string(event.type());
        timestamp("timestamp", event.timestamp());
        if (event instanceof LedgerEvent.Transfer t)
        {
            ascii(",\"transfer\":");
            transfer(t.transfer());
            ascii(",\"balances\":{");
            final Currency currency = PolicyEndpoints.known(currencies, t.transfer().currency());
            boolean first = true;
            for (final LedgerEvent.Balances b : t.balances())
            {
                if (mayUse.test(b.accountId()))
                {
                    if (!first)
                    {
                        raw((byte)',');
                    }
                    first = false;
                    string(b.role());
                    ascii(":{\"id\":");
                    string(Long.toUnsignedString(b.accountId()));
                    balances(currency, b.debitsPending(), b.debitsPosted(), b.creditsPending(), b.creditsPosted());
                    raw((byte)'}');
                }
            }
            raw((byte)'}');
        }
        else if (event instanceof LedgerEvent.Account a)
        {
            ascii(",\"account\":");
            account(a.account());
        }
        else
        {
            ascii(",\"policy\":");
            policy((LedgerEvent.Policy)event);
        }
        raw((byte)'}');
    }

    /**
     * As {@link TransferEndpoints#transferJson}.
     */
    private void transfer(final ArchivedTransfer t)
    {
        ascii("{\"id\":");
        string(JsonFields.idText(t.idHi(), t.idLo()));
        field("debit_account_id");
        string(Long.toUnsignedString(t.debitAccountId()));
        field("credit_account_id");
        string(Long.toUnsignedString(t.creditAccountId()));
        final Currency currency = PolicyEndpoints.known(currencies, t.currency());
        amount("amount", currency, t.amount());
        amount("fee", currency, t.fee());
        field("fee_account_id");
        string(Long.toUnsignedString(t.feeAccountId()));
        field("currency");
        string(JsonFields.currencyText(currencies, t.currency()));
        field("code");
        number(t.code());
        ascii(",\"flags\":[");
        boolean first = true;
        for (final String flag : t.flagNames())
        {
            if (!first)
            {
                raw((byte)',');
            }
            first = false;
            string(flag);
        }
        raw((byte)']');
        field("pending_id");
        string(JsonFields.idText(t.pendingIdHi(), t.pendingIdLo()));
        field("timeout");
        number(t.timeout());
        field("user_data_128");
        string(JsonFields.idText(t.userData128Hi(), t.userData128Lo()));
        field("user_data_64");
        string(Long.toUnsignedString(t.userData64()));
        field("user_data_32");
        number(t.userData32());
        timestamp("timestamp", t.timestamp());
        field("pending_status");
        string(t.pendingStatusName());
        if (t.result() != io.walletledger.protocol.sbe.ResultCode.OK)
        {
            field("result");
            string(t.result().name());
        }
        raw((byte)'}');
    }

    /**
     * As {@link AccountEndpoints#accountJson}.
     */
    private void account(final LedgerEvent.AccountState a)
    {
        ascii("{\"id\":");
        string(Long.toUnsignedString(a.id()));
        final Currency currency = PolicyEndpoints.known(currencies, a.currency());
        field("currency");
        string(currency == null ? Integer.toString(a.currency()) : currency.alphaCode());
        balances(currency, a.debitsPending(), a.debitsPosted(), a.creditsPending(), a.creditsPosted());
        field("status");
        string(AccountStatus.get((short)a.status()).name().toLowerCase(Locale.ROOT));
        field("freeze_scope");
        string(FreezeScope.get((short)a.freezeScope()).name().toLowerCase(Locale.ROOT));
        ascii(",\"flags\":[");
        final boolean noOverdraft = AccountFlagsDecoder.debitsMustNotExceedCredits((short)a.flags());
        if (noOverdraft)
        {
            string("debits_must_not_exceed_credits");
        }
        if (AccountFlagsDecoder.creditsMustNotExceedDebits((short)a.flags()))
        {
            if (noOverdraft)
            {
                raw((byte)',');
            }
            string("credits_must_not_exceed_debits");
        }
        raw((byte)']');
        field("code");
        number(a.code());
        field("user_data");
        string(Long.toUnsignedString(a.userData()));
        amount("transfer_amount_limit", currency, a.transferAmountLimit());
        amount("daily_debit_limit", currency, a.dailyDebitLimit());
        amount("daily_debits_used", currency, a.dailyDebitsUsed());
        field("velocity_debit_limit");
        number(a.velocityDebitLimit());
        field("velocity_window_seconds");
        number(a.velocityWindowSeconds());
        timestamp("timestamp", a.createdAt());
        raw((byte)'}');
    }

    /**
     * As {@link AccountEndpoints#putBalances}, after a field already written.
     */
    private void balances(final Currency currency, final long debitsPending, final long debitsPosted,
        final long creditsPending, final long creditsPosted)
    {
        final long balance = creditsPosted - debitsPosted;
        amount("balance", currency, balance);
        amount("available", currency, balance - debitsPending);
        amount("debits_pending", currency, debitsPending);
        amount("debits_posted", currency, debitsPosted);
        amount("credits_pending", currency, creditsPending);
        amount("credits_posted", currency, creditsPosted);
    }

    /**
     * As {@link EventEndpoints}' policies ({@link PolicyEndpoints#feeJson} and the others).
     */
    private void policy(final LedgerEvent.Policy p)
    {
        final long[] v = p.values();
        switch (p.type())
        {
            case "fee_set" ->
            {
                final Currency currency = PolicyEndpoints.known(currencies, (int)v[0]);
                ascii("{\"transfer_code\":");
                number((int)p.subject());
                field("currency");
                string(JsonFields.currencyText(currencies, (int)v[0]));
                amount("fixed_amount", currency, v[1]);
                field("basis_points");
                number(v[2]);
                amount("minimum", currency, v[3]);
                amount("maximum", currency, v[4]);
                field("fee_account_id");
                string(Long.toUnsignedString(v[5]));
            }
            case "review_threshold_set" ->
            {
                ascii("{\"currency\":");
                string(JsonFields.currencyText(currencies, (int)p.subject()));
                amount("threshold", PolicyEndpoints.known(currencies, (int)p.subject()), v[0]);
            }
            case "code_limits_set" ->
            {
                ascii("{\"code\":");
                number((int)p.subject());
                amount("transfer_amount_limit", null, v[0]);
                amount("daily_debit_limit", null, v[1]);
                field("velocity_debit_limit");
                number(v[2]);
                field("velocity_window_seconds");
                number(v[3]);
            }
            case "policy_setting_set" ->
            {
                ascii("{\"setting\":");
                string(PolicySetting.get((int)p.subject()).name().toLowerCase(Locale.ROOT));
                field("value");
                number(v[0]);
            }
            default -> throw new IllegalStateException("not a policy event: " + p.type() + " " + Arrays.toString(v));
        }
        raw((byte)'}');
    }

    /**
     * As {@link JsonFields#putAmount}: the amount in major units if the currency is known, and in minor units.
     */
    private void amount(final String name, final Currency currency, final long minorUnits)
    {
        if (currency != null)
        {
            field(name);
            raw((byte)'"');
            major(minorUnits, currency.exponent());
            raw((byte)'"');
        }
        raw((byte)',');
        raw((byte)'"');
        ascii(name);
        ascii(JsonFields.MINOR);
        ascii("\":\"");
        number(minorUnits);
        raw((byte)'"');
    }

    /**
     * Writes minor units as a decimal in major units, as {@code BigDecimal.valueOf(minor, exponent).toPlainString()}.
     */
    private void major(final long minorUnits, final int exponent)
    {
        if (exponent == 0)
        {
            number(minorUnits);
            return;
        }
        if (minorUnits == Long.MIN_VALUE)
        {
            ascii(java.math.BigDecimal.valueOf(minorUnits, exponent).toPlainString());
            return;
        }
        if (minorUnits < 0)
        {
            raw((byte)'-');
        }
        final long magnitude = Math.abs(minorUnits);
        final long power = POWERS_OF_TEN[exponent];
        number(magnitude / power);
        raw((byte)'.');
        final long fraction = magnitude % power;
        int count = digits(fraction);
        for (int zeros = exponent - count; zeros > 0; zeros--)
        {
            raw((byte)'0');
        }
        ensure(count);
        System.arraycopy(digits, digits.length - count, bytes, length, count);
        length += count;
    }

    /**
     * As {@link JsonFields#putTimestamp}: RFC 3339 with nine decimals, and {@code _ns}.
     */
    private void timestamp(final String name, final long epochNanos)
    {
        field(name);
        raw((byte)'"');
        final long epochSecond = Long.divideUnsigned(epochNanos, 1_000_000_000L);
        if (epochSecond != second)
        {
            final String text = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC).format(SECOND);
            if (text.length() != secondText.length)
            {
                // Outside years 0000..9999: the general formatter.
                ascii(JsonFields.rfc3339(epochNanos));
                raw((byte)'"');
                field(name + "_ns");
                string(Long.toUnsignedString(epochNanos));
                return;
            }
            System.arraycopy(text.getBytes(StandardCharsets.US_ASCII), 0, secondText, 0, secondText.length);
            second = epochSecond;
        }
        ensure(secondText.length);
        System.arraycopy(secondText, 0, bytes, length, secondText.length);
        length += secondText.length;
        final long nanos = Long.remainderUnsigned(epochNanos, 1_000_000_000L);
        final int count = digits(nanos);
        for (int zeros = 9 - count; zeros > 0; zeros--)
        {
            raw((byte)'0');
        }
        ensure(count);
        System.arraycopy(digits, digits.length - count, bytes, length, count);
        length += count;
        ascii("Z\",\"");
        ascii(name);
        ascii("_ns\":\"");
        if (epochNanos >= 0)
        {
            number(epochNanos);
        }
        else
        {
            ascii(Long.toUnsignedString(epochNanos));
        }
        raw((byte)'"');
    }

    /**
     * Writes {@code ,"name":}.
     */
    private void field(final String name)
    {
        raw((byte)',');
        raw((byte)'"');
        ascii(name);
        raw((byte)'"');
        raw((byte)':');
    }

    /**
     * Writes a JSON string, escaping what JSON requires (the stream's values are ids, codes and names: plain ASCII).
     */
    private void string(final String value)
    {
        final int start = length;
        raw((byte)'"');
        ensure(value.length() + 1);
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || c > 0x7E)
            {
                // Not in anything the stream holds today: Jackson's escaping, so that it stays valid JSON.
                length = start;
                final byte[] escaped = jsonText(value);
                ensure(escaped.length);
                System.arraycopy(escaped, 0, bytes, length, escaped.length);
                length += escaped.length;
                return;
            }
            bytes[length++] = (byte)c;
        }
        raw((byte)'"');
    }

    private static byte[] jsonText(final String value)
    {
        try
        {
            return JsonBodies.MAPPER.writeValueAsBytes(value);
        }
        catch (final com.fasterxml.jackson.core.JsonProcessingException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private void number(final long value)
    {
        if (value < 0)
        {
            if (value == Long.MIN_VALUE)
            {
                ascii("-9223372036854775808");
                return;
            }
            raw((byte)'-');
            number(-value);
            return;
        }
        final int count = digits(value);
        ensure(count);
        System.arraycopy(digits, digits.length - count, bytes, length, count);
        length += count;
    }

    /**
     * Puts the decimal digits of a non-negative value at the end of {@link #digits}.
     *
     * @return how many.
     */
    private int digits(final long value)
    {
        long rest = value;
        int at = digits.length;
        do
        {
            digits[--at] = (byte)('0' + rest % 10);
            rest /= 10;
        }
        while (rest != 0);
        return digits.length - at;
    }

    /**
     * Writes text known to be plain ASCII that needs no escaping (names, punctuation).
     */
    private void ascii(final String text)
    {
        final int count = text.length();
        ensure(count);
        for (int i = 0; i < count; i++)
        {
            bytes[length + i] = (byte)text.charAt(i);
        }
        length += count;
    }

    private void raw(final byte b)
    {
        ensure(1);
        bytes[length++] = b;
    }

    private void ensure(final int more)
    {
        if (length + more > bytes.length)
        {
            bytes = Arrays.copyOf(bytes, Math.max(length + more, 2 * bytes.length));
        }
    }

    private static long[] powersOfTen()
    {
        final long[] powers = new long[Currency.EXPONENT_MAX + 1];
        powers[0] = 1;
        for (int i = 1; i < powers.length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }
        return powers;
    }
}
