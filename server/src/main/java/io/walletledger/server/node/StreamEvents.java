package io.walletledger.server.node;

import io.walletledger.engine.AppliedTransfer;
import io.walletledger.gateway.LedgerEvent;
import io.walletledger.protocol.sbe.PendingStatus;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.record.RecordedEvent;
import io.walletledger.record.RecordedTransfer;
import io.walletledger.record.StreamItem;
import io.walletledger.record.TransferRecordStore;

import java.util.ArrayList;
import java.util.List;

/**
 * The record's items as events of the change stream: what each transfer did (created, a hold posted, a review
 * approved, ...), with its accounts' balances; an account with its state; a policy with its values. Shared by the
 * HTTP stream and the Kafka publisher, so that both say the same.
 */
public final class StreamEvents
{
    private final TransferRecordStore record;

    /**
     * @param record where a post or void looks up its hold, to tell a review decision from a plain one.
     */
    public StreamEvents(final TransferRecordStore record)
    {
        this.record = record;
    }

    /**
     * @return an item of the record as an event of the change stream.
     */
    public LedgerEvent event(final StreamItem item)
    {
        final RecordedEvent recorded = item.event();
        if (recorded == null)
        {
            final AppliedTransfer t = item.transfer();
            final String type = transferEventType(t);
            final List<LedgerEvent.Balances> balances = new ArrayList<>(3);
            balances(balances, t, AppliedTransfer.DEBIT, "debit_account", t.debitAccountId());
            balances(balances, t, AppliedTransfer.CREDIT, "credit_account", t.creditAccountId());
            balances(balances, t, AppliedTransfer.FEE, "fee_account", t.feeAccountId());
            return new LedgerEvent.Transfer(item.position(), type, RecordArchive.archived(t, type.equals("hold_expired") ?
                PendingStatus.EXPIRED : t.isHold() && isApplied(t) ? PendingStatus.PENDING : PendingStatus.NONE),
                balances);
        }
        final String type = recorded.type().streamName();
        if (!recorded.type().isAccountEvent())
        {
            return new LedgerEvent.Policy(item.position(), type, recorded.timestamp(), recorded.subject(),
                recorded.values());
        }
        final long[] v = recorded.values();
        return new LedgerEvent.Account(item.position(), type, recorded.timestamp(), new LedgerEvent.AccountState(
            recorded.subject(), v[RecordedEvent.ACCOUNT_USER_DATA], v[RecordedEvent.ACCOUNT_CREATED_AT],
            (int)v[RecordedEvent.ACCOUNT_CURRENCY], (int)v[RecordedEvent.ACCOUNT_CODE],
            (int)v[RecordedEvent.ACCOUNT_FLAGS], (int)v[RecordedEvent.ACCOUNT_STATUS],
            (int)v[RecordedEvent.ACCOUNT_FREEZE_SCOPE], v[RecordedEvent.ACCOUNT_DEBITS_PENDING],
            v[RecordedEvent.ACCOUNT_DEBITS_POSTED], v[RecordedEvent.ACCOUNT_CREDITS_PENDING],
            v[RecordedEvent.ACCOUNT_CREDITS_POSTED], v[RecordedEvent.ACCOUNT_TRANSFER_AMOUNT_LIMIT],
            v[RecordedEvent.ACCOUNT_DAILY_DEBIT_LIMIT], v[RecordedEvent.ACCOUNT_DAILY_DEBITS_USED],
            v[RecordedEvent.ACCOUNT_VELOCITY_DEBIT_LIMIT], v[RecordedEvent.ACCOUNT_VELOCITY_WINDOW_SECONDS]));
    }

    /**
     * @return the stream's name for what a transfer did. A post or void of a hold held for review is the reviewer's
     * decision (only a reviewer may close such a hold).
     */
    private String transferEventType(final AppliedTransfer t)
    {
        if (t.kind() == AppliedTransfer.KIND_EXPIRED)
        {
            return "hold_expired";
        }
        if (t.result() == ResultCode.HELD_FOR_REVIEW)
        {
            return "transfer_held_for_review";
        }
        if (t.result() != ResultCode.OK)
        {
            return "transfer_failed";
        }
        if (t.isHold())
        {
            return "hold_created";
        }
        if (t.isPost() || t.isVoid())
        {
            final RecordedTransfer hold = record.find(t.pendingIdHi(), t.pendingIdLo());
            final boolean reviewed = hold != null && hold.transfer().isReview();
            return t.isPost() ? (reviewed ? "review_approved" : "hold_posted") :
                (reviewed ? "review_rejected" : "hold_voided");
        }
        return "transfer_created";
    }

    private static boolean isApplied(final AppliedTransfer t)
    {
        return t.result() == ResultCode.OK || t.result() == ResultCode.HELD_FOR_REVIEW;
    }

    private static void balances(final List<LedgerEvent.Balances> balances, final AppliedTransfer t,
        final int account, final String role, final long accountId)
    {
        if (t.hasAccount(account))
        {
            balances.add(new LedgerEvent.Balances(role, accountId, t.debitsPending(account), t.debitsPosted(account),
                t.creditsPending(account), t.creditsPosted(account)));
        }
    }
}
