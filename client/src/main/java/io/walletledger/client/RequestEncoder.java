package io.walletledger.client;

import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.PortableBuffer;
import io.walletledger.protocol.sbe.AccountCommandsEncoder;
import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.GroupSizeEncodingEncoder;
import io.walletledger.protocol.sbe.HistoryOrder;
import io.walletledger.protocol.sbe.LookupAccountHistoryEncoder;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.LookupPoliciesEncoder;
import io.walletledger.protocol.sbe.LookupTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.PolicySetting;
import io.walletledger.protocol.sbe.ReviewTransfersEncoder;
import io.walletledger.protocol.sbe.SetAccountLimitsEncoder;
import io.walletledger.protocol.sbe.SetCodeLimitsEncoder;
import io.walletledger.protocol.sbe.SetFeesEncoder;
import io.walletledger.protocol.sbe.SetPolicySettingsEncoder;
import io.walletledger.protocol.sbe.SetReviewThresholdsEncoder;

import java.util.List;

/**
 * Turns a slice of a caller's request into one whole frame: the length field, then the SBE message. Each call
 * allocates its own flyweights and array, so callers on any thread may encode at once.
 */
final class RequestEncoder
{
    private static final int HEADER_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH;
    private static final int GROUP_HEADER_LENGTH = GroupSizeEncodingEncoder.ENCODED_LENGTH;

    private RequestEncoder()
    {
    }

    static byte[] createAccounts(final long correlationId, final List<Account> accounts, final int from, final int to)
    {
        final int count = to - from;
        final Frame frame = new Frame(CreateAccountsEncoder.BLOCK_LENGTH,
            count * CreateAccountsEncoder.AccountsEncoder.sbeBlockLength());
        final CreateAccountsEncoder.AccountsEncoder group = new CreateAccountsEncoder()
            .wrapAndApplyHeader(frame.buffer, FrameDescriptor.MESSAGE_OFFSET, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .accountsCount(count);
        for (int i = from; i < to; i++)
        {
            final Account account = accounts.get(i);
            group.next()
                .id(account.id())
                .userData(account.userData())
                .currency(account.currency())
                .code(account.code())
                .flags().clear()
                .linked(account.linked())
                .debitsMustNotExceedCredits(account.debitsMustNotExceedCredits())
                .creditsMustNotExceedDebits(account.creditsMustNotExceedDebits());
        }
        return frame.bytes;
    }

    static byte[] createTransfers(final long correlationId, final List<Transfer> transfers, final int from, final int to)
    {
        final int count = to - from;
        final Frame frame = new Frame(CreateTransfersEncoder.BLOCK_LENGTH,
            count * CreateTransfersEncoder.TransfersEncoder.sbeBlockLength());
        final CreateTransfersEncoder.TransfersEncoder group = new CreateTransfersEncoder()
            .wrapAndApplyHeader(frame.buffer, FrameDescriptor.MESSAGE_OFFSET, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .transfersCount(count);
        for (int i = from; i < to; i++)
        {
            final Transfer transfer = transfers.get(i);
            group.next();
            group.id().lo(transfer.id().lo()).hi(transfer.id().hi());
            group.debitAccountId(transfer.debitAccountId())
                .creditAccountId(transfer.creditAccountId())
                .amount(transfer.amount());
            group.pendingId().lo(transfer.pendingId().lo()).hi(transfer.pendingId().hi());
            group.userData128().lo(transfer.userData128Lo()).hi(transfer.userData128Hi());
            group.userData64(transfer.userData64())
                .userData32(Integer.toUnsignedLong(transfer.userData32()))
                .timeout(Integer.toUnsignedLong(transfer.timeoutSeconds()))
                .currency(transfer.currency())
                .code(transfer.code())
                .flags().clear()
                .linked(transfer.linked())
                .pending(transfer.pending())
                .postPending(transfer.postPending())
                .voidPending(transfer.voidPending());
        }
        return frame.bytes;
    }

    static byte[] lookupAccounts(final long correlationId, final long[] ids, final int from, final int to)
    {
        final int count = to - from;
        final Frame frame = new Frame(LookupAccountsEncoder.BLOCK_LENGTH,
            count * LookupAccountsEncoder.IdsEncoder.sbeBlockLength());
        final LookupAccountsEncoder.IdsEncoder group = new LookupAccountsEncoder()
            .wrapAndApplyHeader(frame.buffer, FrameDescriptor.MESSAGE_OFFSET, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .idsCount(count);
        for (int i = from; i < to; i++)
        {
            group.next().id(ids[i]);
        }
        return frame.bytes;
    }

    static byte[] lookupTransfers(final long correlationId, final TransferId[] ids, final int from, final int to)
    {
        final int count = to - from;
        final Frame frame = new Frame(LookupTransfersEncoder.BLOCK_LENGTH,
            count * LookupTransfersEncoder.IdsEncoder.sbeBlockLength());
        final LookupTransfersEncoder.IdsEncoder group = new LookupTransfersEncoder()
            .wrapAndApplyHeader(frame.buffer, FrameDescriptor.MESSAGE_OFFSET, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .idsCount(count);
        for (int i = from; i < to; i++)
        {
            group.next().id().lo(ids[i].lo()).hi(ids[i].hi());
        }
        return frame.bytes;
    }

    static byte[] accountCommands(
        final long correlationId, final List<AccountCommand> commands, final int from, final int to)
    {
        final int count = to - from;
        final Frame frame = new Frame(AccountCommandsEncoder.BLOCK_LENGTH,
            count * AccountCommandsEncoder.CommandsEncoder.sbeBlockLength());
        final AccountCommandsEncoder.CommandsEncoder group = new AccountCommandsEncoder()
            .wrapAndApplyHeader(frame.buffer, FrameDescriptor.MESSAGE_OFFSET, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .commandsCount(count);
        for (int i = from; i < to; i++)
        {
            final AccountCommand command = commands.get(i);
            group.next().accountId(command.accountId()).action(command.action()).freezeScope(command.freezeScope());
        }
        return frame.bytes;
    }

    static byte[] setAccountLimits(
        final long correlationId, final List<AccountLimits> limits, final int from, final int to)
    {
        final int count = to - from;
        final Frame frame = new Frame(SetAccountLimitsEncoder.BLOCK_LENGTH,
            count * SetAccountLimitsEncoder.LimitsEncoder.sbeBlockLength());
        final SetAccountLimitsEncoder.LimitsEncoder group = new SetAccountLimitsEncoder()
            .wrapAndApplyHeader(frame.buffer, FrameDescriptor.MESSAGE_OFFSET, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .limitsCount(count);
        for (int i = from; i < to; i++)
        {
            final Limits values = limits.get(i).limits();
            group.next()
                .accountId(limits.get(i).accountId())
                .transferAmountLimit(values.transferAmountLimit())
                .dailyDebitLimit(values.dailyDebitLimit())
                .velocityDebitLimit(Integer.toUnsignedLong(values.velocityDebitLimit()))
                .velocityWindowSeconds(Integer.toUnsignedLong(values.velocityWindowSeconds()));
        }
        return frame.bytes;
    }

    static byte[] setCodeLimits(final long correlationId, final List<CodeLimits> limits, final int from, final int to)
    {
        final int count = to - from;
        final Frame frame = new Frame(SetCodeLimitsEncoder.BLOCK_LENGTH,
            count * SetCodeLimitsEncoder.LimitsEncoder.sbeBlockLength());
        final SetCodeLimitsEncoder.LimitsEncoder group = new SetCodeLimitsEncoder()
            .wrapAndApplyHeader(frame.buffer, FrameDescriptor.MESSAGE_OFFSET, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .limitsCount(count);
        for (int i = from; i < to; i++)
        {
            final Limits values = limits.get(i).limits();
            group.next()
                .code(limits.get(i).code())
                .transferAmountLimit(values.transferAmountLimit())
                .dailyDebitLimit(values.dailyDebitLimit())
                .velocityDebitLimit(Integer.toUnsignedLong(values.velocityDebitLimit()))
                .velocityWindowSeconds(Integer.toUnsignedLong(values.velocityWindowSeconds()));
        }
        return frame.bytes;
    }

    static byte[] setFees(final long correlationId, final List<FeeSchedule> fees, final int from, final int to)
    {
        final int count = to - from;
        final Frame frame = new Frame(SetFeesEncoder.BLOCK_LENGTH, count * SetFeesEncoder.FeesEncoder.sbeBlockLength());
        final SetFeesEncoder.FeesEncoder group = new SetFeesEncoder()
            .wrapAndApplyHeader(frame.buffer, FrameDescriptor.MESSAGE_OFFSET, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .feesCount(count);
        for (int i = from; i < to; i++)
        {
            final FeeSchedule fee = fees.get(i);
            group.next()
                .transferCode(fee.transferCode())
                .currency(fee.currency())
                .fixedAmount(fee.fixedAmount())
                .basisPoints(Integer.toUnsignedLong(fee.basisPoints()))
                .minimum(fee.minimum())
                .maximum(fee.maximum())
                .feeAccountId(fee.feeAccountId());
        }
        return frame.bytes;
    }

    static byte[] setReviewThresholds(
        final long correlationId, final List<ReviewThreshold> thresholds, final int from, final int to)
    {
        final int count = to - from;
        final Frame frame = new Frame(SetReviewThresholdsEncoder.BLOCK_LENGTH,
            count * SetReviewThresholdsEncoder.ThresholdsEncoder.sbeBlockLength());
        final SetReviewThresholdsEncoder.ThresholdsEncoder group = new SetReviewThresholdsEncoder()
            .wrapAndApplyHeader(frame.buffer, FrameDescriptor.MESSAGE_OFFSET, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .thresholdsCount(count);
        for (int i = from; i < to; i++)
        {
            group.next().currency(thresholds.get(i).currency()).threshold(thresholds.get(i).threshold());
        }
        return frame.bytes;
    }

    static byte[] reviewTransfers(
        final long correlationId, final List<ReviewDecision> decisions, final int from, final int to)
    {
        final int count = to - from;
        final Frame frame = new Frame(ReviewTransfersEncoder.BLOCK_LENGTH,
            count * ReviewTransfersEncoder.DecisionsEncoder.sbeBlockLength());
        final ReviewTransfersEncoder.DecisionsEncoder group = new ReviewTransfersEncoder()
            .wrapAndApplyHeader(frame.buffer, FrameDescriptor.MESSAGE_OFFSET, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .decisionsCount(count);
        for (int i = from; i < to; i++)
        {
            final ReviewDecision decision = decisions.get(i);
            group.next();
            group.id().lo(decision.id().lo()).hi(decision.id().hi());
            group.pendingId().lo(decision.pendingId().lo()).hi(decision.pendingId().hi());
            group.decision(decision.approve() ?
                io.walletledger.protocol.sbe.ReviewDecision.APPROVE : io.walletledger.protocol.sbe.ReviewDecision.REJECT);
        }
        return frame.bytes;
    }

    static byte[] setPolicySetting(final long correlationId, final PolicySetting setting, final long value)
    {
        final Frame frame = new Frame(SetPolicySettingsEncoder.BLOCK_LENGTH,
            SetPolicySettingsEncoder.SettingsEncoder.sbeBlockLength());
        new SetPolicySettingsEncoder()
            .wrapAndApplyHeader(frame.buffer, FrameDescriptor.MESSAGE_OFFSET, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .settingsCount(1)
            .next().setting(setting).value(value);
        return frame.bytes;
    }

    static byte[] lookupPolicies(final long correlationId)
    {
        final Frame frame = new Frame(LookupPoliciesEncoder.BLOCK_LENGTH,
            LookupPoliciesEncoder.SectionsEncoder.sbeBlockLength());
        new LookupPoliciesEncoder()
            .wrapAndApplyHeader(frame.buffer, FrameDescriptor.MESSAGE_OFFSET, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .sectionsCount(1)
            .next().reserved((short)0);
        return frame.bytes;
    }

    static byte[] lookupAccountHistory(final long correlationId, final HistoryQuery query, final long cursor)
    {
        final Frame frame = new Frame(LookupAccountHistoryEncoder.BLOCK_LENGTH,
            LookupAccountHistoryEncoder.QueriesEncoder.sbeBlockLength());
        final LookupAccountHistoryEncoder.QueriesEncoder entry = new LookupAccountHistoryEncoder()
            .wrapAndApplyHeader(frame.buffer, FrameDescriptor.MESSAGE_OFFSET, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .queriesCount(1)
            .next()
            .accountId(query.accountId())
            .cursor(cursor)
            .fromTimestamp(query.fromTimestamp())
            .toTimestamp(query.toTimestamp())
            .limit(query.pageSize())
            .order(query.newestFirst() ? HistoryOrder.NEWEST_FIRST : HistoryOrder.OLDEST_FIRST);
        entry.parts().clear().debit(query.debits()).credit(query.credits()).fee(query.fees());
        return frame.bytes;
    }

    /**
     * An array sized exactly for one message with a single group, with its length field already written.
     */
    private static final class Frame
    {
        final byte[] bytes;
        final PortableBuffer buffer;

        Frame(final int blockLength, final int groupBytes)
        {
            final int messageLength = HEADER_LENGTH + blockLength + GROUP_HEADER_LENGTH + groupBytes;
            bytes = new byte[FrameDescriptor.LENGTH_FIELD_LENGTH + messageLength];
            buffer = new PortableBuffer(bytes);
            buffer.putInt(FrameDescriptor.LENGTH_FIELD_OFFSET, messageLength, FrameDescriptor.BYTE_ORDER);
        }
    }
}
