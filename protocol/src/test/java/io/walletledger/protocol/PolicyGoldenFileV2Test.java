package io.walletledger.protocol;

import io.walletledger.protocol.sbe.AccountAction;
import io.walletledger.protocol.sbe.AccountCommandsDecoder;
import io.walletledger.protocol.sbe.CommandResultsResponseDecoder;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.LookupPoliciesDecoder;
import io.walletledger.protocol.sbe.LookupPoliciesResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.PolicySetting;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.ReviewDecision;
import io.walletledger.protocol.sbe.ReviewTransfersDecoder;
import io.walletledger.protocol.sbe.SetAccountLimitsDecoder;
import io.walletledger.protocol.sbe.SetCodeLimitsDecoder;
import io.walletledger.protocol.sbe.SetFeesDecoder;
import io.walletledger.protocol.sbe.SetPolicySettingsDecoder;
import io.walletledger.protocol.sbe.SetReviewThresholdsDecoder;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import static io.walletledger.protocol.GoldenFrames.assertUInt128;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Decodes the checked-in version 2 frames of the policy templates (ids 10 to 19) with the codecs generated from
 * today's schema and checks every value by hand, enum values by their number too. A later schema change that would
 * break a version 2 client makes this test fail; the fix is to undo the change, never to rewrite the files. The
 * values are the ones {@link PolicyGoldenFrames} wrote, spelled out here on purpose.
 */
final class PolicyGoldenFileV2Test
{
    private static final int VERSION_V2 = 2;
    private static final int ROOT_BLOCK_LENGTH = 8;
    private static final int LOOKUP_POLICIES_RESPONSE_ROOT_BLOCK_LENGTH = 20;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    @Test
    void decodesCommandResultsResponseWithEveryCommandResultCodeOfVersionTwo()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "CommandResultsResponse");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 10, VERSION_V2);

        final CommandResultsResponseDecoder decoder = new CommandResultsResponseDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x0A0A_0B0B_0C0C_0D0DL, decoder.correlationId());

        final CommandResultsResponseDecoder.ResultsDecoder results = decoder.results();
        assertEquals(19, results.count());
        assertEquals(4, results.actingBlockLength());

        assertNextResult(results, 0, 65, ResultCode.PENDING_TRANSFER_NOT_UNDER_REVIEW);
        assertNextResult(results, 1, 70, ResultCode.ACCOUNT_NOT_FOUND);
        assertNextResult(results, 2, 71, ResultCode.ACCOUNT_CLOSED);
        assertNextResult(results, 3, 72, ResultCode.ACCOUNT_BALANCE_NOT_ZERO);
        assertNextResult(results, 0x0010, 73, ResultCode.ACCOUNT_HAS_PENDING_TRANSFERS);
        assertNextResult(results, 0x0020, 74, ResultCode.ACTION_UNKNOWN);
        assertNextResult(results, 0x0040, 75, ResultCode.FREEZE_SCOPE_INVALID);
        assertNextResult(results, 0x0080, 76, ResultCode.LIMIT_MUST_NOT_BE_NEGATIVE);
        assertNextResult(results, 0x0100, 77, ResultCode.VELOCITY_LIMIT_TOO_LARGE);
        assertNextResult(results, 0x0200, 78, ResultCode.VELOCITY_WINDOW_MUST_NOT_BE_ZERO);
        assertNextResult(results, 0x0400, 79, ResultCode.LIMITED_ACCOUNTS_FULL);
        assertNextResult(results, 0x0800, 80, ResultCode.FEE_MUST_NOT_BE_NEGATIVE);
        assertNextResult(results, 0x1000, 81, ResultCode.FEE_BASIS_POINTS_TOO_LARGE);
        assertNextResult(results, 8189, 82, ResultCode.FEE_MINIMUM_EXCEEDS_MAXIMUM);
        assertNextResult(results, 8190, 83, ResultCode.POLICY_TABLE_FULL);
        assertNextResult(results, 0x4000, 84, ResultCode.SETTING_UNKNOWN);
        assertNextResult(results, 0x8000, 85, ResultCode.SETTING_OUT_OF_RANGE);
        assertNextResult(results, 0xFFFE, 86, ResultCode.DECISION_UNKNOWN);
        assertNextResult(results, 0xFFFF, 87, ResultCode.THRESHOLD_MUST_NOT_BE_NEGATIVE);

        assertFalse(results.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesAccountCommands()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "AccountCommands");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 11, VERSION_V2);

        final AccountCommandsDecoder decoder = new AccountCommandsDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x1111_0000_0000_0011L, decoder.correlationId());

        final AccountCommandsDecoder.CommandsDecoder commands = decoder.commands();
        assertEquals(4, commands.count());
        assertEquals(10, commands.actingBlockLength());

        assertNextCommand(commands, 0x8000_0000_0000_0001L, AccountAction.FREEZE, 1, FreezeScope.DEBITS, 1);
        assertNextCommand(commands, 0xFFFF_FFFF_FFFF_FFFEL, AccountAction.FREEZE, 1, FreezeScope.ALL, 2);
        assertNextCommand(commands, 0x0123_4567_89AB_CDEFL, AccountAction.UNFREEZE, 2, FreezeScope.NONE, 0);
        assertNextCommand(commands, 1L, AccountAction.CLOSE, 3, FreezeScope.NONE, 0);

        assertFalse(commands.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesSetAccountLimits()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "SetAccountLimits");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 12, VERSION_V2);

        final SetAccountLimitsDecoder decoder = new SetAccountLimitsDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x1212_0000_0000_0012L, decoder.correlationId());

        final SetAccountLimitsDecoder.LimitsDecoder limits = decoder.limits();
        assertEquals(3, limits.count());
        assertEquals(32, limits.actingBlockLength());

        limits.next();
        assertEquals(0x8000_0000_0000_0001L, limits.accountId());
        assertEquals(0x1111_2222_3333_4444L, limits.transferAmountLimit());
        assertEquals(Long.MAX_VALUE, limits.dailyDebitLimit());
        assertEquals(1024L, limits.velocityDebitLimit());
        assertEquals(86_400L, limits.velocityWindowSeconds());

        limits.next();
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, limits.accountId());
        assertEquals(1L, limits.transferAmountLimit());
        assertEquals(0x0FFF_FFFF_FFFF_FFFFL, limits.dailyDebitLimit());
        assertEquals(0xFFFF_FFFEL, limits.velocityDebitLimit());
        assertEquals(0x8000_0001L, limits.velocityWindowSeconds());

        limits.next();
        assertEquals(0x0123_4567_89AB_CDEFL, limits.accountId());
        assertEquals(0L, limits.transferAmountLimit());
        assertEquals(0L, limits.dailyDebitLimit());
        assertEquals(0L, limits.velocityDebitLimit());
        assertEquals(0L, limits.velocityWindowSeconds());

        assertFalse(limits.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesSetCodeLimits()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "SetCodeLimits");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 13, VERSION_V2);

        final SetCodeLimitsDecoder decoder = new SetCodeLimitsDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x1313_0000_0000_0013L, decoder.correlationId());

        final SetCodeLimitsDecoder.LimitsDecoder limits = decoder.limits();
        assertEquals(2, limits.count());
        assertEquals(26, limits.actingBlockLength());

        limits.next();
        assertEquals(65534, limits.code());
        assertEquals(0x2222_3333_4444_5555L, limits.transferAmountLimit());
        assertEquals(0x0000_0100_0000_0000L, limits.dailyDebitLimit());
        assertEquals(16L, limits.velocityDebitLimit());
        assertEquals(60L, limits.velocityWindowSeconds());

        limits.next();
        assertEquals(1, limits.code());
        assertEquals(500_000L, limits.transferAmountLimit());
        assertEquals(2_000_000L, limits.dailyDebitLimit());
        assertEquals(3L, limits.velocityDebitLimit());
        assertEquals(0xFFFF_FFFEL, limits.velocityWindowSeconds());

        assertFalse(limits.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesSetFees()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "SetFees");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 14, VERSION_V2);

        final SetFeesDecoder decoder = new SetFeesDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x1414_0000_0000_0014L, decoder.correlationId());

        final SetFeesDecoder.FeesDecoder fees = decoder.fees();
        assertEquals(3, fees.count());
        assertEquals(40, fees.actingBlockLength());

        fees.next();
        assertEquals(65534, fees.transferCode());
        assertEquals(840, fees.currency());
        assertEquals(50L, fees.fixedAmount());
        assertEquals(10_000L, fees.basisPoints());
        assertEquals(100L, fees.minimum());
        assertEquals(Long.MAX_VALUE, fees.maximum());
        assertEquals(0xFEE0_0000_0000_0001L, fees.feeAccountId());

        fees.next();
        assertEquals(1, fees.transferCode());
        assertEquals(392, fees.currency());
        assertEquals(0L, fees.fixedAmount());
        assertEquals(25L, fees.basisPoints());
        assertEquals(1L, fees.minimum());
        assertEquals(0L, fees.maximum());
        assertEquals(0xFEE0_0000_0000_0002L, fees.feeAccountId());

        fees.next();
        assertEquals(0xABCD, fees.transferCode());
        assertEquals(1001, fees.currency());
        assertEquals(0x0000_0000_7FFF_FFFFL, fees.fixedAmount());
        assertEquals(9_999L, fees.basisPoints());
        assertEquals(0x0000_7FFF_FFFF_FFFFL, fees.minimum());
        assertEquals(0x0000_8000_0000_0000L, fees.maximum());
        assertEquals(0L, fees.feeAccountId());

        assertFalse(fees.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesSetReviewThresholds()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "SetReviewThresholds");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 15, VERSION_V2);

        final SetReviewThresholdsDecoder decoder = new SetReviewThresholdsDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x1515_0000_0000_0015L, decoder.correlationId());

        final SetReviewThresholdsDecoder.ThresholdsDecoder thresholds = decoder.thresholds();
        assertEquals(3, thresholds.count());
        assertEquals(10, thresholds.actingBlockLength());

        thresholds.next();
        assertEquals(840, thresholds.currency());
        assertEquals(100_000_000L, thresholds.threshold());
        thresholds.next();
        assertEquals(392, thresholds.currency());
        assertEquals(Long.MAX_VALUE, thresholds.threshold());
        thresholds.next();
        assertEquals(1001, thresholds.currency());
        assertEquals(0L, thresholds.threshold());

        assertFalse(thresholds.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesReviewTransfers()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "ReviewTransfers");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 16, VERSION_V2);

        final ReviewTransfersDecoder decoder = new ReviewTransfersDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x1616_0000_0000_0016L, decoder.correlationId());

        final ReviewTransfersDecoder.DecisionsDecoder decisions = decoder.decisions();
        assertEquals(2, decisions.count());
        assertEquals(33, decisions.actingBlockLength());

        decisions.next();
        assertUInt128(decisions.id(), 0x5152_5354_5556_5758L, 0xD1D2_D3D4_D5D6_D7D8L);
        assertUInt128(decisions.pendingId(), 0x0A0B_0C0D_0E0F_1011L, 0x2000_0000_0000_0000L);
        assertEquals(1, decisions.decisionRaw(), "APPROVE");
        assertEquals(ReviewDecision.APPROVE, decisions.decision());

        decisions.next();
        assertUInt128(decisions.id(), 0xFFFF_FFFF_FFFF_FFFFL, 0xFFFF_FFFF_FFFF_FFFEL);
        assertUInt128(decisions.pendingId(), 0x0000_0000_0000_0001L, 0L);
        assertEquals(2, decisions.decisionRaw(), "REJECT");
        assertEquals(ReviewDecision.REJECT, decisions.decision());

        assertFalse(decisions.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesSetPolicySettings()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "SetPolicySettings");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 17, VERSION_V2);

        final SetPolicySettingsDecoder decoder = new SetPolicySettingsDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x1717_0000_0000_0017L, decoder.correlationId());

        final SetPolicySettingsDecoder.SettingsDecoder settings = decoder.settings();
        assertEquals(2, settings.count());
        assertEquals(10, settings.actingBlockLength());

        settings.next();
        assertEquals(1, settings.settingRaw(), "DAY_START_SECONDS");
        assertEquals(PolicySetting.DAY_START_SECONDS, settings.setting());
        assertEquals(86_399L, settings.value());

        settings.next();
        assertEquals(2, settings.settingRaw(), "CONFIG_DIGEST");
        assertEquals(PolicySetting.CONFIG_DIGEST, settings.setting());
        assertEquals(0x8000_0000_0000_0001L, settings.value());

        assertFalse(settings.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesLookupPolicies()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "LookupPolicies");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 18, VERSION_V2);

        final LookupPoliciesDecoder decoder = new LookupPoliciesDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x1818_0000_0000_0018L, decoder.correlationId());

        final LookupPoliciesDecoder.SectionsDecoder sections = decoder.sections();
        assertEquals(1, sections.count());
        assertEquals(1, sections.actingBlockLength());
        assertEquals(0, sections.next().reserved());

        assertFalse(sections.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesLookupPoliciesResponse()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "LookupPoliciesResponse");
        GoldenFrames.assertHeader(header, buffer, LOOKUP_POLICIES_RESPONSE_ROOT_BLOCK_LENGTH, 19, VERSION_V2);

        final LookupPoliciesResponseDecoder decoder = new LookupPoliciesResponseDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x1818_0000_0000_0018L, decoder.correlationId());
        assertEquals(86_399L, decoder.dayStartSeconds());
        assertEquals(0x8000_0000_0000_0001L, decoder.configDigest());

        final LookupPoliciesResponseDecoder.FeesDecoder fees = decoder.fees();
        assertEquals(3, fees.count());
        assertEquals(40, fees.actingBlockLength());

        fees.next();
        assertEquals(65534, fees.transferCode());
        assertEquals(840, fees.currency());
        assertEquals(50L, fees.fixedAmount());
        assertEquals(10_000L, fees.basisPoints());
        assertEquals(100L, fees.minimum());
        assertEquals(Long.MAX_VALUE, fees.maximum());
        assertEquals(0xFEE0_0000_0000_0001L, fees.feeAccountId());

        fees.next();
        assertEquals(1, fees.transferCode());
        assertEquals(392, fees.currency());
        assertEquals(0L, fees.fixedAmount());
        assertEquals(25L, fees.basisPoints());
        assertEquals(1L, fees.minimum());
        assertEquals(0L, fees.maximum());
        assertEquals(0xFEE0_0000_0000_0002L, fees.feeAccountId());

        fees.next();
        assertEquals(0xABCD, fees.transferCode());
        assertEquals(1001, fees.currency());
        assertEquals(0x0000_0000_7FFF_FFFFL, fees.fixedAmount());
        assertEquals(1L, fees.basisPoints());
        assertEquals(0x0000_7FFF_FFFF_FFFFL, fees.minimum());
        assertEquals(0x0000_8000_0000_0000L, fees.maximum());
        assertEquals(0x0000_0000_0000_0FEEL, fees.feeAccountId());
        assertFalse(fees.hasNext());

        final LookupPoliciesResponseDecoder.ThresholdsDecoder thresholds = decoder.thresholds();
        assertEquals(1, thresholds.count());
        assertEquals(10, thresholds.actingBlockLength());
        thresholds.next();
        assertEquals(840, thresholds.currency());
        assertEquals(100_000_000L, thresholds.threshold());
        assertFalse(thresholds.hasNext());

        final LookupPoliciesResponseDecoder.CodeLimitsDecoder codeLimits = decoder.codeLimits();
        assertEquals(2, codeLimits.count());
        assertEquals(26, codeLimits.actingBlockLength());

        codeLimits.next();
        assertEquals(1, codeLimits.code());
        assertEquals(500_000L, codeLimits.transferAmountLimit());
        assertEquals(2_000_000L, codeLimits.dailyDebitLimit());
        assertEquals(3L, codeLimits.velocityDebitLimit());
        assertEquals(0xFFFF_FFFEL, codeLimits.velocityWindowSeconds());

        codeLimits.next();
        assertEquals(65534, codeLimits.code());
        assertEquals(0x2222_3333_4444_5555L, codeLimits.transferAmountLimit());
        assertEquals(0x0000_0100_0000_0000L, codeLimits.dailyDebitLimit());
        assertEquals(16L, codeLimits.velocityDebitLimit());
        assertEquals(60L, codeLimits.velocityWindowSeconds());

        assertFalse(codeLimits.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    private static void assertNextResult(
        final CommandResultsResponseDecoder.ResultsDecoder results, final int index, final int value, final ResultCode code)
    {
        results.next();
        assertEquals(index, results.index(), "index");
        assertEquals(value, results.resultRaw(), code.name());
        assertEquals(code, results.result());
    }

    private static void assertNextCommand(
        final AccountCommandsDecoder.CommandsDecoder commands,
        final long accountId,
        final AccountAction action,
        final int actionValue,
        final FreezeScope freezeScope,
        final int freezeScopeValue)
    {
        commands.next();
        assertEquals(accountId, commands.accountId(), "accountId");
        assertEquals(actionValue, commands.actionRaw(), action.name());
        assertEquals(action, commands.action());
        assertEquals(freezeScopeValue, commands.freezeScopeRaw(), freezeScope.name());
        assertEquals(freezeScope, commands.freezeScope());
    }
}
