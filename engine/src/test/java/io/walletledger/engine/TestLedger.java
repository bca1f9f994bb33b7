package io.walletledger.engine;

import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateAccountsResponseDecoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersEncoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.ResultCode;
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
        long timestamp, int timeout, int currency, int code, int flags, int pendingStatus, long userData64)
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
            found.add(new TransferView(t.id().lo(), t.id().hi(), t.debitAccountId(), t.creditAccountId(), t.amount(),
                t.pendingId().lo(), t.timestamp(), (int)t.timeout(), t.currency(), t.code(), t.flags().getRaw(),
                t.pendingStatus().value(), t.userData64()));
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
        return new TransferView(t.id().lo(), t.id().hi(), t.debitAccountId(), t.creditAccountId(), t.amount(),
            t.pendingId().lo(), t.timestamp(), (int)t.timeout(), t.currency(), t.code(), t.flags().getRaw(),
            t.pendingStatus().value(), t.userData64());
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
        return engine.execute(now, request, 0, requestLength, response, 0);
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
