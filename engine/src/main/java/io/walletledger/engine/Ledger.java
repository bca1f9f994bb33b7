package io.walletledger.engine;

import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.CreateAccountsDecoder.AccountsDecoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.ResultCode;
import org.agrona.concurrent.UnsafeBuffer;

import static io.walletledger.engine.AccountDescriptor.POLICY_HAS_LIMITS;
import static io.walletledger.engine.Flags.*;

/**
 * The ledger state and the rules of one event: create an account, create a transfer (single-phase,
 * pending, post or void), decide on a review hold, expire holds. Every rule is checked before anything changes,
 * so a rejected event leaves no trace; while a linked chain is open, changes are also written to an {@link UndoLog}.
 * <p>
 * Checks run in the order documented in docs/ledger-semantics.md; the first that fails decides the result.
 * Business rejections are return values; an exception here means a broken invariant (a bug). The checks common to
 * every transfer (id, idempotency, flags) are here; the rest of a new transfer's are in {@link TransferCreation},
 * a post's or void's in {@link HoldResolution}, both carried by one {@link TransferPlan}.
 */
final class Ledger
{
    // Values of the schema enum ReviewDecision.
    static final int DECISION_APPROVE = 1;
    static final int DECISION_REJECT = 2;

    private final Accounts accounts;
    private final TransferHistory history;
    private final PendingTransfers pending;
    private final UndoLog undo;
    private final CurrencyRegistry currencies;
    private final TransferPrefetcher prefetcher;
    private final Policies policies = new Policies();
    private final AccountLimits limits;
    private final TransferPolicyChecks checks;
    /** The transfer being checked and applied: one, refilled by every event. */
    private final TransferPlan plan = new TransferPlan();
    private final Recall recall = new Recall();
    /** A review decision written as the post or void transfer it stands for (see {@link #decisionAsTransfer}). */
    private final UnsafeBuffer decisionBuffer = new UnsafeBuffer(new byte[CreateTransfersEncoder.BLOCK_LENGTH +
        MessageHeaderEncoder.ENCODED_LENGTH + CreateTransfersEncoder.TransfersEncoder.HEADER_SIZE +
        CreateTransfersEncoder.TransfersEncoder.sbeBlockLength()]);
    private final CreateTransfersEncoder decisionEncoder = new CreateTransfersEncoder();
    private final MessageHeaderEncoder decisionHeader = new MessageHeaderEncoder();
    private final TransferEvent decision = new TransferEvent();
    private final TransferCreation creation;
    private final HoldResolution resolution;
    /** Null unless {@link LedgerInvariants#ENABLED}. */
    private final LedgerInvariants invariants;
    /** Null unless the engine has an {@link AppliedTransferListener}. */
    private AppliedEvents applied;
    private boolean inChain;
    private long lastTimestamp;

    Ledger(final LedgerConfig config)
    {
        this.accounts = new Accounts(config.accountsMax(), config.hashSeed());
        this.history = new TransferHistory(config.idempotencyWindow(), config.batchEventsMax(), config.hashSeed());
        this.pending = new PendingTransfers(config.pendingTransfersMax(), config.hashSeed());
        this.undo = new UndoLog(config.batchEventsMax());
        this.currencies = config.currencies();
        this.limits = new AccountLimits(config.limitedAccountsMax(), config.velocityDebitsMax(), config.accountsMax());
        this.prefetcher = new TransferPrefetcher(accounts, history, pending, limits, config.batchEventsMax());
        this.checks = new TransferPolicyChecks(accounts, limits, policies);
        this.invariants = LedgerInvariants.ENABLED ? new LedgerInvariants(accounts) : null;
        accounts.reportWritesTo(invariants);
        pending.reportChangesTo(invariants);
        this.creation = new TransferCreation(this, checks, undo);
        this.resolution = new HoldResolution(this, checks, undo);
    }

    Policies policies()
    {
        return policies;
    }

    CurrencyRegistry currencies()
    {
        return currencies;
    }

    AccountLimits limits()
    {
        return limits;
    }

    TransferPrefetcher prefetcher()
    {
        return prefetcher;
    }

    Accounts accounts()
    {
        return accounts;
    }

    /**
     * @return the note of the command being executed, which the engine sets before each command.
     */
    Recall recall()
    {
        return recall;
    }

    TransferHistory history()
    {
        return history;
    }

    PendingTransfers pending()
    {
        return pending;
    }

    long lastTimestamp()
    {
        return lastTimestamp;
    }

    void restoreLastTimestamp(final long timestamp)
    {
        lastTimestamp = timestamp;
    }

    /**
     * @param commandTimestamp the timestamp the journaler gave the command.
     * @return a timestamp for the next event: the command's, or one past the previous event's if that is
     * later, so event timestamps are unique and strictly increasing whatever the clock did.
     */
    long nextTimestamp(final long commandTimestamp)
    {
        final long timestamp = Math.max(commandTimestamp, Math.addExact(lastTimestamp, 1));
        lastTimestamp = timestamp;
        return timestamp;
    }

    /**
     * @return whether the event being applied belongs to a linked chain, whose changes are recorded for undo.
     */
    boolean inChain()
    {
        return inChain;
    }

    /**
     * Checks the whole-state invariants after the newest event (call only while {@link LedgerInvariants#ENABLED}).
     *
     * @throws IllegalStateException if one is broken.
     */
    void checkInvariants()
    {
        invariants.check("the event", lastTimestamp);
    }

    // ---------------------------------------------------------------------------------------------------
    // Linked chains

    void beginChain()
    {
        inChain = true;
        undo.clear();
    }

    void commitChain()
    {
        inChain = false;
        undo.clear();
    }

    void rollbackChain()
    {
        inChain = false;
        undo.rollback(accounts, history, pending, limits);
    }

    // ---------------------------------------------------------------------------------------------------
    // Accounts

    ResultCode createAccount(final AccountsDecoder event, final long timestamp)
    {
        final long id = event.id();
        if (id == 0)
        {
            return ResultCode.ID_MUST_NOT_BE_ZERO;
        }
        final int existing = accounts.slotOf(id);
        if (existing >= 0)
        {
            return compareAccount(existing, event);
        }
        final ResultCode refused = checkNewAccount(event);
        if (refused != null)
        {
            return refused;
        }
        applyNewAccount(event, timestamp);
        return ResultCode.OK;
    }

    /**
     * The answer to an account id that exists: {@code EXISTS} or the first field that differs.
     */
    private ResultCode compareAccount(final int existing, final AccountsDecoder event)
    {
        if (accounts.flags(existing) != (event.flags().getRaw() & ~ACCOUNT_LINKED))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_FLAGS;
        }
        if (accounts.currency(existing) != event.currency())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_CURRENCY;
        }
        if (accounts.code(existing) != event.code())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_CODE;
        }
        if (accounts.userData(existing) != event.userData())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA;
        }
        return ResultCode.EXISTS;
    }

    /**
     * @return null if a new account may be created, otherwise why not.
     */
    private ResultCode checkNewAccount(final AccountsDecoder event)
    {
        final int flags = event.flags().getRaw();
        final int currency = event.currency();
        if ((flags & ~ACCOUNT_ALL) != 0)
        {
            return ResultCode.RESERVED_FLAG;
        }
        if ((flags & ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS) != 0 && (flags & ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS) != 0)
        {
            return ResultCode.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        if (currency == 0)
        {
            return ResultCode.CURRENCY_MUST_NOT_BE_ZERO;
        }
        if (!currencies.isKnown(currency))
        {
            return ResultCode.CURRENCY_UNKNOWN;
        }
        if (accounts.isFull())
        {
            return ResultCode.ACCOUNTS_FULL;
        }
        if (policies.limitsEntry(event.code()) >= 0 && limits.isFull())
        {
            return ResultCode.LIMITED_ACCOUNTS_FULL;
        }
        return null;
    }

    /**
     * Creates the account, with the default limits of its code if it has any.
     */
    private void applyNewAccount(final AccountsDecoder event, final long timestamp)
    {
        final int code = event.code();
        // The linked flag is about the batch, not the account: it is not stored.
        final int slot = accounts.create(event.id(), event.userData(), event.currency(), code,
            event.flags().getRaw() & ~ACCOUNT_LINKED, timestamp);
        if (inChain)
        {
            undo.accountCreated();
        }
        final int defaults = policies.limitsEntry(code);
        if (defaults >= 0)
        {
            final int record = createLimits(slot);
            limits.setLimits(record, policies.limitsTransferAmount[defaults], policies.limitsDaily[defaults],
                policies.limitsVelocityDebits[defaults], policies.limitsVelocityWindow[defaults]);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Review decisions (operator commands)

    /**
     * An operator's decision on a hold held for review: approve posts all of it, reject voids it. Recorded under
     * its own transfer id like a post or void, so resending it answers {@code EXISTS}.
     */
    ResultCode reviewTransfer(final TransferEvent asked, final int eventIndex, final long timestamp)
    {
        final long idLo = asked.idLo();
        final long idHi = asked.idHi();
        final long pendingIdLo = asked.pendingIdLo();
        final long pendingIdHi = asked.pendingIdHi();
        final int flags = asked.flags();
        if (idLo == 0 && idHi == 0)
        {
            return ResultCode.ID_MUST_NOT_BE_ZERO;
        }
        final long idHash = history.idHash(idLo, idHi);
        final int known = history.find(idLo, idHi, idHash);
        if (known >= 0)
        {
            return compareDecision(history.records(), known, flags, pendingIdLo, pendingIdHi);
        }
        if (pending.find(idLo, idHi, idHash) >= 0)
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_FLAGS;
        }
        switch (recalled(idLo, idHi, eventIndex))
        {
            case ID_RECALLED:
                return compareDecision(recall.found(), 0, flags, pendingIdLo, pendingIdHi);
            case ID_UNKNOWN:
                return ResultCode.RECORD_BEHIND;
            default:
                break;
        }
        if (flags == 0)
        {
            return ResultCode.DECISION_UNKNOWN;
        }
        final int hold = pending.find(pendingIdLo, pendingIdHi);
        final TransferEvent asTransfer =
            decisionAsTransfer(idLo, idHi, pendingIdLo, pendingIdHi, flags, hold >= 0 ? pending.records().code(hold) : 0);
        plan.begin(idLo, idHi, idHash, timestamp, false);
        return resolution.execute(asTransfer, plan, true);
    }

    /**
     * @return the flags of the transfer a review decision stands for: post (approve) or void (reject) the hold; 0
     * for an unknown decision.
     */
    static int decisionFlags(final int decision)
    {
        return decision == DECISION_APPROVE ? TRANSFER_POST_PENDING :
            decision == DECISION_REJECT ? TRANSFER_VOID_PENDING : 0;
    }

    /**
     * @return a review decision as the transfer it stands for: post (approve) or void (reject) the whole hold, as
     * the hold, under the hold's code, without user data. Valid until the next decision.
     */
    TransferEvent decisionAsTransfer(
        final long idLo, final long idHi, final long pendingIdLo, final long pendingIdHi, final int flags, final int code)
    {
        final CreateTransfersEncoder.TransfersEncoder transfer = decisionEncoder
            .wrapAndApplyHeader(decisionBuffer, 0, decisionHeader)
            .correlationId(0)
            .transfersCount(1)
            .next();
        transfer.id().lo(idLo).hi(idHi);
        transfer.debitAccountId(0).creditAccountId(0).amount(0);
        transfer.pendingId().lo(pendingIdLo).hi(pendingIdHi);
        transfer.userData128().lo(0).hi(0);
        transfer.userData64(0).userData32(0).timeout(0).currency(0).code(code);
        transfer.flags().clear()
            .postPending((flags & TRANSFER_POST_PENDING) != 0)
            .voidPending((flags & TRANSFER_VOID_PENDING) != 0);
        final int blockLength = CreateTransfersEncoder.TransfersEncoder.sbeBlockLength();
        decision.wrap(decisionBuffer, decisionEncoder.limit() - blockLength, blockLength, 1);
        decision.moveTo(0);
        return decision;
    }

    /**
     * The answer to a review decision whose id is remembered: {@code EXISTS_WITH_DIFFERENT_FLAGS} or
     * {@code ..._PENDING_ID} if the decision or the hold differs, else the original failure or {@code EXISTS}.
     */
    private static ResultCode compareDecision(
        final TransferRecords records, final int known, final int flags, final long pendingIdLo, final long pendingIdHi)
    {
        if ((records.flags(known) & ~TRANSFER_LINKED) != flags)
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_FLAGS;
        }
        if (records.pendingIdLo(known) != pendingIdLo || records.pendingIdHi(known) != pendingIdHi)
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_PENDING_ID;
        }
        final int result = records.result(known);
        return result != ResultCode.OK.value() ? ResultCode.get(result) : ResultCode.EXISTS;
    }

    // ---------------------------------------------------------------------------------------------------
    // Ids the window forgot

    /** An id the window does not hold is new: no transfer ever had it. */
    static final int ID_NEW = 0;
    /** The command's recall note holds the transfer the record keeps under the id ({@link Recall#found()}). */
    static final int ID_RECALLED = 1;
    /** Maybe forgotten: the note cannot say, the id may not be decided ({@code RECORD_BEHIND}). */
    static final int ID_UNKNOWN = 2;

    /**
     * For an id that neither the window nor the open holds have: whether it is new, recalled or unknown. A command
     * without a recall note is judged by the window alone: every such id is new.
     *
     * @param eventIndex the event's index in its command, as the note names it.
     */
    int recalled(final long idLo, final long idHi, final int eventIndex)
    {
        if (!recall.present())
        {
            return ID_NEW;
        }
        final int looked = recall.lookUp(eventIndex, idLo, idHi);
        if (looked == Recall.FOUND)
        {
            return ID_RECALLED;
        }
        if (history.isAboveForgotten(idHi, idLo) ||
            (looked == Recall.NOT_FOUND && recall.recordTimestamp() >= history.forgottenTimestamp()))
        {
            return ID_NEW;
        }
        return ID_UNKNOWN;
    }

    /**
     * @return whether an event with this id decides nothing new, so it is not reported: the id is in the window, an
     * open hold, recalled from the record, or one the ledger cannot judge yet.
     */
    boolean decidesNothing(final long idLo, final long idHi, final int eventIndex)
    {
        if (idLo == 0 && idHi == 0)
        {
            return false;
        }
        return history.find(idLo, idHi) >= 0 || pending.find(idLo, idHi) >= 0 ||
            recalled(idLo, idHi, eventIndex) != ID_NEW;
    }

    // ---------------------------------------------------------------------------------------------------
    // Transfers

    /**
     * Evicts the oldest idempotency records so that a batch of {@code events} fits in the window.
     */
    void beginTransferBatch(final int events)
    {
        history.reserve(events);
    }

    /**
     * Applies one transfer.
     *
     * @param event      the transfer.
     * @param timestamp  its timestamp.
     * @param eventIndex its index in the batch, whose accounts {@link TransferPrefetcher} has resolved.
     * @return its result.
     */
    ResultCode createTransfer(final TransferEvent event, final long timestamp, final int eventIndex)
    {
        final long idLo = event.idLo();
        final long idHi = event.idHi();
        if (idLo == 0 && idHi == 0)
        {
            return ResultCode.ID_MUST_NOT_BE_ZERO;
        }

        final long idHash = prefetcher.idHash(eventIndex);
        final int known = history.find(idLo, idHi, idHash);
        if (known >= 0)
        {
            return TransferRetries.compare(history.records(), known, event);
        }
        final int open = pending.find(idLo, idHi, idHash);
        if (open >= 0)
        {
            return TransferRetries.compare(pending.records(), open, event);
        }
        if (recall.present())
        {
            final int recalled = recalled(idLo, idHi, eventIndex);
            if (recalled == ID_RECALLED)
            {
                return TransferRetries.compare(recall.found(), 0, event);
            }
            if (recalled == ID_UNKNOWN)
            {
                return ResultCode.RECORD_BEHIND;
            }
        }

        final int flags = event.flags();
        if ((flags & ~TRANSFER_ALL) != 0)
        {
            return ResultCode.RESERVED_FLAG;
        }
        if (Integer.bitCount(flags & TRANSFER_TWO_PHASE) > 1)
        {
            return ResultCode.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        final TransferPlan plan = this.plan;
        plan.begin(idLo, idHi, idHash, timestamp, (flags & TRANSFER_PENDING) != 0);
        if ((flags & (TRANSFER_POST_PENDING | TRANSFER_VOID_PENDING)) != 0)
        {
            return resolution.execute(event, plan, false);
        }
        plan.debit = prefetcher.debitSlot(eventIndex, event.debitAccountId());
        plan.credit = prefetcher.creditSlot(eventIndex, event.creditAccountId());
        return creation.execute(event, plan);
    }

    /**
     * Gives an account an empty limits record (recording it for undo in a chain).
     */
    int createLimits(final int accountSlot)
    {
        final int record = limits.create(accountSlot);
        accounts.policy(accountSlot, accounts.policy(accountSlot) | POLICY_HAS_LIMITS);
        if (inChain)
        {
            undo.limitsCreated(accountSlot);
        }
        return record;
    }

    /**
     * Sets the pending status of a hold's record, if the hold is still remembered (recording it for undo in a
     * chain).
     */
    void markHistory(final long idLo, final long idHi, final int status)
    {
        final int known = history.find(idLo, idHi);
        if (known >= 0)
        {
            if (inChain)
            {
                undo.historyStatus(known, history.records().pendingStatus(known));
            }
            history.records().pendingStatus(known, status);
        }
    }

    /**
     * @return the slot of an account that a hold names, which must exist.
     * @throws IllegalStateException if it does not.
     */
    int requireAccount(final long id)
    {
        final int slot = accounts.slotOf(id);
        if (slot < 0)
        {
            throw new IllegalStateException("account " + Long.toUnsignedString(id) + " of an open hold is missing");
        }
        return slot;
    }

    /**
     * @return a pending balance less a hold it contains.
     * @throws IllegalStateException if the balance is smaller than the hold.
     */
    static long checkedRelease(final long pendingBalance, final long amount)
    {
        final long result = pendingBalance - amount;
        if (result < 0)
        {
            throw new IllegalStateException("pending balance " + pendingBalance + " is smaller than a hold of " + amount);
        }
        return result;
    }

    /**
     * For an event of a failed chain that is not tried: if its id is remembered (in the window or recalled) with a
     * failure, the answer a retry gets (that failure if the event asks for the same, else the first field that
     * differs); null otherwise.
     */
    ResultCode rememberedFailure(final TransferEvent event, final int eventIndex)
    {
        final long idLo = event.idLo();
        final long idHi = event.idHi();
        final int slot = history.find(idLo, idHi);
        if (slot >= 0)
        {
            return history.records().result(slot) == ResultCode.OK.value() ? null :
                TransferRetries.compare(history.records(), slot, event);
        }
        if (pending.find(idLo, idHi) < 0 && recalled(idLo, idHi, eventIndex) == ID_RECALLED)
        {
            final TransferRecords found = recall.found();
            return found.result(0) == ResultCode.OK.value() || found.result(0) == ResultCode.HELD_FOR_REVIEW.value() ?
                null : TransferRetries.compare(found, 0, event);
        }
        return null;
    }

    /**
     * Remembers that the first attempt of this id failed, with what it asked for, so a retry gets the same failure.
     * Only a new id is remembered: one that is zero, in the window, an open hold, recalled or unknown is skipped.
     *
     * @param eventIndex the event's index in its command.
     */
    void recordFailure(final TransferEvent event, final int eventIndex, final long timestamp, final ResultCode result)
    {
        final long idLo = event.idLo();
        final long idHi = event.idHi();
        final long idHash = history.idHash(idLo, idHi);
        if ((idLo == 0 && idHi == 0) || history.find(idLo, idHi, idHash) >= 0 ||
            pending.find(idLo, idHi, idHash) >= 0 || recalled(idLo, idHi, eventIndex) != ID_NEW)
        {
            return;
        }
        final int slot = history.nextSlot();
        history.records().writeFailure(slot, event, timestamp, result.value(), idHash);
        history.commitAppend(slot);
    }

    /**
     * Releases every hold whose timeout is at or before {@code now}, earliest deadline first.
     */
    /**
     * Starts reporting every transfer decided to {@code listener}.
     *
     * @return the capture the engine fills for each event.
     */
    AppliedEvents reportTo(final AppliedTransferListener listener, final int batchEventsMax)
    {
        applied = new AppliedEvents(listener, accounts, history, pending, batchEventsMax);
        return applied;
    }

    void expire(final long now)
    {
        final TransferRecords holds = pending.records();
        for (int hold = pending.firstExpired(now); hold >= 0; hold = pending.firstExpired(now))
        {
            final long amount = holds.amount(hold);
            final int debit = requireAccount(holds.debitAccountId(hold));
            final int credit = requireAccount(holds.creditAccountId(hold));
            accounts.debitsPending(debit, checkedRelease(accounts.debitsPending(debit), amount));
            accounts.creditsPending(credit, checkedRelease(accounts.creditsPending(credit), amount));
            if (applied != null)
            {
                applied.expired(hold, now);
            }
            final long idLo = holds.idLo(hold);
            final long idHi = holds.idHi(hold);
            pending.remove(hold);
            markHistory(idLo, idHi, PENDING_STATUS_EXPIRED);
        }
        if (LedgerInvariants.ENABLED)
        {
            invariants.check("expiring the holds due", now);
        }
    }
}
