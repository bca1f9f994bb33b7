package io.walletledger.client;

import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.sbe.AccountFlagsDecoder;
import io.walletledger.protocol.sbe.AccountStatus;
import io.walletledger.protocol.sbe.CommandResultsResponseDecoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.HistoryPartsDecoder;
import io.walletledger.protocol.sbe.LookupAccountHistoryResponseDecoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.LookupPoliciesResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.PendingStatus;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.TransferFlagsDecoder;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Turns one response message into the client's values. Holds the flyweights, so it belongs to the client's event
 * loop. A code this client does not know (sent by a newer server) reads as the enum's {@code NULL_VAL} rather than
 * failing the connection; a response that does not fit its own lengths throws, and the connection is closed.
 */
final class ResponseAdapter
{
    private static final int CORRELATION_ID_OFFSET = FrameDescriptor.CORRELATION_ID_OFFSET;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final LookupAccountsResponseDecoder lookupAccounts = new LookupAccountsResponseDecoder();
    private final LookupTransfersResponseDecoder lookupTransfers = new LookupTransfersResponseDecoder();
    private final CommandResultsResponseDecoder commandResults = new CommandResultsResponseDecoder();
    private final LookupPoliciesResponseDecoder lookupPolicies = new LookupPoliciesResponseDecoder();
    private final LookupAccountHistoryResponseDecoder history = new LookupAccountHistoryResponseDecoder();
    private final ErrorResponseDecoder error = new ErrorResponseDecoder();
    private DirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * Reads the message header.
     *
     * @return false if the message is too short for a header and a correlation id, or is of another schema.
     */
    boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        if (length < CORRELATION_ID_OFFSET + Long.BYTES)
        {
            return false;
        }
        header.wrap(buffer, offset);
        return header.schemaId() == MessageHeaderDecoder.SCHEMA_ID && header.version() >= 1;
    }

    int templateId()
    {
        return header.templateId();
    }

    /**
     * Every response starts with the correlation id of its request.
     */
    long correlationId()
    {
        return FrameDescriptor.correlationId(buffer, offset);
    }

    /**
     * @param events how many events the request held.
     * @return one result per event: those listed, and {@code OK} for everything the response leaves out.
     */
    List<ResultCode> createResults(final int events)
    {
        final ResultCode[] results = new ResultCode[events];
        Arrays.fill(results, ResultCode.OK);
        // The three result-listing responses share one layout (RequestType.isResultsResponse): one decoder reads all.
        commandResults.wrap(buffer, bodyOffset(), header.blockLength(), header.version());
        for (final CommandResultsResponseDecoder.ResultsDecoder entry : commandResults.results())
        {
            results[checkedIndex(entry.index(), events)] = resultCode(entry.resultRaw());
        }
        final int limit = commandResults.limit();
        checkWithinMessage(limit);
        return Collections.unmodifiableList(Arrays.asList(results));
    }

    List<AccountRecord> accounts()
    {
        lookupAccounts.wrap(buffer, bodyOffset(), header.blockLength(), header.version());
        final LookupAccountsResponseDecoder.AccountsDecoder group = lookupAccounts.accounts();
        final List<AccountRecord> accounts = new ArrayList<>(group.count());
        // A server of version 1 sends no policy fields: such an account has no limits and no freeze scope.
        final boolean policies =
            header.version() >= LookupAccountsResponseDecoder.AccountsDecoder.freezeScopeSinceVersion();
        for (final LookupAccountsResponseDecoder.AccountsDecoder account : group)
        {
            final AccountFlagsDecoder flags = account.flags();
            accounts.add(new AccountRecord(
                account.id(),
                account.currency(),
                account.code(),
                account.userData(),
                flags.debitsMustNotExceedCredits(),
                flags.creditsMustNotExceedDebits(),
                accountStatus(account.statusRaw()),
                policies ? freezeScope(account.freezeScopeRaw()) : FreezeScope.NONE,
                account.debitsPending(),
                account.debitsPosted(),
                account.creditsPending(),
                account.creditsPosted(),
                account.timestamp(),
                policies ? limits(account.transferAmountLimit(), account.dailyDebitLimit(),
                    account.velocityDebitLimit(), account.velocityWindowSeconds()) : Limits.NONE,
                policies ? account.dailyDebitsUsed() : 0));
        }
        checkWithinMessage(lookupAccounts.limit());
        return Collections.unmodifiableList(accounts);
    }

    List<TransferRecord> transfers()
    {
        lookupTransfers.wrap(buffer, bodyOffset(), header.blockLength(), header.version());
        final LookupTransfersResponseDecoder.TransfersDecoder group = lookupTransfers.transfers();
        final List<TransferRecord> transfers = new ArrayList<>(group.count());
        final boolean fees = header.version() >= LookupTransfersResponseDecoder.TransfersDecoder.feeSinceVersion();
        for (final LookupTransfersResponseDecoder.TransfersDecoder transfer : group)
        {
            final TransferFlagsDecoder flags = transfer.flags();
            transfers.add(new TransferRecord(
                new TransferId(transfer.id().hi(), transfer.id().lo()),
                transfer.debitAccountId(),
                transfer.creditAccountId(),
                transfer.amount(),
                new TransferId(transfer.pendingId().hi(), transfer.pendingId().lo()),
                transfer.userData128().hi(),
                transfer.userData128().lo(),
                transfer.userData64(),
                (int)transfer.userData32(),
                (int)transfer.timeout(),
                transfer.currency(),
                transfer.code(),
                flags.pending(),
                flags.postPending(),
                flags.voidPending(),
                flags.review(),
                pendingStatus(transfer.pendingStatusRaw()),
                transfer.timestamp(),
                fees ? transfer.fee() : 0,
                fees ? transfer.feeAccountId() : 0));
        }
        checkWithinMessage(lookupTransfers.limit());
        return Collections.unmodifiableList(transfers);
    }

    HistoryPage history()
    {
        history.wrap(buffer, bodyOffset(), header.blockLength(), header.version());
        final long nextCursor = history.nextCursor();
        final LookupAccountHistoryResponseDecoder.EntriesDecoder group = history.entries();
        final List<HistoryEntry> entries = new ArrayList<>(group.count());
        for (final LookupAccountHistoryResponseDecoder.EntriesDecoder entry : group)
        {
            final TransferFlagsDecoder flags = entry.flags();
            final HistoryPartsDecoder parts = entry.parts();
            final TransferRecord transfer = new TransferRecord(
                new TransferId(entry.id().hi(), entry.id().lo()),
                entry.debitAccountId(),
                entry.creditAccountId(),
                entry.amount(),
                new TransferId(entry.pendingId().hi(), entry.pendingId().lo()),
                entry.userData128().hi(),
                entry.userData128().lo(),
                entry.userData64(),
                (int)entry.userData32(),
                (int)entry.timeout(),
                entry.currency(),
                entry.code(),
                flags.pending(),
                flags.postPending(),
                flags.voidPending(),
                flags.review(),
                pendingStatus(entry.pendingStatusRaw()),
                entry.timestamp(),
                entry.fee(),
                entry.feeAccountId());
            entries.add(new HistoryEntry(transfer, resultCode(entry.resultRaw()), parts.debit(), parts.credit(),
                parts.fee(), entry.debitsPending(), entry.debitsPosted(), entry.creditsPending(), entry.creditsPosted(),
                entry.position()));
        }
        checkWithinMessage(history.limit());
        return new HistoryPage(entries, nextCursor);
    }

    Policies policies()
    {
        lookupPolicies.wrap(buffer, bodyOffset(), header.blockLength(), header.version());
        final int dayStartSeconds = (int)lookupPolicies.dayStartSeconds();
        final long configDigest = lookupPolicies.configDigest();
        final boolean holdPolicies = header.version() >= 5;
        final long holdsPerAccountMax = holdPolicies ? lookupPolicies.holdsPerAccountMax() : 0;
        final long holdTimeoutMaxSeconds = holdPolicies ? lookupPolicies.holdTimeoutMaxSeconds() : 0;
        final List<FeeSchedule> fees = new ArrayList<>();
        for (final LookupPoliciesResponseDecoder.FeesDecoder fee : lookupPolicies.fees())
        {
            fees.add(new FeeSchedule(fee.transferCode(), fee.currency(), fee.fixedAmount(), (int)fee.basisPoints(),
                fee.minimum(), fee.maximum(), fee.feeAccountId()));
        }
        final List<ReviewThreshold> thresholds = new ArrayList<>();
        for (final LookupPoliciesResponseDecoder.ThresholdsDecoder threshold : lookupPolicies.thresholds())
        {
            thresholds.add(new ReviewThreshold(threshold.currency(), threshold.threshold()));
        }
        final List<CodeLimits> codeLimits = new ArrayList<>();
        for (final LookupPoliciesResponseDecoder.CodeLimitsDecoder entry : lookupPolicies.codeLimits())
        {
            codeLimits.add(new CodeLimits(entry.code(), limits(entry.transferAmountLimit(), entry.dailyDebitLimit(),
                entry.velocityDebitLimit(), entry.velocityWindowSeconds())));
        }
        checkWithinMessage(lookupPolicies.limit());
        return new Policies(dayStartSeconds, configDigest, holdsPerAccountMax, holdTimeoutMaxSeconds, fees, thresholds,
            codeLimits);
    }

    ErrorCode errorCode()
    {
        error.wrap(buffer, bodyOffset(), header.blockLength(), header.version());
        try
        {
            return ErrorCode.get(error.codeRaw());
        }
        catch (final IllegalArgumentException unknown)
        {
            return ErrorCode.NULL_VAL;
        }
    }

    /**
     * @return the error text; call after {@link #errorCode()}.
     */
    String errorMessage()
    {
        final String message = error.message();
        checkWithinMessage(error.limit());
        return message;
    }

    private int bodyOffset()
    {
        return offset + MessageHeaderDecoder.ENCODED_LENGTH;
    }

    private void checkWithinMessage(final int limit)
    {
        if (limit > offset + length)
        {
            throw new IllegalStateException("response of template " + templateId() + " runs " +
                (limit - offset - length) + " bytes past its frame");
        }
    }

    private static int checkedIndex(final int index, final int events)
    {
        if (index >= events)
        {
            throw new IllegalStateException("result for event " + index + " of a request of " + events + " events");
        }
        return index;
    }

    private static ResultCode resultCode(final int raw)
    {
        try
        {
            return ResultCode.get(raw);
        }
        catch (final IllegalArgumentException unknown)
        {
            return ResultCode.NULL_VAL;
        }
    }

    private static AccountStatus accountStatus(final short raw)
    {
        try
        {
            return AccountStatus.get(raw);
        }
        catch (final IllegalArgumentException unknown)
        {
            return AccountStatus.NULL_VAL;
        }
    }

    private static Limits limits(
        final long transferAmountLimit, final long dailyDebitLimit, final long velocityDebitLimit,
        final long velocityWindowSeconds)
    {
        return new Limits(transferAmountLimit, dailyDebitLimit, (int)velocityDebitLimit, (int)velocityWindowSeconds);
    }

    private static FreezeScope freezeScope(final short raw)
    {
        try
        {
            return FreezeScope.get(raw);
        }
        catch (final IllegalArgumentException unknown)
        {
            return FreezeScope.NULL_VAL;
        }
    }

    private static PendingStatus pendingStatus(final short raw)
    {
        try
        {
            return PendingStatus.get(raw);
        }
        catch (final IllegalArgumentException unknown)
        {
            return PendingStatus.NULL_VAL;
        }
    }
}
