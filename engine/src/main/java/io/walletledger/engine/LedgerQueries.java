package io.walletledger.engine;

import io.walletledger.protocol.sbe.AccountStatus;
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
    private final int[] lookupSlots;

    LedgerQueries(final Ledger ledger, final int batchEventsMax)
    {
        this.ledger = ledger;
        this.lookupSlots = new int[batchEventsMax];
    }

    int lookupAccounts(final LookupAccountsDecoder request, final MutableDirectBuffer out, final int outOffset)
    {
        final Accounts accounts = ledger.accounts();
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
            group.status(AccountStatus.get((short)accounts.status(slot)));
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
                .voidPending((flags & Flags.TRANSFER_VOID_PENDING) != 0);
            group.pendingStatus(PendingStatus.get((short)records.pendingStatus(slot)));
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
