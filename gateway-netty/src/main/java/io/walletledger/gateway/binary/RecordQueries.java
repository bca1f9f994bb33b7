package io.walletledger.gateway.binary;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.walletledger.gateway.AccountHistory;
import io.walletledger.gateway.ArchiveBehindException;
import io.walletledger.gateway.ArchiveMissingException;
import io.walletledger.gateway.ArchivedTransfer;
import io.walletledger.gateway.TransferArchive;
import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.TransferLookupFilter;
import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.HistoryOrder;
import io.walletledger.protocol.sbe.LookupAccountHistoryDecoder;
import io.walletledger.protocol.sbe.LookupAccountHistoryResponseEncoder;
import io.walletledger.protocol.sbe.LookupTransfersDecoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseEncoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.ResultCode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The binary protocol's answers from the permanent record, which the engine cannot give:
 * <ul>
 *   <li>{@code LookupAccountHistory}: one page of an account's history ({@link TransferArchive#history});</li>
 *   <li>{@code LookupTransfers} of ids the engine no longer remembers: its answer is completed with the transfers
 *       the record holds under the missing ids ({@link TransferArchive#find}), in request order, so a transfer of any
 *       age is found as one the engine still holds. Failed transfers stay left out, as the message says.</li>
 * </ul>
 * Both wait, boundedly, until the record holds everything the ledger had applied when they were asked, else answer
 * {@code RECORD_BEHIND}; a server that keeps no record answers {@code RECORD_OFF} to a history query (and a lookup as
 * the engine did). Every method builds a whole frame (length field and message); none runs on the engine thread.
 */
final class RecordQueries
{
    private static final Logger LOG = LoggerFactory.getLogger(RecordQueries.class);
    private static final int PARTS_ALL = AccountHistory.DEBIT | AccountHistory.CREDIT | AccountHistory.FEE;

    private RecordQueries()
    {
    }

    /**
     * @param request a {@code LookupAccountHistory} the gate admitted (well formed, the key may read its account).
     * @return completes with the answer frame: the page, or an error.
     */
    static CompletableFuture<ByteBuf> history(
        final TransferArchive archive, final ByteBufAllocator allocator, final DirectBuffer request, final int length)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final LookupAccountHistoryDecoder decoder = new LookupAccountHistoryDecoder().wrapAndApplyHeader(request, 0,
            header);
        final long correlationId = decoder.correlationId();
        final LookupAccountHistoryDecoder.QueriesDecoder queries = decoder.queries();
        if (queries.count() != 1)
        {
            return error(allocator, correlationId, ErrorCode.BATCH_TOO_LARGE, "a history request holds one query, not " +
                queries.count());
        }
        final LookupAccountHistoryDecoder.QueriesDecoder q = queries.next();
        final String invalid = invalid(q);
        if (invalid != null)
        {
            return error(allocator, correlationId, ErrorCode.MALFORMED, invalid);
        }
        final int parts = q.parts().getRaw() == 0 ? PARTS_ALL : q.parts().getRaw();
        final AccountHistory.Query query = new AccountHistory.Query(q.accountId(), q.cursor(), q.limit(),
            q.order() == HistoryOrder.NEWEST_FIRST, parts, q.fromTimestamp(), q.toTimestamp());
        return archive.history(query).handle((page, failure) -> failure == null ? page(allocator, correlationId,
            page) : failure(allocator, correlationId, failure).join());
    }

    private static String invalid(final LookupAccountHistoryDecoder.QueriesDecoder q)
    {
        if (q.limit() < 1 || q.limit() > ProtocolLimits.HISTORY_PAGE_MAX)
        {
            return "limit is 1.." + ProtocolLimits.HISTORY_PAGE_MAX + ", not " + q.limit();
        }
        if (q.cursor() < -1)
        {
            return "cursor is -1 or one a page gave, not " + q.cursor();
        }
        if (q.fromTimestamp() < 0 || q.toTimestamp() < 0)
        {
            return "fromTimestamp and toTimestamp are engine timestamps, not negative";
        }
        if (q.order() == HistoryOrder.NULL_VAL)
        {
            return "order is NEWEST_FIRST or OLDEST_FIRST, not " + q.orderRaw();
        }
        if ((q.parts().getRaw() & ~PARTS_ALL) != 0)
        {
            return "parts has bits beyond debit, credit and fee: " + q.parts().getRaw();
        }
        return null;
    }

    private static ByteBuf page(final ByteBufAllocator allocator, final long correlationId, final AccountHistory page)
    {
        final List<AccountHistory.Entry> entries = page.entries();
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + LookupAccountHistoryResponseEncoder.BLOCK_LENGTH +
            FrameDescriptor.GROUP_HEADER_LENGTH +
            entries.size() * LookupAccountHistoryResponseEncoder.EntriesEncoder.sbeBlockLength();
        final ByteBuf frame = allocator.heapBuffer(FrameDescriptor.LENGTH_FIELD_LENGTH + length);
        final UnsafeBuffer view = new UnsafeBuffer(frame.array(), frame.arrayOffset(), frame.capacity());
        view.putInt(0, length, FrameDescriptor.BYTE_ORDER);
        final LookupAccountHistoryResponseEncoder encoder = new LookupAccountHistoryResponseEncoder()
            .wrapAndApplyHeader(view, FrameDescriptor.LENGTH_FIELD_LENGTH, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .nextCursor(page.next());
        final LookupAccountHistoryResponseEncoder.EntriesEncoder group = encoder.entriesCount(entries.size());
        for (final AccountHistory.Entry entry : entries)
        {
            final ArchivedTransfer t = entry.transfer();
            group.next()
                .position(entry.position())
                .debitsPending(entry.debitsPending())
                .debitsPosted(entry.debitsPosted())
                .creditsPending(entry.creditsPending())
                .creditsPosted(entry.creditsPosted())
                .result(t.result());
            group.parts().buffer().putByte(group.parts().offset(), (byte)entry.parts());
            group.id().hi(t.idHi()).lo(t.idLo());
            group.debitAccountId(t.debitAccountId()).creditAccountId(t.creditAccountId()).amount(t.amount());
            group.pendingId().hi(t.pendingIdHi()).lo(t.pendingIdLo());
            group.userData128().hi(t.userData128Hi()).lo(t.userData128Lo());
            group.userData64(t.userData64()).userData32(t.userData32()).timeout(t.timeout())
                .timestamp(t.timestamp()).currency(t.currency()).code(t.code())
                .pendingStatus(t.pendingStatus()).fee(t.fee()).feeAccountId(t.feeAccountId());
            group.flags().buffer().putShort(group.flags().offset(), (short)t.flags(), FrameDescriptor.BYTE_ORDER);
        }
        frame.writerIndex(FrameDescriptor.LENGTH_FIELD_LENGTH + length);
        return frame;
    }

    /**
     * The ids of a transfer lookup that the engine's answer left out, for the record to find.
     *
     * @param ids      every id asked for, in request order: {@code [hi, lo]} pairs.
     * @param answered what the engine answered (already cut down for a restricted key): {@code [hi, lo]} pairs.
     */
    record Lookup(long correlationId, long[] ids, long[] answered, List<ArchivedTransfer> engine)
    {
        /**
         * @return whether the engine left some ids out, which the record may hold.
         */
        boolean incomplete()
        {
            return answered.length < ids.length;
        }
    }

    /**
     * @param request the {@code LookupTransfers} (header at 0), read before its frame is released.
     * @param reply   the engine's answer to it (header at {@code offset}).
     * @return the ids asked and answered, or null if the reply is not a transfer lookup answer (an error).
     */
    static Lookup lookup(final DirectBuffer request, final DirectBuffer reply, final int offset)
    {
        if (FrameDescriptor.templateId(reply, offset) != LookupTransfersResponseDecoder.TEMPLATE_ID)
        {
            return null;
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final LookupTransfersDecoder.IdsDecoder asked =
            new LookupTransfersDecoder().wrapAndApplyHeader(request, 0, header).ids();
        final long[] ids = new long[asked.count() * 2];
        for (int i = 0; asked.hasNext(); i++)
        {
            asked.next();
            ids[2 * i] = asked.id().hi();
            ids[2 * i + 1] = asked.id().lo();
        }
        final LookupTransfersResponseDecoder answer = new LookupTransfersResponseDecoder().wrapAndApplyHeader(reply,
            offset, header);
        final LookupTransfersResponseDecoder.TransfersDecoder found = answer.transfers();
        final long[] answered = new long[found.count() * 2];
        final List<ArchivedTransfer> engine = new ArrayList<>(found.count());
        for (int i = 0; found.hasNext(); i++)
        {
            final LookupTransfersResponseDecoder.TransfersDecoder t = found.next();
            answered[2 * i] = t.id().hi();
            answered[2 * i + 1] = t.id().lo();
            engine.add(new ArchivedTransfer(t.id().hi(), t.id().lo(), t.debitAccountId(), t.creditAccountId(),
                t.amount(), t.fee(), t.feeAccountId(), t.currency(), t.code(), t.flags().getRaw(), t.pendingId().hi(),
                t.pendingId().lo(), t.timeout(), t.userData128().hi(), t.userData128().lo(), t.userData64(),
                t.userData32(), t.timestamp(), t.pendingStatus(), ResultCode.OK));
        }
        return new Lookup(answer.correlationId(), ids, answered, engine);
    }

    /**
     * Completes an incomplete lookup from the record: walks the ids asked in order beside the engine's answer (which
     * kept that order), looks the missing ones up, and answers every transfer found, in request order.
     *
     * @param filterFor a restricted key, whose answer holds only transfers of its accounts; null for any other.
     * @return completes with the answer frame, or an error frame if the record is behind.
     */
    static CompletableFuture<ByteBuf> complete(
        final TransferArchive archive, final ByteBufAllocator allocator, final Lookup lookup, final ApiKey filterFor)
    {
        final int asked = lookup.ids().length / 2;
        final List<CompletableFuture<ArchivedTransfer>> answers = new ArrayList<>(asked);
        int next = 0;
        for (int i = 0; i < asked; i++)
        {
            final long hi = lookup.ids()[2 * i];
            final long lo = lookup.ids()[2 * i + 1];
            if (next < lookup.engine().size() && lookup.answered()[2 * next] == hi &&
                lookup.answered()[2 * next + 1] == lo)
            {
                answers.add(CompletableFuture.completedFuture(lookup.engine().get(next++)));
            }
            else
            {
                answers.add(archive.find(hi, lo).thenApply(found -> found != null && found.applied() &&
                    TransferLookupFilter.maySee(filterFor, found) ? found : null));
            }
        }
        return CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0])).handle((done, failure) ->
        {
            if (failure != null)
            {
                return failure(allocator, lookup.correlationId(), failure).join();
            }
            final List<ArchivedTransfer> found = new ArrayList<>(asked);
            for (final CompletableFuture<ArchivedTransfer> answer : answers)
            {
                final ArchivedTransfer transfer = answer.join();
                if (transfer != null)
                {
                    found.add(transfer);
                }
            }
            return transfers(allocator, lookup.correlationId(), found);
        });
    }

    private static ByteBuf transfers(
        final ByteBufAllocator allocator, final long correlationId, final List<ArchivedTransfer> transfers)
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + LookupTransfersResponseEncoder.BLOCK_LENGTH +
            FrameDescriptor.GROUP_HEADER_LENGTH +
            transfers.size() * LookupTransfersResponseEncoder.TransfersEncoder.sbeBlockLength();
        final ByteBuf frame = allocator.heapBuffer(FrameDescriptor.LENGTH_FIELD_LENGTH + length);
        final UnsafeBuffer view = new UnsafeBuffer(frame.array(), frame.arrayOffset(), frame.capacity());
        view.putInt(0, length, FrameDescriptor.BYTE_ORDER);
        final LookupTransfersResponseEncoder.TransfersEncoder group = new LookupTransfersResponseEncoder()
            .wrapAndApplyHeader(view, FrameDescriptor.LENGTH_FIELD_LENGTH, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .transfersCount(transfers.size());
        for (final ArchivedTransfer t : transfers)
        {
            group.next();
            group.id().hi(t.idHi()).lo(t.idLo());
            group.debitAccountId(t.debitAccountId()).creditAccountId(t.creditAccountId()).amount(t.amount());
            group.pendingId().hi(t.pendingIdHi()).lo(t.pendingIdLo());
            group.userData128().hi(t.userData128Hi()).lo(t.userData128Lo());
            group.userData64(t.userData64()).userData32(t.userData32()).timeout(t.timeout())
                .timestamp(t.timestamp()).currency(t.currency()).code(t.code())
                .pendingStatus(t.pendingStatus()).fee(t.fee()).feeAccountId(t.feeAccountId());
            group.flags().buffer().putShort(group.flags().offset(), (short)t.flags(), FrameDescriptor.BYTE_ORDER);
        }
        frame.writerIndex(FrameDescriptor.LENGTH_FIELD_LENGTH + length);
        return frame;
    }

    private static CompletableFuture<ByteBuf> failure(
        final ByteBufAllocator allocator, final long correlationId, final Throwable failure)
    {
        final Throwable cause = failure instanceof CompletionException && failure.getCause() != null ?
            failure.getCause() : failure;
        if (cause instanceof ArchiveBehindException behind)
        {
            return error(allocator, correlationId, ErrorCode.RECORD_BEHIND, behind.getMessage());
        }
        if (cause instanceof ArchiveMissingException missing)
        {
            return error(allocator, correlationId, ErrorCode.RECORD_OFF, missing.getMessage());
        }
        LOG.error("the record could not answer", cause);
        return error(allocator, correlationId, ErrorCode.INTERNAL_ERROR, "the record could not be read");
    }

    private static CompletableFuture<ByteBuf> error(
        final ByteBufAllocator allocator, final long correlationId, final ErrorCode code, final String message)
    {
        return CompletableFuture.completedFuture(ErrorReplies.frame(allocator, correlationId, code, message));
    }
}
