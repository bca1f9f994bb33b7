package io.walletledger.server;

import io.walletledger.config.CodeLimitsSetting;
import io.walletledger.config.FeeSetting;
import io.walletledger.config.WalletSettings;
import io.walletledger.protocol.Currency;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.RequestSubmitter;
import io.walletledger.protocol.Submission;
import io.walletledger.protocol.sbe.CommandResultsResponseDecoder;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.LookupPoliciesEncoder;
import io.walletledger.protocol.sbe.LookupPoliciesResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.PolicySetting;
import io.walletledger.protocol.sbe.SetCodeLimitsEncoder;
import io.walletledger.protocol.sbe.SetFeesEncoder;
import io.walletledger.protocol.sbe.SetPolicySettingsEncoder;
import io.walletledger.protocol.sbe.SetReviewThresholdsEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Gives the ledger the policies of {@code wallet.policies} at start-up, through the node like any request, so the
 * change is journaled and replays. The ledger remembers a digest of the configuration it last got; when the
 * configuration's digest is the same nothing is sent, so policies changed at run time by command survive a restart.
 * When it differs, the fee schedule, review thresholds and code limits are made equal to the configuration (entries
 * the configuration does not name are removed), the day start is set, and the digest is recorded last. Before the
 * first change the digest is set to {@link #APPLYING}, which no configuration has: a start that dies half way leaves
 * that, and the next start applies its configuration again, whichever it is (also the one before, whose digest the
 * ledger would otherwise still hold beside a half-applied new fee schedule).
 * <p>
 * An empty configuration has digest 0, the digest of a new ledger, so a server with no policies configured never
 * journals anything here.
 */
final class PolicyBootstrap
{
    /** The digest recorded while a configuration is being applied; no configuration's digest. */
    static final long APPLYING = Long.MIN_VALUE;

    private static final Logger LOG = LoggerFactory.getLogger(PolicyBootstrap.class);
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private final RequestSubmitter node;
    private final int batchEventsMax;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final UnsafeBuffer request;
    private long correlationId;

    private PolicyBootstrap(final RequestSubmitter node, final int batchEventsMax, final int requestLengthMax)
    {
        this.node = node;
        this.batchEventsMax = batchEventsMax;
        this.request = new UnsafeBuffer(ByteBuffer.allocate(requestLengthMax));
    }

    /** The configured policies with currencies as numeric codes, each table sorted by its key. */
    record Configured(
        int dayStartSeconds, TreeMap<Integer, FeeSetting> fees, TreeMap<Integer, Long> thresholds,
        TreeMap<Integer, CodeLimitsSetting> codeLimits, long holdsPerAccountMax, long holdTimeoutMaxSeconds)
    {
        boolean isEmpty()
        {
            return dayStartSeconds == 0 && fees.isEmpty() && thresholds.isEmpty() && codeLimits.isEmpty();
        }

        /**
         * @return a digest of everything configured, 0 for nothing configured.
         */
        long digest()
        {
            if (isEmpty())
            {
                return 0;
            }
            final StringBuilder text = new StringBuilder("day-start=").append(dayStartSeconds).append('\n');
            fees.forEach((key, fee) -> text.append("fee ").append(key).append(' ').append(fee.fixedAmount()).append(' ')
                .append(fee.basisPoints()).append(' ').append(fee.minimum()).append(' ').append(fee.maximum()).append(' ')
                .append(fee.feeAccount()).append('\n'));
            thresholds.forEach((currency, amount) ->
                text.append("threshold ").append(currency).append(' ').append(amount).append('\n'));
            codeLimits.forEach((code, limits) -> text.append("limits ").append(code).append(' ')
                .append(limits.transferAmountLimit()).append(' ').append(limits.dailyDebitLimit()).append(' ')
                .append(limits.velocityDebitLimit()).append(' ').append(limits.velocityWindow().getSeconds()).append('\n'));
            try
            {
                final byte[] sha = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
                final long digest = ByteBuffer.wrap(sha).getLong();
                return digest == 0 || digest == APPLYING ? 1 : digest;
            }
            catch (final NoSuchAlgorithmException ex)
            {
                throw new IllegalStateException("every JDK has SHA-256", ex);
            }
        }
    }

    /**
     * @throws IllegalStateException if a configured currency is unknown.
     */
    static Configured configured(final WalletSettings settings, final CurrencyRegistry currencies)
    {
        final TreeMap<Integer, FeeSetting> fees = new TreeMap<>();
        for (final FeeSetting fee : settings.fees())
        {
            fees.put(fee.transferCode() << 16 | numeric(currencies, fee.currency(), "wallet.policies.fees"), fee);
        }
        final TreeMap<Integer, Long> thresholds = new TreeMap<>();
        for (final Map.Entry<String, Long> threshold : settings.reviewThresholds().entrySet())
        {
            thresholds.put(numeric(currencies, threshold.getKey(), "wallet.policies.review-thresholds"),
                threshold.getValue());
        }
        final TreeMap<Integer, CodeLimitsSetting> codeLimits = new TreeMap<>();
        for (final CodeLimitsSetting limits : settings.codeLimits())
        {
            codeLimits.put(limits.code(), limits);
        }
        return new Configured(settings.dayStartSeconds(), fees, thresholds, codeLimits, settings.holdsPerAccountMax(),
            settings.holdTimeoutMax().getSeconds());
    }

    private static int numeric(final CurrencyRegistry currencies, final String code, final String setting)
    {
        final Currency currency = currencies.byAlphaCode(code);
        if (currency == null)
        {
            throw new IllegalStateException(setting + " names currency " + code + ", which the ledger does not know: " +
                "use an ISO 4217 code or add it to wallet.ledger.currencies");
        }
        return currency.numericCode();
    }

    /**
     * Makes the ledger's policies those configured, if they are not already.
     *
     * @return true if commands were journaled, false if the ledger had this configuration already.
     * @throws IllegalStateException if the ledger refuses a configured entry (the message names it) or does not
     *                               answer.
     */
    static boolean apply(
        final RequestSubmitter node, final int batchEventsMax, final int requestLengthMax, final Configured configured)
    {
        return new PolicyBootstrap(node, batchEventsMax, requestLengthMax).apply(configured);
    }

    private boolean apply(final Configured configured)
    {
        final long digest = configured.digest();
        final LookupPoliciesEncoder lookup = new LookupPoliciesEncoder()
            .wrapAndApplyHeader(request, 0, header).correlationId(++correlationId);
        lookup.sectionsCount(1).next().reserved((short)0);
        final UnsafeBuffer current = call(MessageHeaderEncoder.ENCODED_LENGTH + lookup.encodedLength());
        final LookupPoliciesResponseDecoder policies = new LookupPoliciesResponseDecoder()
            .wrapAndApplyHeader(current, 0, new MessageHeaderDecoder());
        // The hold policies follow the configuration at every start, outside the digest.
        final long holdsWas = policies.holdsPerAccountMax();
        final long timeoutWas = policies.holdTimeoutMaxSeconds();
        if (policies.configDigest() == digest)
        {
            LOG.info("wallet policies unchanged since the ledger last got them from the configuration");
            return applyHoldPolicies(configured, holdsWas, timeoutWas);
        }

        // What the ledger has that the configuration does not name is removed.
        final List<Integer> staleFees = new ArrayList<>();
        for (final LookupPoliciesResponseDecoder.FeesDecoder fee : policies.fees())
        {
            final int key = fee.transferCode() << 16 | fee.currency();
            if (!configured.fees().containsKey(key))
            {
                staleFees.add(key);
            }
        }
        final List<Integer> staleThresholds = new ArrayList<>();
        for (final LookupPoliciesResponseDecoder.ThresholdsDecoder threshold : policies.thresholds())
        {
            if (!configured.thresholds().containsKey(threshold.currency()))
            {
                staleThresholds.add(threshold.currency());
            }
        }
        final List<Integer> staleCodes = new ArrayList<>();
        for (final LookupPoliciesResponseDecoder.CodeLimitsDecoder limits : policies.codeLimits())
        {
            if (!configured.codeLimits().containsKey(limits.code()))
            {
                staleCodes.add(limits.code());
            }
        }

        send("the policy configuration digest (applying)", List.<long[]>of(
            new long[] {PolicySetting.CONFIG_DIGEST.value(), APPLYING}), this::encodeSettings);
        final List<long[]> fees = new ArrayList<>();
        staleFees.forEach(key -> fees.add(new long[] {key >>> 16, key & 0xFFFF, 0, 0, 0, 0, 0}));
        configured.fees().forEach((key, fee) -> fees.add(new long[] {key >>> 16, key & 0xFFFF, fee.fixedAmount(),
            fee.basisPoints(), fee.minimum(), fee.maximum(), fee.feeAccount()}));
        send("wallet.policies.fees", fees, this::encodeFees);

        final List<long[]> thresholds = new ArrayList<>();
        staleThresholds.forEach(currency -> thresholds.add(new long[] {currency, 0}));
        configured.thresholds().forEach((currency, amount) -> thresholds.add(new long[] {currency, amount}));
        send("wallet.policies.review-thresholds", thresholds, this::encodeThresholds);

        final List<long[]> codeLimits = new ArrayList<>();
        staleCodes.forEach(code -> codeLimits.add(new long[] {code, 0, 0, 0, 0}));
        configured.codeLimits().forEach((code, limits) -> codeLimits.add(new long[] {code, limits.transferAmountLimit(),
            limits.dailyDebitLimit(), limits.velocityDebitLimit(), limits.velocityWindow().getSeconds()}));
        send("wallet.policies.code-limits", codeLimits, this::encodeCodeLimits);

        send("wallet.policies.day-start", List.<long[]>of(
            new long[] {PolicySetting.DAY_START_SECONDS.value(), configured.dayStartSeconds()}), this::encodeSettings);
        send("the policy configuration digest", List.<long[]>of(
            new long[] {PolicySetting.CONFIG_DIGEST.value(), digest}), this::encodeSettings);
        LOG.info("wallet policies applied from the configuration: {} fees, {} review thresholds, {} code limits " +
            "({} stale entries removed), day start {} s after 00:00 UTC", configured.fees().size(),
            configured.thresholds().size(), configured.codeLimits().size(),
            staleFees.size() + staleThresholds.size() + staleCodes.size(), configured.dayStartSeconds());
        applyHoldPolicies(configured, holdsWas, timeoutWas);
        return true;
    }

    /**
     * Sets the hold policies to the configured ones if they differ.
     *
     * @return whether a command was journaled.
     */
    private boolean applyHoldPolicies(final Configured configured, final long holdsWas, final long timeoutWas)
    {
        if (holdsWas == configured.holdsPerAccountMax() && timeoutWas == configured.holdTimeoutMaxSeconds())
        {
            return false;
        }
        send("wallet.policies.holds-per-account-max and hold-timeout-max", List.of(
            new long[] {PolicySetting.HOLDS_PER_ACCOUNT_MAX.value(), configured.holdsPerAccountMax()},
            new long[] {PolicySetting.HOLD_TIMEOUT_MAX_SECONDS.value(), configured.holdTimeoutMaxSeconds()}),
            this::encodeSettings);
        LOG.info("hold policies from the configuration: at most {} holds open per account (was {}), hold timeouts " +
            "of at most {} s (was {}; 0 = no limit)", configured.holdsPerAccountMax(), holdsWas,
            configured.holdTimeoutMaxSeconds(), timeoutWas);
        return true;
    }

    /**
     * Encodes up to one batch of entries into {@link #request}.
     */
    @FunctionalInterface
    private interface BatchEncoder
    {
        int encode(List<long[]> entries);
    }

    private void send(final String what, final List<long[]> entries, final BatchEncoder encoder)
    {
        for (int from = 0; from < entries.size(); from += batchEventsMax)
        {
            final List<long[]> batch = entries.subList(from, Math.min(entries.size(), from + batchEventsMax));
            final UnsafeBuffer response = call(encoder.encode(batch));
            final CommandResultsResponseDecoder results = new CommandResultsResponseDecoder()
                .wrapAndApplyHeader(response, 0, new MessageHeaderDecoder());
            for (final CommandResultsResponseDecoder.ResultsDecoder result : results.results())
            {
                throw new IllegalStateException("the ledger refused " + what + " entry " +
                    Arrays.toString(batch.get(result.index())) + ": " + result.result());
            }
        }
    }

    private int encodeFees(final List<long[]> entries)
    {
        final SetFeesEncoder encoder = new SetFeesEncoder().wrapAndApplyHeader(request, 0, header)
            .correlationId(++correlationId);
        final SetFeesEncoder.FeesEncoder group = encoder.feesCount(entries.size());
        for (final long[] e : entries)
        {
            group.next().transferCode((int)e[0]).currency((int)e[1]).fixedAmount(e[2]).basisPoints(e[3]).minimum(e[4])
                .maximum(e[5]).feeAccountId(e[6]);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int encodeThresholds(final List<long[]> entries)
    {
        final SetReviewThresholdsEncoder encoder = new SetReviewThresholdsEncoder().wrapAndApplyHeader(request, 0, header)
            .correlationId(++correlationId);
        final SetReviewThresholdsEncoder.ThresholdsEncoder group = encoder.thresholdsCount(entries.size());
        for (final long[] e : entries)
        {
            group.next().currency((int)e[0]).threshold(e[1]);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int encodeCodeLimits(final List<long[]> entries)
    {
        final SetCodeLimitsEncoder encoder = new SetCodeLimitsEncoder().wrapAndApplyHeader(request, 0, header)
            .correlationId(++correlationId);
        final SetCodeLimitsEncoder.LimitsEncoder group = encoder.limitsCount(entries.size());
        for (final long[] e : entries)
        {
            group.next().code((int)e[0]).transferAmountLimit(e[1]).dailyDebitLimit(e[2]).velocityDebitLimit(e[3])
                .velocityWindowSeconds(e[4]);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int encodeSettings(final List<long[]> entries)
    {
        final SetPolicySettingsEncoder encoder = new SetPolicySettingsEncoder().wrapAndApplyHeader(request, 0, header)
            .correlationId(++correlationId);
        final SetPolicySettingsEncoder.SettingsEncoder group = encoder.settingsCount(entries.size());
        for (final long[] e : entries)
        {
            group.next().setting(PolicySetting.get((int)e[0])).value(e[1]);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * Submits the request in {@link #request} and waits for its response, retrying while the ring is full.
     *
     * @return a copy of the response.
     */
    private UnsafeBuffer call(final int length)
    {
        final CompletableFuture<UnsafeBuffer> reply = new CompletableFuture<>();
        final long deadline = System.nanoTime() + REPLY_TIMEOUT.toNanos();
        while (true)
        {
            final Submission submission = node.submit(request, 0, length, (response, offset, responseLength) ->
            {
                final byte[] copy = new byte[responseLength];
                response.getBytes(offset, copy);
                reply.complete(new UnsafeBuffer(copy));
            });
            if (submission == Submission.ACCEPTED)
            {
                break;
            }
            if (submission == Submission.CLOSED || System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the ledger did not take the policy configuration: " + submission);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        try
        {
            final UnsafeBuffer response = reply.get(REPLY_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(response, 0);
            if (header.templateId() == ErrorResponseDecoder.TEMPLATE_ID)
            {
                final ErrorResponseDecoder error = new ErrorResponseDecoder().wrapAndApplyHeader(response, 0, header);
                throw new IllegalStateException("the ledger refused the policy configuration: " + error.code() + " " +
                    error.message());
            }
            return response;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while applying the policy configuration", ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException("the ledger did not answer while applying the policy configuration", ex);
        }
    }
}
