package io.walletledger.client;

import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.GroupSizeEncodingEncoder;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.LookupTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;

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

    /**
     * An array sized exactly for one message with a single group, with its length field already written.
     */
    private static final class Frame
    {
        final byte[] bytes;
        final UnsafeBuffer buffer;

        Frame(final int blockLength, final int groupBytes)
        {
            final int messageLength = HEADER_LENGTH + blockLength + GROUP_HEADER_LENGTH + groupBytes;
            bytes = new byte[FrameDescriptor.LENGTH_FIELD_LENGTH + messageLength];
            buffer = new UnsafeBuffer(bytes);
            buffer.putInt(FrameDescriptor.LENGTH_FIELD_OFFSET, messageLength, FrameDescriptor.BYTE_ORDER);
        }
    }
}
