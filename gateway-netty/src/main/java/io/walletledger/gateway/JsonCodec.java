package io.walletledger.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walletledger.protocol.Currency;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersEncoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import static io.walletledger.gateway.JsonFields.flags;
import static io.walletledger.gateway.JsonFields.idText;
import static io.walletledger.gateway.JsonFields.majorAmount;
import static io.walletledger.gateway.JsonFields.minorAmount;
import static io.walletledger.gateway.JsonFields.requireObject;
import static io.walletledger.gateway.JsonFields.transferId;
import static io.walletledger.gateway.JsonFields.unsigned;
import static io.walletledger.gateway.JsonFields.unsigned64;
import static io.walletledger.gateway.JsonFields.uuid;

/**
 * Translates between the HTTP API's JSON and the SBE protocol for accounts and transfers ({@link PolicyJsonCodec}
 * does the wallet policies). Everything a client sends is checked, with a message that names the field and says
 * what is wrong (the rules are in {@link JsonFields}), and unknown fields are refused rather than ignored.
 */
final class JsonCodec
{
    /** Strict: a repeated key or anything after the JSON value is an error, not silently taken or ignored. */
    static final JsonMapper MAPPER = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

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
        return read(body);
    }

    /**
     * @return the body's JSON, or an empty object if there is no body.
     */
    static JsonNode parseOptional(final byte[] body)
    {
        return body.length == 0 ? MAPPER.createObjectNode() : read(body);
    }

    private static JsonNode read(final byte[] body)
    {
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
        final Currency currency = JsonFields.currency(currencies, body, "currency");
        final int code = (int)unsigned(body, "code", JsonFields.U16_MAX);
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
        final Currency currency = JsonFields.currency(currencies, body, "currency");
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
            final Currency currency = JsonFields.currency(currencies, t, "currency");
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
                .userData32(unsigned(t, "user_data_32", JsonFields.U32_MAX))
                .timeout(unsigned(t, "timeout", JsonFields.U32_MAX))
                .currency(currency.numericCode())
                .code((int)unsigned(t, "code", JsonFields.U16_MAX));
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
        json.put("freeze_scope", a.freezeScope().name().toLowerCase(Locale.ROOT));
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
        json.put("transfer_amount_limit", Long.toString(a.transferAmountLimit()));
        json.put("daily_debit_limit", Long.toString(a.dailyDebitLimit()));
        json.put("daily_debits_used", Long.toString(a.dailyDebitsUsed()));
        json.put("velocity_debit_limit", a.velocityDebitLimit());
        json.put("velocity_window_seconds", a.velocityWindowSeconds());
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
        json.put("fee", Long.toString(t.fee()));
        json.put("fee_account_id", Long.toUnsignedString(t.feeAccountId()));
        json.put("currency", JsonFields.currencyText(currencies, t.currency()));
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
        if (t.flags().review())
        {
            flags.add("review");
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

    private static String major(final Currency currency, final long minorUnits)
    {
        return currency == null ? Long.toString(minorUnits) : currency.toMajorUnits(minorUnits).toPlainString();
    }
}
