package io.walletledger.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.AccountAction;
import io.walletledger.protocol.sbe.AccountCommandsEncoder;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.LookupPoliciesEncoder;
import io.walletledger.protocol.sbe.LookupPoliciesResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.PolicySetting;
import io.walletledger.protocol.sbe.ReviewDecision;
import io.walletledger.protocol.sbe.ReviewTransfersEncoder;
import io.walletledger.protocol.sbe.SetAccountLimitsEncoder;
import io.walletledger.protocol.sbe.SetCodeLimitsEncoder;
import io.walletledger.protocol.sbe.SetFeesEncoder;
import io.walletledger.protocol.sbe.SetPolicySettingsEncoder;
import io.walletledger.protocol.sbe.SetReviewThresholdsEncoder;
import org.agrona.MutableDirectBuffer;

import java.util.Set;

import static io.walletledger.gateway.JsonCodec.MAPPER;
import static io.walletledger.gateway.JsonFields.U32_MAX;
import static io.walletledger.gateway.JsonFields.choice;
import static io.walletledger.gateway.JsonFields.minorAmount;
import static io.walletledger.gateway.JsonFields.optionalMinorAmount;
import static io.walletledger.gateway.JsonFields.requireObject;
import static io.walletledger.gateway.JsonFields.signedInteger;
import static io.walletledger.gateway.JsonFields.transferId;
import static io.walletledger.gateway.JsonFields.unsigned;
import static io.walletledger.gateway.JsonFields.unsigned64;

/**
 * Translates between the HTTP API's JSON and the SBE protocol for the wallet policies: account lifecycle, limits,
 * fees, review thresholds, review decisions and settings. A body is read into a small value first (so the JSON
 * tree can go before the request is in the ledger), then encoded as a one-command request. Amounts are minor
 * units as decimal strings: code limits have no currency to take major units from, so every policy amount is
 * given the same way.
 */
final class PolicyJsonCodec
{
    private static final Set<String> FREEZE_FIELDS = Set.of("scope");
    private static final Set<String> LIMITS_FIELDS = Set.of(
        "transfer_amount_limit", "daily_debit_limit", "velocity_debit_limit", "velocity_window_seconds");
    private static final Set<String> FEE_FIELDS =
        Set.of("fixed_amount", "basis_points", "minimum", "maximum", "fee_account_id");
    private static final Set<String> THRESHOLD_FIELDS = Set.of("threshold");
    private static final Set<String> REVIEW_FIELDS = Set.of("id", "decision");
    private static final Set<String> SETTINGS_FIELDS = Set.of("day_start_seconds");

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

    /** An operator's decision, recorded under its own transfer id {hi, lo}. */
    record Review(long[] id, ReviewDecision decision)
    {
    }

    private final CurrencyRegistry currencies;

    PolicyJsonCodec(final CurrencyRegistry currencies)
    {
        this.currencies = currencies;
    }

    // ------------------------------------------------------------------------------------------ bodies

    /**
     * {@code {"scope":"debits"}} or {@code {"scope":"all"}}; no body or {@code {}} means debits.
     */
    static FreezeScope freezeScope(final JsonNode body)
    {
        requireObject(body, FREEZE_FIELDS, "the freeze");
        return choice(body, "scope", "debits", "debits", "all").equals("all") ? FreezeScope.ALL : FreezeScope.DEBITS;
    }

    /**
     * For requests that take no fields: no body or {@code {}}.
     */
    static void requireEmpty(final JsonNode body, final String what)
    {
        requireObject(body, Set.of(), what);
    }

    /**
     * {@code {"transfer_amount_limit":"5000","daily_debit_limit":"20000","velocity_debit_limit":5,
     * "velocity_window_seconds":3600}}: a field left out is 0 (no limit).
     */
    static Limits limits(final JsonNode body)
    {
        requireObject(body, LIMITS_FIELDS, "the limits");
        return new Limits(
            optionalMinorAmount(body, "transfer_amount_limit"),
            optionalMinorAmount(body, "daily_debit_limit"),
            unsigned(body, "velocity_debit_limit", U32_MAX),
            unsigned(body, "velocity_window_seconds", U32_MAX));
    }

    /**
     * {@code {"fixed_amount":"25","basis_points":150,"minimum":"50","maximum":"500","fee_account_id":"9"}}: the
     * fee account is required (DELETE removes a fee); the rest is 0 if left out.
     */
    static Fee fee(final JsonNode body)
    {
        requireObject(body, FEE_FIELDS, "the fee");
        return new Fee(
            optionalMinorAmount(body, "fixed_amount"),
            unsigned(body, "basis_points", U32_MAX),
            optionalMinorAmount(body, "minimum"),
            optionalMinorAmount(body, "maximum"),
            unsigned64(body, "fee_account_id", true));
    }

    /**
     * {@code {"threshold":"1000000"}}: single-phase transfers of more minor units are held for review.
     */
    static long threshold(final JsonNode body)
    {
        requireObject(body, THRESHOLD_FIELDS, "the review threshold");
        return minorAmount(body, "threshold");
    }

    /**
     * {@code {"id":"<uuid>","decision":"approve"}} or {@code "reject"}.
     */
    static Review review(final JsonNode body)
    {
        requireObject(body, REVIEW_FIELDS, "the review");
        final long[] id = transferId(body, "id", true);
        final String decision = choice(body, "decision", null, "approve", "reject");
        return new Review(id, decision.equals("approve") ? ReviewDecision.APPROVE : ReviewDecision.REJECT);
    }

    /**
     * {@code {"day_start_seconds":3600}}.
     */
    static long dayStartSeconds(final JsonNode body)
    {
        requireObject(body, SETTINGS_FIELDS, "the settings");
        return signedInteger(body, "day_start_seconds");
    }

    // ------------------------------------------------------------------------------------------ requests

    static int accountCommand(
        final long correlationId,
        final long accountId,
        final AccountAction action,
        final FreezeScope scope,
        final MutableDirectBuffer out)
    {
        final AccountCommandsEncoder encoder = new AccountCommandsEncoder()
            .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
        encoder.commandsCount(1).next().accountId(accountId).action(action).freezeScope(scope);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    static int accountLimits(
        final long correlationId, final long accountId, final Limits limits, final MutableDirectBuffer out)
    {
        final SetAccountLimitsEncoder encoder = new SetAccountLimitsEncoder()
            .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
        encoder.limitsCount(1).next()
            .accountId(accountId)
            .transferAmountLimit(limits.transferAmountLimit())
            .dailyDebitLimit(limits.dailyDebitLimit())
            .velocityDebitLimit(limits.velocityDebitLimit())
            .velocityWindowSeconds(limits.velocityWindowSeconds());
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    static int codeLimits(final long correlationId, final int code, final Limits limits, final MutableDirectBuffer out)
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
    }

    static int fee(
        final long correlationId, final int transferCode, final int currency, final Fee fee, final MutableDirectBuffer out)
    {
        final SetFeesEncoder encoder = new SetFeesEncoder()
            .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
        encoder.feesCount(1).next()
            .transferCode(transferCode)
            .currency(currency)
            .fixedAmount(fee.fixedAmount())
            .basisPoints(fee.basisPoints())
            .minimum(fee.minimum())
            .maximum(fee.maximum())
            .feeAccountId(fee.feeAccountId());
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    static int reviewThreshold(
        final long correlationId, final int currency, final long threshold, final MutableDirectBuffer out)
    {
        final SetReviewThresholdsEncoder encoder = new SetReviewThresholdsEncoder()
            .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
        encoder.thresholdsCount(1).next().currency(currency).threshold(threshold);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    static int review(
        final long correlationId, final Review review, final long[] pendingId, final MutableDirectBuffer out)
    {
        final ReviewTransfersEncoder encoder = new ReviewTransfersEncoder()
            .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
        final ReviewTransfersEncoder.DecisionsEncoder decision = encoder.decisionsCount(1).next();
        decision.id().hi(review.id()[0]).lo(review.id()[1]);
        decision.pendingId().hi(pendingId[0]).lo(pendingId[1]);
        decision.decision(review.decision());
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    static int dayStartSeconds(final long correlationId, final long seconds, final MutableDirectBuffer out)
    {
        final SetPolicySettingsEncoder encoder = new SetPolicySettingsEncoder()
            .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
        encoder.settingsCount(1).next().setting(PolicySetting.DAY_START_SECONDS).value(seconds);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    static int lookupPolicies(final long correlationId, final MutableDirectBuffer out)
    {
        final LookupPoliciesEncoder encoder = new LookupPoliciesEncoder()
            .wrapAndApplyHeader(out, 0, new MessageHeaderEncoder()).correlationId(correlationId);
        encoder.sectionsCount(1).next().reserved((short)0);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    // ----------------------------------------------------------------------------------------- responses

    /**
     * <pre>{@code {"day_start_seconds":0,"config_digest":"00000000000000ff",
     *  "fees":[{"transfer_code":1,"currency":"USD","fixed_amount":"25","basis_points":150,"minimum":"0",
     *           "maximum":"0","fee_account_id":"9"}],
     *  "review_thresholds":[{"currency":"USD","threshold":"1000000"}],
     *  "code_limits":[{"code":1,"transfer_amount_limit":"5000","daily_debit_limit":"0","velocity_debit_limit":0,
     *                  "velocity_window_seconds":0}]}
     * }</pre>
     */
    ObjectNode policies(final LookupPoliciesResponseDecoder policies)
    {
        final ObjectNode json = MAPPER.createObjectNode();
        json.put("day_start_seconds", policies.dayStartSeconds());
        json.put("config_digest", hex16(policies.configDigest()));
        final ArrayNode fees = json.putArray("fees");
        for (final LookupPoliciesResponseDecoder.FeesDecoder fee : policies.fees())
        {
            fees.addObject()
                .put("transfer_code", fee.transferCode())
                .put("currency", JsonFields.currencyText(currencies, fee.currency()))
                .put("fixed_amount", Long.toString(fee.fixedAmount()))
                .put("basis_points", fee.basisPoints())
                .put("minimum", Long.toString(fee.minimum()))
                .put("maximum", Long.toString(fee.maximum()))
                .put("fee_account_id", Long.toUnsignedString(fee.feeAccountId()));
        }
        final ArrayNode thresholds = json.putArray("review_thresholds");
        for (final LookupPoliciesResponseDecoder.ThresholdsDecoder threshold : policies.thresholds())
        {
            thresholds.addObject()
                .put("currency", JsonFields.currencyText(currencies, threshold.currency()))
                .put("threshold", Long.toString(threshold.threshold()));
        }
        final ArrayNode codeLimits = json.putArray("code_limits");
        for (final LookupPoliciesResponseDecoder.CodeLimitsDecoder limits : policies.codeLimits())
        {
            codeLimits.addObject()
                .put("code", limits.code())
                .put("transfer_amount_limit", Long.toString(limits.transferAmountLimit()))
                .put("daily_debit_limit", Long.toString(limits.dailyDebitLimit()))
                .put("velocity_debit_limit", limits.velocityDebitLimit())
                .put("velocity_window_seconds", limits.velocityWindowSeconds());
        }
        return json;
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
