package io.walletledger.engine;

import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.ResultCode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deliberately simple model of the ledger, written from {@code docs/ledger-semantics.md} alone, for the
 * differential test: plain maps, {@link BigInteger} for every sum that could overflow, and a whole copy of
 * the state to undo a linked chain. It is slow and obvious on purpose; where it and {@link LedgerEngine}
 * disagree, the doc decides which one is wrong.
 * <p>
 * The idempotency window follows the engine's documented rule exactly: before a create-transfers batch of
 * {@code n} events, the oldest ids are forgotten until {@code remembered + n <= window + batchEventsMax}.
 * A remembered id is one transfer id in arrival order, with either the transfer it created or the failure
 * of its first attempt. Open holds are also found by id after they leave the window.
 * <p>
 * The wallet policies are modelled too: account lifecycle, account and code limits (each limited account keeps
 * every debit's timestamp it needs, in a list), review holds and the operators' decisions, fees, and the
 * ledger-wide tables and settings ({@link ReferencePolicies}).
 */
final class ReferenceLedger
{
    private static final BigInteger BALANCE_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    // Values of the schema enums AccountAction, FreezeScope and ReviewDecision.
    static final int ACTION_FREEZE = 1;
    static final int ACTION_UNFREEZE = 2;
    static final int ACTION_CLOSE = 3;
    static final int SCOPE_NONE = 0;
    static final int SCOPE_DEBITS = 1;
    static final int SCOPE_ALL = 2;
    static final int DECISION_APPROVE = 1;
    static final int DECISION_REJECT = 2;

    /** A 128-bit transfer id. */
    record Id(long lo, long hi)
    {
        boolean isZero()
        {
            return lo == 0 && hi == 0;
        }
    }

    /**
     * The limits of an account and what it spent since it got them: the sum of its debits on {@code day}, and the
     * timestamps of its newest debits (as many as any velocity limit may look at), oldest first.
     */
    record Limits(ReferencePolicies.LimitValues values, long dailyUsed, long day, List<Long> debits)
    {
        static Limits of(final ReferencePolicies.LimitValues values)
        {
            return new Limits(values, 0, 0, List.of());
        }

        Limits withValues(final ReferencePolicies.LimitValues values)
        {
            return new Limits(values, dailyUsed, day, debits);
        }

        long usedOn(final long day)
        {
            return this.day == day ? dailyUsed : 0;
        }

        /**
         * @return null if a debit of {@code amount} at {@code timestamp} (on {@code day}) is within the limits,
         * otherwise the limit it breaks.
         */
        ResultCode refuses(final long amount, final long timestamp, final long day)
        {
            if (values.transferAmount() != 0 && amount > values.transferAmount())
            {
                return ResultCode.EXCEEDS_TRANSFER_AMOUNT_LIMIT;
            }
            if (values.daily() != 0 && big(usedOn(day)).add(big(amount)).compareTo(big(values.daily())) > 0)
            {
                return ResultCode.EXCEEDS_DAILY_DEBIT_LIMIT;
            }
            final int limit = (int)values.velocityDebits();
            if (limit != 0 && debits.size() >= limit)
            {
                // N debits in (t - W, t] already: the N-th newest is inside the window.
                final BigInteger windowStart = big(timestamp).subtract(
                    big(values.velocityWindowSeconds()).multiply(big(NANOS_PER_SECOND)));
                if (big(debits.get(debits.size() - limit)).compareTo(windowStart) > 0)
                {
                    return ResultCode.EXCEEDS_VELOCITY_LIMIT;
                }
            }
            return null;
        }

        /**
         * @param kept how many debit timestamps an account keeps ({@code velocityDebitsMax}).
         */
        Limits afterDebit(final long amount, final long timestamp, final long day, final int kept)
        {
            final long used = big(usedOn(day)).add(big(amount)).min(BALANCE_MAX).longValueExact();
            final List<Long> newer = new ArrayList<>(debits);
            newer.add(timestamp);
            while (newer.size() > kept)
            {
                newer.remove(0);
            }
            return new Limits(values, used, day, List.copyOf(newer));
        }
    }

    /** An account and its four balances; immutable, replaced on every change. */
    record AccountState(long id, long userData, int currency, int code, int flags, int status, int freezeScope,
        long timestamp, long debitsPending, long debitsPosted, long creditsPending, long creditsPosted, Limits limits)
    {
        AccountState withBalances(
            final long debitsPending, final long debitsPosted, final long creditsPending, final long creditsPosted)
        {
            return new AccountState(id, userData, currency, code, flags, status, freezeScope, timestamp,
                debitsPending, debitsPosted, creditsPending, creditsPosted, limits);
        }

        AccountState withStatus(final int status, final int freezeScope)
        {
            return new AccountState(id, userData, currency, code, flags, status, freezeScope, timestamp,
                debitsPending, debitsPosted, creditsPending, creditsPosted, limits);
        }

        AccountState withLimits(final Limits limits)
        {
            return new AccountState(id, userData, currency, code, flags, status, freezeScope, timestamp,
                debitsPending, debitsPosted, creditsPending, creditsPosted, limits);
        }

        /** Frozen with scope ALL: it may not receive either. */
        boolean refusesCredits()
        {
            return status == AccountStatusValue.FROZEN && freezeScope == SCOPE_ALL;
        }
    }

    /** A transfer as stored (posts and voids with the accounts, amount and currency of their hold). */
    record TransferState(Id id, long debit, long credit, long amount, Id pendingId, long userData128Lo,
        long userData128Hi, long userData64, int userData32, int timeout, int currency, int code, int flags,
        long timestamp, int pendingStatus, long deadline, long fee, long feeAccountId)
    {
        TransferState withPendingStatus(final int status)
        {
            return new TransferState(id, debit, credit, amount, pendingId, userData128Lo, userData128Hi, userData64,
                userData32, timeout, currency, code, flags, timestamp, status, deadline, fee, feeAccountId);
        }

        boolean isPostOrVoid()
        {
            return (flags & (Flags.TRANSFER_POST_PENDING | Flags.TRANSFER_VOID_PENDING)) != 0;
        }

        boolean isReviewHold()
        {
            return (flags & Flags.TRANSFER_REVIEW) != 0;
        }
    }

    /**
     * What is remembered of a transfer id: the transfer its first attempt created, or that attempt's failure with
     * what it asked for (a review decision as the post or void it stands for).
     */
    record Memo(TransferState transfer, ResultCode failure, TestLedger.Transfer asked, long failedAt)
    {
        Memo(final TransferState transfer)
        {
            this(transfer, null, null, 0);
        }

        /** @return when the id was first decided. */
        long timestamp()
        {
            return transfer != null ? transfer.timestamp() : failedAt;
        }
    }

    /**
     * What the permanent record told about the ids of one request (strict mode): the record held every transfer up to
     * {@code recordTimestamp}, and the ids of the events in {@code lookedUp} were looked up in it.
     */
    record RecallPlan(long recordTimestamp, Set<Integer> lookedUp)
    {
    }

    /** An id the ledger cannot judge: forgotten by the window maybe, and not settled by the record. */
    private static final Memo UNKNOWN = new Memo(null, ResultCode.RECORD_BEHIND, null, 0);

    /**
     * A post or void to apply: a client's transfer, or an operator's decision ({@code reviewer}), which names
     * nothing but the hold and gives the hold's code.
     */
    private record Resolution(Id id, int flags, Id pendingId, long amount, long debit, long credit, int currency,
        int timeout, int code, long userData128Lo, long userData128Hi, long userData64, int userData32, boolean reviewer)
    {
        static Resolution of(final TestLedger.Transfer t, final Id id, final int flags)
        {
            return new Resolution(id, flags, new Id(t.pendingLo, t.pendingHi), t.amount, t.debit, t.credit,
                t.currency & 0xFFFF, t.timeout, t.code & 0xFFFF, t.userData128Lo, t.userData128Hi, t.userData64,
                t.userData32, false);
        }
    }

    /** The fee a transfer pays and the account it goes to (fee 0 and no account for none), or why it cannot pay. */
    private record FeeCharge(ResultCode failure, long fee, AccountState account)
    {
        static final FeeCharge NONE = new FeeCharge(null, 0, null);
    }

    /** An account's four balances right after an event. */
    record Balances(long debitsPending, long debitsPosted, long creditsPending, long creditsPosted)
    {
    }

    /**
     * A transfer as an {@link AppliedTransferListener} receives it: kind 1 an event, 2 an expired hold; the
     * balances of its debit, credit and fee account right after it (null for an account that does not exist).
     */
    record Applied(int kind, Id id, long debit, long credit, long amount, long fee, long feeAccountId, int flags,
        int code, int currency, ResultCode result, long timestamp, Balances debitAfter, Balances creditAfter,
        Balances feeAfter)
    {
    }

    /** Everything a linked chain may change, so that a failed chain is undone by restoring a copy. */
    private static final class State
    {
        final LinkedHashMap<Long, AccountState> accounts;
        final LinkedHashMap<Id, Memo> remembered;
        final LinkedHashMap<Id, TransferState> openHolds;

        State()
        {
            this(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        }

        private State(
            final LinkedHashMap<Long, AccountState> accounts,
            final LinkedHashMap<Id, Memo> remembered,
            final LinkedHashMap<Id, TransferState> openHolds)
        {
            this.accounts = accounts;
            this.remembered = remembered;
            this.openHolds = openHolds;
        }

        State copy()
        {
            return new State(new LinkedHashMap<>(accounts), new LinkedHashMap<>(remembered),
                new LinkedHashMap<>(openHolds));
        }
    }

    /** The events of one request, as the batch walk sees them. */
    private interface Events
    {
        boolean linked(int i);

        /**
         * @param inChain whether the event belongs to a linked chain of more than one event.
         */
        ResultCode apply(int i, long timestamp, boolean inChain);

        void rememberFailure(int i, ResultCode result, long timestamp);

        /** @return the failure remembered for event i's id before this chain, or null. */
        ResultCode rememberedFailure(int i);

        /** @return event i's transfer id; null if the events are not transfers (and are not reported). */
        Id transferId(int i);

        /** @return event i as the failed transfer it asked for, without balances. */
        Applied asked(int i, long timestamp, ResultCode result);
    }

    // The ledger's settings: changed by SetLedgerSettings.
    private LedgerConfig settings;
    private int accountsMax;
    private int idempotencyWindow;
    private int pendingTransfersMax;
    private final int batchEventsMax;
    private int limitedAccountsMax;
    private final int velocityDebitsMax;
    private CurrencyRegistry currencies;
    private final ReferencePolicies policies;

    private State state = new State();
    private long lastTimestamp;
    /** Every id the window forgot, with its first decision; what a record that never forgets would hold. */
    private final Map<Id, Memo> forgotten = new HashMap<>();
    private Id largestForgotten = new Id(0, 0);
    private long newestForgotten;
    private RecallPlan plan;
    private final List<Applied> applied = new ArrayList<>();

    ReferenceLedger(final LedgerConfig config)
    {
        this.settings = config;
        this.accountsMax = config.accountsMax();
        this.idempotencyWindow = config.idempotencyWindow();
        this.pendingTransfersMax = config.pendingTransfersMax();
        this.batchEventsMax = config.batchEventsMax();
        this.limitedAccountsMax = config.limitedAccountsMax();
        this.velocityDebitsMax = config.velocityDebitsMax();
        this.currencies = config.currencies();
        this.policies = new ReferencePolicies(currencies, velocityDebitsMax);
    }

    // ---------------------------------------------------------------------------------------------- requests

    LedgerConfig settings()
    {
        return settings;
    }

    /**
     * New capacities and currencies: the batch size and the velocity ring stay; capacities may not fall below use
     * nor the window shrink; a currency an account, a fee or a threshold uses stays exactly as it is.
     */
    ResultCode setLedgerSettings(final LedgerConfig next)
    {
        if (next.batchEventsMax() != batchEventsMax || next.velocityDebitsMax() != velocityDebitsMax)
        {
            return ResultCode.SETTING_NOT_CHANGEABLE;
        }
        if (next.accountsMax() < state.accounts.size() || next.pendingTransfersMax() < state.openHolds.size() ||
            next.limitedAccountsMax() < limitedAccounts() || next.idempotencyWindow() < idempotencyWindow)
        {
            return ResultCode.CAPACITY_BELOW_USE;
        }
        final java.util.Set<Integer> used = new java.util.HashSet<>(policies.currenciesInUse());
        for (final AccountState a : state.accounts.values())
        {
            used.add(a.currency());
        }
        for (final int code : used)
        {
            if (!next.currencies().isKnown(code) || (currencies.isKnown(code) &&
                !currencies.byNumericCode(code).equals(next.currencies().byNumericCode(code))))
            {
                return ResultCode.CURRENCY_IN_USE;
            }
        }
        settings = next;
        accountsMax = next.accountsMax();
        idempotencyWindow = next.idempotencyWindow();
        pendingTransfersMax = next.pendingTransfersMax();
        limitedAccountsMax = next.limitedAccountsMax();
        currencies = next.currencies();
        policies.currencies(currencies);
        return ResultCode.OK;
    }

    ResultCode[] createAccounts(final long requestTimestamp, final TestLedger.Account... accounts)
    {
        expire(requestTimestamp);
        return applyBatch(accounts.length, requestTimestamp, new Events()
        {
            public boolean linked(final int i)
            {
                return (accounts[i].flags & Flags.ACCOUNT_LINKED) != 0;
            }

            public ResultCode apply(final int i, final long timestamp, final boolean inChain)
            {
                return createAccount(accounts[i], timestamp);
            }

            public void rememberFailure(final int i, final ResultCode result, final long timestamp)
            {
                // Accounts are permanent: a failed creation needs no memory.
            }

            public ResultCode rememberedFailure(final int i)
            {
                return null;
            }

            public Id transferId(final int i)
            {
                return null;
            }

            public Applied asked(final int i, final long timestamp, final ResultCode result)
            {
                throw new IllegalStateException("accounts are not reported");
            }
        });
    }

    ResultCode[] createTransfers(final long requestTimestamp, final TestLedger.Transfer... transfers)
    {
        expire(requestTimestamp);
        forgetOldest(transfers.length);
        return applyBatch(transfers.length, requestTimestamp, new Events()
        {
            public boolean linked(final int i)
            {
                return (flagsOf(transfers[i]) & Flags.TRANSFER_LINKED) != 0;
            }

            public ResultCode apply(final int i, final long timestamp, final boolean inChain)
            {
                return createTransfer(transfers[i], i, timestamp, inChain);
            }

            public void rememberFailure(final int i, final ResultCode result, final long timestamp)
            {
                rememberFailureOf(new Id(transfers[i].idLo, transfers[i].idHi), i, result, transfers[i], timestamp);
            }

            public ResultCode rememberedFailure(final int i)
            {
                final Memo memo = recallOrJudge(new Id(transfers[i].idLo, transfers[i].idHi), i);
                return memo == null || memo == UNKNOWN || memo.failure() == null ? null :
                    compareWithAsked(transfers[i], memo);
            }

            public Id transferId(final int i)
            {
                return new Id(transfers[i].idLo, transfers[i].idHi);
            }

            public Applied asked(final int i, final long timestamp, final ResultCode result)
            {
                final TestLedger.Transfer t = transfers[i];
                return new Applied(1, transferId(i), t.debit, t.credit, t.amount, 0, 0, flagsOf(t), t.code,
                    t.currency, result, timestamp, null, null, null);
            }
        });
    }

    /**
     * A request of operator commands, all of one kind. Review decisions are transfers: each consumes a timestamp
     * and is remembered under its id. The others change accounts or policies alone, in order, and consume none.
     */
    ResultCode[] operatorCommands(final long requestTimestamp, final OperatorCommand... commands)
    {
        expire(requestTimestamp);
        if (commands[0] instanceof OperatorCommand.Decision)
        {
            return reviewTransfers(requestTimestamp, commands);
        }
        final ResultCode[] results = new ResultCode[commands.length];
        for (int i = 0; i < commands.length; i++)
        {
            results[i] = operatorCommand(commands[i]);
        }
        return results;
    }

    private ResultCode operatorCommand(final OperatorCommand command)
    {
        if (command instanceof OperatorCommand.AccountCommand c)
        {
            return accountCommand(c);
        }
        if (command instanceof OperatorCommand.SetAccountLimits c)
        {
            return setAccountLimits(c);
        }
        if (command instanceof OperatorCommand.SetCodeLimits c)
        {
            return policies.setCodeLimits(c);
        }
        if (command instanceof OperatorCommand.SetFee c)
        {
            return policies.setFee(c);
        }
        if (command instanceof OperatorCommand.SetThreshold c)
        {
            return policies.setThreshold(c);
        }
        return policies.setSetting((OperatorCommand.SetSetting)command);
    }

    private ResultCode[] reviewTransfers(final long requestTimestamp, final OperatorCommand[] commands)
    {
        forgetOldest(commands.length);
        return applyBatch(commands.length, requestTimestamp, new Events()
        {
            public boolean linked(final int i)
            {
                return false;
            }

            public ResultCode apply(final int i, final long timestamp, final boolean inChain)
            {
                return decide((OperatorCommand.Decision)commands[i], i, timestamp);
            }

            public void rememberFailure(final int i, final ResultCode result, final long timestamp)
            {
                final OperatorCommand.Decision d = (OperatorCommand.Decision)commands[i];
                rememberFailureOf(new Id(d.idLo(), d.idHi()), i, result, asTransfer(d), timestamp);
            }

            public ResultCode rememberedFailure(final int i)
            {
                return null;
            }

            public Id transferId(final int i)
            {
                final OperatorCommand.Decision d = (OperatorCommand.Decision)commands[i];
                return new Id(d.idLo(), d.idHi());
            }

            public Applied asked(final int i, final long timestamp, final ResultCode result)
            {
                final int flags = Ledger.decisionFlags(((OperatorCommand.Decision)commands[i]).decision());
                return new Applied(1, transferId(i), 0, 0, 0, 0, 0, flags, 0, 0, result, timestamp, null, null, null);
            }
        });
    }

    private void rememberFailureOf(
        final Id id, final int eventIndex, final ResultCode result, final TestLedger.Transfer asked, final long at)
    {
        if (!id.isZero() && recallOrJudge(id, eventIndex) == null)
        {
            state.remembered.put(id, new Memo(null, result, asked, at));
        }
    }

    /**
     * @return a review decision as the transfer it asks for: a post (approve) or void (reject) of the hold, naming
     * nothing else; no flags for an unknown decision.
     */
    private static TestLedger.Transfer asTransfer(final OperatorCommand.Decision d)
    {
        final TestLedger.Transfer t = new TestLedger.Transfer().flags(decisionFlags(d)).currency(0);
        t.idLo = d.idLo();
        t.idHi = d.idHi();
        t.pendingLo = d.pendingIdLo();
        t.pendingHi = d.pendingIdHi();
        return t;
    }

    private static int decisionFlags(final OperatorCommand.Decision d)
    {
        return d.decision() == DECISION_APPROVE ? Flags.TRANSFER_POST_PENDING :
            d.decision() == DECISION_REJECT ? Flags.TRANSFER_VOID_PENDING : 0;
    }

    /**
     * The answer to a transfer whose id failed before: the first field that differs from what the failed attempt
     * asked for (a post's or void's zeros match anything, as they do against a stored one), else that failure.
     */
    private static ResultCode compareWithAsked(final TestLedger.Transfer t, final Memo memo)
    {
        final TestLedger.Transfer a = memo.asked();
        final boolean asTheHold = (flagsOf(a) & (Flags.TRANSFER_POST_PENDING | Flags.TRANSFER_VOID_PENDING)) != 0;
        if ((flagsOf(t) & ~Flags.TRANSFER_LINKED) != (flagsOf(a) & ~Flags.TRANSFER_LINKED))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_FLAGS;
        }
        if (t.pendingLo != a.pendingLo || t.pendingHi != a.pendingHi)
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_PENDING_ID;
        }
        if (t.timeout != a.timeout)
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_TIMEOUT;
        }
        if (t.debit != a.debit && !(asTheHold && t.debit == 0))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (t.credit != a.credit && !(asTheHold && t.credit == 0))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        if (t.amount != a.amount && !(asTheHold && t.amount == 0))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_AMOUNT;
        }
        if ((t.currency & 0xFFFF) != (a.currency & 0xFFFF) && !(asTheHold && (t.currency & 0xFFFF) == 0))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_CURRENCY;
        }
        if (t.userData128Lo != a.userData128Lo || t.userData128Hi != a.userData128Hi)
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA_128;
        }
        if (t.userData64 != a.userData64)
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA_64;
        }
        if (t.userData32 != a.userData32)
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA_32;
        }
        if ((t.code & 0xFFFF) != (a.code & 0xFFFF))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_CODE;
        }
        return memo.failure();
    }

    // ----------------------------------------------------------------------------------------------- lookups

    TestLedger.AccountView lookupAccount(final long id)
    {
        final AccountState a = state.accounts.get(id);
        if (a == null)
        {
            return null;
        }
        return new TestLedger.AccountView(a.id(), a.debitsPending(), a.debitsPosted(), a.creditsPending(),
            a.creditsPosted(), a.userData(), a.timestamp(), a.currency(), a.code(), a.flags() & Flags.ACCOUNT_ALL,
            a.status());
    }

    List<TestLedger.AccountView> lookupAccounts(final long... ids)
    {
        final List<TestLedger.AccountView> found = new ArrayList<>();
        for (final long id : ids)
        {
            final TestLedger.AccountView view = lookupAccount(id);
            if (view != null)
            {
                found.add(view);
            }
        }
        return found;
    }

    /**
     * @param timestamp of the lookup, whose day decides what was spent today.
     * @return the policy fields of the accounts found, in the order of the ids.
     */
    List<TestLedger.PolicyView> lookupAccountPolicies(final long timestamp, final long... ids)
    {
        final long day = policies.dayOf(timestamp);
        final List<TestLedger.PolicyView> found = new ArrayList<>();
        for (final long id : ids)
        {
            final AccountState a = state.accounts.get(id);
            if (a == null)
            {
                continue;
            }
            final int scope = a.status() == AccountStatusValue.FROZEN ? a.freezeScope() : SCOPE_NONE;
            final Limits l = a.limits();
            found.add(l == null ? new TestLedger.PolicyView(scope, 0, 0, 0, 0, 0) : new TestLedger.PolicyView(scope,
                l.values().transferAmount(), l.values().daily(), l.usedOn(day), l.values().velocityDebits(),
                l.values().velocityWindowSeconds()));
        }
        return found;
    }

    /**
     * @return a successful transfer that is still remembered, or an open hold however old; else null.
     */
    TestLedger.TransferView lookupTransfer(final long lo, final long hi)
    {
        final Memo memo = recall(new Id(lo, hi));
        if (memo == null || memo.failure() != null)
        {
            return null;
        }
        final TransferState t = memo.transfer();
        return new TestLedger.TransferView(t.id().lo(), t.id().hi(), t.debit(), t.credit(), t.amount(),
            t.pendingId().lo(), t.timestamp(), t.timeout(), t.currency(), t.code(),
            t.flags() & (Flags.TRANSFER_ALL | Flags.TRANSFER_REVIEW), t.pendingStatus(), t.userData64(),
            t.userData128Lo(), t.userData128Hi(), t.userData32(), t.fee(), t.feeAccountId());
    }

    TestLedger.PoliciesView lookupPolicies()
    {
        return policies.view();
    }

    int openHoldCount()
    {
        return state.openHolds.size();
    }

    /**
     * @return transfer ids in the window (open holds that have left it are not counted).
     */
    int rememberedCount()
    {
        return state.remembered.size();
    }

    // ----------------------------------------------------------------------------------- batches and chains

    /**
     * Walks the events in order. A chain is a run of linked events plus the first one after them; a single
     * unlinked event is a chain of one. Every event consumes a timestamp, also the ones a failed chain skips.
     */
    private ResultCode[] applyBatch(final int count, final long requestTimestamp, final Events events)
    {
        final ResultCode[] results = new ResultCode[count];
        // What the listener is told of each event (null: nothing, a retry), filled right after the event.
        final Applied[] reports = new Applied[count];
        final long[] timestamps = new long[count];
        final boolean reporting = count > 0 && events.transferId(0) != null;
        int start = 0;
        while (start < count)
        {
            int end = start;
            while (end < count - 1 && events.linked(end))
            {
                end++;
            }

            // A lone event changes nothing when it fails, so only a real chain needs a copy to roll back to.
            final State saved = end > start ? state.copy() : null;
            int failedAt = -1;
            for (int i = start; i <= end; i++)
            {
                final long timestamp = nextTimestamp(requestTimestamp);
                final boolean chainOpen = i == count - 1 && events.linked(i);
                timestamps[i] = timestamp;
                if (failedAt >= 0)
                {
                    // Not tried; whether it repeats a remembered id is judged once the chain is undone (undoing a
                    // post reopens its hold, whose id counts again), as the engine does.
                    results[i] = chainOpen ? ResultCode.LINKED_EVENT_CHAIN_OPEN : ResultCode.LINKED_EVENT_FAILED;
                    continue;
                }
                final boolean retry = reporting && isRetry(events, start, i);
                results[i] = chainOpen ? ResultCode.LINKED_EVENT_CHAIN_OPEN : events.apply(i, timestamp, end > start);
                if (reporting && !retry && results[i] != ResultCode.RECORD_BEHIND)
                {
                    reports[i] = withBalances(fails(results[i]) ? events.asked(i, timestamp, results[i]) :
                        stored(events.transferId(i), results[i]));
                }
                if (fails(results[i]))
                {
                    failedAt = i;
                }
            }

            if (failedAt >= 0)
            {
                // A chain stopped by an id the ledger could not judge was not tried: nothing of it is remembered
                // or reported.
                final boolean untried = results[failedAt] == ResultCode.RECORD_BEHIND;
                if (saved != null)
                {
                    state = saved;
                }
                for (int i = start; i < failedAt; i++)
                {
                    results[i] = ResultCode.LINKED_EVENT_FAILED;
                }
                // Events after the failure were not tried; one whose id failed before answers that failure, so
                // resending a failed batch answers exactly what its first attempt did.
                for (int i = failedAt + 1; i <= end; i++)
                {
                    final ResultCode remembered = events.rememberedFailure(i);
                    if (remembered != null)
                    {
                        results[i] = remembered;
                    }
                    reports[i] = !reporting || untried || isRetry(events, start, i) ? null :
                        events.asked(i, timestamps[i], results[i]);
                }
                for (int i = start; i <= end; i++)
                {
                    if (!untried)
                    {
                        events.rememberFailure(i, results[i], timestamps[i]);
                    }
                    // Reported as what it asked for, with the balances the undo left.
                    reports[i] = reports[i] == null || untried ? null :
                        withBalances(events.asked(i, timestamps[i], results[i]));
                }
            }
            for (int i = start; i <= end; i++)
            {
                if (reports[i] != null)
                {
                    applied.add(reports[i]);
                }
            }
            start = end + 1;
        }
        plan = null;
        return results;
    }

    /**
     * @return whether event i repeats a remembered id, or the id of an earlier event of its chain: a retry, which
     * the listener is not told of.
     */
    private boolean isRetry(final Events events, final int chainStart, final int i)
    {
        final Id id = events.transferId(i);
        if (id.isZero())
        {
            return false;
        }
        // A remembered id, or one the ledger cannot judge: either way nothing new is decided, nor reported.
        if (recallOrJudge(id, i) != null)
        {
            return true;
        }
        for (int j = chainStart; j < i; j++)
        {
            // An earlier event of the chain decided the id, unless the ledger could not judge it there.
            if (id.equals(events.transferId(j)) && recallOrJudge(id, j) == null)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the transfer an event just stored under its id.
     */
    private Applied stored(final Id id, final ResultCode result)
    {
        final TransferState t = recall(id).transfer();
        final boolean hold = (t.flags() & Flags.TRANSFER_PENDING) != 0;
        return new Applied(1, id, t.debit(), t.credit(), t.amount(), hold ? 0 : t.fee(), t.feeAccountId(),
            t.flags(), t.code(), t.currency(), result, t.timestamp(), null, null, null);
    }

    private Applied withBalances(final Applied r)
    {
        return new Applied(r.kind(), r.id(), r.debit(), r.credit(), r.amount(), r.fee(), r.feeAccountId(), r.flags(),
            r.code(), r.currency(), r.result(), r.timestamp(), balancesOf(r.debit()), balancesOf(r.credit()),
            balancesOf(r.feeAccountId()));
    }

    private Balances balancesOf(final long accountId)
    {
        final AccountState a = accountId == 0 ? null : state.accounts.get(accountId);
        return a == null ? null : new Balances(a.debitsPending(), a.debitsPosted(), a.creditsPending(),
            a.creditsPosted());
    }

    /**
     * @return what an {@link AppliedTransferListener} was told since the last call, in order.
     */
    List<Applied> takeApplied()
    {
        final List<Applied> taken = new ArrayList<>(applied);
        applied.clear();
        return taken;
    }

    /**
     * @return whether the result fails the event: a hold held for review is a success, like an identical retry.
     */
    private static boolean fails(final ResultCode result)
    {
        return result != ResultCode.OK && result != ResultCode.EXISTS && result != ResultCode.HELD_FOR_REVIEW;
    }

    private long nextTimestamp(final long requestTimestamp)
    {
        lastTimestamp = Math.max(requestTimestamp, lastTimestamp + 1);
        return lastTimestamp;
    }

    // ---------------------------------------------------------------------------------------------- accounts

    private ResultCode createAccount(final TestLedger.Account a, final long timestamp)
    {
        final int flags = a.flags & 0xFFFF;
        final int currency = a.currency & 0xFFFF;
        final int code = a.code & 0xFFFF;
        if (a.id == 0)
        {
            return ResultCode.ID_MUST_NOT_BE_ZERO;
        }
        final AccountState existing = state.accounts.get(a.id);
        if (existing != null)
        {
            // The doc says only for transfers that the linked flag is ignored; the engine ignores it for accounts
            // too, which is the only reading under which a retried account chain can differ in its chaining.
            if ((existing.flags() & ~Flags.ACCOUNT_LINKED) != (flags & ~Flags.ACCOUNT_LINKED))
            {
                return ResultCode.EXISTS_WITH_DIFFERENT_FLAGS;
            }
            if (existing.currency() != currency)
            {
                return ResultCode.EXISTS_WITH_DIFFERENT_CURRENCY;
            }
            if (existing.code() != code)
            {
                return ResultCode.EXISTS_WITH_DIFFERENT_CODE;
            }
            if (existing.userData() != a.userData)
            {
                return ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA;
            }
            return ResultCode.EXISTS;
        }
        if ((flags & ~Flags.ACCOUNT_ALL) != 0)
        {
            return ResultCode.RESERVED_FLAG;
        }
        if ((flags & Flags.ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS) != 0 &&
            (flags & Flags.ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS) != 0)
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
        if (state.accounts.size() >= accountsMax)
        {
            return ResultCode.ACCOUNTS_FULL;
        }
        final ReferencePolicies.LimitValues defaults = policies.codeLimits(code);
        if (defaults != null && limitedAccounts() >= limitedAccountsMax)
        {
            return ResultCode.LIMITED_ACCOUNTS_FULL;
        }
        state.accounts.put(a.id, new AccountState(a.id, a.userData, currency, code, flags & ~Flags.ACCOUNT_LINKED,
            AccountStatusValue.ACTIVE, SCOPE_NONE, timestamp, 0, 0, 0, 0, defaults == null ? null : Limits.of(defaults)));
        return ResultCode.OK;
    }

    private int limitedAccounts()
    {
        int limited = 0;
        for (final AccountState a : state.accounts.values())
        {
            limited += a.limits() != null ? 1 : 0;
        }
        return limited;
    }

    /**
     * Freezes, unfreezes or closes an account; repeating a command whose effect already holds answers OK.
     */
    private ResultCode accountCommand(final OperatorCommand.AccountCommand c)
    {
        if (c.accountId() == 0)
        {
            return ResultCode.ID_MUST_NOT_BE_ZERO;
        }
        final AccountState a = state.accounts.get(c.accountId());
        if (a == null)
        {
            return ResultCode.ACCOUNT_NOT_FOUND;
        }
        if (c.action() != ACTION_FREEZE && c.action() != ACTION_UNFREEZE && c.action() != ACTION_CLOSE)
        {
            return ResultCode.ACTION_UNKNOWN;
        }
        final boolean scopeValid = c.action() == ACTION_FREEZE ?
            c.freezeScope() == SCOPE_DEBITS || c.freezeScope() == SCOPE_ALL : c.freezeScope() == SCOPE_NONE;
        if (!scopeValid)
        {
            return ResultCode.FREEZE_SCOPE_INVALID;
        }
        if (a.status() == AccountStatusValue.CLOSED)
        {
            return c.action() == ACTION_CLOSE ? ResultCode.OK : ResultCode.ACCOUNT_CLOSED;
        }
        switch (c.action())
        {
            case ACTION_FREEZE:
                putAccount(a.withStatus(AccountStatusValue.FROZEN, c.freezeScope()));
                return ResultCode.OK;
            case ACTION_UNFREEZE:
                putAccount(a.withStatus(AccountStatusValue.ACTIVE, SCOPE_NONE));
                return ResultCode.OK;
            default:
                if (a.debitsPending() != 0 || a.creditsPending() != 0)
                {
                    return ResultCode.ACCOUNT_HAS_PENDING_TRANSFERS;
                }
                if (a.debitsPosted() != a.creditsPosted())
                {
                    return ResultCode.ACCOUNT_BALANCE_NOT_ZERO;
                }
                putAccount(a.withStatus(AccountStatusValue.CLOSED, SCOPE_NONE));
                return ResultCode.OK;
        }
    }

    /**
     * Replaces the limits of an account; what it already spent still counts.
     */
    private ResultCode setAccountLimits(final OperatorCommand.SetAccountLimits c)
    {
        if (c.accountId() == 0)
        {
            return ResultCode.ID_MUST_NOT_BE_ZERO;
        }
        final AccountState a = state.accounts.get(c.accountId());
        if (a == null)
        {
            return ResultCode.ACCOUNT_NOT_FOUND;
        }
        final ReferencePolicies.LimitValues values = new ReferencePolicies.LimitValues(c.transferAmountLimit(),
            c.dailyDebitLimit(), c.velocityDebitLimit(), c.velocityWindowSeconds());
        final ResultCode invalid = policies.checkLimits(values);
        if (invalid != null)
        {
            return invalid;
        }
        if (a.limits() == null && limitedAccounts() >= limitedAccountsMax)
        {
            return ResultCode.LIMITED_ACCOUNTS_FULL;
        }
        putAccount(a.withLimits(a.limits() == null ? Limits.of(values) : a.limits().withValues(values)));
        return ResultCode.OK;
    }

    // --------------------------------------------------------------------------------------------- transfers

    private static int flagsOf(final TestLedger.Transfer t)
    {
        return t.flags & 0xFFFF;
    }

    private ResultCode createTransfer(
        final TestLedger.Transfer t, final int eventIndex, final long timestamp, final boolean inChain)
    {
        final Id id = new Id(t.idLo, t.idHi);
        final int flags = flagsOf(t);
        if (id.isZero())
        {
            return ResultCode.ID_MUST_NOT_BE_ZERO;
        }
        final Memo memo = recallOrJudge(id, eventIndex);
        if (memo == UNKNOWN)
        {
            return ResultCode.RECORD_BEHIND;
        }
        if (memo != null)
        {
            return memo.failure() != null ? compareWithAsked(t, memo) : compareWithExisting(t, memo.transfer());
        }
        if ((flags & ~Flags.TRANSFER_ALL) != 0)
        {
            return ResultCode.RESERVED_FLAG;
        }
        if (Integer.bitCount(flags & Flags.TRANSFER_TWO_PHASE) > 1)
        {
            return ResultCode.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
        }
        if ((flags & (Flags.TRANSFER_POST_PENDING | Flags.TRANSFER_VOID_PENDING)) != 0)
        {
            return postOrVoid(Resolution.of(t, id, flags), timestamp);
        }
        return singlePhaseOrPending(t, id, timestamp, inChain);
    }

    private static ResultCode compareWithExisting(final TestLedger.Transfer t, final TransferState e)
    {
        final boolean asTheHold = e.isPostOrVoid();
        // A transfer held for review was asked for as a single-phase one.
        final int asked = e.isReviewHold() ? e.flags() & ~(Flags.TRANSFER_REVIEW | Flags.TRANSFER_PENDING) : e.flags();
        if ((flagsOf(t) & ~Flags.TRANSFER_LINKED) != (asked & ~Flags.TRANSFER_LINKED))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_FLAGS;
        }
        if (t.pendingLo != e.pendingId().lo() || t.pendingHi != e.pendingId().hi())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_PENDING_ID;
        }
        if (t.timeout != e.timeout())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_TIMEOUT;
        }
        if (t.debit != e.debit() && !(asTheHold && t.debit == 0))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (t.credit != e.credit() && !(asTheHold && t.credit == 0))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        if (t.amount != e.amount() && !(asTheHold && t.amount == 0))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_AMOUNT;
        }
        final int currency = t.currency & 0xFFFF;
        if (currency != e.currency() && !(asTheHold && currency == 0))
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_CURRENCY;
        }
        if (t.userData128Lo != e.userData128Lo() || t.userData128Hi != e.userData128Hi())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA_128;
        }
        if (t.userData64 != e.userData64())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA_64;
        }
        if (t.userData32 != e.userData32())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA_32;
        }
        if ((t.code & 0xFFFF) != e.code())
        {
            return ResultCode.EXISTS_WITH_DIFFERENT_CODE;
        }
        return e.isReviewHold() ? ResultCode.HELD_FOR_REVIEW : ResultCode.EXISTS;
    }

    private ResultCode singlePhaseOrPending(
        final TestLedger.Transfer t, final Id id, final long timestamp, final boolean inChain)
    {
        final int flags = flagsOf(t);
        final ResultCode invalid = checkFields(t, (flags & Flags.TRANSFER_PENDING) != 0);
        if (invalid != null)
        {
            return invalid;
        }
        final AccountState dr = state.accounts.get(t.debit);
        final AccountState cr = state.accounts.get(t.credit);
        final ResultCode refused = checkAccounts(t, dr, cr);
        if (refused != null)
        {
            return refused;
        }
        final long amount = t.amount;
        final long day = policies.dayOf(timestamp);
        final ResultCode limited = dr.limits() == null ? null : dr.limits().refuses(amount, timestamp, day);
        if (limited != null)
        {
            return limited;
        }

        // Large single-phase transfers become holds for an operator's review.
        boolean pending = (flags & Flags.TRANSFER_PENDING) != 0;
        final long threshold = policies.threshold(dr.currency());
        final boolean review = !pending && threshold != 0 && amount > threshold;
        if (review && inChain)
        {
            return ResultCode.REVIEW_REQUIRED_OUTSIDE_LINKED_CHAIN;
        }
        pending |= review;

        // A hold pays its fee when it is posted.
        final FeeCharge fee = pending ? FeeCharge.NONE : charge(t.code & 0xFFFF, dr.currency(), amount, dr.id());
        if (fee.failure() != null)
        {
            return fee.failure();
        }
        long deadline = 0;
        if (pending && t.timeout != 0)
        {
            final BigInteger end = big(timestamp).add(
                big(Integer.toUnsignedLong(t.timeout)).multiply(big(NANOS_PER_SECOND)));
            if (end.compareTo(BALANCE_MAX) > 0)
            {
                return ResultCode.OVERFLOWS_TIMEOUT;
            }
            deadline = end.longValueExact();
        }
        if (pending && !review && policies.holdTimeoutMaxSeconds() != 0 &&
            (t.timeout == 0 || Integer.toUnsignedLong(t.timeout) > policies.holdTimeoutMaxSeconds()))
        {
            return ResultCode.HOLD_TIMEOUT_EXCEEDS_MAX;
        }
        if (pending && policies.holdsPerAccountMax() != 0 &&
            state.openHolds.values().stream().filter(hold -> hold.debit() == t.debit).count() >=
                policies.holdsPerAccountMax())
        {
            return ResultCode.HOLDS_PER_ACCOUNT_FULL;
        }
        final ResultCode unbalanced = checkBalances(dr, cr, amount, pending, fee);
        if (unbalanced != null)
        {
            return unbalanced;
        }
        if (pending && state.openHolds.size() >= pendingTransfersMax)
        {
            return ResultCode.PENDING_TRANSFERS_FULL;
        }

        if (dr.limits() != null)
        {
            putAccount(dr.withLimits(dr.limits().afterDebit(amount, timestamp, day, velocityDebitsMax)));
        }
        final int storedFlags = review ? flags | Flags.TRANSFER_PENDING | Flags.TRANSFER_REVIEW :
            flags & ~Flags.TRANSFER_LINKED;
        final TransferState stored = new TransferState(id, t.debit, t.credit, amount, new Id(0, 0),
            t.userData128Lo, t.userData128Hi, t.userData64, t.userData32, t.timeout, dr.currency(), t.code & 0xFFFF,
            storedFlags, timestamp, pending ? Flags.PENDING_STATUS_PENDING : Flags.PENDING_STATUS_NONE, deadline,
            fee.fee(), fee.account() == null ? 0 : fee.account().id());
        if (pending)
        {
            addBalances(t.debit, amount, 0, 0, 0);
            addBalances(t.credit, 0, 0, amount, 0);
            state.openHolds.put(id, stored);
        }
        else
        {
            addBalances(t.debit, 0, amount + fee.fee(), 0, 0);
            addBalances(t.credit, 0, 0, 0, amount);
            if (fee.account() != null)
            {
                addBalances(fee.account().id(), 0, 0, 0, fee.fee());
            }
        }
        state.remembered.put(id, new Memo(stored));
        return review ? ResultCode.HELD_FOR_REVIEW : ResultCode.OK;
    }

    private static ResultCode checkFields(final TestLedger.Transfer t, final boolean pending)
    {
        if (t.debit == 0)
        {
            return ResultCode.DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (t.credit == 0)
        {
            return ResultCode.CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO;
        }
        if (t.debit == t.credit)
        {
            return ResultCode.ACCOUNTS_MUST_BE_DIFFERENT;
        }
        if (t.pendingLo != 0 || t.pendingHi != 0)
        {
            return ResultCode.PENDING_ID_MUST_BE_ZERO;
        }
        if (!pending && t.timeout != 0)
        {
            return ResultCode.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }
        if (t.amount == 0)
        {
            return ResultCode.AMOUNT_MUST_NOT_BE_ZERO;
        }
        if (t.amount < 0)
        {
            return ResultCode.AMOUNT_MUST_NOT_BE_NEGATIVE;
        }
        return (t.currency & 0xFFFF) == 0 ? ResultCode.CURRENCY_MUST_NOT_BE_ZERO : null;
    }

    private static ResultCode checkAccounts(final TestLedger.Transfer t, final AccountState dr, final AccountState cr)
    {
        if (dr == null)
        {
            return ResultCode.DEBIT_ACCOUNT_NOT_FOUND;
        }
        if (cr == null)
        {
            return ResultCode.CREDIT_ACCOUNT_NOT_FOUND;
        }
        if (dr.currency() != cr.currency())
        {
            return ResultCode.ACCOUNTS_MUST_HAVE_THE_SAME_CURRENCY;
        }
        if ((t.currency & 0xFFFF) != dr.currency())
        {
            return ResultCode.TRANSFER_CURRENCY_MUST_MATCH_ACCOUNTS;
        }
        if (dr.status() == AccountStatusValue.CLOSED)
        {
            return ResultCode.DEBIT_ACCOUNT_CLOSED;
        }
        if (dr.status() == AccountStatusValue.FROZEN)
        {
            return ResultCode.DEBIT_ACCOUNT_FROZEN;
        }
        if (cr.status() == AccountStatusValue.CLOSED)
        {
            return ResultCode.CREDIT_ACCOUNT_CLOSED;
        }
        return cr.refusesCredits() ? ResultCode.CREDIT_ACCOUNT_FROZEN : null;
    }

    /**
     * The overflow and no-overdraft rules of a new transfer: amount + fee on the debit side, and the fee account's
     * credit (on top of the amount if it is also the credit account).
     */
    private static ResultCode checkBalances(
        final AccountState dr, final AccountState cr, final long amount, final boolean pending, final FeeCharge fee)
    {
        final BigInteger charged = big(amount).add(big(fee.fee()));
        if (pending)
        {
            if (overflows(dr.debitsPending(), amount))
            {
                return ResultCode.OVERFLOWS_DEBITS_PENDING;
            }
            if (overflows(cr.creditsPending(), amount))
            {
                return ResultCode.OVERFLOWS_CREDITS_PENDING;
            }
        }
        else
        {
            if (big(dr.debitsPosted()).add(charged).compareTo(BALANCE_MAX) > 0)
            {
                return ResultCode.OVERFLOWS_DEBITS_POSTED;
            }
            if (overflows(cr.creditsPosted(), amount))
            {
                return ResultCode.OVERFLOWS_CREDITS_POSTED;
            }
        }
        final BigInteger debitsAfter = big(dr.debitsPending()).add(big(dr.debitsPosted())).add(charged);
        final BigInteger creditsAfter = big(cr.creditsPending()).add(big(cr.creditsPosted())).add(big(amount));
        if (debitsAfter.compareTo(BALANCE_MAX) > 0)
        {
            return ResultCode.OVERFLOWS_DEBITS;
        }
        if (creditsAfter.compareTo(BALANCE_MAX) > 0)
        {
            return ResultCode.OVERFLOWS_CREDITS;
        }
        if ((dr.flags() & Flags.ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS) != 0 &&
            debitsAfter.compareTo(big(dr.creditsPosted())) > 0)
        {
            return ResultCode.EXCEEDS_CREDITS;
        }
        if ((cr.flags() & Flags.ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS) != 0 &&
            creditsAfter.compareTo(big(cr.debitsPosted())) > 0)
        {
            return ResultCode.EXCEEDS_DEBITS;
        }
        if (fee.account() == null)
        {
            return null;
        }
        return checkFeeCredit(fee.account(), fee.account().id() == cr.id() ? charged : big(fee.fee()));
    }

    /**
     * @param credited what the fee account's posted credits grow by.
     */
    private static ResultCode checkFeeCredit(final AccountState feeAccount, final BigInteger credited)
    {
        if (big(feeAccount.creditsPosted()).add(credited).compareTo(BALANCE_MAX) > 0)
        {
            return ResultCode.OVERFLOWS_CREDITS_POSTED;
        }
        final BigInteger after = big(feeAccount.creditsPending()).add(big(feeAccount.creditsPosted())).add(credited);
        if (after.compareTo(BALANCE_MAX) > 0)
        {
            return ResultCode.OVERFLOWS_CREDITS;
        }
        if ((feeAccount.flags() & Flags.ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS) != 0 &&
            after.compareTo(big(feeAccount.debitsPosted())) > 0)
        {
            return ResultCode.EXCEEDS_DEBITS;
        }
        return null;
    }

    /**
     * The fee of a transfer of {@code amount} with this code and currency, checked against its fee account; none
     * when the payer is the fee account.
     */
    private FeeCharge charge(final int code, final int currency, final long amount, final long payer)
    {
        final ReferencePolicies.Fee entry = policies.feeEntry(code, currency);
        if (entry == null)
        {
            return FeeCharge.NONE;
        }
        final BigInteger fee = ReferencePolicies.fee(entry, amount);
        if (fee == null)
        {
            return new FeeCharge(ResultCode.OVERFLOWS_DEBITS_POSTED, 0, null);
        }
        if (fee.signum() == 0)
        {
            return FeeCharge.NONE;
        }
        final AccountState account = state.accounts.get(entry.accountId());
        final ResultCode refused = account == null ? ResultCode.FEE_ACCOUNT_NOT_FOUND :
            account.currency() != currency ? ResultCode.FEE_ACCOUNT_HAS_DIFFERENT_CURRENCY :
            account.status() == AccountStatusValue.CLOSED ? ResultCode.FEE_ACCOUNT_CLOSED :
            account.refusesCredits() ? ResultCode.FEE_ACCOUNT_FROZEN : null;
        if (refused != null)
        {
            return new FeeCharge(refused, 0, null);
        }
        return account.id() == payer ? FeeCharge.NONE : new FeeCharge(null, fee.longValueExact(), account);
    }

    /**
     * An operator's decision: approve posts the whole hold, reject voids it; recorded under its own id.
     */
    private ResultCode decide(final OperatorCommand.Decision d, final int eventIndex, final long timestamp)
    {
        final Id id = new Id(d.idLo(), d.idHi());
        if (id.isZero())
        {
            return ResultCode.ID_MUST_NOT_BE_ZERO;
        }
        final int flags = decisionFlags(d);
        final Id pendingId = new Id(d.pendingIdLo(), d.pendingIdHi());
        final Memo memo = recallOrJudge(id, eventIndex);
        if (memo == UNKNOWN)
        {
            return ResultCode.RECORD_BEHIND;
        }
        if (memo != null)
        {
            // Decision, then hold, then the outcome: a decision that only shares the id learns nothing of it.
            final int rememberedFlags = memo.failure() != null ? flagsOf(memo.asked()) & ~Flags.TRANSFER_LINKED :
                memo.transfer().flags();
            final Id rememberedHold = memo.failure() != null ?
                new Id(memo.asked().pendingLo, memo.asked().pendingHi) : memo.transfer().pendingId();
            if (rememberedFlags != flags)
            {
                return ResultCode.EXISTS_WITH_DIFFERENT_FLAGS;
            }
            if (!rememberedHold.equals(pendingId))
            {
                return ResultCode.EXISTS_WITH_DIFFERENT_PENDING_ID;
            }
            return memo.failure() != null ? memo.failure() : ResultCode.EXISTS;
        }
        if (flags == 0)
        {
            return ResultCode.DECISION_UNKNOWN;
        }
        final TransferState hold = state.openHolds.get(pendingId);
        return postOrVoid(new Resolution(id, flags, pendingId, 0, 0, 0, 0, 0, hold == null ? 0 : hold.code(), 0, 0, 0, 0,
            true), timestamp);
    }

    private ResultCode postOrVoid(final Resolution r, final long timestamp)
    {
        final boolean post = (r.flags() & Flags.TRANSFER_POST_PENDING) != 0;
        if (r.pendingId().isZero())
        {
            return ResultCode.PENDING_ID_MUST_NOT_BE_ZERO;
        }
        if (r.pendingId().equals(r.id()))
        {
            return ResultCode.PENDING_ID_MUST_BE_DIFFERENT;
        }
        if (r.timeout() != 0)
        {
            return ResultCode.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }
        if (r.amount() < 0)
        {
            return ResultCode.AMOUNT_MUST_NOT_BE_NEGATIVE;
        }
        final TransferState hold = state.openHolds.get(r.pendingId());
        if (hold == null)
        {
            return whyNoOpenHold(r.pendingId());
        }
        final ResultCode mismatch = checkAgainstHold(r, hold, timestamp);
        if (mismatch != null)
        {
            return mismatch;
        }
        final long captured = post ? (r.amount() == 0 ? hold.amount() : r.amount()) : 0;
        final AccountState dr = state.accounts.get(hold.debit());
        // A capture pays the fee of the hold's code on the amount captured.
        final FeeCharge fee = post ? charge(hold.code(), hold.currency(), captured, dr.id()) : FeeCharge.NONE;
        if (fee.failure() != null)
        {
            return fee.failure();
        }
        final ResultCode unpaid = checkCaptureFee(dr, hold, captured, fee);
        if (unpaid != null)
        {
            return unpaid;
        }

        addBalances(hold.debit(), -hold.amount(), captured + fee.fee(), 0, 0);
        addBalances(hold.credit(), 0, 0, -hold.amount(), captured);
        if (fee.account() != null)
        {
            addBalances(fee.account().id(), 0, 0, 0, fee.fee());
        }
        closeHold(hold, post ? Flags.PENDING_STATUS_POSTED : Flags.PENDING_STATUS_VOIDED);

        final TransferState stored = new TransferState(r.id(), hold.debit(), hold.credit(),
            post ? captured : hold.amount(), r.pendingId(), r.userData128Lo(), r.userData128Hi(), r.userData64(),
            r.userData32(), 0, hold.currency(), r.code(), r.flags() & ~Flags.TRANSFER_LINKED, timestamp,
            Flags.PENDING_STATUS_NONE, 0, fee.fee(), fee.account() == null ? 0 : fee.account().id());
        state.remembered.put(r.id(), new Memo(stored));
        return ResultCode.OK;
    }

    private static ResultCode checkAgainstHold(final Resolution r, final TransferState hold, final long timestamp)
    {
        if (r.debit() != 0 && r.debit() != hold.debit())
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (r.credit() != 0 && r.credit() != hold.credit())
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        if (r.currency() != 0 && r.currency() != hold.currency())
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_CURRENCY;
        }
        if (hold.isReviewHold() && !r.reviewer())
        {
            return ResultCode.PENDING_TRANSFER_UNDER_REVIEW;
        }
        if (!hold.isReviewHold() && r.reviewer())
        {
            return ResultCode.PENDING_TRANSFER_NOT_UNDER_REVIEW;
        }
        if (hold.deadline() != 0 && hold.deadline() <= timestamp)
        {
            return ResultCode.PENDING_TRANSFER_EXPIRED;
        }
        final boolean post = (r.flags() & Flags.TRANSFER_POST_PENDING) != 0;
        if (post && r.amount() > hold.amount())
        {
            return ResultCode.EXCEEDS_PENDING_TRANSFER_AMOUNT;
        }
        if (!post && r.amount() != 0 && r.amount() != hold.amount())
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT;
        }
        return null;
    }

    /**
     * Whether the payer of a capture can pay its fee too, and the fee account take it. The captured amount itself
     * always fits: it was reserved.
     */
    private static ResultCode checkCaptureFee(
        final AccountState dr, final TransferState hold, final long captured, final FeeCharge fee)
    {
        if (fee.account() == null)
        {
            return null;
        }
        final BigInteger charged = big(captured).add(big(fee.fee()));
        if (big(dr.debitsPosted()).add(charged).compareTo(BALANCE_MAX) > 0)
        {
            return ResultCode.OVERFLOWS_DEBITS_POSTED;
        }
        final BigInteger debitsAfter = big(dr.debitsPending()).subtract(big(hold.amount())).add(big(dr.debitsPosted()))
            .add(charged);
        if (debitsAfter.compareTo(BALANCE_MAX) > 0)
        {
            return ResultCode.OVERFLOWS_DEBITS;
        }
        if ((dr.flags() & Flags.ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS) != 0 &&
            debitsAfter.compareTo(big(dr.creditsPosted())) > 0)
        {
            return ResultCode.EXCEEDS_CREDITS;
        }
        return checkFeeCredit(fee.account(), big(fee.fee()));
    }

    private ResultCode whyNoOpenHold(final Id pendingId)
    {
        final Memo memo = state.remembered.get(pendingId);
        if (memo == null || memo.failure() != null)
        {
            return ResultCode.PENDING_TRANSFER_NOT_FOUND;
        }
        final TransferState target = memo.transfer();
        if ((target.flags() & Flags.TRANSFER_PENDING) == 0)
        {
            return ResultCode.PENDING_TRANSFER_NOT_PENDING;
        }
        switch (target.pendingStatus())
        {
            case Flags.PENDING_STATUS_POSTED:
                return ResultCode.PENDING_TRANSFER_ALREADY_POSTED;
            case Flags.PENDING_STATUS_VOIDED:
                return ResultCode.PENDING_TRANSFER_ALREADY_VOIDED;
            case Flags.PENDING_STATUS_EXPIRED:
                return ResultCode.PENDING_TRANSFER_EXPIRED;
            default:
                throw new IllegalStateException("hold " + pendingId + " is not open but has status " +
                    target.pendingStatus());
        }
    }

    // ------------------------------------------------------------------------------------ holds and memory

    /**
     * Releases, earliest deadline first, every hold whose deadline is at or before the request's timestamp.
     */
    private void expire(final long requestTimestamp)
    {
        final List<TransferState> due = new ArrayList<>();
        for (final TransferState hold : state.openHolds.values())
        {
            if (hold.deadline() != 0 && hold.deadline() <= requestTimestamp)
            {
                due.add(hold);
            }
        }
        due.sort(Comparator.comparingLong(TransferState::deadline));
        for (final TransferState hold : due)
        {
            addBalances(hold.debit(), -hold.amount(), 0, 0, 0);
            addBalances(hold.credit(), 0, 0, -hold.amount(), 0);
            applied.add(withBalances(new Applied(2, hold.id(), hold.debit(), hold.credit(), hold.amount(), 0,
                hold.feeAccountId(), hold.flags(), hold.code(), hold.currency(), ResultCode.OK, requestTimestamp,
                null, null, null)));
            closeHold(hold, Flags.PENDING_STATUS_EXPIRED);
        }
    }

    private void closeHold(final TransferState hold, final int status)
    {
        state.openHolds.remove(hold.id());
        // LinkedHashMap keeps the arrival position of a key that is put again.
        if (state.remembered.containsKey(hold.id()))
        {
            state.remembered.put(hold.id(), new Memo(hold.withPendingStatus(status)));
        }
    }

    private void forgetOldest(final int batchEvents)
    {
        final Iterator<Map.Entry<Id, Memo>> oldest = state.remembered.entrySet().iterator();
        while (state.remembered.size() + batchEvents > idempotencyWindow + batchEventsMax)
        {
            final Map.Entry<Id, Memo> forgotten = oldest.next();
            oldest.remove();
            this.forgotten.putIfAbsent(forgotten.getKey(), forgotten.getValue());
            if (isAbove(forgotten.getKey(), largestForgotten))
            {
                largestForgotten = forgotten.getKey();
            }
            newestForgotten = forgotten.getValue().timestamp();
        }
    }

    /**
     * The next request (of transfers or review decisions) comes with what the record told about its ids: it is judged
     * under the promise of exactly once for any retry. Without a plan, a request is judged by the window alone.
     */
    void recallPlan(final RecallPlan plan)
    {
        this.plan = plan;
    }

    /**
     * @return what is remembered of the id (the window, an open hold); else, in strict mode, the first decision on it
     * if the record settled it, null if it is new, {@link #UNKNOWN} if the ledger cannot tell; null without a plan.
     */
    private Memo recallOrJudge(final Id id, final int eventIndex)
    {
        final Memo memo = recall(id);
        if (memo != null || plan == null || id.isZero())
        {
            return memo;
        }
        final boolean lookedUp = plan.lookedUp().contains(eventIndex);
        final Memo first = forgotten.get(id);
        if (lookedUp && first != null && first.timestamp() <= plan.recordTimestamp())
        {
            return first;
        }
        if (isAbove(id, largestForgotten) ||
            (lookedUp && plan.recordTimestamp() >= newestForgotten))
        {
            return null;
        }
        return UNKNOWN;
    }

    private static boolean isAbove(final Id id, final Id than)
    {
        final int high = Long.compareUnsigned(id.hi(), than.hi());
        return high > 0 || (high == 0 && Long.compareUnsigned(id.lo(), than.lo()) > 0);
    }

    /**
     * @return what is remembered of the id: from the window, else an open hold however old; else null.
     */
    private Memo recall(final Id id)
    {
        final Memo memo = state.remembered.get(id);
        if (memo != null)
        {
            return memo;
        }
        final TransferState hold = state.openHolds.get(id);
        return hold == null ? null : new Memo(hold);
    }

    private void putAccount(final AccountState account)
    {
        state.accounts.put(account.id(), account);
    }

    /**
     * Adds to the balances of an account, as it is now (it may have changed earlier in the same event).
     */
    private void addBalances(
        final long accountId, final long debitsPending, final long debitsPosted, final long creditsPending,
        final long creditsPosted)
    {
        final AccountState a = state.accounts.get(accountId);
        putAccount(a.withBalances(a.debitsPending() + debitsPending, a.debitsPosted() + debitsPosted,
            a.creditsPending() + creditsPending, a.creditsPosted() + creditsPosted));
    }

    private static boolean overflows(final long balance, final long amount)
    {
        return big(balance).add(big(amount)).compareTo(BALANCE_MAX) > 0;
    }

    private static BigInteger big(final long value)
    {
        return BigInteger.valueOf(value);
    }
}
