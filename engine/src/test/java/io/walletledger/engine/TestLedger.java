package io.walletledger.engine;

import io.walletledger.protocol.sbe.AccountAction;
import io.walletledger.protocol.sbe.AccountCommandsEncoder;
import io.walletledger.protocol.sbe.CommandResultsResponseDecoder;
import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateAccountsResponseDecoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.LookupPoliciesEncoder;
import io.walletledger.protocol.sbe.LookupPoliciesResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersEncoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.ReviewTransfersEncoder;
import io.walletledger.protocol.sbe.SetAccountLimitsEncoder;
import io.walletledger.protocol.sbe.SetCodeLimitsEncoder;
import io.walletledger.protocol.sbe.SetFeesEncoder;
import io.walletledger.protocol.sbe.SetPolicySettingsEncoder;
import io.walletledger.protocol.sbe.SetReviewThresholdsEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test driver for a {@link LedgerEngine}: builds real SBE requests from plain values, executes them at a
 * controlled timestamp, and decodes the responses into plain values. Every request goes through
 * {@link LedgerEngine#execute}, exactly as the journal would replay it.
 */
final class TestLedger
{
    static final int USD = 840;
    static final int EUR = 978;
    static final int JPY = 392;

    final LedgerEngine engine;
    long now = 1_000_000_000_000L;

    private final ExpandableArrayBuffer request = new ExpandableArrayBuffer(1 << 16);
    private final UnsafeBuffer response;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private long correlationId;
    private List<JournalEntry> journal;
    /** The recall note the next request is executed with (as a journaler would write it), or null. */
    private byte[] nextNote;

    TestLedger(final LedgerConfig config)
    {
        this.engine = new LedgerEngine(config);
        this.response = new UnsafeBuffer(new byte[engine.responseLengthMax()]);
    }

    TestLedger()
    {
        this(LedgerConfig.builder().accountsMax(1024).idempotencyWindow(4096).pendingTransfersMax(1024)
            .batchEventsMax(256).build());
    }

    // ---------------------------------------------------------------------------------------------------

    /** An account to create. */
    static final class Account
    {
        long id;
        long userData;
        int currency = USD;
        int code = 1;
        int flags;

        Account id(final long id)
        {
            this.id = id;
            return this;
        }

        Account userData(final long userData)
        {
            this.userData = userData;
            return this;
        }

        Account currency(final int currency)
        {
            this.currency = currency;
            return this;
        }

        Account code(final int code)
        {
            this.code = code;
            return this;
        }

        Account flags(final int flags)
        {
            this.flags = flags;
            return this;
        }

        Account noOverdraft()
        {
            this.flags |= Flags.ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS;
            return this;
        }

        Account linked()
        {
            this.flags |= Flags.ACCOUNT_LINKED;
            return this;
        }
    }

    /** A transfer to create. */
    static final class Transfer
    {
        long idLo;
        long idHi;
        long debit;
        long credit;
        long amount;
        long pendingLo;
        long pendingHi;
        long userData128Lo;
        long userData128Hi;
        long userData64;
        int userData32;
        int timeout;
        int currency = USD;
        int code = 1;
        int flags;

        Transfer id(final long id)
        {
            this.idLo = id;
            return this;
        }

        Transfer id(final long lo, final long hi)
        {
            this.idLo = lo;
            this.idHi = hi;
            return this;
        }

        Transfer from(final long debit)
        {
            this.debit = debit;
            return this;
        }

        Transfer to(final long credit)
        {
            this.credit = credit;
            return this;
        }

        Transfer amount(final long amount)
        {
            this.amount = amount;
            return this;
        }

        Transfer pendingId(final long pendingId)
        {
            this.pendingLo = pendingId;
            return this;
        }

        Transfer userData128(final long lo, final long hi)
        {
            this.userData128Lo = lo;
            this.userData128Hi = hi;
            return this;
        }

        Transfer userData64(final long value)
        {
            this.userData64 = value;
            return this;
        }

        Transfer userData32(final int value)
        {
            this.userData32 = value;
            return this;
        }

        Transfer timeout(final int seconds)
        {
            this.timeout = seconds;
            return this;
        }

        Transfer currency(final int currency)
        {
            this.currency = currency;
            return this;
        }

        Transfer code(final int code)
        {
            this.code = code;
            return this;
        }

        Transfer flags(final int flags)
        {
            this.flags = flags;
            return this;
        }

        Transfer linked()
        {
            this.flags |= Flags.TRANSFER_LINKED;
            return this;
        }

        Transfer pending()
        {
            this.flags |= Flags.TRANSFER_PENDING;
            return this;
        }

        Transfer post(final long pendingId)
        {
            this.flags |= Flags.TRANSFER_POST_PENDING;
            this.pendingLo = pendingId;
            this.debit = 0;
            this.credit = 0;
            this.currency = 0;
            return this;
        }

        Transfer voidHold(final long pendingId)
        {
            this.flags |= Flags.TRANSFER_VOID_PENDING;
            this.pendingLo = pendingId;
            this.debit = 0;
            this.credit = 0;
            this.currency = 0;
            return this;
        }

        Transfer copy()
        {
            final Transfer t = new Transfer();
            t.idLo = idLo;
            t.idHi = idHi;
            t.debit = debit;
            t.credit = credit;
            t.amount = amount;
            t.pendingLo = pendingLo;
            t.pendingHi = pendingHi;
            t.userData128Lo = userData128Lo;
            t.userData128Hi = userData128Hi;
            t.userData64 = userData64;
            t.userData32 = userData32;
            t.timeout = timeout;
            t.currency = currency;
            t.code = code;
            t.flags = flags;
            return t;
        }
    }

    static Account account(final long id)
    {
        return new Account().id(id);
    }

    static Transfer transfer(final long id, final long debit, final long credit, final long amount)
    {
        return new Transfer().id(id).from(debit).to(credit).amount(amount);
    }

    /** An account as looked up. */
    record AccountView(long id, long debitsPending, long debitsPosted, long creditsPending, long creditsPosted,
        long userData, long timestamp, int currency, int code, int flags, int status)
    {
        long balance()
        {
            return creditsPosted - debitsPosted;
        }
    }

    /** A transfer as looked up. */
    record TransferView(long idLo, long idHi, long debit, long credit, long amount, long pendingLo,
        long timestamp, int timeout, int currency, int code, int flags, int pendingStatus, long userData64,
        long userData128Lo, long userData128Hi, int userData32, long fee, long feeAccountId)
    {
    }

    // ---------------------------------------------------------------------------------------------------

    /**
     * @return one result per account, in request order (OK where the response lists nothing).
     */
    ResultCode[] createAccounts(final Account... accounts)
    {
        final int responseLength = execute(encode(request, ++correlationId, accounts));
        final ResultCode[] results = new ResultCode[accounts.length];
        Arrays.fill(results, ResultCode.OK);
        final CreateAccountsResponseDecoder decoder = new CreateAccountsResponseDecoder();
        decoder.wrapAndApplyHeader(response, 0, headerDecoder);
        assertTemplate(CreateAccountsResponseDecoder.TEMPLATE_ID, responseLength);
        if (decoder.correlationId() != correlationId)
        {
            throw new AssertionError("correlation id not echoed");
        }
        for (final CreateAccountsResponseDecoder.ResultsDecoder r : decoder.results())
        {
            results[r.index()] = r.result();
        }
        return results;
    }

    /**
     * Encodes a CreateAccounts request, flags as raw bits so tests can also send bits the schema does not define.
     *
     * @return the length of the message.
     */
    static int encode(final MutableDirectBuffer buffer, final long correlationId, final Account... accounts)
    {
        final CreateAccountsEncoder encoder = new CreateAccountsEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(correlationId);
        final CreateAccountsEncoder.AccountsEncoder group = encoder.accountsCount(accounts.length);
        for (final Account a : accounts)
        {
            group.next().id(a.id).userData(a.userData).currency(a.currency).code(a.code);
            buffer.putShort(group.flags().offset(), (short)a.flags, ByteOrder.LITTLE_ENDIAN);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * Encodes a CreateTransfers request, flags as raw bits.
     *
     * @return the length of the message.
     */
    static int encode(final MutableDirectBuffer buffer, final long correlationId, final Transfer... transfers)
    {
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(correlationId);
        final CreateTransfersEncoder.TransfersEncoder group = encoder.transfersCount(transfers.length);
        for (final Transfer t : transfers)
        {
            group.next();
            group.id().lo(t.idLo).hi(t.idHi);
            group.debitAccountId(t.debit).creditAccountId(t.credit).amount(t.amount);
            group.pendingId().lo(t.pendingLo).hi(t.pendingHi);
            group.userData128().lo(t.userData128Lo).hi(t.userData128Hi);
            group.userData64(t.userData64).userData32(t.userData32 & 0xFFFF_FFFFL).timeout(t.timeout & 0xFFFF_FFFFL)
                .currency(t.currency).code(t.code);
            buffer.putShort(group.flags().offset(), (short)t.flags, ByteOrder.LITTLE_ENDIAN);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    ResultCode createAccount(final Account account)
    {
        return createAccounts(account)[0];
    }

    /**
     * @return one result per transfer, in request order (OK where the response lists nothing).
     */
    ResultCode[] createTransfers(final Transfer... transfers)
    {
        final int responseLength = execute(encode(request, ++correlationId, transfers));
        final ResultCode[] results = new ResultCode[transfers.length];
        Arrays.fill(results, ResultCode.OK);
        final CreateTransfersResponseDecoder decoder = new CreateTransfersResponseDecoder();
        decoder.wrapAndApplyHeader(response, 0, headerDecoder);
        assertTemplate(CreateTransfersResponseDecoder.TEMPLATE_ID, responseLength);
        if (decoder.correlationId() != correlationId)
        {
            throw new AssertionError("correlation id not echoed");
        }
        for (final CreateTransfersResponseDecoder.ResultsDecoder r : decoder.results())
        {
            results[r.index()] = r.result();
        }
        return results;
    }

    ResultCode createTransfer(final Transfer transfer)
    {
        return createTransfers(transfer)[0];
    }

    List<AccountView> lookupAccounts(final long... ids)
    {
        final LookupAccountsEncoder encoder = new LookupAccountsEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        final LookupAccountsEncoder.IdsEncoder group = encoder.idsCount(ids.length);
        for (final long id : ids)
        {
            group.next().id(id);
        }
        final int responseLength = execute(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        final LookupAccountsResponseDecoder decoder = new LookupAccountsResponseDecoder();
        decoder.wrapAndApplyHeader(response, 0, headerDecoder);
        assertTemplate(LookupAccountsResponseDecoder.TEMPLATE_ID, responseLength);
        final List<AccountView> found = new ArrayList<>();
        for (final LookupAccountsResponseDecoder.AccountsDecoder a : decoder.accounts())
        {
            found.add(new AccountView(a.id(), a.debitsPending(), a.debitsPosted(), a.creditsPending(),
                a.creditsPosted(), a.userData(), a.timestamp(), a.currency(), a.code(), a.flags().getRaw(),
                a.status().value()));
        }
        return found;
    }

    AccountView lookupAccount(final long id)
    {
        final List<AccountView> found = lookupAccounts(id);
        return found.isEmpty() ? null : found.get(0);
    }

    List<TransferView> lookupTransfers(final long... ids)
    {
        final LookupTransfersEncoder encoder = new LookupTransfersEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        final LookupTransfersEncoder.IdsEncoder group = encoder.idsCount(ids.length);
        for (final long id : ids)
        {
            group.next().id().lo(id).hi(0);
        }
        final int responseLength = execute(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        final LookupTransfersResponseDecoder decoder = new LookupTransfersResponseDecoder();
        decoder.wrapAndApplyHeader(response, 0, headerDecoder);
        assertTemplate(LookupTransfersResponseDecoder.TEMPLATE_ID, responseLength);
        final List<TransferView> found = new ArrayList<>();
        for (final LookupTransfersResponseDecoder.TransfersDecoder t : decoder.transfers())
        {
            found.add(transferView(t));
        }
        return found;
    }

    TransferView transferById(final long id)
    {
        final List<TransferView> found = lookupTransfers(id);
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * Looks up one transfer by its full 128-bit id (the other lookups take the low half only).
     */
    TransferView transferById(final long lo, final long hi)
    {
        final LookupTransfersEncoder encoder = new LookupTransfersEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        encoder.idsCount(1).next().id().lo(lo).hi(hi);
        final int responseLength = execute(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        final LookupTransfersResponseDecoder decoder = new LookupTransfersResponseDecoder();
        decoder.wrapAndApplyHeader(response, 0, headerDecoder);
        assertTemplate(LookupTransfersResponseDecoder.TEMPLATE_ID, responseLength);
        final LookupTransfersResponseDecoder.TransfersDecoder t = decoder.transfers();
        if (!t.hasNext())
        {
            return null;
        }
        t.next();
        return transferView(t);
    }

    private static TransferView transferView(final LookupTransfersResponseDecoder.TransfersDecoder t)
    {
        return new TransferView(t.id().lo(), t.id().hi(), t.debitAccountId(), t.creditAccountId(), t.amount(),
            t.pendingId().lo(), t.timestamp(), (int)t.timeout(), t.currency(), t.code(), t.flags().getRaw(),
            t.pendingStatus().value(), t.userData64(), t.userData128().lo(), t.userData128().hi(), (int)t.userData32(),
            t.fee(), t.feeAccountId());
    }

    // --------------------------------------------------------------------------------------- policies

    /** The policy fields of an account as looked up. */
    record PolicyView(int freezeScope, long transferAmountLimit, long dailyDebitLimit, long dailyDebitsUsed,
        long velocityDebitLimit, long velocityWindowSeconds)
    {
    }

    ResultCode freeze(final long accountId, final FreezeScope scope)
    {
        return accountCommand(accountId, AccountAction.FREEZE, scope);
    }

    ResultCode unfreeze(final long accountId)
    {
        return accountCommand(accountId, AccountAction.UNFREEZE, FreezeScope.NONE);
    }

    ResultCode close(final long accountId)
    {
        return accountCommand(accountId, AccountAction.CLOSE, FreezeScope.NONE);
    }

    /**
     * One account command with raw action and scope values, so tests can send values the schema does not define.
     */
    ResultCode accountCommandRaw(final long accountId, final int action, final int scope)
    {
        final AccountCommandsEncoder encoder = new AccountCommandsEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        encoder.commandsCount(1).next().accountId(accountId);
        // The element just added ends where the message does.
        final int element = encoder.limit() - AccountCommandsEncoder.CommandsEncoder.sbeBlockLength();
        request.putByte(element + AccountCommandsEncoder.CommandsEncoder.actionEncodingOffset(), (byte)action);
        request.putByte(element + AccountCommandsEncoder.CommandsEncoder.freezeScopeEncodingOffset(), (byte)scope);
        return commandResults(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), 1)[0];
    }

    ResultCode accountCommand(final long accountId, final AccountAction action, final FreezeScope scope)
    {
        return accountCommandRaw(accountId, action.value(), scope.value());
    }

    ResultCode setLimits(
        final long accountId, final long perTransfer, final long daily, final long velocityDebits, final long windowSeconds)
    {
        final SetAccountLimitsEncoder encoder = new SetAccountLimitsEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        encoder.limitsCount(1).next().accountId(accountId).transferAmountLimit(perTransfer).dailyDebitLimit(daily)
            .velocityDebitLimit(velocityDebits).velocityWindowSeconds(windowSeconds);
        return commandResults(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), 1)[0];
    }

    ResultCode setCodeLimits(
        final int code, final long perTransfer, final long daily, final long velocityDebits, final long windowSeconds)
    {
        final SetCodeLimitsEncoder encoder = new SetCodeLimitsEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        encoder.limitsCount(1).next().code(code).transferAmountLimit(perTransfer).dailyDebitLimit(daily)
            .velocityDebitLimit(velocityDebits).velocityWindowSeconds(windowSeconds);
        return commandResults(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), 1)[0];
    }

    ResultCode setFee(
        final int transferCode,
        final int currency,
        final long fixed,
        final long basisPoints,
        final long minimum,
        final long maximum,
        final long feeAccountId)
    {
        final SetFeesEncoder encoder = new SetFeesEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        encoder.feesCount(1).next().transferCode(transferCode).currency(currency).fixedAmount(fixed)
            .basisPoints(basisPoints).minimum(minimum).maximum(maximum).feeAccountId(feeAccountId);
        return commandResults(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), 1)[0];
    }

    ResultCode setReviewThreshold(final int currency, final long threshold)
    {
        final SetReviewThresholdsEncoder encoder = new SetReviewThresholdsEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        encoder.thresholdsCount(1).next().currency(currency).threshold(threshold);
        return commandResults(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), 1)[0];
    }

    ResultCode setSettingRaw(final int setting, final long value)
    {
        final SetPolicySettingsEncoder encoder = new SetPolicySettingsEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        encoder.settingsCount(1).next().value(value);
        final int element = encoder.limit() - SetPolicySettingsEncoder.SettingsEncoder.sbeBlockLength();
        request.putShort(element + SetPolicySettingsEncoder.SettingsEncoder.settingEncodingOffset(),
            (short)setting, ByteOrder.LITTLE_ENDIAN);
        return commandResults(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), 1)[0];
    }

    ResultCode review(final long id, final long pendingId, final int decision)
    {
        final ReviewTransfersEncoder encoder = new ReviewTransfersEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        final ReviewTransfersEncoder.DecisionsEncoder group = encoder.decisionsCount(1).next();
        group.id().lo(id).hi(0);
        group.pendingId().lo(pendingId).hi(0);
        final int element = encoder.limit() - ReviewTransfersEncoder.DecisionsEncoder.sbeBlockLength();
        request.putByte(element + ReviewTransfersEncoder.DecisionsEncoder.decisionEncodingOffset(), (byte)decision);
        return commandResults(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), 1)[0];
    }

    /**
     * Sends one request of operator commands, all of the same kind (the kind of the first), with raw enum values.
     *
     * @return one result per command, in order (OK where the response lists nothing).
     */
    ResultCode[] operatorCommands(final OperatorCommand... commands)
    {
        final OperatorCommand first = commands[0];
        final int length;
        if (first instanceof OperatorCommand.AccountCommand)
        {
            length = encodeAccountCommands(commands);
        }
        else if (first instanceof OperatorCommand.SetAccountLimits)
        {
            length = encodeAccountLimits(commands);
        }
        else if (first instanceof OperatorCommand.SetCodeLimits)
        {
            length = encodeCodeLimits(commands);
        }
        else if (first instanceof OperatorCommand.SetFee)
        {
            length = encodeFees(commands);
        }
        else if (first instanceof OperatorCommand.SetThreshold)
        {
            length = encodeThresholds(commands);
        }
        else if (first instanceof OperatorCommand.SetSetting)
        {
            length = encodeSettings(commands);
        }
        else
        {
            length = encodeDecisions(commands);
        }
        return commandResults(length, commands.length);
    }

    private int encodeAccountCommands(final OperatorCommand[] commands)
    {
        final AccountCommandsEncoder encoder = new AccountCommandsEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        final AccountCommandsEncoder.CommandsEncoder group = encoder.commandsCount(commands.length);
        for (final OperatorCommand command : commands)
        {
            final OperatorCommand.AccountCommand c = (OperatorCommand.AccountCommand)command;
            group.next().accountId(c.accountId());
            final int element = encoder.limit() - AccountCommandsEncoder.CommandsEncoder.sbeBlockLength();
            request.putByte(element + AccountCommandsEncoder.CommandsEncoder.actionEncodingOffset(), (byte)c.action());
            request.putByte(element + AccountCommandsEncoder.CommandsEncoder.freezeScopeEncodingOffset(),
                (byte)c.freezeScope());
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int encodeAccountLimits(final OperatorCommand[] commands)
    {
        final SetAccountLimitsEncoder encoder = new SetAccountLimitsEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        final SetAccountLimitsEncoder.LimitsEncoder group = encoder.limitsCount(commands.length);
        for (final OperatorCommand command : commands)
        {
            final OperatorCommand.SetAccountLimits c = (OperatorCommand.SetAccountLimits)command;
            group.next().accountId(c.accountId()).transferAmountLimit(c.transferAmountLimit())
                .dailyDebitLimit(c.dailyDebitLimit()).velocityDebitLimit(c.velocityDebitLimit())
                .velocityWindowSeconds(c.velocityWindowSeconds());
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int encodeCodeLimits(final OperatorCommand[] commands)
    {
        final SetCodeLimitsEncoder encoder = new SetCodeLimitsEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        final SetCodeLimitsEncoder.LimitsEncoder group = encoder.limitsCount(commands.length);
        for (final OperatorCommand command : commands)
        {
            final OperatorCommand.SetCodeLimits c = (OperatorCommand.SetCodeLimits)command;
            group.next().code(c.code()).transferAmountLimit(c.transferAmountLimit())
                .dailyDebitLimit(c.dailyDebitLimit()).velocityDebitLimit(c.velocityDebitLimit())
                .velocityWindowSeconds(c.velocityWindowSeconds());
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int encodeFees(final OperatorCommand[] commands)
    {
        final SetFeesEncoder encoder = new SetFeesEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        final SetFeesEncoder.FeesEncoder group = encoder.feesCount(commands.length);
        for (final OperatorCommand command : commands)
        {
            final OperatorCommand.SetFee c = (OperatorCommand.SetFee)command;
            group.next().transferCode(c.transferCode()).currency(c.currency()).fixedAmount(c.fixedAmount())
                .basisPoints(c.basisPoints()).minimum(c.minimum()).maximum(c.maximum()).feeAccountId(c.feeAccountId());
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int encodeThresholds(final OperatorCommand[] commands)
    {
        final SetReviewThresholdsEncoder encoder = new SetReviewThresholdsEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        final SetReviewThresholdsEncoder.ThresholdsEncoder group = encoder.thresholdsCount(commands.length);
        for (final OperatorCommand command : commands)
        {
            final OperatorCommand.SetThreshold c = (OperatorCommand.SetThreshold)command;
            group.next().currency(c.currency()).threshold(c.threshold());
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int encodeSettings(final OperatorCommand[] commands)
    {
        final SetPolicySettingsEncoder encoder = new SetPolicySettingsEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        final SetPolicySettingsEncoder.SettingsEncoder group = encoder.settingsCount(commands.length);
        for (final OperatorCommand command : commands)
        {
            final OperatorCommand.SetSetting c = (OperatorCommand.SetSetting)command;
            group.next().value(c.value());
            final int element = encoder.limit() - SetPolicySettingsEncoder.SettingsEncoder.sbeBlockLength();
            request.putShort(element + SetPolicySettingsEncoder.SettingsEncoder.settingEncodingOffset(),
                (short)c.setting(), ByteOrder.LITTLE_ENDIAN);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int encodeDecisions(final OperatorCommand[] commands)
    {
        final ReviewTransfersEncoder encoder = new ReviewTransfersEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        final ReviewTransfersEncoder.DecisionsEncoder group = encoder.decisionsCount(commands.length);
        for (final OperatorCommand command : commands)
        {
            final OperatorCommand.Decision c = (OperatorCommand.Decision)command;
            group.next();
            group.id().lo(c.idLo()).hi(c.idHi());
            group.pendingId().lo(c.pendingIdLo()).hi(c.pendingIdHi());
            final int element = encoder.limit() - ReviewTransfersEncoder.DecisionsEncoder.sbeBlockLength();
            request.putByte(element + ReviewTransfersEncoder.DecisionsEncoder.decisionEncodingOffset(),
                (byte)c.decision());
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private ResultCode[] commandResults(final int requestLength, final int count)
    {
        final int responseLength = execute(requestLength);
        assertTemplate(CommandResultsResponseDecoder.TEMPLATE_ID, responseLength);
        final CommandResultsResponseDecoder decoder = new CommandResultsResponseDecoder();
        decoder.wrapAndApplyHeader(response, 0, headerDecoder);
        if (decoder.correlationId() != correlationId)
        {
            throw new AssertionError("correlation id not echoed");
        }
        final ResultCode[] results = new ResultCode[count];
        Arrays.fill(results, ResultCode.OK);
        for (final CommandResultsResponseDecoder.ResultsDecoder r : decoder.results())
        {
            results[r.index()] = r.result();
        }
        return results;
    }

    /**
     * @return the policy fields of the accounts found, in the order {@link #lookupAccounts} lists them.
     */
    List<PolicyView> lookupAccountPolicies(final long... ids)
    {
        final LookupAccountsEncoder encoder = new LookupAccountsEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        final LookupAccountsEncoder.IdsEncoder group = encoder.idsCount(ids.length);
        for (final long id : ids)
        {
            group.next().id(id);
        }
        final int responseLength = execute(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        assertTemplate(LookupAccountsResponseDecoder.TEMPLATE_ID, responseLength);
        final LookupAccountsResponseDecoder decoder = new LookupAccountsResponseDecoder();
        decoder.wrapAndApplyHeader(response, 0, headerDecoder);
        final List<PolicyView> found = new ArrayList<>();
        for (final LookupAccountsResponseDecoder.AccountsDecoder a : decoder.accounts())
        {
            found.add(new PolicyView(a.freezeScope().value(), a.transferAmountLimit(), a.dailyDebitLimit(),
                a.dailyDebitsUsed(), a.velocityDebitLimit(), a.velocityWindowSeconds()));
        }
        return found;
    }

    PolicyView policyOf(final long accountId)
    {
        final LookupAccountsEncoder encoder = new LookupAccountsEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        encoder.idsCount(1).next().id(accountId);
        final int responseLength = execute(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        assertTemplate(LookupAccountsResponseDecoder.TEMPLATE_ID, responseLength);
        final LookupAccountsResponseDecoder decoder = new LookupAccountsResponseDecoder();
        decoder.wrapAndApplyHeader(response, 0, headerDecoder);
        final LookupAccountsResponseDecoder.AccountsDecoder a = decoder.accounts();
        if (!a.hasNext())
        {
            return null;
        }
        a.next();
        return new PolicyView(a.freezeScope().value(), a.transferAmountLimit(), a.dailyDebitLimit(), a.dailyDebitsUsed(),
            a.velocityDebitLimit(), a.velocityWindowSeconds());
    }

    /**
     * @return the fee of a transfer and the account that received it, or null if the transfer is not found.
     */
    long[] feeOf(final long transferId)
    {
        final LookupTransfersEncoder encoder = new LookupTransfersEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        encoder.idsCount(1).next().id().lo(transferId).hi(0);
        final int responseLength = execute(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        assertTemplate(LookupTransfersResponseDecoder.TEMPLATE_ID, responseLength);
        final LookupTransfersResponseDecoder decoder = new LookupTransfersResponseDecoder();
        decoder.wrapAndApplyHeader(response, 0, headerDecoder);
        final LookupTransfersResponseDecoder.TransfersDecoder t = decoder.transfers();
        if (!t.hasNext())
        {
            return null;
        }
        t.next();
        return new long[] {t.fee(), t.feeAccountId()};
    }

    /** The ledger-wide policies as LookupPolicies shows them. */
    record PoliciesView(long dayStartSeconds, long configDigest, long holdsPerAccountMax, long holdTimeoutMaxSeconds,
        List<FeeView> fees, List<ThresholdView> thresholds,
        List<CodeLimitsView> codeLimits)
    {
    }

    /** An entry of the fee schedule as looked up. */
    record FeeView(int transferCode, int currency, long fixedAmount, long basisPoints, long minimum, long maximum,
        long feeAccountId)
    {
    }

    /** A review threshold as looked up. */
    record ThresholdView(int currency, long threshold)
    {
    }

    /** The default limits of an account code as looked up. */
    record CodeLimitsView(int code, long transferAmountLimit, long dailyDebitLimit, long velocityDebitLimit,
        long velocityWindowSeconds)
    {
    }

    PoliciesView policies()
    {
        final LookupPoliciesResponseDecoder decoder = lookupPolicies();
        final long dayStart = decoder.dayStartSeconds();
        final long digest = decoder.configDigest();
        final List<FeeView> fees = new ArrayList<>();
        for (final LookupPoliciesResponseDecoder.FeesDecoder f : decoder.fees())
        {
            fees.add(new FeeView(f.transferCode(), f.currency(), f.fixedAmount(), f.basisPoints(), f.minimum(),
                f.maximum(), f.feeAccountId()));
        }
        final List<ThresholdView> thresholds = new ArrayList<>();
        for (final LookupPoliciesResponseDecoder.ThresholdsDecoder t : decoder.thresholds())
        {
            thresholds.add(new ThresholdView(t.currency(), t.threshold()));
        }
        final List<CodeLimitsView> codeLimits = new ArrayList<>();
        for (final LookupPoliciesResponseDecoder.CodeLimitsDecoder c : decoder.codeLimits())
        {
            codeLimits.add(new CodeLimitsView(c.code(), c.transferAmountLimit(), c.dailyDebitLimit(),
                c.velocityDebitLimit(), c.velocityWindowSeconds()));
        }
        return new PoliciesView(dayStart, digest, decoder.holdsPerAccountMax(), decoder.holdTimeoutMaxSeconds(), fees,
            thresholds, codeLimits);
    }

    /**
     * @return the LookupPolicies response, decoded, valid until the next request.
     */
    LookupPoliciesResponseDecoder lookupPolicies()
    {
        final LookupPoliciesEncoder encoder = new LookupPoliciesEncoder()
            .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId);
        encoder.sectionsCount(1).next().reserved((short)0);
        final int responseLength = execute(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        assertTemplate(LookupPoliciesResponseDecoder.TEMPLATE_ID, responseLength);
        return new LookupPoliciesResponseDecoder().wrapAndApplyHeader(response, 0, headerDecoder);
    }

    /**
     * Sends {@code SetLedgerSettings} with the capacities and currencies of {@code next}, as the node journals it.
     *
     * @return its one result.
     */
    ResultCode setLedgerSettings(final LedgerConfig next)
    {
        final io.walletledger.protocol.sbe.SetLedgerSettingsEncoder encoder =
            new io.walletledger.protocol.sbe.SetLedgerSettingsEncoder()
                .wrapAndApplyHeader(request, 0, headerEncoder).correlationId(++correlationId)
                .accountsMax(next.accountsMax())
                .idempotencyWindow(next.idempotencyWindow())
                .pendingTransfersMax(next.pendingTransfersMax())
                .batchEventsMax(next.batchEventsMax())
                .limitedAccountsMax(next.limitedAccountsMax())
                .velocityDebitsMax(next.velocityDebitsMax());
        final java.util.List<io.walletledger.protocol.Currency> currencies = next.currencies().currencies();
        final io.walletledger.protocol.sbe.SetLedgerSettingsEncoder.CurrenciesEncoder group =
            encoder.currenciesCount(currencies.size());
        for (final io.walletledger.protocol.Currency currency : currencies)
        {
            group.next().numericCode(currency.numericCode()).exponent((short)currency.exponent())
                .alphaCode(currency.alphaCode());
        }
        return commandResults(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), 1)[0];
    }

    /**
     * Executes raw request bytes and returns the error code of the ErrorResponse, or null if the engine
     * answered with anything else.
     */
    io.walletledger.protocol.sbe.ErrorCode executeRaw(final byte[] bytes)
    {
        request.putBytes(0, bytes);
        final int responseLength = engine.execute(now, request, 0, bytes.length, response, 0);
        headerDecoder.wrap(response, 0);
        if (headerDecoder.templateId() != ErrorResponseDecoder.TEMPLATE_ID || responseLength <= 0)
        {
            return null;
        }
        final ErrorResponseDecoder decoder = new ErrorResponseDecoder();
        decoder.wrapAndApplyHeader(response, 0, headerDecoder);
        return decoder.code();
    }

    private int execute(final int requestLength)
    {
        final byte[] note = nextNote;
        nextNote = null;
        if (journal != null)
        {
            final byte[] bytes = new byte[requestLength];
            request.getBytes(0, bytes);
            journal.add(new JournalEntry(now, bytes, note));
        }
        if (note != null)
        {
            engine.recall(new UnsafeBuffer(note), 0, note.length);
        }
        return engine.execute(now, request, 0, requestLength, response, 0);
    }

    /**
     * The next request is executed with this {@link RecallNote}, as the server's journaler writes one.
     */
    void nextNote(final byte[] note)
    {
        this.nextNote = note;
    }

    /** One executed request: its timestamp, its bytes and its recall note (or null), as a journal would keep them. */
    record JournalEntry(long timestamp, byte[] request, byte[] note)
    {
    }

    /**
     * Starts keeping every request executed from now on, so a test can replay them into another engine.
     *
     * @return the list the requests are added to.
     */
    List<JournalEntry> record()
    {
        journal = new ArrayList<>();
        return journal;
    }

    /**
     * Executes journaled requests, as recovery replays a journal.
     */
    void replay(final List<JournalEntry> entries)
    {
        for (final JournalEntry entry : entries)
        {
            request.putBytes(0, entry.request());
            if (entry.note() != null)
            {
                engine.recall(new UnsafeBuffer(entry.note()), 0, entry.note().length);
            }
            engine.execute(entry.timestamp(), request, 0, entry.request().length, response, 0);
        }
    }

    private void assertTemplate(final int templateId, final int responseLength)
    {
        headerDecoder.wrap(response, 0);
        if (headerDecoder.templateId() != templateId)
        {
            final ErrorResponseDecoder error = new ErrorResponseDecoder();
            error.wrapAndApplyHeader(response, 0, headerDecoder);
            throw new AssertionError("expected template " + templateId + " but got error " + error.code() + ": " +
                error.message());
        }
        if (responseLength <= MessageHeaderDecoder.ENCODED_LENGTH)
        {
            throw new AssertionError("empty response");
        }
    }

    long stateHash()
    {
        return engine.stateHash();
    }

    void advanceSeconds(final long seconds)
    {
        now += seconds * 1_000_000_000L;
    }
}
