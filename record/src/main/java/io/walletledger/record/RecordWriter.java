package io.walletledger.record;

import io.walletledger.engine.AppliedTransfer;
import io.walletledger.engine.AppliedTransferListener;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.protocol.sbe.AccountCommandsDecoder;
import io.walletledger.protocol.sbe.CreateAccountsDecoder;
import io.walletledger.protocol.sbe.CreateTransfersDecoder;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.ReviewTransfersDecoder;
import io.walletledger.protocol.sbe.SetAccountLimitsDecoder;
import io.walletledger.protocol.sbe.SetCodeLimitsDecoder;
import io.walletledger.protocol.sbe.SetFeesDecoder;
import io.walletledger.protocol.sbe.SetPolicySettingsDecoder;
import io.walletledger.protocol.sbe.SetReviewThresholdsDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Feeds a {@link TransferRecordStore} from an engine that replays the journal: set it as the engine's
 * {@link AppliedTransferListener}, call {@link #beginCommand} before each journaled command the engine executes, and
 * {@link #commit} now and then (after a poll of the journal) to write what was heard, atomically with the journal
 * sequence it reaches. Commands at or below the record's position are already recorded and are passed over, so a
 * writer can replay from any snapshot before that position.
 * <p>
 * After each command, {@link #afterCommand} records the changes to accounts and policies it applied
 * ({@link RecordedEvent}), after the transfers it decided: the record then holds the ledger's whole history in order,
 * the change stream's source.
 * <p>
 * On the engine's thread only.
 */
public final class RecordWriter implements AppliedTransferListener, AutoCloseable
{
    private final TransferRecordStore store;
    private final TransferRecordStore.Batch batch;
    private long sequence;
    private int index;
    private boolean recorded;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final CreateAccountsDecoder createAccounts = new CreateAccountsDecoder();
    private final AccountCommandsDecoder accountCommands = new AccountCommandsDecoder();
    private final SetAccountLimitsDecoder accountLimits = new SetAccountLimitsDecoder();
    private final SetCodeLimitsDecoder codeLimits = new SetCodeLimitsDecoder();
    private final SetFeesDecoder fees = new SetFeesDecoder();
    private final SetReviewThresholdsDecoder thresholds = new SetReviewThresholdsDecoder();
    private final SetPolicySettingsDecoder settings = new SetPolicySettingsDecoder();
    private final LookupAccountsEncoder lookup = new LookupAccountsEncoder();
    private final LookupAccountsResponseDecoder lookedUp = new LookupAccountsResponseDecoder();
    private final UnsafeBuffer lookupRequest = new UnsafeBuffer(new byte[64]);
    private UnsafeBuffer lookupResponse;
    /** Which commands of the one just executed applied: noted first, as the look-ups reset the engine's results. */
    private boolean[] applied = new boolean[64];
    private int commands;

    public RecordWriter(final TransferRecordStore store)
    {
        this.store = store;
        this.batch = store.batch();
    }

    /**
     * The engine is about to execute the command journaled at {@code journalSequence}.
     */
    public void beginCommand(final long journalSequence)
    {
        sequence = journalSequence;
        index = 0;
        recorded = journalSequence <= store.position();
    }

    @Override
    public void onTransfer(final AppliedTransfer transfer)
    {
        if (!recorded)
        {
            batch.add(TransferRecordStore.position(sequence, index), transfer);
        }
        index++;
    }

    /**
     * Records the changes to accounts and policies that the command just executed applied (those whose result is
     * {@code OK}), each an event after the transfers it decided. For an account, the event holds the account as the
     * engine has it after the command.
     *
     * @param engine    the engine that executed it, idle now: the accounts are looked up in it.
     * @param timestamp the command's journaled timestamp.
     * @param command   the command as journaled (header and body).
     */
    public void afterCommand(final LedgerEngine engine, final long timestamp, final DirectBuffer command,
        final int offset)
    {
        if (recorded || engine.lastRequestType() == null || !engine.lastRequestType().answersWithResults())
        {
            return;
        }
        header.wrap(command, offset);
        final int templateId = header.templateId();
        if (templateId == CreateTransfersDecoder.TEMPLATE_ID || templateId == ReviewTransfersDecoder.TEMPLATE_ID)
        {
            return; // recorded as transfers, as the engine decided them
        }
        commands = engine.lastEventCount();
        if (commands > applied.length)
        {
            applied = new boolean[Math.max(commands, 2 * applied.length)];
        }
        for (int i = 0; i < commands; i++)
        {
            applied[i] = engine.lastResult(i) == ResultCode.OK;
        }
        final int at = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        final long time = Math.max(timestamp, engine.lastTimestamp());
        int i = 0;
        switch (templateId)
        {
            case CreateAccountsDecoder.TEMPLATE_ID ->
            {
                for (final CreateAccountsDecoder.AccountsDecoder a :
                    createAccounts.wrap(command, at, blockLength, version).accounts())
                {
                    account(engine, i++, LedgerEventType.ACCOUNT_CREATED, time, a.id());
                }
            }
            case AccountCommandsDecoder.TEMPLATE_ID ->
            {
                for (final AccountCommandsDecoder.CommandsDecoder c :
                    accountCommands.wrap(command, at, blockLength, version).commands())
                {
                    final LedgerEventType type = switch (c.action())
                    {
                        case FREEZE -> LedgerEventType.ACCOUNT_FROZEN;
                        case UNFREEZE -> LedgerEventType.ACCOUNT_UNFROZEN;
                        case CLOSE -> LedgerEventType.ACCOUNT_CLOSED;
                        default -> null;
                    };
                    if (type != null)
                    {
                        account(engine, i, type, time, c.accountId());
                    }
                    i++;
                }
            }
            case SetAccountLimitsDecoder.TEMPLATE_ID ->
            {
                for (final SetAccountLimitsDecoder.LimitsDecoder l :
                    accountLimits.wrap(command, at, blockLength, version).limits())
                {
                    account(engine, i++, LedgerEventType.ACCOUNT_LIMITS_SET, time, l.accountId());
                }
            }
            case SetCodeLimitsDecoder.TEMPLATE_ID ->
            {
                for (final SetCodeLimitsDecoder.LimitsDecoder l : codeLimits.wrap(command, at, blockLength, version)
                    .limits())
                {
                    policy(i++, LedgerEventType.CODE_LIMITS_SET, time, l.code(), l.transferAmountLimit(),
                        l.dailyDebitLimit(), l.velocityDebitLimit(), l.velocityWindowSeconds());
                }
            }
            case SetFeesDecoder.TEMPLATE_ID ->
            {
                for (final SetFeesDecoder.FeesDecoder f : fees.wrap(command, at, blockLength, version).fees())
                {
                    policy(i++, LedgerEventType.FEE_SET, time, f.transferCode(), f.currency(),
                        f.fixedAmount(), f.basisPoints(), f.minimum(), f.maximum(), f.feeAccountId());
                }
            }
            case SetReviewThresholdsDecoder.TEMPLATE_ID ->
            {
                for (final SetReviewThresholdsDecoder.ThresholdsDecoder t :
                    thresholds.wrap(command, at, blockLength, version).thresholds())
                {
                    policy(i++, LedgerEventType.REVIEW_THRESHOLD_SET, time, t.currency(), t.threshold());
                }
            }
            case SetPolicySettingsDecoder.TEMPLATE_ID ->
            {
                for (final SetPolicySettingsDecoder.SettingsDecoder s :
                    settings.wrap(command, at, blockLength, version).settings())
                {
                    policy(i++, LedgerEventType.POLICY_SETTING_SET, time, s.settingRaw(), s.value());
                }
            }
            default ->
            {
                // Ledger settings and the like: not events of the stream.
            }
        }
    }

    private boolean applied(final int i)
    {
        return i < commands && applied[i];
    }

    private void policy(final int i, final LedgerEventType type, final long timestamp,
        final long subject, final long... values)
    {
        if (applied(i))
        {
            batch.addEvent(new RecordedEvent(TransferRecordStore.position(sequence, index++), type, timestamp,
                subject, values));
        }
    }

    /**
     * Records an account event with the account as the engine has it now.
     */
    private void account(final LedgerEngine engine, final int i, final LedgerEventType type, final long timestamp,
        final long accountId)
    {
        if (!applied(i))
        {
            return;
        }
        if (lookupResponse == null)
        {
            lookupResponse = new UnsafeBuffer(new byte[engine.responseLengthMax()]);
        }
        lookup.wrapAndApplyHeader(lookupRequest, 0, headerEncoder).correlationId(0).idsCount(1).next().id(accountId);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + lookup.encodedLength();
        engine.execute(timestamp, lookupRequest, 0, length, lookupResponse, 0);
        header.wrap(lookupResponse, 0);
        if (header.templateId() != LookupAccountsResponseDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("the engine answered template " + header.templateId() +
                " to a lookup of account " + Long.toUnsignedString(accountId));
        }
        final LookupAccountsResponseDecoder.AccountsDecoder a = lookedUp.wrap(lookupResponse,
            MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version()).accounts();
        if (!a.hasNext())
        {
            throw new IllegalStateException("account " + Long.toUnsignedString(accountId) + " was " +
                type.streamName() + " but the engine does not find it");
        }
        a.next();
        final long[] values = new long[RecordedEvent.ACCOUNT_VALUES];
        values[RecordedEvent.ACCOUNT_USER_DATA] = a.userData();
        values[RecordedEvent.ACCOUNT_CREATED_AT] = a.timestamp();
        values[RecordedEvent.ACCOUNT_CURRENCY] = a.currency();
        values[RecordedEvent.ACCOUNT_CODE] = a.code();
        values[RecordedEvent.ACCOUNT_FLAGS] = a.flags().getRaw();
        values[RecordedEvent.ACCOUNT_STATUS] = a.statusRaw();
        values[RecordedEvent.ACCOUNT_FREEZE_SCOPE] = a.freezeScopeRaw();
        values[RecordedEvent.ACCOUNT_DEBITS_PENDING] = a.debitsPending();
        values[RecordedEvent.ACCOUNT_DEBITS_POSTED] = a.debitsPosted();
        values[RecordedEvent.ACCOUNT_CREDITS_PENDING] = a.creditsPending();
        values[RecordedEvent.ACCOUNT_CREDITS_POSTED] = a.creditsPosted();
        values[RecordedEvent.ACCOUNT_TRANSFER_AMOUNT_LIMIT] = a.transferAmountLimit();
        values[RecordedEvent.ACCOUNT_DAILY_DEBIT_LIMIT] = a.dailyDebitLimit();
        values[RecordedEvent.ACCOUNT_DAILY_DEBITS_USED] = a.dailyDebitsUsed();
        values[RecordedEvent.ACCOUNT_VELOCITY_DEBIT_LIMIT] = a.velocityDebitLimit();
        values[RecordedEvent.ACCOUNT_VELOCITY_WINDOW_SECONDS] = a.velocityWindowSeconds();
        batch.addEvent(new RecordedEvent(TransferRecordStore.position(sequence, index++), type, timestamp, accountId,
            values));
    }

    /**
     * Writes every transfer heard since the last commit, and makes {@code journalSequence} (the last command
     * executed) the record's position.
     *
     * @param engineTimestamp the engine's timestamp after that command: every transfer up to it is recorded.
     */
    public void commit(final long journalSequence, final long engineTimestamp)
    {
        if (journalSequence > store.position())
        {
            batch.commit(journalSequence, engineTimestamp);
        }
    }

    @Override
    public void close()
    {
        batch.close();
    }
}
