package io.walletledger.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.walletledger.protocol.Currency;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.LookupPoliciesEncoder;
import io.walletledger.protocol.sbe.LookupPoliciesResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.PolicySetting;
import io.walletledger.protocol.sbe.SetCodeLimitsEncoder;
import io.walletledger.protocol.sbe.SetFeesEncoder;
import io.walletledger.protocol.sbe.SetPolicySettingsEncoder;
import io.walletledger.protocol.sbe.SetReviewThresholdsEncoder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.walletledger.gateway.http.JsonBodies.MAPPER;
import static io.walletledger.gateway.http.JsonFields.U32_MAX;
import static io.walletledger.gateway.http.JsonFields.requireObject;
import static io.walletledger.gateway.http.JsonFields.signedInteger;
import static io.walletledger.gateway.http.JsonFields.unsigned;
import static io.walletledger.gateway.http.JsonFields.unsigned64;
import static io.walletledger.gateway.http.LedgerCall.SINGLE_EVENT_CAPACITY;
import static io.walletledger.gateway.http.LedgerReplies.outcome;

/**
 * The ledger-wide policy endpoints, each with its body's parse, the SBE request it becomes, and how the reply
 * answers. A fee's and a review threshold's amounts are in major units of their currency (or {@code _minor});
 * a code's limits hold for every currency, so theirs are minor units, under {@code _minor} names only.
 *
 * <pre>
 *  PUT    /v1/codes/{code}/limits                default limits of accounts created later with that code
 *  DELETE /v1/codes/{code}/limits
 *  PUT    /v1/fees/{transfer_code}/{currency}    the fee of transfers of that code and currency
 *  DELETE /v1/fees/{transfer_code}/{currency}
 *  PUT    /v1/review-thresholds/{currency}       transfers above it are held for review
 *  DELETE /v1/review-thresholds/{currency}
 *  PUT    /v1/settings                           {"day_start_seconds":..., "holds_per_account_max":...,
 *                                                 "hold_timeout_max_seconds":...} (any of them)
 *  GET    /v1/policies                           fees, review thresholds, code limits and settings
 * </pre>
 */
final class PolicyEndpoints
{
    /** The bare amount names too, so that one given is refused with why (no currency) rather than as unknown. */
    private static final Set<String> LIMITS_FIELDS = Set.of("transfer_amount_limit", "transfer_amount_limit_minor",
        "daily_debit_limit", "daily_debit_limit_minor", "velocity_debit_limit", "velocity_window_seconds");
    private static final Set<String> FEE_FIELDS = Set.of("fixed_amount", "fixed_amount_minor", "basis_points",
        "minimum", "minimum_minor", "maximum", "maximum_minor", "fee_account_id");
    private static final Set<String> THRESHOLD_FIELDS = Set.of("threshold", "threshold_minor");
    /** The settings PUT /v1/settings takes, each with its PolicySetting, in the order they are sent. */
    private static final Map<String, PolicySetting> SETTINGS = settingFields();
    private static final Set<String> SETTINGS_FIELDS = SETTINGS.keySet();

    /** Four limits, 0 = none; amounts in minor units. */
    record Limits(long transferAmountLimit, long dailyDebitLimit, long velocityDebitLimit, long velocityWindowSeconds)
    {
        static final Limits NONE = new Limits(0, 0, 0, 0);
    }

    /** One fee schedule entry; fee account 0 removes the entry. */
    record Fee(long fixedAmount, long basisPoints, long minimum, long maximum, long feeAccountId)
    {
        static final Fee NONE = new Fee(0, 0, 0, 0, 0);
    }

    private final CurrencyRegistry currencies;

    PolicyEndpoints(final CurrencyRegistry currencies)
    {
        this.currencies = currencies;
    }

    /**
     * @param s the path's segments after {@code /v1}.
     * @return the ledger request, or null if no endpoint has this path.
     */
    LedgerCall route(final HttpMethod method, final String[] s, final ByteBuf content)
    {
        switch (s[0])
        {
            case "codes":
                if (s.length == 3 && s[2].equals("limits"))
                {
                    HttpRoutes.requireMethod(method, HttpMethod.PUT, HttpMethod.DELETE);
                    return codeLimits(method, JsonFields.codeFromPath("an account code", s[1]), content);
                }
                return null;
            case "fees":
                if (s.length == 3)
                {
                    HttpRoutes.requireMethod(method, HttpMethod.PUT, HttpMethod.DELETE);
                    return fee(method, JsonFields.codeFromPath("a transfer code", s[1]),
                        JsonFields.currencyFromPath(currencies, s[2]), content);
                }
                return null;
            case "review-thresholds":
                if (s.length == 2)
                {
                    HttpRoutes.requireMethod(method, HttpMethod.PUT, HttpMethod.DELETE);
                    return reviewThreshold(method, JsonFields.currencyFromPath(currencies, s[1]), content);
                }
                return null;
            case "settings":
                if (s.length == 1)
                {
                    HttpRoutes.requireMethod(method, HttpMethod.PUT);
                    return settings(JsonBodies.parse(content));
                }
                return null;
            case "policies":
                if (s.length == 1)
                {
                    HttpRoutes.requireMethod(method, HttpMethod.GET);
                    return lookupPolicies();
                }
                return null;
            default:
                return null;
        }
    }

    /**
     * {@code {"transfer_amount_limit_minor":"5000","daily_debit_limit_minor":"20000","velocity_debit_limit":5,
     * "velocity_window_seconds":3600}}: a field left out is 0 (no limit). Also the body of an account's limits.
     * Neither names a currency, so the amounts are minor units, under their {@code _minor} names.
     */
    static Limits limits(final JsonNode body)
    {
        requireObject(body, LIMITS_FIELDS, "the limits");
        return new Limits(
            JsonFields.amount(body, "transfer_amount_limit", null, false, false),
            JsonFields.amount(body, "daily_debit_limit", null, false, false),
            unsigned(body, "velocity_debit_limit", U32_MAX),
            unsigned(body, "velocity_window_seconds", U32_MAX));
    }

    private static LedgerCall codeLimits(final HttpMethod method, final int code, final ByteBuf content)
    {
        final boolean remove = method.equals(HttpMethod.DELETE);
        final Limits limits = remove ? removal(content, Limits.NONE) : limits(JsonBodies.parse(content));
        // Not "code": a failure's "code" is its result code.
        final ObjectNode subject = MAPPER.createObjectNode().put("account_code", code);
        return new LedgerCall(SINGLE_EVENT_CAPACITY, (correlationId, out) ->
        {
            final SetCodeLimitsEncoder encoder = new SetCodeLimitsEncoder()
                .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
            encoder.limitsCount(1).next()
                .code(code)
                .transferAmountLimit(limits.transferAmountLimit())
                .dailyDebitLimit(limits.dailyDebitLimit())
                .velocityDebitLimit(limits.velocityDebitLimit())
                .velocityWindowSeconds(limits.velocityWindowSeconds());
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        }, (header, reply) -> outcome(header, reply, remove ? "removed" : "updated", subject));
    }

    /**
     * {@code {"fixed_amount":"0.25","basis_points":150,"minimum":"0.50","maximum":"5.00","fee_account_id":"9"}}
     * (amounts in major units of the path's currency, or {@code _minor}): the fee account is required (DELETE
     * removes a fee); the rest is 0 if left out.
     */
    private static LedgerCall fee(
        final HttpMethod method, final int transferCode, final Currency currency, final ByteBuf content)
    {
        final boolean remove = method.equals(HttpMethod.DELETE);
        final Fee fee = remove ? removal(content, Fee.NONE) : fee(JsonBodies.parse(content), currency);
        final ObjectNode subject = MAPPER.createObjectNode()
            .put("transfer_code", transferCode).put("currency", currency.alphaCode());
        return new LedgerCall(SINGLE_EVENT_CAPACITY, (correlationId, out) ->
        {
            final SetFeesEncoder encoder = new SetFeesEncoder()
                .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
            encoder.feesCount(1).next()
                .transferCode(transferCode)
                .currency(currency.numericCode())
                .fixedAmount(fee.fixedAmount())
                .basisPoints(fee.basisPoints())
                .minimum(fee.minimum())
                .maximum(fee.maximum())
                .feeAccountId(fee.feeAccountId());
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        }, (header, reply) -> outcome(header, reply, remove ? "removed" : "updated", subject));
    }

    private static Fee fee(final JsonNode body, final Currency currency)
    {
        requireObject(body, FEE_FIELDS, "the fee");
        return new Fee(
            JsonFields.amount(body, "fixed_amount", currency, false, true),
            unsigned(body, "basis_points", U32_MAX),
            JsonFields.amount(body, "minimum", currency, false, true),
            JsonFields.amount(body, "maximum", currency, false, true),
            unsigned64(body, "fee_account_id", true));
    }

    /**
     * {@code {"threshold":"10000.00"}} (or {@code threshold_minor}): single-phase transfers of more are held for
     * review.
     */
    private static LedgerCall reviewThreshold(final HttpMethod method, final Currency currency, final ByteBuf content)
    {
        final boolean remove = method.equals(HttpMethod.DELETE);
        final long threshold;
        if (remove)
        {
            threshold = removal(content, 0L);
        }
        else
        {
            final JsonNode body = JsonBodies.parse(content);
            requireObject(body, THRESHOLD_FIELDS, "the review threshold");
            threshold = JsonFields.amount(body, "threshold", currency, true, true);
        }
        final ObjectNode subject = MAPPER.createObjectNode().put("currency", currency.alphaCode());
        return new LedgerCall(SINGLE_EVENT_CAPACITY, (correlationId, out) ->
        {
            final SetReviewThresholdsEncoder encoder = new SetReviewThresholdsEncoder()
                .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
            encoder.thresholdsCount(1).next().currency(currency.numericCode()).threshold(threshold);
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        }, (header, reply) -> outcome(header, reply, remove ? "removed" : "updated", subject));
    }

    private static Map<String, PolicySetting> settingFields()
    {
        final Map<String, PolicySetting> fields = new LinkedHashMap<>();
        fields.put("day_start_seconds", PolicySetting.DAY_START_SECONDS);
        fields.put("holds_per_account_max", PolicySetting.HOLDS_PER_ACCOUNT_MAX);
        fields.put("hold_timeout_max_seconds", PolicySetting.HOLD_TIMEOUT_MAX_SECONDS);
        return Collections.unmodifiableMap(fields);
    }

    /**
     * {@code {"day_start_seconds":3600, "holds_per_account_max":100, "hold_timeout_max_seconds":86400}}: any of
     * them, at least one. Each is applied on its own: one out of range is refused, the others are applied.
     */
    private static LedgerCall settings(final JsonNode body)
    {
        requireObject(body, SETTINGS_FIELDS, "the settings");
        final ObjectNode subject = MAPPER.createObjectNode();
        final List<PolicySetting> settings = new ArrayList<>();
        final List<Long> values = new ArrayList<>();
        for (final Map.Entry<String, PolicySetting> field : SETTINGS.entrySet())
        {
            if (body.has(field.getKey()))
            {
                final long value = signedInteger(body, field.getKey());
                settings.add(field.getValue());
                values.add(value);
                subject.put(field.getKey(), value);
            }
        }
        if (settings.isEmpty())
        {
            throw new BadRequestException("the settings name at least one of " + String.join(", ", SETTINGS_FIELDS));
        }
        return new LedgerCall(SINGLE_EVENT_CAPACITY, (correlationId, out) ->
        {
            final SetPolicySettingsEncoder encoder = new SetPolicySettingsEncoder()
                .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
            final SetPolicySettingsEncoder.SettingsEncoder group = encoder.settingsCount(settings.size());
            for (int i = 0; i < settings.size(); i++)
            {
                group.next().setting(settings.get(i)).value(values.get(i));
            }
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        }, (header, reply) -> outcome(header, reply, "updated", subject));
    }

    private LedgerCall lookupPolicies()
    {
        return new LedgerCall(SINGLE_EVENT_CAPACITY, (correlationId, out) ->
        {
            final LookupPoliciesEncoder encoder = new LookupPoliciesEncoder()
                .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
            encoder.sectionsCount(1).next().reserved((short)0);
            return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        }, (header, reply) -> new LedgerCall.Answer(HttpResponseStatus.OK,
            policies(new LookupPoliciesResponseDecoder().wrapAndApplyHeader(reply, 0, header))));
    }

    /**
     * A DELETE takes no body (or {@code {}}): it stands for the policy value that removes an entry.
     */
    private static <T> T removal(final ByteBuf content, final T removing)
    {
        JsonBodies.requireEmpty(content, "a removal");
        return removing;
    }

    /**
     * <pre>{@code {"day_start_seconds":0,"config_digest":"00000000000000ff","holds_per_account_max":10000,
     *  "hold_timeout_max_seconds":0,
     *  "fees":[{"transfer_code":1,"currency":"USD","fixed_amount":"0.25","fixed_amount_minor":"25",
     *           "basis_points":150,"minimum":"0.00","minimum_minor":"0","maximum":"0.00","maximum_minor":"0",
     *           "fee_account_id":"9"}],
     *  "review_thresholds":[{"currency":"USD","threshold":"10000.00","threshold_minor":"1000000"}],
     *  "code_limits":[{"code":1,"transfer_amount_limit_minor":"5000","daily_debit_limit_minor":"0",
     *                  "velocity_debit_limit":0,"velocity_window_seconds":0}]}
     * }</pre>
     */
    private ObjectNode policies(final LookupPoliciesResponseDecoder policies)
    {
        final ObjectNode json = MAPPER.createObjectNode();
        json.put("day_start_seconds", policies.dayStartSeconds());
        json.put("config_digest", hex16(policies.configDigest()));
        json.put("holds_per_account_max", policies.holdsPerAccountMax());
        json.put("hold_timeout_max_seconds", policies.holdTimeoutMaxSeconds());
        final ArrayNode fees = json.putArray("fees");
        for (final LookupPoliciesResponseDecoder.FeesDecoder fee : policies.fees())
        {
            fees.add(feeJson(currencies, fee.transferCode(), fee.currency(), fee.fixedAmount(), fee.basisPoints(),
                fee.minimum(), fee.maximum(), fee.feeAccountId()));
        }
        final ArrayNode thresholds = json.putArray("review_thresholds");
        for (final LookupPoliciesResponseDecoder.ThresholdsDecoder threshold : policies.thresholds())
        {
            thresholds.add(thresholdJson(currencies, threshold.currency(), threshold.threshold()));
        }
        final ArrayNode codeLimits = json.putArray("code_limits");
        for (final LookupPoliciesResponseDecoder.CodeLimitsDecoder limits : policies.codeLimits())
        {
            codeLimits.add(codeLimitsJson(limits.code(), limits.transferAmountLimit(), limits.dailyDebitLimit(),
                limits.velocityDebitLimit(), limits.velocityWindowSeconds()));
        }
        return json;
    }

    /**
     * @return a fee as {@code GET /v1/policies} lists it.
     */
    static ObjectNode feeJson(final CurrencyRegistry currencies, final int transferCode, final int currencyCode,
        final long fixedAmount, final long basisPoints, final long minimum, final long maximum, final long feeAccountId)
    {
        final Currency currency = known(currencies, currencyCode);
        final ObjectNode entry = MAPPER.createObjectNode()
            .put("transfer_code", transferCode)
            .put("currency", JsonFields.currencyText(currencies, currencyCode));
        JsonFields.putAmount(entry, "fixed_amount", currency, fixedAmount);
        entry.put("basis_points", basisPoints);
        JsonFields.putAmount(entry, "minimum", currency, minimum);
        JsonFields.putAmount(entry, "maximum", currency, maximum);
        entry.put("fee_account_id", Long.toUnsignedString(feeAccountId));
        return entry;
    }

    /**
     * @return a review threshold as {@code GET /v1/policies} lists it.
     */
    static ObjectNode thresholdJson(final CurrencyRegistry currencies, final int currencyCode, final long threshold)
    {
        final ObjectNode entry = MAPPER.createObjectNode()
            .put("currency", JsonFields.currencyText(currencies, currencyCode));
        JsonFields.putAmount(entry, "threshold", known(currencies, currencyCode), threshold);
        return entry;
    }

    /**
     * @return an account code's limits as {@code GET /v1/policies} lists them: they hold for every currency, so in
     * minor units only.
     */
    static ObjectNode codeLimitsJson(final int code, final long transferAmountLimit, final long dailyDebitLimit,
        final long velocityDebitLimit, final long velocityWindowSeconds)
    {
        final ObjectNode entry = MAPPER.createObjectNode().put("code", code);
        JsonFields.putAmount(entry, "transfer_amount_limit", null, transferAmountLimit);
        JsonFields.putAmount(entry, "daily_debit_limit", null, dailyDebitLimit);
        entry.put("velocity_debit_limit", velocityDebitLimit).put("velocity_window_seconds", velocityWindowSeconds);
        return entry;
    }

    static Currency known(final CurrencyRegistry currencies, final int numeric)
    {
        return currencies.isKnown(numeric) ? currencies.byNumericCode(numeric) : null;
    }

    /**
     * @return the 64 bits as 16 lower-case hex digits, as {@code wallet verify} prints a state hash.
     */
    private static String hex16(final long value)
    {
        final String hex = Long.toHexString(value);
        return "0".repeat(16 - hex.length()) + hex;
    }
}
