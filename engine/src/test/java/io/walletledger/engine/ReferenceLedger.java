package io.walletledger.engine;

import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.ResultCode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

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
 */
final class ReferenceLedger
{
    private static final BigInteger BALANCE_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** A 128-bit transfer id. */
    record Id(long lo, long hi)
    {
        boolean isZero()
        {
            return lo == 0 && hi == 0;
        }
    }

    /** An account and its four balances; immutable, replaced on every change. */
    record AccountState(long id, long userData, int currency, int code, int flags, int status, long timestamp,
        long debitsPending, long debitsPosted, long creditsPending, long creditsPosted)
    {
        AccountState withBalances(
            final long debitsPending, final long debitsPosted, final long creditsPending, final long creditsPosted)
        {
            return new AccountState(id, userData, currency, code, flags, status, timestamp,
                debitsPending, debitsPosted, creditsPending, creditsPosted);
        }
    }

    /** A transfer as stored (posts and voids with the accounts, amount and currency of their hold). */
    record TransferState(Id id, long debit, long credit, long amount, Id pendingId, long userData128Lo,
        long userData128Hi, long userData64, int userData32, int timeout, int currency, int code, int flags,
        long timestamp, int pendingStatus, long deadline)
    {
        TransferState withPendingStatus(final int status)
        {
            return new TransferState(id, debit, credit, amount, pendingId, userData128Lo, userData128Hi, userData64,
                userData32, timeout, currency, code, flags, timestamp, status, deadline);
        }

        boolean isPostOrVoid()
        {
            return (flags & (Flags.TRANSFER_POST_PENDING | Flags.TRANSFER_VOID_PENDING)) != 0;
        }
    }

    /** What is remembered of a transfer id: the transfer its first attempt created, or that attempt's failure. */
    record Memo(TransferState transfer, ResultCode failure)
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

        ResultCode apply(int i, long timestamp);

        void rememberFailure(int i, ResultCode result);

        /** @return the failure remembered for event i's id before this chain, or null. */
        ResultCode rememberedFailure(int i);
    }

    private final int accountsMax;
    private final int idempotencyWindow;
    private final int pendingTransfersMax;
    private final int batchEventsMax;
    private final CurrencyRegistry currencies;

    private State state = new State();
    private long lastTimestamp;

    ReferenceLedger(final LedgerConfig config)
    {
        this.accountsMax = config.accountsMax();
        this.idempotencyWindow = config.idempotencyWindow();
        this.pendingTransfersMax = config.pendingTransfersMax();
        this.batchEventsMax = config.batchEventsMax();
        this.currencies = config.currencies();
    }

    // ---------------------------------------------------------------------------------------------- requests

    ResultCode[] createAccounts(final long requestTimestamp, final TestLedger.Account... accounts)
    {
        expire(requestTimestamp);
        return applyBatch(accounts.length, requestTimestamp, new Events()
        {
            public boolean linked(final int i)
            {
                return (accounts[i].flags & Flags.ACCOUNT_LINKED) != 0;
            }

            public ResultCode apply(final int i, final long timestamp)
            {
                return createAccount(accounts[i], timestamp);
            }

            public void rememberFailure(final int i, final ResultCode result)
            {
                // Accounts are permanent: a failed creation needs no memory.
            }

            public ResultCode rememberedFailure(final int i)
            {
                return null;
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

            public ResultCode apply(final int i, final long timestamp)
            {
                return createTransfer(transfers[i], timestamp);
            }

            public void rememberFailure(final int i, final ResultCode result)
            {
                final Id id = new Id(transfers[i].idLo, transfers[i].idHi);
                if (!id.isZero() && recall(id) == null)
                {
                    state.remembered.put(id, new Memo(null, result));
                }
            }

            public ResultCode rememberedFailure(final int i)
            {
                final Memo memo = recall(new Id(transfers[i].idLo, transfers[i].idHi));
                return memo == null ? null : memo.failure();
            }
        });
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
            t.pendingId().lo(), t.timestamp(), t.timeout(), t.currency(), t.code(), t.flags() & Flags.TRANSFER_ALL,
            t.pendingStatus(), t.userData64());
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
                if (failedAt >= 0)
                {
                    results[i] = chainOpen ? ResultCode.LINKED_EVENT_CHAIN_OPEN : ResultCode.LINKED_EVENT_FAILED;
                    continue;
                }
                results[i] = chainOpen ? ResultCode.LINKED_EVENT_CHAIN_OPEN : events.apply(i, timestamp);
                if (fails(results[i]))
                {
                    failedAt = i;
                }
            }

            if (failedAt >= 0)
            {
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
                }
                for (int i = start; i <= end; i++)
                {
                    events.rememberFailure(i, results[i]);
                }
            }
            start = end + 1;
        }
        return results;
    }

    private static boolean fails(final ResultCode result)
    {
        return result != ResultCode.OK && result != ResultCode.EXISTS;
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
        state.accounts.put(a.id, new AccountState(
            a.id, a.userData, currency, code, flags & ~Flags.ACCOUNT_LINKED, AccountStatusValue.ACTIVE, timestamp, 0, 0, 0, 0));
        return ResultCode.OK;
    }

    // --------------------------------------------------------------------------------------------- transfers

    private static int flagsOf(final TestLedger.Transfer t)
    {
        return t.flags & 0xFFFF;
    }

    private ResultCode createTransfer(final TestLedger.Transfer t, final long timestamp)
    {
        final Id id = new Id(t.idLo, t.idHi);
        final int flags = flagsOf(t);
        if (id.isZero())
        {
            return ResultCode.ID_MUST_NOT_BE_ZERO;
        }
        final Memo memo = recall(id);
        if (memo != null)
        {
            return memo.failure() != null ? memo.failure() : compareWithExisting(t, memo.transfer());
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
            return postOrVoid(t, id, flags, timestamp);
        }
        return singlePhaseOrPending(t, id, flags, timestamp);
    }

    private static ResultCode compareWithExisting(final TestLedger.Transfer t, final TransferState e)
    {
        final boolean asTheHold = e.isPostOrVoid();
        if ((flagsOf(t) & ~Flags.TRANSFER_LINKED) != (e.flags() & ~Flags.TRANSFER_LINKED))
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
        return ResultCode.EXISTS;
    }

    private ResultCode singlePhaseOrPending(
        final TestLedger.Transfer t, final Id id, final int flags, final long timestamp)
    {
        final boolean pending = (flags & Flags.TRANSFER_PENDING) != 0;
        final int currency = t.currency & 0xFFFF;
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
        if (currency == 0)
        {
            return ResultCode.CURRENCY_MUST_NOT_BE_ZERO;
        }
        final AccountState dr = state.accounts.get(t.debit);
        if (dr == null)
        {
            return ResultCode.DEBIT_ACCOUNT_NOT_FOUND;
        }
        final AccountState cr = state.accounts.get(t.credit);
        if (cr == null)
        {
            return ResultCode.CREDIT_ACCOUNT_NOT_FOUND;
        }
        if (dr.currency() != cr.currency())
        {
            return ResultCode.ACCOUNTS_MUST_HAVE_THE_SAME_CURRENCY;
        }
        if (currency != dr.currency())
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
        final long amount = t.amount;
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
            if (overflows(dr.debitsPosted(), amount))
            {
                return ResultCode.OVERFLOWS_DEBITS_POSTED;
            }
            if (overflows(cr.creditsPosted(), amount))
            {
                return ResultCode.OVERFLOWS_CREDITS_POSTED;
            }
        }
        final BigInteger debitsAfter = big(dr.debitsPending()).add(big(dr.debitsPosted())).add(big(amount));
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
        if (pending && state.openHolds.size() >= pendingTransfersMax)
        {
            return ResultCode.PENDING_TRANSFERS_FULL;
        }

        final TransferState stored = new TransferState(id, t.debit, t.credit, amount, new Id(0, 0),
            t.userData128Lo, t.userData128Hi, t.userData64, t.userData32, t.timeout, currency, t.code & 0xFFFF,
            flags & ~Flags.TRANSFER_LINKED, timestamp, pending ? Flags.PENDING_STATUS_PENDING : Flags.PENDING_STATUS_NONE, deadline);
        if (pending)
        {
            putAccount(dr.withBalances(dr.debitsPending() + amount, dr.debitsPosted(), dr.creditsPending(),
                dr.creditsPosted()));
            putAccount(cr.withBalances(cr.debitsPending(), cr.debitsPosted(), cr.creditsPending() + amount,
                cr.creditsPosted()));
            state.openHolds.put(id, stored);
        }
        else
        {
            putAccount(dr.withBalances(dr.debitsPending(), dr.debitsPosted() + amount, dr.creditsPending(),
                dr.creditsPosted()));
            putAccount(cr.withBalances(cr.debitsPending(), cr.debitsPosted(), cr.creditsPending(),
                cr.creditsPosted() + amount));
        }
        state.remembered.put(id, new Memo(stored, null));
        return ResultCode.OK;
    }

    private ResultCode postOrVoid(final TestLedger.Transfer t, final Id id, final int flags, final long timestamp)
    {
        final boolean post = (flags & Flags.TRANSFER_POST_PENDING) != 0;
        final Id pendingId = new Id(t.pendingLo, t.pendingHi);
        final int currency = t.currency & 0xFFFF;
        if (pendingId.isZero())
        {
            return ResultCode.PENDING_ID_MUST_NOT_BE_ZERO;
        }
        if (pendingId.equals(id))
        {
            return ResultCode.PENDING_ID_MUST_BE_DIFFERENT;
        }
        if (t.timeout != 0)
        {
            return ResultCode.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
        }
        if (t.amount < 0)
        {
            return ResultCode.AMOUNT_MUST_NOT_BE_NEGATIVE;
        }
        final TransferState hold = state.openHolds.get(pendingId);
        if (hold == null)
        {
            return whyNoOpenHold(pendingId);
        }
        if (t.debit != 0 && t.debit != hold.debit())
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID;
        }
        if (t.credit != 0 && t.credit != hold.credit())
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID;
        }
        if (currency != 0 && currency != hold.currency())
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_CURRENCY;
        }
        if (hold.deadline() != 0 && hold.deadline() <= timestamp)
        {
            return ResultCode.PENDING_TRANSFER_EXPIRED;
        }
        if (post && t.amount > hold.amount())
        {
            return ResultCode.EXCEEDS_PENDING_TRANSFER_AMOUNT;
        }
        if (!post && t.amount != 0 && t.amount != hold.amount())
        {
            return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT;
        }
        final long captured = post ? (t.amount == 0 ? hold.amount() : t.amount) : 0;
        final AccountState dr = state.accounts.get(hold.debit());
        final AccountState cr = state.accounts.get(hold.credit());
        if (post && overflows(dr.debitsPosted(), captured))
        {
            return ResultCode.OVERFLOWS_DEBITS_POSTED;
        }
        if (post && overflows(cr.creditsPosted(), captured))
        {
            return ResultCode.OVERFLOWS_CREDITS_POSTED;
        }

        putAccount(dr.withBalances(dr.debitsPending() - hold.amount(), dr.debitsPosted() + captured,
            dr.creditsPending(), dr.creditsPosted()));
        final AccountState crNow = state.accounts.get(hold.credit());
        putAccount(crNow.withBalances(crNow.debitsPending(), crNow.debitsPosted(),
            crNow.creditsPending() - hold.amount(), crNow.creditsPosted() + captured));
        closeHold(hold, post ? Flags.PENDING_STATUS_POSTED : Flags.PENDING_STATUS_VOIDED);

        final TransferState stored = new TransferState(id, hold.debit(), hold.credit(),
            post ? captured : hold.amount(), pendingId, t.userData128Lo, t.userData128Hi, t.userData64, t.userData32,
            0, hold.currency(), t.code & 0xFFFF, flags & ~Flags.TRANSFER_LINKED, timestamp, Flags.PENDING_STATUS_NONE, 0);
        state.remembered.put(id, new Memo(stored, null));
        return ResultCode.OK;
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
            final AccountState dr = state.accounts.get(hold.debit());
            putAccount(dr.withBalances(dr.debitsPending() - hold.amount(), dr.debitsPosted(), dr.creditsPending(),
                dr.creditsPosted()));
            final AccountState cr = state.accounts.get(hold.credit());
            putAccount(cr.withBalances(cr.debitsPending(), cr.debitsPosted(), cr.creditsPending() - hold.amount(),
                cr.creditsPosted()));
            closeHold(hold, Flags.PENDING_STATUS_EXPIRED);
        }
    }

    private void closeHold(final TransferState hold, final int status)
    {
        state.openHolds.remove(hold.id());
        // LinkedHashMap keeps the arrival position of a key that is put again.
        if (state.remembered.containsKey(hold.id()))
        {
            state.remembered.put(hold.id(), new Memo(hold.withPendingStatus(status), null));
        }
    }

    private void forgetOldest(final int batchEvents)
    {
        final Iterator<Id> oldest = state.remembered.keySet().iterator();
        while (state.remembered.size() + batchEvents > idempotencyWindow + batchEventsMax)
        {
            oldest.next();
            oldest.remove();
        }
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
        return hold == null ? null : new Memo(hold, null);
    }

    private void putAccount(final AccountState account)
    {
        state.accounts.put(account.id(), account);
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
