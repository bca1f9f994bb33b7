package io.walletledger.engine;

import io.walletledger.protocol.sbe.AccountStatus;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.LookupPoliciesDecoder;
import io.walletledger.protocol.sbe.LookupPoliciesResponseEncoder;
import io.walletledger.protocol.sbe.LookupAccountsDecoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseEncoder;
import io.walletledger.protocol.sbe.LookupTransfersDecoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.PendingStatus;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.UInt128Decoder;
import org.agrona.MutableDirectBuffer;

/**
 * The read-only requests: look up accounts and transfers and encode what is found. Reads the ledger, never
 * changes it, so queries are not journaled.
 */
final class LedgerQueries
{
    private final Ledger ledger;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final LookupAccountsResponseEncoder lookupAccountsResponse = new LookupAccountsResponseEncoder();
    private final LookupTransfersResponseEncoder lookupTransfersResponse = new LookupTransfersResponseEncoder();
    private final LookupPoliciesResponseEncoder lookupPoliciesResponse = new LookupPoliciesResponseEncoder();
    private final int[] lookupSlots;

    LedgerQueries(final Ledger ledger, final int batchEventsMax)
    {
        this.ledger = ledger;
        this.lookupSlots = new int[batchEventsMax];
    }

    /**
     * @param timestamp the engine time of the request, which decides the day of {@code dailyDebitsUsed}.
     */
    int lookupAccounts(
        final long timestamp, final LookupAccountsDecoder request, final MutableDirectBuffer out, final int outOffset)
    {
        final Accounts accounts = ledger.accounts();
        final AccountLimits limits = ledger.limits();
        final long dayIndex = AccountLimits.dayIndex(timestamp, ledger.policies().dayStartSeconds);
        final LookupAccountsDecoder.IdsDecoder ids = request.ids();
        int found = 0;
        while (ids.hasNext())
        {
            final int slot = accounts.slotOf(ids.next().id());
            if (slot >= 0)
            {
                lookupSlots[found++] = slot;
            }
        }

        final LookupAccountsResponseEncoder encoder = lookupAccountsResponse;
        encoder.wrapAndApplyHeader(out, outOffset, headerEncoder).correlationId(request.correlationId());
        final LookupAccountsResponseEncoder.AccountsEncoder group = encoder.accountsCount(found);
        for (int i = 0; i < found; i++)
        {
            final int slot = lookupSlots[i];
            group.next()
                .id(accounts.id(slot))
                .debitsPending(accounts.debitsPending(slot))
                .debitsPosted(accounts.debitsPosted(slot))
                .creditsPending(accounts.creditsPending(slot))
                .creditsPosted(accounts.creditsPosted(slot))
                .userData(accounts.userData(slot))
                .timestamp(accounts.timestamp(slot))
                .currency(accounts.currency(slot))
                .code(accounts.code(slot));
            group.flags().clear().linked((accounts.flags(slot) & Flags.ACCOUNT_LINKED) != 0)
                .debitsMustNotExceedCredits((accounts.flags(slot) & Flags.ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS) != 0)
                .creditsMustNotExceedDebits((accounts.flags(slot) & Flags.ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS) != 0);
            final int status = accounts.status(slot);
            group.status(AccountStatus.get((short)status));
            group.freezeScope(status != AccountStatusValue.FROZEN ? FreezeScope.NONE :
                (accounts.policy(slot) & AccountDescriptor.POLICY_FREEZE_CREDITS) != 0 ? FreezeScope.ALL : FreezeScope.DEBITS);
            final int record = (accounts.policy(slot) & AccountDescriptor.POLICY_HAS_LIMITS) != 0 ?
                limits.recordOf(slot) : -1;
            if (record >= 0)
            {
                group.transferAmountLimit(limits.transferAmountLimit(record))
                    .dailyDebitLimit(limits.dailyDebitLimit(record))
                    .dailyDebitsUsed(limits.dailyDebitsUsed(record, dayIndex))
                    .velocityDebitLimit(limits.velocityDebitLimit(record) & 0xFFFF_FFFFL)
                    .velocityWindowSeconds(limits.velocityWindowSeconds(record) & 0xFFFF_FFFFL);
            }
            else
            {
                group.transferAmountLimit(0).dailyDebitLimit(0).dailyDebitsUsed(0).velocityDebitLimit(0)
                    .velocityWindowSeconds(0);
            }
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int lookupTransfers(final LookupTransfersDecoder request, final MutableDirectBuffer out, final int outOffset)
    {
        // A found transfer is noted as its history slot, or as -(pending slot + 1) for a hold that has
        // left the idempotency window but is still open.
        final TransferHistory history = ledger.history();
        final PendingTransfers pending = ledger.pending();
        final LookupTransfersDecoder.IdsDecoder ids = request.ids();
        int found = 0;
        while (ids.hasNext())
        {
            final UInt128Decoder id = ids.next().id();
            final long lo = id.lo();
            final long hi = id.hi();
            final int slot = history.find(lo, hi);
            if (slot >= 0 && history.records().result(slot) == ResultCode.OK.value())
            {
                lookupSlots[found++] = slot;
            }
            else if (slot < 0)
            {
                final int hold = pending.find(lo, hi);
                if (hold >= 0)
                {
                    lookupSlots[found++] = -(hold + 1);
                }
            }
        }

        final LookupTransfersResponseEncoder encoder = lookupTransfersResponse;
        encoder.wrapAndApplyHeader(out, outOffset, headerEncoder).correlationId(request.correlationId());
        final LookupTransfersResponseEncoder.TransfersEncoder group = encoder.transfersCount(found);
        for (int i = 0; i < found; i++)
        {
            final int noted = lookupSlots[i];
            final TransferRecords records = noted >= 0 ? history.records() : pending.records();
            final int slot = noted >= 0 ? noted : -noted - 1;
            group.next();
            group.id().lo(records.idLo(slot)).hi(records.idHi(slot));
            group.debitAccountId(records.debitAccountId(slot))
                .creditAccountId(records.creditAccountId(slot))
                .amount(records.amount(slot));
            group.pendingId().lo(records.pendingIdLo(slot)).hi(records.pendingIdHi(slot));
            group.userData128().lo(records.userData128Lo(slot)).hi(records.userData128Hi(slot));
            group.userData64(records.userData64(slot))
                .userData32(records.userData32(slot) & 0xFFFF_FFFFL)
                .timeout(records.timeout(slot) & 0xFFFF_FFFFL)
                .timestamp(records.timestamp(slot))
                .currency(records.currency(slot))
                .code(records.code(slot));
            final int flags = records.flags(slot);
            group.flags().clear()
                .linked((flags & Flags.TRANSFER_LINKED) != 0)
                .pending((flags & Flags.TRANSFER_PENDING) != 0)
                .postPending((flags & Flags.TRANSFER_POST_PENDING) != 0)
                .voidPending((flags & Flags.TRANSFER_VOID_PENDING) != 0)
                .review((flags & Flags.TRANSFER_REVIEW) != 0);
            group.pendingStatus(PendingStatus.get((short)records.pendingStatus(slot)));
            final int feeAccount = records.feeAccountSlot(slot);
            group.fee(feeAccount >= 0 ? records.fee(slot) : 0)
                .feeAccountId(feeAccount >= 0 ? ledger.accounts().id(feeAccount) : 0);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int lookupPolicies(final LookupPoliciesDecoder request, final MutableDirectBuffer out, final int outOffset)
    {
        final Policies policies = ledger.policies();
        final LookupPoliciesResponseEncoder encoder = lookupPoliciesResponse;
        encoder.wrapAndApplyHeader(out, outOffset, headerEncoder)
            .correlationId(request.correlationId())
            .dayStartSeconds(policies.dayStartSeconds)
            .configDigest(policies.configDigest)
            .holdsPerAccountMax(policies.holdsPerAccountMax)
            .holdTimeoutMaxSeconds(policies.holdTimeoutMaxSeconds & 0xFFFF_FFFFL);
        final LookupPoliciesResponseEncoder.FeesEncoder fees = encoder.feesCount(policies.feeCount);
        for (int i = 0; i < policies.feeCount; i++)
        {
            fees.next()
                .transferCode(policies.feeKey[i] >>> 16)
                .currency(policies.feeKey[i] & 0xFFFF)
                .fixedAmount(policies.feeFixed[i])
                .basisPoints(policies.feeBasisPoints[i])
                .minimum(policies.feeMinimum[i])
                .maximum(policies.feeMaximum[i])
                .feeAccountId(policies.feeAccountId[i]);
        }
        final LookupPoliciesResponseEncoder.ThresholdsEncoder thresholds =
            encoder.thresholdsCount(policies.thresholdCount);
        for (int i = 0; i < policies.thresholdCount; i++)
        {
            thresholds.next().currency(policies.thresholdCurrency[i]).threshold(policies.threshold[i]);
        }
        final LookupPoliciesResponseEncoder.CodeLimitsEncoder codeLimits = encoder.codeLimitsCount(policies.limitsCount);
        for (int i = 0; i < policies.limitsCount; i++)
        {
            codeLimits.next()
                .code(policies.limitsCode[i])
                .transferAmountLimit(policies.limitsTransferAmount[i])
                .dailyDebitLimit(policies.limitsDaily[i])
                .velocityDebitLimit(policies.limitsVelocityDebits[i] & 0xFFFF_FFFFL)
                .velocityWindowSeconds(policies.limitsVelocityWindow[i] & 0xFFFF_FFFFL);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
