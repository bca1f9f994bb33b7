package io.walletledger.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.walletledger.protocol.Currency;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersEncoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.ResultCode;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Translates between the HTTP API's JSON and the SBE protocol. Everything a client sends is checked here, with a
 * message that names the field and says what is wrong: ids are decimal strings of unsigned 64-bit integers (or
 * UUIDs for transfer ids), amounts are decimal strings, currencies are ISO alpha codes from the registry, and
 * unknown fields are refused rather than ignored.
 */
final class JsonCodec
{
    /** Strict: a repeated key or anything after the JSON value is an error, not silently taken or ignored. */
    static final JsonMapper MAPPER = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    private static final Pattern UUID_TEXT =
        Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern UNSIGNED = Pattern.compile("[0-9]{1,20}");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,19}(\\.[0-9]{1,18})?");
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private static final Set<String> ACCOUNT_FIELDS = Set.of("id", "currency", "flags", "code", "user_data");
    private static final Set<String> BALANCE_TRANSFER_FIELDS =
        Set.of("from_account", "to_account", "amount", "currency", "transaction_id");
    private static final Set<String> TRANSFER_FIELDS = Set.of("id", "debit_account_id", "credit_account_id", "amount",
        "currency", "code", "flags", "pending_id", "timeout", "user_data_128", "user_data_64", "user_data_32");

    private final CurrencyRegistry currencies;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    JsonCodec(final CurrencyRegistry currencies)
    {
        this.currencies = currencies;
    }

    static JsonNode parse(final byte[] body)
    {
        if (body.length == 0)
        {
            throw new BadRequestException("the request needs a JSON body");
        }
        try
        {
            return MAPPER.readTree(body);
        }
        catch (final JsonProcessingException ex)
        {
            String message = ex.getOriginalMessage();
            final int noise = message.indexOf(" (start marker");
            message = noise < 0 ? message : message.substring(0, noise);
            throw new BadRequestException(ex.getLocation() == null ? "malformed JSON: " + message :
                "malformed JSON at line " + ex.getLocation().getLineNr() + ", column " +
                ex.getLocation().getColumnNr() + ": " + message);
        }
        catch (final IOException ex)
        {
            throw new BadRequestException("unreadable body: " + ex.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------ requests

    /**
     * {@code {"id":"1001","currency":"USD","flags":["debits_must_not_exceed_credits"],"code":1,"user_data":"7"}}.
     *
     * @return the length of the CreateAccounts request written to {@code out}.
     */
    int createAccount(final JsonNode body, final long correlationId, final MutableDirectBuffer out)
    {
        requireObject(body, ACCOUNT_FIELDS, "the account");
        final long id = unsigned64(body, "id", true);
        final Currency currency = currency(body, "currency");
        final int code = unsigned(body, "code", 0xFFFF);
        final long userData = unsigned64(body, "user_data", false);
        boolean debitsLimited = false;
        boolean creditsLimited = false;
        for (final String flag : flags(body))
        {
            switch (flag)
            {
                case "debits_must_not_exceed_credits" -> debitsLimited = true;
                case "credits_must_not_exceed_debits" -> creditsLimited = true;
                default -> throw new BadRequestException("unknown account flag \"" + flag + "\": use " +
                    "debits_must_not_exceed_credits or credits_must_not_exceed_debits");
            }
        }
        final CreateAccountsEncoder encoder = new CreateAccountsEncoder()
            .wrapAndApplyHeader(out, 0, header).correlationId(correlationId);
        encoder.accountsCount(1).next().id(id).userData(userData).currency(currency.numericCode()).code(code)
            .flags().clear().debitsMustNotExceedCredits(debitsLimited).creditsMustNotExceedDebits(creditsLimited);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * {@code {"from_account":"1001","to_account":"1002","amount":"12.34","currency":"USD","transaction_id":"<uuid>"}}.
     *
     * @return the length of the CreateTransfers request written to {@code out}.
     */
    int balanceTransfer(final JsonNode body, final long correlationId, final MutableDirectBuffer out)
    {
        requireObject(body, BALANCE_TRANSFER_FIELDS, "the transfer");
        final long from = unsigned64(body, "from_account", true);
        final long to = unsigned64(body, "to_account", true);
        final Currency currency = currency(body, "currency");
        final long amount = majorAmount(body, "amount", currency);
        final UUID transactionId = uuid(body, "transaction_id");
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder()
            .wrapAndApplyHeader(out, 0, header).correlationId(correlationId);
        final CreateTransfersEncoder.TransfersEncoder transfer = encoder.transfersCount(1).next();
        transfer.id().hi(transactionId.getMostSignificantBits()).lo(transactionId.getLeastSignificantBits());
        transfer.debitAccountId(from).creditAccountId(to).amount(amount);
        transfer.pendingId().hi(0).lo(0);
        transfer.userData128().hi(0).lo(0);
        transfer.userData64(0).userData32(0).timeout(0).currency(currency.numericCode()).code(1);
        transfer.flags().clear();
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * {@code {"transfers":[{"id":"1","debit_account_id":"1","credit_account_id":"2","amount":"100",
     * "currency":"USD","code":1,"flags":["pending"],...}]}}, amounts in minor units.
     *
     * @return the length of the CreateTransfers request written to {@code out}.
     */
    int createTransfers(
        final JsonNode body, final long correlationId, final int batchEventsMax, final MutableDirectBuffer out)
    {
        requireObject(body, Set.of("transfers"), "the request");
        final JsonNode transfers = body.get("transfers");
        if (transfers == null || !transfers.isArray() || transfers.isEmpty())
        {
            throw new BadRequestException("\"transfers\" must be a non-empty array of transfers");
        }
        if (transfers.size() > batchEventsMax)
        {
            throw new BadRequestException("\"transfers\" holds " + transfers.size() + " transfers; at most " +
                batchEventsMax + " per request");
        }
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder()
            .wrapAndApplyHeader(out, 0, header).correlationId(correlationId);
        final CreateTransfersEncoder.TransfersEncoder group = encoder.transfersCount(transfers.size());
        int index = 0;
        for (final JsonNode t : transfers)
        {
            final String where = "transfers[" + index++ + "]";
            requireObject(t, TRANSFER_FIELDS, where);
            final long[] id = transferId(t, "id", true);
            final long[] pendingId = transferId(t, "pending_id", false);
            final long[] userData128 = transferId(t, "user_data_128", false);
            final Currency currency = currency(t, "currency");
            final long amount = minorAmount(t, "amount");
            int flags = 0;
            for (final String flag : flags(t))
            {
                flags |= switch (flag)
                {
                    case "linked" -> 1;
                    case "pending" -> 2;
                    case "post_pending" -> 4;
                    case "void_pending" -> 8;
                    default -> throw new BadRequestException(where + ": unknown transfer flag \"" + flag +
                        "\": use linked, pending, post_pending or void_pending");
                };
            }
            group.next();
            group.id().hi(id[0]).lo(id[1]);
            group.debitAccountId(unsigned64(t, "debit_account_id", false))
                .creditAccountId(unsigned64(t, "credit_account_id", false))
                .amount(amount);
            group.pendingId().hi(pendingId[0]).lo(pendingId[1]);
            group.userData128().hi(userData128[0]).lo(userData128[1]);
            group.userData64(unsigned64(t, "user_data_64", false))
                .userData32(unsigned(t, "user_data_32", 0xFFFF_FFFFL))
                .timeout(unsigned(t, "timeout", 0xFFFF_FFFFL))
                .currency(currency.numericCode())
                .code(unsigned(t, "code", 0xFFFF));
            group.flags().clear().linked((flags & 1) != 0).pending((flags & 2) != 0).postPending((flags & 4) != 0)
                .voidPending((flags & 8) != 0);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int lookupAccount(final long id, final long correlationId, final MutableDirectBuffer out)
    {
        final LookupAccountsEncoder encoder = new LookupAccountsEncoder()
            .wrapAndApplyHeader(out, 0, header).correlationId(correlationId);
        encoder.idsCount(1).next().id(id);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int lookupTransfer(final long[] id, final long correlationId, final MutableDirectBuffer out)
    {
        final LookupTransfersEncoder encoder = new LookupTransfersEncoder()
            .wrapAndApplyHeader(out, 0, header).correlationId(correlationId);
        encoder.idsCount(1).next().id().hi(id[0]).lo(id[1]);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    // ----------------------------------------------------------------------------------------- responses

    ObjectNode account(final LookupAccountsResponseDecoder.AccountsDecoder a)
    {
        final ObjectNode json = MAPPER.createObjectNode();
        json.put("id", Long.toUnsignedString(a.id()));
        final int numeric = a.currency();
        final Currency currency = currencies.isKnown(numeric) ? currencies.byNumericCode(numeric) : null;
        json.put("currency", currency == null ? Integer.toString(numeric) : currency.alphaCode());
        final long balance = a.creditsPosted() - a.debitsPosted();
        final long available = balance - a.debitsPending();
        json.put("balance", major(currency, balance));
        json.put("available", major(currency, available));
        json.put("debits_pending", Long.toString(a.debitsPending()));
        json.put("debits_posted", Long.toString(a.debitsPosted()));
        json.put("credits_pending", Long.toString(a.creditsPending()));
        json.put("credits_posted", Long.toString(a.creditsPosted()));
        json.put("status", a.status().name().toLowerCase(Locale.ROOT));
        final ArrayNode flags = json.putArray("flags");
        if (a.flags().debitsMustNotExceedCredits())
        {
            flags.add("debits_must_not_exceed_credits");
        }
        if (a.flags().creditsMustNotExceedDebits())
        {
            flags.add("credits_must_not_exceed_debits");
        }
        json.put("code", a.code());
        json.put("user_data", Long.toUnsignedString(a.userData()));
        json.put("timestamp", Long.toUnsignedString(a.timestamp()));
        return json;
    }

    ObjectNode transfer(final LookupTransfersResponseDecoder.TransfersDecoder t)
    {
        final ObjectNode json = MAPPER.createObjectNode();
        json.put("id", idText(t.id().hi(), t.id().lo()));
        json.put("debit_account_id", Long.toUnsignedString(t.debitAccountId()));
        json.put("credit_account_id", Long.toUnsignedString(t.creditAccountId()));
        json.put("amount", Long.toString(t.amount()));
        final int numeric = t.currency();
        json.put("currency", currencies.isKnown(numeric) ?
            currencies.byNumericCode(numeric).alphaCode() : Integer.toString(numeric));
        json.put("code", t.code());
        final ArrayNode flags = json.putArray("flags");
        if (t.flags().pending())
        {
            flags.add("pending");
        }
        if (t.flags().postPending())
        {
            flags.add("post_pending");
        }
        if (t.flags().voidPending())
        {
            flags.add("void_pending");
        }
        json.put("pending_id", idText(t.pendingId().hi(), t.pendingId().lo()));
        json.put("timeout", t.timeout());
        json.put("user_data_128", idText(t.userData128().hi(), t.userData128().lo()));
        json.put("user_data_64", Long.toUnsignedString(t.userData64()));
        json.put("user_data_32", t.userData32());
        json.put("timestamp", Long.toUnsignedString(t.timestamp()));
        json.put("pending_status", t.pendingStatus().name().toLowerCase(Locale.ROOT));
        return json;
    }

    /**
     * @return a 128-bit id as text: decimal when it fits 64 bits, else a UUID.
     */
    static String idText(final long hi, final long lo)
    {
        return hi == 0 ? Long.toUnsignedString(lo) : new UUID(hi, lo).toString();
    }

    static String resultName(final ResultCode code)
    {
        return code.name();
    }

    private static String major(final Currency currency, final long minorUnits)
    {
        return currency == null ? Long.toString(minorUnits) : currency.toMajorUnits(minorUnits).toPlainString();
    }

    // ---------------------------------------------------------------------------------------- field rules

    private static void requireObject(final JsonNode node, final Set<String> allowed, final String what)
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
                throw new BadRequestException(what + ": unknown field \"" + name + "\"; allowed: " +
                    String.join(", ", allowed.stream().sorted().toList()));
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
            return new QueryStringDecoder(uri).path();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadRequestException("malformed request path: " + ex.getMessage());
        }
    }

    /**
     * @return a transfer id from a URL path: a UUID, or an unsigned 64-bit decimal integer.
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

    private static long[] transferId(final JsonNode node, final String field, final boolean required)
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

    private static UUID uuid(final JsonNode node, final String field)
    {
        final JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || !UUID_TEXT.matcher(value.asText()).matches())
        {
            throw new BadRequestException("\"" + field + "\" must be a UUID such as " +
                "\"3f2b8c1e-5d4a-4e7b-9c1d-2a6f8e0b7c35\"; got " + value);
        }
        return UUID.fromString(value.asText());
    }

    private static int unsigned(final JsonNode node, final String field, final long max)
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            return 0;
        }
        if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > max || !value.canConvertToLong())
        {
            throw new BadRequestException("\"" + field + "\" must be an integer from 0 to " + max + "; got " + value);
        }
        return (int)value.asLong();
    }

    private Currency currency(final JsonNode node, final String field)
    {
        final JsonNode value = node.get(field);
        if (value == null || !value.isTextual())
        {
            throw new BadRequestException("\"" + field + "\" must be a currency code such as \"USD\"; got " + value);
        }
        final Currency currency = currencies.byAlphaCode(value.asText());
        if (currency == null)
        {
            throw new BadRequestException("unknown currency \"" + value.asText() + "\"");
        }
        return currency;
    }

    private static long majorAmount(final JsonNode node, final String field, final Currency currency)
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

    private static long minorAmount(final JsonNode node, final String field)
    {
        final JsonNode value = node.get(field);
        final String text = value == null ? null : value.isTextual() || value.isIntegralNumber() ? value.asText() : null;
        if (text == null || !Pattern.matches("-?[0-9]{1,19}", text))
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

    private static Iterable<String> flags(final JsonNode node)
    {
        final JsonNode value = node.get("flags");
        if (value == null || value.isNull())
        {
            return Set.of();
        }
        if (!value.isArray())
        {
            throw new BadRequestException("\"flags\" must be an array of flag names");
        }
        final java.util.List<String> names = new java.util.ArrayList<>();
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
}
