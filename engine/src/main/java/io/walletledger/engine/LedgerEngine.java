package io.walletledger.engine;

import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.RequestType;
import io.walletledger.protocol.RequestValidator;
import io.walletledger.protocol.sbe.CommandResultsResponseEncoder;
import io.walletledger.protocol.sbe.CreateAccountsDecoder;
import io.walletledger.protocol.sbe.CreateTransfersDecoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseEncoder;
import io.walletledger.protocol.sbe.LookupAccountsDecoder;
import io.walletledger.protocol.sbe.LookupPoliciesDecoder;
import io.walletledger.protocol.sbe.LookupTransfersDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.ReviewTransfersDecoder;
import io.walletledger.protocol.sbe.SetLedgerSettingsDecoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;


/**
 * The balance engine: applies one request message (SBE header and body, exactly as journaled) to the
 * ledger and encodes the response. Single-threaded and deterministic: it reads no clock, no random source
 * and nothing but its arguments, so the same requests with the same timestamps always give the same
 * responses and the same {@link #stateHash()}. It allocates nothing per request after construction.
 *
 * <pre>
 *  request bytes ──► validate shape ──► the handler of its RequestType (see {@link #handlerOf})
 *                                          ├─ CreateAccounts  ─► per event: Ledger.createAccount
 *                                          ├─ CreateTransfers ─► expire holds, then per event:
 *                                          │                     Ledger.createTransfer (linked chains undone on failure)
 *                                          ├─ ReviewTransfers ─► per event: Ledger.reviewTransfer
 *                                          ├─ AccountCommands, Set* policies ─► per command, no chains
 *                                          ├─ LookupAccounts / LookupTransfers / LookupPolicies (read only)
 *                                          └─ anything else ─► ErrorResponse
 * </pre>
 * After each request, {@link #lastRequestType()}, {@link #lastEventCount()} and {@link #lastResult(int)} tell what it
 * decided, so that callers count outcomes without decoding the response.
 */
public final class LedgerEngine
{
    // Replaced together when a SetLedgerSettings command changes the ledger's capacities or currencies.
    private LedgerConfig config;
    private Ledger ledger;
    private final RequestValidator validator;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final CreateAccountsDecoder createAccountsDecoder = new CreateAccountsDecoder();
    private final CreateTransfersDecoder createTransfersDecoder = new CreateTransfersDecoder();
    private final LookupAccountsDecoder lookupAccountsDecoder = new LookupAccountsDecoder();
    private final LookupTransfersDecoder lookupTransfersDecoder = new LookupTransfersDecoder();
    private final ReviewTransfersDecoder reviewTransfersDecoder = new ReviewTransfersDecoder();
    private final LookupPoliciesDecoder lookupPoliciesDecoder = new LookupPoliciesDecoder();
    /** Writes all three result-listing responses, which share one layout; the header then names the right one. */
    private final CommandResultsResponseEncoder resultsResponse = new CommandResultsResponseEncoder();
    private final ErrorResponseEncoder errorResponse = new ErrorResponseEncoder();
    /** By {@link RequestType#ordinal()}. */
    private final RequestHandler[] handlers = new RequestHandler[RequestType.values().length];

    private LedgerQueries queries;
    private PolicyCommands policyCommands;
    private LedgerStateCodec stateCodec;
    private final SetLedgerSettingsDecoder setLedgerSettingsDecoder = new SetLedgerSettingsDecoder();
    private final AccountEvents accountEvents = new AccountEvents();
    private final TransferEvents transferEvents = new TransferEvents();
    private final ReviewEvents reviewEvents = new ReviewEvents();

    // Per-batch scratch, sized for the largest batch.
    private final ResultCode[] results;
    private final long[] eventIdLo;
    private final long[] eventIdHi;
    private final long[] eventTimestamps;
    /** The text of each error response, encoded once so refusing a request allocates nothing. */
    private final byte[][] errorMessages;

    private RequestType lastType;
    private int lastEvents;
    private int lastFailures;
    /** The timestamp of the command whose batch {@link #applyBatch} is applying. */
    private long batchTimestamp;
    /** Null unless {@link #appliedTransferListener} was called. */
    private AppliedEvents applied;
    private AppliedTransferListener listener;

    /**
     * Allocates everything the engine will ever use.
     *
     * @param config capacities and currencies.
     * @throws IllegalStateException if the JVM cannot give the engine the memory the configuration needs.
     */
    public LedgerEngine(final LedgerConfig config)
    {
        install(config, allocate(config));
        this.validator = new RequestValidator(config.batchEventsMax());
        final int batch = config.batchEventsMax();
        this.results = new ResultCode[batch];
        this.eventIdLo = new long[batch];
        this.eventIdHi = new long[batch];
        this.eventTimestamps = new long[batch];
        int codeMax = 0;
        for (final ErrorCode code : ErrorCode.values())
        {
            codeMax = Math.max(codeMax, code.value());
        }
        this.errorMessages = new byte[codeMax + 1][];
        for (final ErrorCode code : ErrorCode.values())
        {
            errorMessages[code.value()] = ("request refused by the engine: " + code.name())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * The engine's side of the request table: exhaustive, so a request type without a handler does not compile.
     */
    private RequestHandler handlerOf(final RequestType type)
    {
        return switch (type)
        {
            case CREATE_ACCOUNTS -> this::createAccounts;
            case CREATE_TRANSFERS -> this::createTransfers;
            case REVIEW_TRANSFERS -> this::reviewTransfers;
            case LOOKUP_ACCOUNTS -> this::lookupAccounts;
            case LOOKUP_TRANSFERS -> this::lookupTransfers;
            case LOOKUP_POLICIES -> this::lookupPolicies;
            case LOOKUP_ACCOUNT_HISTORY -> this::notForTheEngine;
            case SET_LEDGER_SETTINGS -> this::setLedgerSettings;
            case SKIP_JOURNAL_ENTRIES -> this::skipJournalEntries;
            case ACCOUNT_COMMANDS -> commands(type, policyCommands::accountCommands);
            case SET_ACCOUNT_LIMITS -> commands(type, policyCommands::setAccountLimits);
            case SET_CODE_LIMITS -> commands(type, policyCommands::setCodeLimits);
            case SET_FEES -> commands(type, policyCommands::setFees);
            case SET_REVIEW_THRESHOLDS -> commands(type, policyCommands::setReviewThresholds);
            case SET_POLICY_SETTINGS -> commands(type, policyCommands::setPolicySettings);
        };
    }

    private static Ledger allocate(final LedgerConfig config)
    {
        try
        {
            return new Ledger(config);
        }
        catch (final OutOfMemoryError ex)
        {
            throw new IllegalStateException("the ledger needs about " + (config.memoryBytesEstimate() >> 20) +
                " MiB, mostly direct memory, for " + config + ": lower the capacities or raise -Xmx / " +
                "-XX:MaxDirectMemorySize", ex);
        }
    }

    public LedgerConfig config()
    {
        return config;
    }

    /**
     * @return the size a response buffer needs so that no response overflows it.
     */
    public int responseLengthMax()
    {
        return ProtocolLimits.responseLengthMax(config.batchEventsMax());
    }

    /**
     * Applies one request and encodes its response.
     *
     * @param timestamp      the engine time of the request in nanoseconds, assigned by the journaler; events
     *                       get this or, if earlier than the previous event, one nanosecond after it.
     * @param request        holding the message.
     * @param offset         of the message header in {@code request}.
     * @param length         of header and body.
     * @param response       where the response message (header and body) is written.
     * @param responseOffset where in {@code response} it starts.
     * @return the length of the response message.
     */
    public int execute(
        final long timestamp,
        final DirectBuffer request,
        final int offset,
        final int length,
        final MutableDirectBuffer response,
        final int responseOffset)
    {
        lastType = null;
        lastEvents = 0;
        lastFailures = 0;
        try
        {
            final ErrorCode error = validator.validate(request, offset, length);
            if (error != null)
            {
                return encodeError(
                    FrameDescriptor.correlationId(request, offset, length), error, response, responseOffset);
            }
            final RequestType type = RequestType.of(FrameDescriptor.templateId(request, offset));
            lastType = type;
            return handlers[type.ordinal()].execute(timestamp, request, offset, response, responseOffset);
        }
        finally
        {
            ledger.recall().clear();
        }
    }

    /**
     * Gives the next {@link #execute} the {@link RecallNote} journaled with its command: what the permanent record
     * said about the ids the window may have forgotten. A command executed without one is judged by the window
     * alone, as commands journaled before the record existed were.
     *
     * @throws IllegalArgumentException if the note is not well formed.
     */
    public void recall(final DirectBuffer note, final int offset, final int length)
    {
        ledger.recall().wrap(note, offset, length);
    }

    /**
     * @return the largest transfer id (high half; unsigned) the idempotency window has ever forgotten: a new id above
     * it needs no look-up in the record. Read by the journaler's thread only as a hint: the engine decides.
     */
    public long forgottenIdHi()
    {
        return ledger.history().forgottenIdHi();
    }

    /**
     * @return the low half of {@link #forgottenIdHi()}'s id.
     */
    public long forgottenIdLo()
    {
        return ledger.history().forgottenIdLo();
    }

    /**
     * @return the engine timestamp of the newest transfer the window forgot (0 for none): a look-up in a record that
     * holds every transfer up to it settles whether an id is new.
     */
    public long forgottenTimestamp()
    {
        return ledger.history().forgottenTimestamp();
    }

    /**
     * @return the type of the last request {@link #execute} applied, or null if it refused it with an
     * {@code ErrorResponse}.
     */
    public RequestType lastRequestType()
    {
        return lastType;
    }

    /**
     * @return the events of the last request whose results are listed ({@link RequestType#answersWithResults()});
     * 0 for a lookup or a refused request.
     */
    public int lastEventCount()
    {
        return lastEvents;
    }

    /**
     * @return how many events of the last request had a result other than {@code OK}.
     */
    public int lastFailureCount()
    {
        return lastFailures;
    }

    /**
     * @param index of an event of the last request, below {@link #lastEventCount()}.
     * @return its result.
     */
    public ResultCode lastResult(final int index)
    {
        if (index < 0 || index >= lastEvents)
        {
            throw new IndexOutOfBoundsException("event " + index + " of a request of " + lastEvents);
        }
        return results[index];
    }

    /**
     * @return the deterministic digest of the whole ledger state (see {@link StateHasher}).
     */
    public long stateHash()
    {
        return StateHasher.hash(ledger);
    }

    /**
     * @return how many bytes {@link #writeState(LedgerStateSink)} would write now.
     */
    public long stateLength()
    {
        return stateCodec.length();
    }

    /**
     * Writes the whole ledger state (see {@link LedgerStateCodec} for the format): what a snapshot holds. Call it
     * between requests, on the thread that executes them; the bytes depend only on the state, not on the hash seed.
     *
     * @param sink receives the bytes in chunks.
     */
    public void writeState(final LedgerStateSink sink)
    {
        stateCodec.write(sink);
    }

    /**
     * Loads a state written by {@link #writeState(LedgerStateSink)} into this engine, which must be new. The state
     * must have been taken under the same limits (accounts, window, holds, batch size). On an exception the engine
     * is in an undefined state and must be discarded.
     *
     * @param source gives the bytes.
     * @throws LedgerStateException if the bytes are not a loadable state or end early.
     */
    public void readState(final LedgerStateSource source)
    {
        stateCodec.read(source);
    }

    /**
     * Reads the settings a state was taken under, without loading it: the engine to load it into is made with them.
     *
     * @param source gives the state's bytes from its start (it reads only the header and the settings).
     * @param base   the settings a state of a format that keeps no currencies was taken under (those the ledger was
     *               created with), and the hash seed of the result.
     * @return the state's settings with {@code base}'s hash seed, or {@code base} for such a state.
     * @throws LedgerStateException if the bytes are not a state's start.
     */
    public static LedgerConfig settingsOf(final LedgerStateSource source, final LedgerConfig base)
    {
        return LedgerStateCodec.settingsOf(source, base);
    }

    /**
     * Walks every account in creation order: for tools and checks (totals per currency, overdraft audits), on the
     * thread that executes requests or while none run.
     *
     * @param visitor sees each account.
     */
    public void forEachAccount(final AccountVisitor visitor)
    {
        final Accounts accounts = ledger.accounts();
        for (int slot = 0, count = accounts.count(); slot < count; slot++)
        {
            visitor.visit(accounts.id(slot), accounts.currency(slot), accounts.flags(slot), accounts.status(slot),
                accounts.debitsPending(slot), accounts.debitsPosted(slot), accounts.creditsPending(slot),
                accounts.creditsPosted(slot));
        }
    }

    public int accountCount()
    {
        return ledger.accounts().count();
    }

    /**
     * @return transfer ids currently remembered for idempotency (at least the window once it has filled).
     */
    public int rememberedTransferCount()
    {
        return ledger.history().count();
    }

    public int pendingTransferCount()
    {
        return ledger.pending().count();
    }

    /**
     * @return the timestamp of the newest event applied.
     */
    public long lastTimestamp()
    {
        return ledger.lastTimestamp();
    }

    /**
     * Reports every transfer this engine decides from now on, and every hold that expires, to {@code listener}, in
     * order, each with its accounts' balances right after it. For an engine that feeds a read side (the primary
     * engine runs without one): it costs a lookup of the id and of each account per transfer.
     */
    public void appliedTransferListener(final AppliedTransferListener listener)
    {
        if (applied != null)
        {
            throw new IllegalStateException("this engine already reports to a listener");
        }
        applied = ledger.reportTo(listener, config.batchEventsMax());
        this.listener = listener;
    }

    Ledger ledger()
    {
        return ledger;
    }

    // ---------------------------------------------------------------------------------------------------

    private int createAccounts(
        final long timestamp, final DirectBuffer request, final int offset, final MutableDirectBuffer out,
        final int outOffset)
    {
        final CreateAccountsDecoder decoder = createAccountsDecoder.wrapAndApplyHeader(request, offset, headerDecoder);
        ledger.expire(timestamp);
        final CreateAccountsDecoder.AccountsDecoder events = decoder.accounts();
        final int count = events.count();
        accountEvents.events = events;
        applyBatch(accountEvents, count, timestamp);
        return encodeResults(RequestType.CREATE_ACCOUNTS, decoder.correlationId(), count, out, outOffset);
    }

    private int createTransfers(
        final long timestamp, final DirectBuffer request, final int offset, final MutableDirectBuffer out,
        final int outOffset)
    {
        final CreateTransfersDecoder decoder = createTransfersDecoder.wrapAndApplyHeader(request, offset, headerDecoder);
        ledger.expire(timestamp);
        final CreateTransfersDecoder.TransfersDecoder events = decoder.transfers();
        final int count = events.count();
        ledger.beginTransferBatch(count);
        transferEvents.begin(events, decoder.buffer(), decoder.limit());
        applyBatch(transferEvents, count, timestamp);
        return encodeResults(RequestType.CREATE_TRANSFERS, decoder.correlationId(), count, out, outOffset);
    }

    private int reviewTransfers(
        final long timestamp, final DirectBuffer request, final int offset, final MutableDirectBuffer out,
        final int outOffset)
    {
        final ReviewTransfersDecoder decoder = reviewTransfersDecoder.wrapAndApplyHeader(request, offset, headerDecoder);
        ledger.expire(timestamp);
        final ReviewTransfersDecoder.DecisionsDecoder events = decoder.decisions();
        final int count = events.count();
        ledger.beginTransferBatch(count);
        reviewEvents.begin(events);
        applyBatch(reviewEvents, count, timestamp);
        return encodeResults(RequestType.REVIEW_TRANSFERS, decoder.correlationId(), count, out, outOffset);
    }

    private int lookupAccounts(
        final long timestamp, final DirectBuffer request, final int offset, final MutableDirectBuffer out,
        final int outOffset)
    {
        return queries.lookupAccounts(
            timestamp, lookupAccountsDecoder.wrapAndApplyHeader(request, offset, headerDecoder), out, outOffset);
    }

    private int lookupTransfers(
        final long timestamp, final DirectBuffer request, final int offset, final MutableDirectBuffer out,
        final int outOffset)
    {
        return queries.lookupTransfers(
            lookupTransfersDecoder.wrapAndApplyHeader(request, offset, headerDecoder), out, outOffset);
    }

    /**
     * The ledger's capacities and currencies from here on: checked against what the ledger uses (it answers why not,
     * and changes nothing), then the whole state moves into an engine core allocated for the new settings. Journaled
     * like every command, so a replay changes the settings at the same place and decides everything after under the
     * same ones. Only the node sends it, at start, before it serves anything: the move takes the time of a snapshot
     * written and loaded in memory, and twice the engine's memory while it runs.
     */
    private int setLedgerSettings(
        final long timestamp, final DirectBuffer request, final int offset, final MutableDirectBuffer out,
        final int outOffset)
    {
        final SetLedgerSettingsDecoder decoder =
            setLedgerSettingsDecoder.wrapAndApplyHeader(request, offset, headerDecoder);
        final long correlationId = decoder.correlationId();
        LedgerConfig next = null;
        try
        {
            final LedgerConfig.Builder builder = LedgerConfig.builder()
                .accountsMax(unsigned(decoder.accountsMax()))
                .idempotencyWindow(unsigned(decoder.idempotencyWindow()))
                .pendingTransfersMax(unsigned(decoder.pendingTransfersMax()))
                .batchEventsMax(unsigned(decoder.batchEventsMax()))
                .limitedAccountsMax(unsigned(decoder.limitedAccountsMax()))
                .velocityDebitsMax(unsigned(decoder.velocityDebitsMax()))
                .hashSeed(config.hashSeed());
            final CurrencyRegistry.Builder currencies = CurrencyRegistry.empty();
            for (final SetLedgerSettingsDecoder.CurrenciesDecoder currency : decoder.currencies())
            {
                // Zero-padded: the generated decoder stops at the first zero.
                currencies.add(currency.alphaCode(), currency.numericCode(), currency.exponent());
            }
            next = builder.currencies(currencies.build()).build();
        }
        catch (final IllegalArgumentException ex)
        {
            results[0] = ResultCode.SETTING_OUT_OF_RANGE;
        }
        if (next != null)
        {
            results[0] = LedgerSettings.check(config, ledger, next);
            if (results[0] == ResultCode.OK && !config.sameSettings(next))
            {
                move(next);
            }
        }
        return encodeResults(RequestType.SET_LEDGER_SETTINGS, correlationId, 1, out, outOffset);
    }

    /**
     * The journal's record that entries were passed over ({@code wallet recover --skip}): nothing to change.
     */
    private int skipJournalEntries(
        final long timestamp, final DirectBuffer request, final int offset, final MutableDirectBuffer out,
        final int outOffset)
    {
        final int count = FrameDescriptor.groupCount(request, FrameDescriptor.groupHeaderOffset(request, offset));
        java.util.Arrays.fill(results, 0, count, ResultCode.OK);
        return encodeResults(RequestType.SKIP_JOURNAL_ENTRIES, FrameDescriptor.correlationId(request, offset), count,
            out, outOffset);
    }

    private static int unsigned(final long value)
    {
        return (int)Math.min(value, Integer.MAX_VALUE);
    }

    /**
     * Moves the whole state into a core allocated for {@code next}, through the snapshot format.
     */
    private void move(final LedgerConfig next)
    {
        final LedgerStateCodec.InMemory state = new LedgerStateCodec.InMemory(stateCodec.length());
        stateCodec.write(state);
        final Ledger moved = allocate(next);
        new LedgerStateCodec(next, moved).readUnder(state.source(), config);
        install(next, moved);
    }

    /**
     * Makes {@code next} and {@code core} the engine's settings and state, with everything built on them.
     */
    private void install(final LedgerConfig next, final Ledger core)
    {
        this.config = next;
        this.ledger = core;
        this.transferEvents.prefetcher = core.prefetcher();
        this.queries = new LedgerQueries(core, next.batchEventsMax());
        this.policyCommands = new PolicyCommands(core);
        this.stateCodec = new LedgerStateCodec(next, core);
        for (final RequestType type : RequestType.values())
        {
            handlers[type.ordinal()] = handlerOf(type);
        }
        if (listener != null)
        {
            applied = core.reportTo(listener, next.batchEventsMax());
        }
    }

    /**
     * A query the gateway answers from the permanent record; one that reaches the engine anyway (a tool that submits
     * to the ledger directly) is refused, never guessed at.
     */
    private int notForTheEngine(
        final long timestamp, final DirectBuffer request, final int offset, final MutableDirectBuffer out,
        final int outOffset)
    {
        return encodeError(FrameDescriptor.correlationId(request, offset), ErrorCode.UNKNOWN_MESSAGE_TYPE, out,
            outOffset);
    }

    private int lookupPolicies(
        final long timestamp, final DirectBuffer request, final int offset, final MutableDirectBuffer out,
        final int outOffset)
    {
        return queries.lookupPolicies(
            lookupPoliciesDecoder.wrapAndApplyHeader(request, offset, headerDecoder), out, outOffset);
    }

    /**
     * The operator commands on accounts and policies: each applies or fails alone, in order, never in a chain.
     */
    private RequestHandler commands(final RequestType type, final PolicyCommands.Batch batch)
    {
        return (timestamp, request, offset, out, outOffset) ->
        {
            ledger.expire(timestamp);
            final int count = batch.apply(request, offset, results);
            return encodeResults(type, FrameDescriptor.correlationId(request, offset), count, out, outOffset);
        };
    }

    /**
     * Writes the answer that lists the result of every event that was not {@code OK}, and notes the counts.
     */
    private int encodeResults(
        final RequestType type, final long correlationId, final int count, final MutableDirectBuffer out,
        final int outOffset)
    {
        final int failures = failures(count);
        lastEvents = count;
        lastFailures = failures;
        final CommandResultsResponseEncoder encoder = resultsResponse;
        encoder.wrapAndApplyHeader(out, outOffset, headerEncoder).correlationId(correlationId);
        headerEncoder.templateId(type.responseTemplateId());
        final CommandResultsResponseEncoder.ResultsEncoder group = encoder.resultsCount(failures);
        for (int i = 0; i < count; i++)
        {
            if (results[i] != ResultCode.OK)
            {
                group.next().index(i).result(results[i]);
            }
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int failures(final int count)
    {
        int failures = 0;
        for (int i = 0; i < count; i++)
        {
            if (results[i] != ResultCode.OK)
            {
                failures++;
            }
        }
        return failures;
    }

    private static boolean fails(final ResultCode result)
    {
        return result != ResultCode.OK && result != ResultCode.EXISTS && result != ResultCode.HELD_FOR_REVIEW;
    }

    /**
     * Applies the events of one batch in order. A run of events flagged {@code linked}, plus the event that
     * ends it, is a chain: all of it applies or none. When an event of a chain fails, everything the chain
     * did is undone, that event keeps its own result and the others get {@code LINKED_EVENT_FAILED}, except that an
     * event after it whose id is remembered with a failure answers that failure. A chain still open at the end of
     * the batch fails with {@code LINKED_EVENT_CHAIN_OPEN} on its last event.
     * {@code EXISTS} (an identical retry) does not fail a chain.
     */
    private void applyBatch(final EventBatch batch, final int count, final long timestamp)
    {
        batchTimestamp = timestamp;
        final ResultCode[] results = this.results;
        final AppliedEvents applied = batch.reportsTransfers() ? this.applied : null;
        int chainStart = -1;
        for (int i = 0; i < count; i++)
        {
            batch.next();
            final boolean linked = batch.linked();
            final long eventTimestamp = ledger.nextTimestamp(timestamp);
            if (linked && chainStart < 0)
            {
                chainStart = i;
                ledger.beginChain();
            }
            final boolean retry = applied != null && ledger.decidesNothing(batch.idLo(), batch.idHi(), i);
            final ResultCode result = linked && i == count - 1 ?
                ResultCode.LINKED_EVENT_CHAIN_OPEN : batch.apply(eventTimestamp);
            results[i] = result;
            if (applied != null)
            {
                capture(applied, batch, i, retry, eventTimestamp);
            }
            if (chainStart >= 0 || fails(result))
            {
                remember(batch, i, eventTimestamp);
            }

            if (chainStart >= 0)
            {
                if (fails(result))
                {
                    // A chain stopped by an id the ledger could not check was not tried: nothing of it is remembered
                    // or recorded, so resending it (the same ids) is judged afresh.
                    final boolean untried = result == ResultCode.RECORD_BEHIND;
                    ledger.rollbackChain();
                    undoChain(batch, applied, chainStart, i, untried);
                    if (linked)
                    {
                        i = failRestOfChain(batch, applied, chainStart, i, count, untried);
                    }
                    if (!untried)
                    {
                        recordFailures(batch, chainStart, i);
                    }
                    deliver(applied, chainStart, i);
                    chainStart = -1;
                }
                else if (!linked)
                {
                    ledger.commitChain();
                    deliver(applied, chainStart, i);
                    chainStart = -1;
                }
            }
            else
            {
                if (fails(result))
                {
                    recordFailures(batch, i, i);
                }
                deliver(applied, i, i);
            }
            if (LedgerInvariants.ENABLED)
            {
                ledger.checkInvariants();
            }
        }
    }

    /**
     * Fills the listener's entry for event {@code i}, whose result is in {@link #results}: the transfer it stored,
     * or what it asked for if it failed; nothing for a retry of a remembered id.
     */
    private void capture(
        final AppliedEvents applied, final EventBatch batch, final int i, final boolean retry, final long timestamp)
    {
        final ResultCode result = results[i];
        if (retry || result == ResultCode.RECORD_BEHIND)
        {
            applied.skip(i);
        }
        else if (result == ResultCode.OK || result == ResultCode.HELD_FOR_REVIEW)
        {
            applied.applied(i, result);
        }
        else
        {
            batch.captureFailure(applied, i, timestamp, result);
        }
    }

    /**
     * The events of a failed chain after the one that failed, which was linked, are not tried: each fails with
     * {@code LINKED_EVENT_FAILED} ({@code LINKED_EVENT_CHAIN_OPEN} for the batch's last if it is still linked), except
     * that an id that failed before answers that failure, so resending a failed batch answers exactly what its first
     * attempt did.
     *
     * @param untried the chain failed on {@code RECORD_BEHIND}: none of it is reported (or remembered).
     * @return the index of the chain's last event.
     */
    private int failRestOfChain(
        final EventBatch batch, final AppliedEvents applied, final int chainStart, final int failedAt, final int count,
        final boolean untried)
    {
        final ResultCode[] results = this.results;
        boolean more = true;
        int i = failedAt;
        while (more && i < count - 1)
        {
            i++;
            batch.next();
            more = batch.linked();
            final long eventTimestamp = ledger.nextTimestamp(batchTimestamp);
            final boolean retry = applied != null && (untried || isRetry(batch, chainStart, i));
            results[i] = more && i == count - 1 ? ResultCode.LINKED_EVENT_CHAIN_OPEN : ResultCode.LINKED_EVENT_FAILED;
            final ResultCode remembered = batch.rememberedFailure(i);
            if (remembered != null)
            {
                results[i] = remembered;
            }
            if (applied != null)
            {
                capture(applied, batch, i, retry, eventTimestamp);
            }
            remember(batch, i, eventTimestamp);
        }
        return i;
    }

    /**
     * @return whether event {@code i}, not tried because its chain failed, repeats a remembered id or that of an
     * earlier event of its chain (undone, so no longer remembered until the chain's failures are recorded).
     */
    private boolean isRetry(final EventBatch batch, final int chainStart, final int i)
    {
        final long idLo = batch.idLo();
        final long idHi = batch.idHi();
        if (ledger.decidesNothing(idLo, idHi, i))
        {
            return true;
        }
        for (int j = chainStart; j < i; j++)
        {
            // An earlier event of the chain with the id decided it, unless the ledger could not judge the id there.
            if (eventIdLo[j] == idLo && eventIdHi[j] == idHi && (idLo != 0 || idHi != 0) &&
                ledger.recalled(idLo, idHi, j) == Ledger.ID_NEW)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * A linked chain failed at event {@code failedAt} and was undone: the events before it fail too, and every
     * captured entry of the chain takes the balances the undo left.
     */
    private void undoChain(
        final EventBatch batch, final AppliedEvents applied, final int chainStart, final int failedAt,
        final boolean untried)
    {
        for (int j = chainStart; j < failedAt; j++)
        {
            results[j] = ResultCode.LINKED_EVENT_FAILED;
        }
        if (applied != null)
        {
            for (int j = chainStart; j <= failedAt; j++)
            {
                if (untried)
                {
                    applied.skip(j);
                }
                else if (applied.isReported(j))
                {
                    // A failure is reported as what it asked for, like any other (and as the window remembers it).
                    batch.captureFailureAt(applied, j, eventTimestamps[j], results[j]);
                }
            }
        }
    }

    private static void deliver(final AppliedEvents applied, final int from, final int to)
    {
        if (applied != null)
        {
            applied.deliver(from, to);
        }
    }

    /**
     * Keeps the id and timestamp of event {@code i} for {@link #recordFailures}, which reads only events that
     * failed or belong to a chain.
     */
    private void remember(final EventBatch batch, final int i, final long eventTimestamp)
    {
        eventIdLo[i] = batch.idLo();
        eventIdHi[i] = batch.idHi();
        eventTimestamps[i] = eventTimestamp;
    }

    private void recordFailures(final EventBatch batch, final int from, final int to)
    {
        if (batch.remembersFailures())
        {
            for (int i = from; i <= to; i++)
            {
                if (fails(results[i]) && results[i] != ResultCode.RECORD_BEHIND)
                {
                    batch.recordFailure(i, eventTimestamps[i], results[i]);
                }
            }
        }
    }

    private int encodeError(
        final long correlationId, final ErrorCode code, final MutableDirectBuffer out, final int outOffset)
    {
        final byte[] message = errorMessages[code.value()];
        errorResponse.wrapAndApplyHeader(out, outOffset, headerEncoder)
            .correlationId(correlationId)
            .code(code)
            .putMessage(message, 0, message.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + errorResponse.encodedLength();
    }

    // ---------------------------------------------------------------------------------------------------

    /**
     * Executes one validated request of one type and encodes its response.
     */
    @FunctionalInterface
    private interface RequestHandler
    {
        /**
         * @return the length of the response written at {@code outOffset}.
         */
        int execute(long timestamp, DirectBuffer request, int offset, MutableDirectBuffer out, int outOffset);
    }

    /**
     * The events of one request, as {@link #applyBatch} walks them.
     */
    private interface EventBatch
    {
        void next();

        boolean linked();

        ResultCode apply(long timestamp);

        long idLo();

        long idHi();

        boolean remembersFailures();

        /**
         * @return whether its events are transfers, which an {@link AppliedTransferListener} receives.
         */
        boolean reportsTransfers();

        /**
         * Fills the listener's entry {@code i} with the current event, which failed.
         */
        void captureFailure(AppliedEvents applied, int i, long timestamp, ResultCode result);

        /**
         * Fills the listener's entry {@code i} with event {@code i} of the batch (of a linked chain that failed).
         */
        void captureFailureAt(AppliedEvents applied, int i, long timestamp, ResultCode result);

        /**
         * For the current event, {@code i}, of a failed chain, not tried: the answer to its id if it is remembered
         * with a failure ({@link Ledger#rememberedFailure}), else null.
         */
        ResultCode rememberedFailure(int i);

        /**
         * Remembers that event {@code i} of this batch failed (if its id is new).
         */
        void recordFailure(int i, long timestamp, ResultCode result);
    }

    private final class AccountEvents implements EventBatch
    {
        CreateAccountsDecoder.AccountsDecoder events;

        public void next()
        {
            events.next();
        }

        public boolean linked()
        {
            return (events.flags().getRaw() & Flags.ACCOUNT_LINKED) != 0;
        }

        public ResultCode apply(final long timestamp)
        {
            return ledger.createAccount(events, timestamp);
        }

        public long idLo()
        {
            return events.id();
        }

        public long idHi()
        {
            return 0;
        }

        public boolean remembersFailures()
        {
            // Accounts are permanent and their id is checked against the live set, so a failed
            // creation needs no memory: a retry is judged on its own.
            return false;
        }

        public boolean reportsTransfers()
        {
            return false;
        }

        public void captureFailure(
            final AppliedEvents applied, final int i, final long timestamp, final ResultCode result)
        {
            throw new IllegalStateException("account events are not reported as transfers");
        }

        public void captureFailureAt(
            final AppliedEvents applied, final int i, final long timestamp, final ResultCode result)
        {
            throw new IllegalStateException("account events are not reported as transfers");
        }

        public ResultCode rememberedFailure(final int i)
        {
            return null;
        }

        public void recordFailure(final int i, final long timestamp, final ResultCode result)
        {
            throw new IllegalStateException("failed account events are not remembered");
        }
    }

    private final class ReviewEvents implements EventBatch
    {
        private ReviewTransfersDecoder.DecisionsDecoder events;
        private int index;

        void begin(final ReviewTransfersDecoder.DecisionsDecoder events)
        {
            this.events = events;
            this.index = -1;
        }

        public void next()
        {
            events.next();
            index++;
        }

        private TransferEvent asTransfer()
        {
            return ledger.decisionAsTransfer(events.id().lo(), events.id().hi(), events.pendingId().lo(),
                events.pendingId().hi(), Ledger.decisionFlags(events.decisionRaw() & 0xFF), 0);
        }

        public boolean linked()
        {
            return false;
        }

        public ResultCode apply(final long timestamp)
        {
            return ledger.reviewTransfer(asTransfer(), index, timestamp);
        }

        public long idLo()
        {
            return events.id().lo();
        }

        public long idHi()
        {
            return events.id().hi();
        }

        public boolean remembersFailures()
        {
            return true;
        }

        public boolean reportsTransfers()
        {
            return true;
        }

        public void captureFailure(
            final AppliedEvents applied, final int i, final long timestamp, final ResultCode result)
        {
            applied.failedDecision(i, events.id().lo(), events.id().hi(), events.pendingId().lo(),
                events.pendingId().hi(), Ledger.decisionFlags(events.decisionRaw() & 0xFF), timestamp, result);
        }

        public void captureFailureAt(
            final AppliedEvents applied, final int i, final long timestamp, final ResultCode result)
        {
            throw new IllegalStateException("review decisions are never linked");
        }

        public ResultCode rememberedFailure(final int i)
        {
            throw new IllegalStateException("review decisions are never linked");
        }

        public void recordFailure(final int i, final long timestamp, final ResultCode result)
        {
            if (i != index)
            {
                throw new IllegalStateException("review decision " + i + " is not the current one, " + index);
            }
            ledger.recordFailure(asTransfer(), i, timestamp, result);
        }
    }

    private final class TransferEvents implements EventBatch
    {
        private final TransferEvent event = new TransferEvent();
        TransferPrefetcher prefetcher;
        private int index;
        private int current;

        void begin(final CreateTransfersDecoder.TransfersDecoder events, final DirectBuffer buffer, final int firstOffset)
        {
            this.index = 0;
            event.wrap(buffer, firstOffset, events.actingBlockLength(), events.count());
            prefetcher.beginBatch(buffer, firstOffset, events.actingBlockLength(), events.count());
        }

        public void next()
        {
            prefetcher.beforeTransfer(index);
            current = index++;
            event.moveTo(current);
        }

        public boolean linked()
        {
            return (event.flags() & Flags.TRANSFER_LINKED) != 0;
        }

        public ResultCode apply(final long timestamp)
        {
            return ledger.createTransfer(event, timestamp, current);
        }

        public long idLo()
        {
            return event.idLo();
        }

        public long idHi()
        {
            return event.idHi();
        }

        public boolean remembersFailures()
        {
            return true;
        }

        public boolean reportsTransfers()
        {
            return true;
        }

        public void captureFailure(
            final AppliedEvents applied, final int i, final long timestamp, final ResultCode result)
        {
            applied.failed(i, event, timestamp, result);
        }

        public void captureFailureAt(
            final AppliedEvents applied, final int i, final long timestamp, final ResultCode result)
        {
            event.moveTo(i);
            applied.failed(i, event, timestamp, result);
            event.moveTo(current);
        }

        public ResultCode rememberedFailure(final int i)
        {
            return ledger.rememberedFailure(event, i);
        }

        public void recordFailure(final int i, final long timestamp, final ResultCode result)
        {
            event.moveTo(i);
            ledger.recordFailure(event, i, timestamp, result);
            event.moveTo(current);
        }
    }
}
