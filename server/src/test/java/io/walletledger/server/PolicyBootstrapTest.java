package io.walletledger.server;

import io.walletledger.server.node.LedgerNode;
import io.walletledger.config.WalletSettings;
import io.walletledger.protocol.sbe.LookupPoliciesEncoder;
import io.walletledger.protocol.sbe.LookupPoliciesResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.SetFeesEncoder;
import io.walletledger.protocol.sbe.PolicySetting;
import io.walletledger.protocol.sbe.SetPolicySettingsEncoder;
import io.walletledger.protocol.Submission;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The policies of {@code wallet.policies} reach the ledger at start-up as journaled commands, only when the
 * configuration changed, and replace what was set at run time only then.
 */
class PolicyBootstrapTest
{
    private static final int USD = 840;
    private static final int EUR = 978;

    @TempDir
    Path data;

    private WalletSettings settings(final Map<String, Object> policies)
    {
        final Map<String, Object> overrides = new HashMap<>(Map.of(
            "wallet.data-dir", data.toString(),
            "wallet.server.port", 0,
            "wallet.server.http-port", 0,
            "wallet.security.mode", "development",
            "wallet.ledger.accounts-max", 1024,
            "wallet.ledger.idempotency-window", 4096,
            "wallet.ledger.pending-transfers-max", 1024,
            "wallet.ledger.batch-events-max", 2));
        overrides.putAll(policies);
        return WalletSettings.load().withOverrides(overrides);
    }

    private static Map<String, Object> fee(final String currency, final long fixed, final long account)
    {
        return Map.of("transfer-code", 1, "currency", currency, "fixed-amount", fixed, "basis-points", 0,
            "minimum", 0, "maximum", 0, "fee-account", account);
    }

    private static Map<String, Object> policies(final List<Map<String, Object>> fees, final String dayStart)
    {
        return Map.of(
            "wallet.policies.fees", fees,
            "wallet.policies.day-start", dayStart,
            "wallet.policies.review-thresholds", List.of(Map.of("currency", "USD", "threshold", 5_000)),
            "wallet.policies.code-limits", List.of(Map.of("code", 3, "transfer-amount-limit", 10,
                "daily-debit-limit", 0, "velocity-debit-limit", 2, "velocity-window", "30 s")));
    }

    @Test
    void appliesTheConfigurationOnceAndKeepsRunTimeChangesUntilItChanges() throws Exception
    {
        // Three fees: more than one batch of two.
        final Map<String, Object> configured =
            policies(List.of(fee("USD", 5, 9), fee("EUR", 6, 9), fee("GBP", 7, 9)), "01:30");
        final long firstSequence;
        final long digest;
        try (WalletServer server = WalletServer.start(settings(configured)))
        {
            final LookupPoliciesResponseDecoder policies = lookupPolicies(server.node());
            digest = policies.configDigest();
            assertNotEquals(0, digest);
            assertEquals(5400, policies.dayStartSeconds());
            // Groups are read in order: walk the fees before the thresholds.
            int fees = 0;
            for (final LookupPoliciesResponseDecoder.FeesDecoder fee : policies.fees())
            {
                assertEquals(9, fee.feeAccountId());
                fees++;
            }
            assertEquals(3, fees);
            final LookupPoliciesResponseDecoder.ThresholdsDecoder thresholds = policies.thresholds();
            assertEquals(1, thresholds.count());
            assertEquals(5_000, thresholds.next().threshold());
            final LookupPoliciesResponseDecoder.CodeLimitsDecoder codeLimits = policies.codeLimits();
            assertEquals(1, codeLimits.count());
            assertEquals(30, codeLimits.next().velocityWindowSeconds());

            // A run-time change by command.
            setFee(server.node(), 2, USD, 11, 9);
            firstSequence = server.node().appliedSequence();
        }

        try (WalletServer server = WalletServer.start(settings(configured)))
        {
            assertEquals(firstSequence, server.node().appliedSequence(), "nothing journaled for an unchanged config");
            final LookupPoliciesResponseDecoder policies = lookupPolicies(server.node());
            assertEquals(digest, policies.configDigest());
            assertEquals(4, policies.fees().count(), "the run-time fee survives the restart");
        }

        final Map<String, Object> changed = policies(List.of(fee("EUR", 8, 9)), "00:00");
        try (WalletServer server = WalletServer.start(settings(changed)))
        {
            final LookupPoliciesResponseDecoder policies = lookupPolicies(server.node());
            assertNotEquals(digest, policies.configDigest());
            assertEquals(0, policies.dayStartSeconds());
            final List<Long> fees = new ArrayList<>();
            for (final LookupPoliciesResponseDecoder.FeesDecoder fee : policies.fees())
            {
                fees.add((long)fee.currency());
                fees.add(fee.fixedAmount());
            }
            assertEquals(List.of((long)EUR, 8L), fees, "the configuration replaces every table when it changes");
        }
    }

    @Test
    void aStartThatDiedHalfWayThroughANewConfigurationIsNotMistakenForTheOldOne() throws Exception
    {
        final Map<String, Object> old = policies(List.of(fee("USD", 5, 9)), "01:30");
        final long oldDigest;
        final long before;
        try (WalletServer server = WalletServer.start(settings(old)))
        {
            oldDigest = lookupPolicies(server.node()).configDigest();
            before = server.node().appliedSequence();
        }
        // A start with a new configuration marks the digest "applying" before its first change.
        try (WalletServer server = WalletServer.start(settings(policies(List.of(fee("EUR", 6, 9)), "00:00"))))
        {
            assertNotEquals(oldDigest, lookupPolicies(server.node()).configDigest());
        }
        final List<Long> firstSetting = new ArrayList<>();
        try (io.walletledger.journal.JournalReader reader = io.walletledger.journal.JournalReader.open(
            data.resolve("journal")))
        {
            reader.replay(before + 1, (sequence, timestamp, templateId, command, offset, length, noteLength) ->
            {
                if (firstSetting.isEmpty())
                {
                    final io.walletledger.protocol.sbe.SetPolicySettingsDecoder settings =
                        new io.walletledger.protocol.sbe.SetPolicySettingsDecoder()
                            .wrapAndApplyHeader(command, offset, new MessageHeaderDecoder());
                    final io.walletledger.protocol.sbe.SetPolicySettingsDecoder.SettingsDecoder first =
                        settings.settings().next();
                    firstSetting.add((long)first.settingRaw());
                    firstSetting.add(first.value());
                }
            });
        }
        assertEquals(List.of((long)PolicySetting.CONFIG_DIGEST.value(), PolicyBootstrap.APPLYING), firstSetting);
        try (WalletServer server = WalletServer.start(settings(old)))
        {
            assertEquals(oldDigest, lookupPolicies(server.node()).configDigest());
        }
        // What a start with a new configuration journals before it dies: "applying", then its first change.
        try (WalletServer server = WalletServer.start(settings(old)))
        {
            final UnsafeBuffer request = new UnsafeBuffer(new byte[64]);
            final SetPolicySettingsEncoder applying = new SetPolicySettingsEncoder()
                .wrapAndApplyHeader(request, 0, new MessageHeaderEncoder()).correlationId(9);
            applying.settingsCount(1).next().setting(PolicySetting.CONFIG_DIGEST).value(PolicyBootstrap.APPLYING);
            call(server.node(), request, MessageHeaderEncoder.ENCODED_LENGTH + applying.encodedLength());
            setFee(server.node(), 1, USD, 99, 9);
        }
        // The operator goes back to the old configuration: its digest is not what the ledger holds, so it is applied.
        try (WalletServer server = WalletServer.start(settings(old)))
        {
            final LookupPoliciesResponseDecoder policies = lookupPolicies(server.node());
            assertEquals(oldDigest, policies.configDigest());
            final LookupPoliciesResponseDecoder.FeesDecoder fees = policies.fees();
            assertEquals(1, fees.count());
            assertEquals(5, fees.next().fixedAmount(), "the half-applied fee is gone");
        }
    }

    @Test
    void aServerWithoutPoliciesJournalsNothingForThem()
    {
        try (WalletServer server = WalletServer.start(settings(Map.of("wallet.policies.holds-per-account-max", 0))))
        {
            assertEquals(0, server.node().appliedSequence());
            assertEquals(0, lookupPolicies(server.node()).configDigest());
        }
    }

    @Test
    void theHoldPoliciesFollowTheConfigurationAtEveryStartOutsideTheDigest()
    {
        long sequence;
        try (WalletServer server = WalletServer.start(settings(Map.of())))
        {
            sequence = server.node().appliedSequence();
            assertEquals(1, sequence, "the default limit of open holds per account, journaled once");
            final LookupPoliciesResponseDecoder policies = lookupPolicies(server.node());
            assertEquals(10_000, policies.holdsPerAccountMax());
            assertEquals(0, policies.holdTimeoutMaxSeconds());
            assertEquals(0, policies.configDigest(), "no table configured: the digest is a new ledger's");
        }
        try (WalletServer server = WalletServer.start(settings(Map.of())))
        {
            assertEquals(sequence, server.node().appliedSequence(), "nothing journaled for unchanged hold policies");
        }
        try (WalletServer server = WalletServer.start(settings(Map.of("wallet.policies.holds-per-account-max", 5,
            "wallet.policies.hold-timeout-max", "7 days"))))
        {
            assertEquals(sequence + 1, server.node().appliedSequence());
            final LookupPoliciesResponseDecoder policies = lookupPolicies(server.node());
            assertEquals(5, policies.holdsPerAccountMax());
            assertEquals(7 * 86_400, policies.holdTimeoutMaxSeconds());
        }
    }

    @Test
    void refusesToStartWithAPolicyInAnUnknownCurrency()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> WalletServer.start(settings(Map.of("wallet.policies.fees", List.of(fee("XBT", 1, 9))))));
        assertTrue(ex.getMessage().contains("wallet.policies.fees names currency XBT"), ex.getMessage());
    }

    private static LookupPoliciesResponseDecoder lookupPolicies(final LedgerNode node)
    {
        final UnsafeBuffer request = new UnsafeBuffer(new byte[64]);
        final LookupPoliciesEncoder encoder = new LookupPoliciesEncoder()
            .wrapAndApplyHeader(request, 0, new MessageHeaderEncoder()).correlationId(7);
        encoder.sectionsCount(1).next().reserved((short)0);
        final UnsafeBuffer response = call(node, request, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        return new LookupPoliciesResponseDecoder().wrapAndApplyHeader(response, 0, new MessageHeaderDecoder());
    }

    private static void setFee(final LedgerNode node, final int code, final int currency, final long fixed, final long account)
    {
        final UnsafeBuffer request = new UnsafeBuffer(new byte[128]);
        final SetFeesEncoder encoder = new SetFeesEncoder()
            .wrapAndApplyHeader(request, 0, new MessageHeaderEncoder()).correlationId(8);
        encoder.feesCount(1).next().transferCode(code).currency(currency).fixedAmount(fixed).basisPoints(0).minimum(0)
            .maximum(0).feeAccountId(account);
        call(node, request, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static UnsafeBuffer call(final LedgerNode node, final UnsafeBuffer request, final int length)
    {
        final CompletableFuture<UnsafeBuffer> reply = new CompletableFuture<>();
        assertEquals(Submission.ACCEPTED, node.submit(request, 0, length, (response, offset, responseLength) ->
        {
            final byte[] copy = new byte[responseLength];
            response.getBytes(offset, copy);
            reply.complete(new UnsafeBuffer(copy));
        }));
        try
        {
            return reply.get(10, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new AssertionError("no reply", ex);
        }
    }
}
