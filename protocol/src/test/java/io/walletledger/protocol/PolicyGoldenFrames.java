package io.walletledger.protocol;

import io.walletledger.protocol.sbe.AccountAction;
import io.walletledger.protocol.sbe.AccountCommandsEncoder;
import io.walletledger.protocol.sbe.CommandResultsResponseEncoder;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.LookupPoliciesEncoder;
import io.walletledger.protocol.sbe.LookupPoliciesResponseEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.PolicySetting;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.ReviewDecision;
import io.walletledger.protocol.sbe.ReviewTransfersEncoder;
import io.walletledger.protocol.sbe.SetAccountLimitsEncoder;
import io.walletledger.protocol.sbe.SetCodeLimitsEncoder;
import io.walletledger.protocol.sbe.SetFeesEncoder;
import io.walletledger.protocol.sbe.SetPolicySettingsEncoder;
import io.walletledger.protocol.sbe.SetReviewThresholdsEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * The golden frames of the policy templates that version 2 of the schema added (ids 10 to 19), for
 * {@link GoldenFileWriter}: each method encodes one message, with every field set, at
 * {@link FrameDescriptor#MESSAGE_OFFSET} of a zeroed buffer and returns its length (header and body). Every value
 * is also spelled out in {@link PolicyGoldenFileV2Test}; change neither without the other.
 */
final class PolicyGoldenFrames
{
    private final MessageHeaderEncoder header;

    PolicyGoldenFrames(final MessageHeaderEncoder header)
    {
        this.header = header;
    }

    /** Every result code of version 2 that a policy command or a review decision can get, one each. */
    int commandResultsResponse(final MutableDirectBuffer buffer)
    {
        final CommandResultsResponseEncoder encoder = new CommandResultsResponseEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x0A0A_0B0B_0C0C_0D0DL);

        final CommandResultsResponseEncoder.ResultsEncoder results = encoder.resultsCount(19);
        results.next().index(0).result(ResultCode.PENDING_TRANSFER_NOT_UNDER_REVIEW);
        results.next().index(1).result(ResultCode.ACCOUNT_NOT_FOUND);
        results.next().index(2).result(ResultCode.ACCOUNT_CLOSED);
        results.next().index(3).result(ResultCode.ACCOUNT_BALANCE_NOT_ZERO);
        results.next().index(0x0010).result(ResultCode.ACCOUNT_HAS_PENDING_TRANSFERS);
        results.next().index(0x0020).result(ResultCode.ACTION_UNKNOWN);
        results.next().index(0x0040).result(ResultCode.FREEZE_SCOPE_INVALID);
        results.next().index(0x0080).result(ResultCode.LIMIT_MUST_NOT_BE_NEGATIVE);
        results.next().index(0x0100).result(ResultCode.VELOCITY_LIMIT_TOO_LARGE);
        results.next().index(0x0200).result(ResultCode.VELOCITY_WINDOW_MUST_NOT_BE_ZERO);
        results.next().index(0x0400).result(ResultCode.LIMITED_ACCOUNTS_FULL);
        results.next().index(0x0800).result(ResultCode.FEE_MUST_NOT_BE_NEGATIVE);
        results.next().index(0x1000).result(ResultCode.FEE_BASIS_POINTS_TOO_LARGE);
        results.next().index(8189).result(ResultCode.FEE_MINIMUM_EXCEEDS_MAXIMUM);
        results.next().index(8190).result(ResultCode.POLICY_TABLE_FULL);
        results.next().index(0x4000).result(ResultCode.SETTING_UNKNOWN);
        results.next().index(0x8000).result(ResultCode.SETTING_OUT_OF_RANGE);
        results.next().index(0xFFFE).result(ResultCode.DECISION_UNKNOWN);
        results.next().index(0xFFFF).result(ResultCode.THRESHOLD_MUST_NOT_BE_NEGATIVE);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int accountCommands(final MutableDirectBuffer buffer)
    {
        final AccountCommandsEncoder encoder = new AccountCommandsEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x1111_0000_0000_0011L);

        final AccountCommandsEncoder.CommandsEncoder commands = encoder.commandsCount(4);
        commands.next().accountId(0x8000_0000_0000_0001L).action(AccountAction.FREEZE).freezeScope(FreezeScope.DEBITS);
        commands.next().accountId(0xFFFF_FFFF_FFFF_FFFEL).action(AccountAction.FREEZE).freezeScope(FreezeScope.ALL);
        commands.next().accountId(0x0123_4567_89AB_CDEFL).action(AccountAction.UNFREEZE).freezeScope(FreezeScope.NONE);
        commands.next().accountId(1L).action(AccountAction.CLOSE).freezeScope(FreezeScope.NONE);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int setAccountLimits(final MutableDirectBuffer buffer)
    {
        final SetAccountLimitsEncoder encoder = new SetAccountLimitsEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x1212_0000_0000_0012L);

        final SetAccountLimitsEncoder.LimitsEncoder limits = encoder.limitsCount(3);
        limits.next()
            .accountId(0x8000_0000_0000_0001L)
            .transferAmountLimit(0x1111_2222_3333_4444L)
            .dailyDebitLimit(Long.MAX_VALUE)
            .velocityDebitLimit(1024L)
            .velocityWindowSeconds(86_400L);
        limits.next()
            .accountId(0xFFFF_FFFF_FFFF_FFFEL)
            .transferAmountLimit(1L)
            .dailyDebitLimit(0x0FFF_FFFF_FFFF_FFFFL)
            .velocityDebitLimit(0xFFFF_FFFEL)
            .velocityWindowSeconds(0x8000_0001L);
        // All 0: the account keeps its record but has no limit.
        limits.next()
            .accountId(0x0123_4567_89AB_CDEFL)
            .transferAmountLimit(0L)
            .dailyDebitLimit(0L)
            .velocityDebitLimit(0L)
            .velocityWindowSeconds(0L);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int setCodeLimits(final MutableDirectBuffer buffer)
    {
        final SetCodeLimitsEncoder encoder = new SetCodeLimitsEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x1313_0000_0000_0013L);

        final SetCodeLimitsEncoder.LimitsEncoder limits = encoder.limitsCount(2);
        limits.next()
            .code(65534)
            .transferAmountLimit(0x2222_3333_4444_5555L)
            .dailyDebitLimit(0x0000_0100_0000_0000L)
            .velocityDebitLimit(16L)
            .velocityWindowSeconds(60L);
        limits.next()
            .code(1)
            .transferAmountLimit(500_000L)
            .dailyDebitLimit(2_000_000L)
            .velocityDebitLimit(3L)
            .velocityWindowSeconds(0xFFFF_FFFEL);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int setFees(final MutableDirectBuffer buffer)
    {
        final SetFeesEncoder encoder = new SetFeesEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x1414_0000_0000_0014L);

        final SetFeesEncoder.FeesEncoder fees = encoder.feesCount(3);
        fees.next()
            .transferCode(65534)
            .currency(840)
            .fixedAmount(50L)
            .basisPoints(10_000L)
            .minimum(100L)
            .maximum(Long.MAX_VALUE)
            .feeAccountId(0xFEE0_0000_0000_0001L);
        fees.next()
            .transferCode(1)
            .currency(392)
            .fixedAmount(0L)
            .basisPoints(25L)
            .minimum(1L)
            .maximum(0L)
            .feeAccountId(0xFEE0_0000_0000_0002L);
        // Fee account 0 removes the entry.
        fees.next()
            .transferCode(0xABCD)
            .currency(1001)
            .fixedAmount(0x0000_0000_7FFF_FFFFL)
            .basisPoints(9_999L)
            .minimum(0x0000_7FFF_FFFF_FFFFL)
            .maximum(0x0000_8000_0000_0000L)
            .feeAccountId(0L);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int setReviewThresholds(final MutableDirectBuffer buffer)
    {
        final SetReviewThresholdsEncoder encoder = new SetReviewThresholdsEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x1515_0000_0000_0015L);

        final SetReviewThresholdsEncoder.ThresholdsEncoder thresholds = encoder.thresholdsCount(3);
        thresholds.next().currency(840).threshold(100_000_000L);
        thresholds.next().currency(392).threshold(Long.MAX_VALUE);
        thresholds.next().currency(1001).threshold(0L);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int reviewTransfers(final MutableDirectBuffer buffer)
    {
        final ReviewTransfersEncoder encoder = new ReviewTransfersEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x1616_0000_0000_0016L);

        final ReviewTransfersEncoder.DecisionsEncoder decisions = encoder.decisionsCount(2);
        decisions.next();
        decisions.id().lo(0x5152_5354_5556_5758L).hi(0xD1D2_D3D4_D5D6_D7D8L);
        decisions.pendingId().lo(0x0A0B_0C0D_0E0F_1011L).hi(0x2000_0000_0000_0000L);
        decisions.decision(ReviewDecision.APPROVE);
        decisions.next();
        decisions.id().lo(0xFFFF_FFFF_FFFF_FFFFL).hi(0xFFFF_FFFF_FFFF_FFFEL);
        decisions.pendingId().lo(0x0000_0000_0000_0001L).hi(0L);
        decisions.decision(ReviewDecision.REJECT);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int setPolicySettings(final MutableDirectBuffer buffer)
    {
        final SetPolicySettingsEncoder encoder = new SetPolicySettingsEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x1717_0000_0000_0017L);

        final SetPolicySettingsEncoder.SettingsEncoder settings = encoder.settingsCount(2);
        settings.next().setting(PolicySetting.DAY_START_SECONDS).value(86_399L);
        settings.next().setting(PolicySetting.CONFIG_DIGEST).value(0x8000_0000_0000_0001L);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /** The one ignored entry, as every client sends it. */
    int lookupPolicies(final MutableDirectBuffer buffer)
    {
        final LookupPoliciesEncoder encoder = new LookupPoliciesEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x1818_0000_0000_0018L);

        encoder.sectionsCount(1).next().reserved((short)0);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /** Three groups of different lengths, so a decoder that mixes them up fails. */
    int lookupPoliciesResponse(final MutableDirectBuffer buffer)
    {
        final LookupPoliciesResponseEncoder encoder = new LookupPoliciesResponseEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x1818_0000_0000_0018L)
            .dayStartSeconds(86_399L)
            .configDigest(0x8000_0000_0000_0001L);

        final LookupPoliciesResponseEncoder.FeesEncoder fees = encoder.feesCount(3);
        fees.next()
            .transferCode(65534)
            .currency(840)
            .fixedAmount(50L)
            .basisPoints(10_000L)
            .minimum(100L)
            .maximum(Long.MAX_VALUE)
            .feeAccountId(0xFEE0_0000_0000_0001L);
        fees.next()
            .transferCode(1)
            .currency(392)
            .fixedAmount(0L)
            .basisPoints(25L)
            .minimum(1L)
            .maximum(0L)
            .feeAccountId(0xFEE0_0000_0000_0002L);
        fees.next()
            .transferCode(0xABCD)
            .currency(1001)
            .fixedAmount(0x0000_0000_7FFF_FFFFL)
            .basisPoints(1L)
            .minimum(0x0000_7FFF_FFFF_FFFFL)
            .maximum(0x0000_8000_0000_0000L)
            .feeAccountId(0x0000_0000_0000_0FEEL);

        encoder.thresholdsCount(1).next().currency(840).threshold(100_000_000L);

        final LookupPoliciesResponseEncoder.CodeLimitsEncoder codeLimits = encoder.codeLimitsCount(2);
        codeLimits.next()
            .code(1)
            .transferAmountLimit(500_000L)
            .dailyDebitLimit(2_000_000L)
            .velocityDebitLimit(3L)
            .velocityWindowSeconds(0xFFFF_FFFEL);
        codeLimits.next()
            .code(65534)
            .transferAmountLimit(0x2222_3333_4444_5555L)
            .dailyDebitLimit(0x0000_0100_0000_0000L)
            .velocityDebitLimit(16L)
            .velocityWindowSeconds(60L);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
