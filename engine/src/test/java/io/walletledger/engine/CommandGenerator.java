package io.walletledger.engine;

import io.walletledger.protocol.Currency;
import io.walletledger.protocol.CurrencyRegistry;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random but reproducible ledger traffic for the randomized tests. It first creates a few dozen accounts in a
 * few currencies (settlement accounts without limits, no-overdraft wallets, accounts whose credits must not
 * exceed their debits), then sends batches of transfers that mix every kind of event: single-phase, holds
 * with and without timeouts, full, partial and excess posts, voids, retries of earlier ids verbatim or with
 * one field changed, invalid events, linked chains (some failing, some left open), with amounts biased
 * toward the edges, and time that jumps forward, sometimes backwards, sometimes exactly onto a deadline.
 * <p>
 * With the wallet policies on, one request in eight or so is an operator's ({@link OperatorTraffic}): account
 * commands, limits, fees, review thresholds, settings and review decisions; transfers then also meet frozen and
 * closed accounts, limits, fees and review holds. With them off, the traffic is exactly what it was before the
 * policies existed, so the tests that use it see the same requests for the same seed.
 * <p>
 * It looks at a ledger through a {@link LedgerView} only to aim amounts and references at interesting
 * values; it never predicts an outcome. Given the same seed and the same answers from the view, it produces
 * the same requests.
 */
final class CommandGenerator
{
    static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int[] CURRENCIES = { TestLedger.USD, TestLedger.EUR, TestLedger.JPY };
    private static final int GBP = 826;
    /** About one request in this many changes the ledger's settings (as a node restarted with other ones would). */
    private static final int SETTINGS_ONE_IN = 150;

    private boolean settingsChanges;
    private static final int UNKNOWN_CURRENCY = 999;
    private static final long UNKNOWN_ACCOUNT_BASE = 1_000_000;

    record PlannedAccount(long id, int currency, int flags, int code, long userData)
    {
        TestLedger.Account toAccount()
        {
            return new TestLedger.Account().id(id).currency(currency).flags(flags).code(code).userData(userData);
        }
    }

    private final Random random;
    private final Random sampling;
    private final LedgerConfig config;
    private final List<PlannedAccount> accounts = new ArrayList<>();
    private final ArrayDeque<TestLedger.Account[]> setUp = new ArrayDeque<>();
    private final List<TestLedger.Transfer> sent = new ArrayList<>();
    private final List<TestLedger.Transfer> holds = new ArrayList<>();
    private final List<TestLedger.Transfer[]> sentBatches = new ArrayList<>();
    private final Set<ReferenceLedger.Id> usedIds = new HashSet<>();
    /** Null unless the policies are on. */
    private final OperatorTraffic operators;
    private final ArrayDeque<LedgerRequest> queued = new ArrayDeque<>();
    private long nextTransferId;
    private long nextAccountId = 1;
    private long now;
    private LedgerView view;

    /**
     * @param small a ledger so small that the idempotency window, the hold limit and sometimes the account
     *              limit are reached; otherwise the window and the limits are never reached in a test run.
     */
    CommandGenerator(final Random random, final boolean small)
    {
        this(random, small, false);
    }

    /**
     * @param small    as above.
     * @param policies whether operators set limits, fees, thresholds and settings, freeze and close accounts and
     *                 decide on review holds; the ledger then has few limit records and a short velocity ring now
     *                 and then, so their capacities are reached too.
     */
    CommandGenerator(final Random random, final boolean small, final boolean policies)
    {
        this.random = random;
        // Its own source, so that how often a test samples does not change the requests.
        this.sampling = new Random(random.nextLong());
        final int accountsPlanned = 10 + random.nextInt(21);
        final LedgerConfig.Builder builder = small ? smallConfig(random, accountsPlanned) : largeConfig(random);
        if (policies)
        {
            builder.limitedAccountsMax(random.nextInt(4) == 0 ? random.nextInt(5) : LedgerConfig.LIMITED_ACCOUNTS_MAX_DEFAULT)
                .velocityDebitsMax(random.nextInt(3) == 0 ? random.nextInt(5) : LedgerConfig.VELOCITY_DEBITS_MAX_DEFAULT);
        }
        this.config = builder.build();
        this.operators = policies ? new OperatorTraffic(this, random) : null;
        this.nextTransferId = 1 + random.nextInt(1000);
        final int start = random.nextInt(20);
        if (start < 4)
        {
            // So late that the largest timeouts overflow the deadline.
            this.now = Long.MAX_VALUE - 3_000_000_000L * NANOS_PER_SECOND - random.nextInt(1_000_000);
        }
        else if (start < 5)
        {
            // The journaler's clock at (or near) its very beginning.
            this.now = random.nextInt(3);
        }
        else
        {
            this.now = 1_000_000_000_000L + random.nextInt(1_000_000);
        }
        planAccounts(accountsPlanned);
    }

    /**
     * @return the next {@code count} requests, aimed with a reference ledger that applies each one.
     */
    List<LedgerRequest> generate(final int count)
    {
        final ReferenceLedger model = new ReferenceLedger(config());
        final LedgerView view = LedgerView.of(model);
        final List<LedgerRequest> requests = new ArrayList<>();
        for (int step = 0; step < count; step++)
        {
            final LedgerRequest request = next(view);
            request.applyTo(model);
            requests.add(request);
        }
        return requests;
    }

    private static LedgerConfig.Builder smallConfig(final Random random, final int accountsPlanned)
    {
        final int[] windows = { 1, 16, 32, 64, 64, 100 };
        // Batches longer than two prefetch runs (TransferPrefetcher.RUN_LENGTH = 16) reach its steady state.
        final int[] batches = { 1, 4, 8, 8, 16, 17, 32, 33, 48, 49, 100 };
        return LedgerConfig.builder()
            .idempotencyWindow(windows[random.nextInt(windows.length)])
            .batchEventsMax(batches[random.nextInt(batches.length)])
            .pendingTransfersMax(random.nextInt(10) < 3 ? 1 + random.nextInt(15) : 4096)
            .accountsMax(random.nextInt(10) < 2 ? Math.max(1, accountsPlanned - 1 - random.nextInt(3)) : 1024);
    }

    private static LedgerConfig.Builder largeConfig(final Random random)
    {
        final int[] batches = { 4, 8, 16, 64 };
        return LedgerConfig.builder()
            .idempotencyWindow(1 << 16)
            .batchEventsMax(batches[random.nextInt(batches.length)])
            .pendingTransfersMax(1 << 14)
            .accountsMax(1024);
    }

    LedgerConfig config()
    {
        return config;
    }

    LedgerView view()
    {
        return view;
    }

    List<PlannedAccount> plannedAccounts()
    {
        return accounts;
    }

    /**
     * @return the transfers sent so far, oldest first.
     */
    List<TestLedger.Transfer> sent()
    {
        return sent;
    }

    /**
     * @return the transfers sent as holds so far, oldest first.
     */
    List<TestLedger.Transfer> holds()
    {
        return holds;
    }

    /**
     * @return a request at {@code time} (or the last request's, if later) of one small transfer from {@code debit}.
     */
    LedgerRequest transferAt(final long time, final PlannedAccount debit)
    {
        now = Math.max(now, time);
        final TestLedger.Transfer t = singlePhaseFrom(debit);
        t.amount = 1 + random.nextInt(100);
        return record(new TestLedger.Transfer[] { t });
    }

    /**
     * Sends a request after the current one, at the same time, before any other.
     */
    void queue(final OperatorCommand[] commands)
    {
        queued.add(new LedgerRequest(now, null, null, commands));
    }

    long now()
    {
        return now;
    }

    /**
     * @return every account id the generator used, plus two it never creates.
     */
    long[] accountIds()
    {
        final long[] ids = new long[accounts.size() + 2];
        for (int i = 0; i < accounts.size(); i++)
        {
            ids[i] = accounts.get(i).id();
        }
        ids[accounts.size()] = UNKNOWN_ACCOUNT_BASE;
        ids[accounts.size() + 1] = nextAccountId;
        return ids;
    }

    /**
     * @return some transfer ids worth looking up: the last request's, recent ones, holds, and one never used.
     */
    List<ReferenceLedger.Id> sampleTransferIds(final LedgerRequest last, final int count)
    {
        final List<ReferenceLedger.Id> ids = new ArrayList<>();
        if (last.transfers() != null)
        {
            for (final TestLedger.Transfer t : last.transfers())
            {
                ids.add(new ReferenceLedger.Id(t.idLo, t.idHi));
            }
        }
        if (last.commands() != null)
        {
            for (final OperatorCommand command : last.commands())
            {
                if (command instanceof OperatorCommand.Decision d)
                {
                    ids.add(new ReferenceLedger.Id(d.idLo(), d.idHi()));
                    ids.add(new ReferenceLedger.Id(d.pendingIdLo(), d.pendingIdHi()));
                }
            }
        }
        for (int i = 0; i < count && !sent.isEmpty(); i++)
        {
            final TestLedger.Transfer t = i % 3 == 0 && !holds.isEmpty() ? holds.get(sampling.nextInt(holds.size())) :
                sent.get(sampling.nextInt(sent.size()));
            ids.add(new ReferenceLedger.Id(t.idLo, t.idHi));
        }
        ids.add(new ReferenceLedger.Id(nextTransferId, 0));
        return ids;
    }

    /**
     * From now on, about one request in {@value #SETTINGS_ONE_IN} changes the ledger's settings, as a node restarted
     * with other capacities or currencies would journal ({@code SetLedgerSettings}).
     *
     * @return this generator.
     */
    CommandGenerator withSettingsChanges()
    {
        settingsChanges = true;
        return this;
    }

    /**
     * @return new settings near the ledger's: capacities grown or cut (perhaps below what is in use), the window grown
     * or shrunk (refused), a currency added or dropped (perhaps one in use), or a setting a ledger keeps for life.
     */
    private LedgerConfig settingsChange(final LedgerConfig current)
    {
        final LedgerConfig.Builder next = LedgerConfig.builder().accountsMax(current.accountsMax())
            .idempotencyWindow(current.idempotencyWindow()).pendingTransfersMax(current.pendingTransfersMax())
            .batchEventsMax(current.batchEventsMax()).limitedAccountsMax(current.limitedAccountsMax())
            .velocityDebitsMax(current.velocityDebitsMax()).currencies(current.currencies())
            .hashSeed(current.hashSeed());
        switch (random.nextInt(7))
        {
            case 0 -> next.accountsMax(current.accountsMax() + 1 + random.nextInt(8))
                .pendingTransfersMax(current.pendingTransfersMax() + random.nextInt(4))
                .limitedAccountsMax(current.limitedAccountsMax() + random.nextInt(3));
            case 1 -> next.idempotencyWindow(current.idempotencyWindow() + 1 + random.nextInt(16));
            case 2 -> next.accountsMax(Math.max(1, current.accountsMax() - 1 - random.nextInt(4)))
                .pendingTransfersMax(Math.max(1, current.pendingTransfersMax() - random.nextInt(3)))
                .limitedAccountsMax(Math.max(0, current.limitedAccountsMax() - random.nextInt(3)));
            case 3 -> next.idempotencyWindow(Math.max(1, current.idempotencyWindow() - 1 - random.nextInt(4)));
            case 4, 5 -> next.currencies(toggleCurrency(current.currencies()));
            default ->
            {
                if (random.nextBoolean())
                {
                    next.batchEventsMax(current.batchEventsMax() + 1);
                }
                else
                {
                    next.velocityDebitsMax(current.velocityDebitsMax() + 1);
                }
            }
        }
        return next.build();
    }

    /**
     * @return the registry with one currency added (GBP) or dropped (one the traffic uses, or GBP).
     */
    private CurrencyRegistry toggleCurrency(final CurrencyRegistry currencies)
    {
        final int[] candidates = { TestLedger.JPY, TestLedger.EUR, GBP };
        final int toggled = candidates[random.nextInt(candidates.length)];
        final CurrencyRegistry.Builder next = CurrencyRegistry.empty();
        for (final Currency currency : currencies.currencies())
        {
            if (currency.numericCode() != toggled)
            {
                next.add(currency.alphaCode(), currency.numericCode(), currency.exponent());
            }
        }
        if (!currencies.isKnown(toggled))
        {
            final Currency added = CurrencyRegistry.withIsoDefaults().build().byNumericCode(toggled);
            next.add(added.alphaCode(), added.numericCode(), added.exponent());
        }
        return next.build();
    }

    LedgerRequest next(final LedgerView view)
    {
        this.view = view;
        if (!setUp.isEmpty())
        {
            now += random.nextInt(1000);
            return new LedgerRequest(now, setUp.poll(), null);
        }
        if (!queued.isEmpty())
        {
            return queued.poll();
        }
        advanceTime();
        if (settingsChanges && random.nextInt(SETTINGS_ONE_IN) == 0)
        {
            return LedgerRequest.settings(now, settingsChange(view.settings()));
        }
        final int r = random.nextInt(100);
        if (r < 4)
        {
            return new LedgerRequest(now, accountBatch(), null);
        }
        if (operators != null && r >= 7 && r < 20)
        {
            return new LedgerRequest(now, null, null, operators.next());
        }
        if (operators != null && r >= 20 && r < 23)
        {
            final LedgerRequest edge = operators.edgeTransfer(now);
            if (edge != null)
            {
                return edge;
            }
        }
        if (r < 7 && !sentBatches.isEmpty())
        {
            final TestLedger.Transfer[] earlier = sentBatches.get(random.nextInt(sentBatches.size()));
            final TestLedger.Transfer[] again = new TestLedger.Transfer[earlier.length];
            for (int i = 0; i < earlier.length; i++)
            {
                again[i] = earlier[i].copy();
            }
            return record(again);
        }
        return record(transferBatch());
    }

    /**
     * @return a request, at the time of the last one, that does nothing at all: one transfer with id 0 (which
     * is not remembered). It runs the expiry of holds due at that time, so that what follows sees none.
     */
    LedgerRequest nothing()
    {
        return new LedgerRequest(now, null, new TestLedger.Transfer[]{ new TestLedger.Transfer() });
    }

    /**
     * @return a linked chain of new transfers, at the time of the last request, that must fail as a whole:
     * it is either left open at the end of the batch or ends with an event that cannot apply (amount 0).
     */
    LedgerRequest failingChain(final LedgerView view)
    {
        this.view = view;
        final int size = 2 + random.nextInt(Math.max(1, config.batchEventsMax() - 1));
        final TestLedger.Transfer[] batch = new TestLedger.Transfer[Math.min(size, config.batchEventsMax())];
        for (int i = 0; i < batch.length; i++)
        {
            final int r = random.nextInt(5);
            batch[i] = r == 0 ? singlePhase() : r == 1 ? pending() : r == 2 ? post() : r == 3 ? voidHold() : funding();
            batch[i].flags |= Flags.TRANSFER_LINKED;
        }
        if (random.nextBoolean())
        {
            final TestLedger.Transfer last = batch[batch.length - 1];
            last.flags &= ~Flags.TRANSFER_LINKED;
            last.flags &= ~(Flags.TRANSFER_POST_PENDING | Flags.TRANSFER_VOID_PENDING | Flags.TRANSFER_PENDING);
            last.pendingLo = 0;
            last.pendingHi = 0;
            last.timeout = 0;
            last.amount = 0;
        }
        return record(batch);
    }

    // ---------------------------------------------------------------------------------------------- accounts

    private void planAccounts(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int currency = i < CURRENCIES.length ? CURRENCIES[i] : pickCurrency();
            final int r = random.nextInt(100);
            final int flags;
            if (i < CURRENCIES.length || r < 20)
            {
                flags = 0;
            }
            else if (r < 70)
            {
                flags = Flags.ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS;
            }
            else
            {
                flags = Flags.ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS;
            }
            accounts.add(newAccount(currency, flags));
        }

        final int batchMax = config.batchEventsMax();
        for (int from = 0; from < accounts.size(); from += batchMax)
        {
            final int size = Math.min(batchMax, accounts.size() - from);
            final TestLedger.Account[] batch = new TestLedger.Account[size];
            final boolean chain = random.nextInt(4) == 0;
            for (int i = 0; i < size; i++)
            {
                batch[i] = accounts.get(from + i).toAccount();
                if (chain && i < size - 1)
                {
                    batch[i].linked();
                    final PlannedAccount p = accounts.get(from + i);
                    accounts.set(from + i, new PlannedAccount(
                        p.id(), p.currency(), p.flags() | Flags.ACCOUNT_LINKED, p.code(), p.userData()));
                }
            }
            setUp.add(batch);
        }
    }

    private PlannedAccount newAccount(final int currency, final int flags)
    {
        final long id;
        if (random.nextInt(10) == 0)
        {
            // Anywhere in the unsigned 64-bit range, also with the top bit set.
            id = random.nextLong() | (1L << 40);
        }
        else
        {
            // Leave gaps so that some small ids never exist.
            id = nextAccountId + (random.nextInt(5) == 0 ? 1 : 0);
            nextAccountId = id + 1;
        }
        return new PlannedAccount(id, currency, flags, 1 + random.nextInt(3), random.nextInt(4));
    }

    int pickCurrency()
    {
        final int r = random.nextInt(10);
        return r < 5 ? TestLedger.USD : r < 8 ? TestLedger.EUR : TestLedger.JPY;
    }

    private TestLedger.Account[] accountBatch()
    {
        final int size = 1 + random.nextInt(Math.min(config.batchEventsMax(), 4));
        final TestLedger.Account[] batch = new TestLedger.Account[size];
        for (int i = 0; i < size; i++)
        {
            final PlannedAccount existing = accounts.get(random.nextInt(accounts.size()));
            final int r = random.nextInt(100);
            if (r < 30)
            {
                batch[i] = existing.toAccount();
            }
            else if (r < 50)
            {
                final TestLedger.Account a = existing.toAccount();
                switch (random.nextInt(5))
                {
                    case 0 -> a.flags ^= Flags.ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS;
                    case 1 -> a.currency = a.currency == TestLedger.USD ? TestLedger.EUR : TestLedger.USD;
                    case 2 -> a.code += 1;
                    case 3 -> a.userData += 1;
                    default -> a.flags ^= Flags.ACCOUNT_LINKED;
                }
                batch[i] = a;
            }
            else if (r < 75)
            {
                final PlannedAccount fresh = newAccount(pickCurrency(), random.nextBoolean() ?
                    Flags.ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS : 0);
                accounts.add(fresh);
                batch[i] = fresh.toAccount();
            }
            else
            {
                final TestLedger.Account a = newAccount(pickCurrency(), 0).toAccount();
                switch (random.nextInt(5))
                {
                    case 0 -> a.id = 0;
                    case 1 -> a.flags = 1 << (3 + random.nextInt(13));
                    case 2 -> a.flags = Flags.ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS |
                        Flags.ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS;
                    case 3 -> a.currency = 0;
                    default -> a.currency = UNKNOWN_CURRENCY;
                }
                batch[i] = a;
            }
        }
        final int r = random.nextInt(100);
        for (int i = 0; i < size; i++)
        {
            if ((r < 25 && i < size - 1) || (r < 30 && i == size - 1))
            {
                batch[i].flags |= Flags.ACCOUNT_LINKED;
            }
        }
        return batch;
    }

    // --------------------------------------------------------------------------------------------------- time

    private void advanceTime()
    {
        final int r = random.nextInt(100);
        if (r < 45)
        {
            now += random.nextInt(1000);
        }
        else if (r < 72)
        {
            now += random.nextInt(1_000_000_000);
        }
        else if (r < 86)
        {
            now += (1 + random.nextInt(30)) * NANOS_PER_SECOND + random.nextInt(1000);
        }
        else if (r < 91)
        {
            // The journaler's clock may step back; event timestamps must still increase.
            now = Math.max(0, now - random.nextInt(5) * NANOS_PER_SECOND - random.nextInt(1000));
        }
        else if (!aimAtDeadline())
        {
            now += random.nextInt(1000);
        }
    }

    /**
     * Moves time exactly onto (or one nanosecond before) the deadline of a hold that is still open.
     */
    private boolean aimAtDeadline()
    {
        for (int attempt = 0; attempt < 6 && !holds.isEmpty(); attempt++)
        {
            final TestLedger.Transfer hold = pickHold();
            final TestLedger.TransferView stored = view.transfer(hold.idLo, hold.idHi);
            if (stored != null && stored.pendingStatus() == Flags.PENDING_STATUS_PENDING &&
                stored.timeout() > 0 && stored.timeout() < 1000)
            {
                final long deadline = stored.timestamp() + stored.timeout() * NANOS_PER_SECOND;
                if (deadline > now && deadline - now < 120 * NANOS_PER_SECOND)
                {
                    now = deadline - random.nextInt(2);
                    return true;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------- transfers

    private LedgerRequest record(final TestLedger.Transfer[] batch)
    {
        for (final TestLedger.Transfer t : batch)
        {
            sent.add(t);
            if ((t.flags & Flags.TRANSFER_PENDING) != 0)
            {
                holds.add(t);
            }
        }
        sentBatches.add(batch);
        if (sentBatches.size() > 64)
        {
            sentBatches.remove(0);
        }
        return new LedgerRequest(now, null, batch);
    }

    private TestLedger.Transfer[] transferBatch()
    {
        final int batchMax = config.batchEventsMax();
        final int size = random.nextInt(4) == 0 ? batchMax : 1 + random.nextInt(batchMax);
        final TestLedger.Transfer[] batch = new TestLedger.Transfer[size];
        final int holdsBefore = holds.size();
        for (int i = 0; i < size; i++)
        {
            batch[i] = event(batch, i);
            // Holds of this batch can be posted or voided later in the same batch.
            if ((batch[i].flags & Flags.TRANSFER_PENDING) != 0)
            {
                holds.add(batch[i]);
            }
        }
        holds.subList(holdsBefore, holds.size()).clear();
        link(batch);
        return batch;
    }

    private void link(final TestLedger.Transfer[] batch)
    {
        for (int i = 0; i < batch.length - 1; i++)
        {
            if (random.nextInt(100) < 20)
            {
                final int run = 1 + random.nextInt(3);
                for (int k = i; k < Math.min(i + run, batch.length - 1); k++)
                {
                    batch[k].flags |= Flags.TRANSFER_LINKED;
                }
                i += run;
            }
        }
        if (random.nextInt(100) < 6)
        {
            batch[batch.length - 1].flags |= Flags.TRANSFER_LINKED;
        }
    }

    private TestLedger.Transfer event(final TestLedger.Transfer[] batch, final int i)
    {
        final int r = random.nextInt(100);
        if (r < 28)
        {
            return singlePhase();
        }
        if (r < 43)
        {
            return pending();
        }
        if (r < 55)
        {
            return post();
        }
        if (r < 62)
        {
            return voidHold();
        }
        if (r < 76)
        {
            return retry(batch, i);
        }
        if (r < 88)
        {
            return invalid();
        }
        return funding();
    }

    private TestLedger.Transfer fresh()
    {
        final TestLedger.Transfer t = new TestLedger.Transfer();
        final ReferenceLedger.Id id = freshId();
        t.id(id.lo(), id.hi());
        t.code = 1 + random.nextInt(3);
        t.userData64 = random.nextInt(3);
        t.userData32 = random.nextInt(3);
        t.userData128Lo = random.nextInt(3);
        t.userData128Hi = random.nextInt(10) == 0 ? 1 : 0;
        return t;
    }

    /**
     * @return a transfer id never used before, mostly the next in sequence, sometimes sharing the low half of an
     * earlier one, anywhere in the 128-bit space or with a zero low half.
     */
    ReferenceLedger.Id freshId()
    {
        final int r = random.nextInt(100);
        ReferenceLedger.Id id;
        if (r < 4 && !sent.isEmpty())
        {
            // Same low half as an earlier id: must be a different transfer.
            id = new ReferenceLedger.Id(sent.get(random.nextInt(sent.size())).idLo, 1 + random.nextInt(3));
        }
        else if (r < 5)
        {
            id = new ReferenceLedger.Id(0, nextTransferId++);
        }
        else if (r < 10)
        {
            // Anywhere in the 128-bit space, so that the id index sees more than small sequential numbers.
            id = new ReferenceLedger.Id(random.nextLong(), random.nextLong());
        }
        else
        {
            id = new ReferenceLedger.Id(nextTransferId++, 0);
        }
        while (id.isZero() || !usedIds.add(id))
        {
            id = new ReferenceLedger.Id(nextTransferId++, 0);
        }
        return id;
    }

    /**
     * @return an account, most of the time one that exists (some planned ones were never created).
     */
    PlannedAccount pickAccount()
    {
        PlannedAccount account = accounts.get(random.nextInt(accounts.size()));
        for (int attempt = 0; attempt < 3 && view.account(account.id()) == null; attempt++)
        {
            account = accounts.get(random.nextInt(accounts.size()));
        }
        return account;
    }

    private PlannedAccount pickPartner(final PlannedAccount of, final int flagsWanted)
    {
        final List<PlannedAccount> candidates = new ArrayList<>();
        for (final PlannedAccount a : accounts)
        {
            if (a.id() != of.id() && a.currency() == of.currency() &&
                (flagsWanted < 0 || (a.flags() & ~Flags.ACCOUNT_LINKED) == flagsWanted))
            {
                candidates.add(a);
            }
        }
        // Mostly accounts that exist; the few that were never created still come up now and then.
        if (random.nextInt(10) != 0)
        {
            final List<PlannedAccount> existing = new ArrayList<>();
            for (final PlannedAccount a : candidates)
            {
                if (view.account(a.id()) != null)
                {
                    existing.add(a);
                }
            }
            if (!existing.isEmpty())
            {
                return existing.get(random.nextInt(existing.size()));
            }
        }
        if (candidates.isEmpty())
        {
            return flagsWanted < 0 ? accounts.get(random.nextInt(accounts.size())) : pickPartner(of, -1);
        }
        return candidates.get(random.nextInt(candidates.size()));
    }

    private TestLedger.Transfer singlePhase()
    {
        return singlePhaseFrom(pickAccount());
    }

    private TestLedger.Transfer singlePhaseFrom(final PlannedAccount debit)
    {
        final PlannedAccount credit = pickPartner(debit, -1);
        final TestLedger.Transfer t = fresh().from(debit.id()).to(credit.id()).currency(debit.currency());
        return t.amount(amount(view.account(debit.id()), view.account(credit.id())));
    }

    /** Money from a settlement account into a wallet, so that wallets have something to spend. */
    private TestLedger.Transfer funding()
    {
        final PlannedAccount wallet = pickAccount();
        final PlannedAccount settlement = pickPartner(wallet, 0);
        final TestLedger.Transfer t = fresh().from(settlement.id()).to(wallet.id()).currency(wallet.currency());
        return t.amount(random.nextInt(10) == 0 ? amount(view.account(settlement.id()), view.account(wallet.id())) :
            1 + random.nextInt(1_000_000));
    }

    private TestLedger.Transfer pending()
    {
        final TestLedger.Transfer t = singlePhase().pending();
        final int r = random.nextInt(100);
        if (r < 35)
        {
            t.timeout = 0;
        }
        else if (r < 80)
        {
            t.timeout = 1 + random.nextInt(20);
        }
        else if (r < 88)
        {
            t.timeout = -1 - random.nextInt(3); // close to 2^32 - 1 seconds
        }
        else if (r < 95)
        {
            t.timeout = 1 + random.nextInt(100_000);
        }
        else
        {
            t.timeout = random.nextInt();
        }
        return t;
    }

    /**
     * An amount aimed at the debit account's spendable balance, the credit account's limit, the overflow
     * boundaries, or just small.
     */
    private long amount(final TestLedger.AccountView debit, final TestLedger.AccountView credit)
    {
        final long available = debit == null ? 1000 :
            difference(debit.creditsPosted(), debit.debitsPosted(), debit.debitsPending());
        final int r = random.nextInt(100);
        if (r < 35)
        {
            return 1 + random.nextInt(1000);
        }
        if (r < 43)
        {
            return 1;
        }
        if (r < 53)
        {
            return available > 0 ? available : 1 + random.nextInt(10);
        }
        if (r < 60)
        {
            return available >= 0 && available < Long.MAX_VALUE ? available + 1 : 2;
        }
        if (r < 70)
        {
            return available > 1 ? 1 + (long)(random.nextDouble() * (available - 1)) : 3;
        }
        if (r < 72)
        {
            return Long.MAX_VALUE - random.nextInt(4);
        }
        if (r < 76 && credit != null)
        {
            // Exactly up to, or one past, the largest credit the credit account can still take.
            final long room = (credit.flags() & Flags.ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS) != 0 ?
                difference(credit.debitsPosted(), credit.creditsPosted(), credit.creditsPending()) :
                difference(Long.MAX_VALUE, credit.creditsPosted(), credit.creditsPending());
            final long amount = room + random.nextInt(2);
            return amount > 0 ? amount : 1;
        }
        if (r < 79 && debit != null)
        {
            final long room = difference(Long.MAX_VALUE, debit.debitsPosted(), debit.debitsPending());
            final long amount = room + random.nextInt(2);
            return amount > 0 ? amount : 1;
        }
        if (r < 90)
        {
            return 1 + random.nextInt(1_000_000_000);
        }
        return 1 + random.nextInt(100_000);
    }

    /**
     * @return {@code a - b - c}, clamped to the range of a long.
     */
    private static long difference(final long a, final long b, final long c)
    {
        final BigInteger exact = BigInteger.valueOf(a).subtract(BigInteger.valueOf(b)).subtract(BigInteger.valueOf(c));
        return exact.max(BigInteger.valueOf(Long.MIN_VALUE)).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
    }

    private TestLedger.Transfer pickHold()
    {
        if (random.nextInt(10) < 6)
        {
            return holds.get(holds.size() - 1 - random.nextInt(Math.min(holds.size(), 15)));
        }
        return holds.get(random.nextInt(holds.size()));
    }

    /** A post or void aimed at a hold, or at something that is not one. */
    private TestLedger.Transfer resolve(final TestLedger.Transfer t)
    {
        if (operators != null && random.nextInt(100) < 6)
        {
            // Only an operator's decision resolves a review hold.
            final ReferenceLedger.Id review = operators.openReviewHold();
            if (review != null)
            {
                t.pendingLo = review.lo();
                t.pendingHi = review.hi();
                return t;
            }
        }
        final int r = random.nextInt(100);
        if (holds.isEmpty() || r < 4)
        {
            t.pendingLo = nextTransferId + 100 + random.nextInt(10); // never used
            return t;
        }
        if (r < 9 && !sent.isEmpty())
        {
            final TestLedger.Transfer other = sent.get(random.nextInt(sent.size()));
            t.pendingLo = other.idLo;
            t.pendingHi = other.idHi;
            return t;
        }
        TestLedger.Transfer hold = pickHold();
        for (int attempt = 0; attempt < 3 && !isOpen(hold); attempt++)
        {
            hold = pickHold();
        }
        t.pendingLo = hold.idLo;
        t.pendingHi = hold.idHi;
        final TestLedger.TransferView stored = view.transfer(hold.idLo, hold.idHi);
        final long debit = stored != null ? stored.debit() : hold.debit;
        final long credit = stored != null ? stored.credit() : hold.credit;
        final int currency = stored != null ? stored.currency() : hold.currency;
        if (random.nextInt(100) < 12)
        {
            t.debit = random.nextInt(4) == 0 ? pickAccount().id() : debit;
        }
        if (random.nextInt(100) < 12)
        {
            t.credit = random.nextInt(4) == 0 ? pickAccount().id() : credit;
        }
        if (random.nextInt(100) < 12)
        {
            t.currency = random.nextInt(4) == 0 ? pickCurrency() : currency;
        }
        return t;
    }

    private boolean isOpen(final TestLedger.Transfer hold)
    {
        final TestLedger.TransferView stored = view.transfer(hold.idLo, hold.idHi);
        return stored != null && stored.pendingStatus() == Flags.PENDING_STATUS_PENDING;
    }

    private long heldAmount(final TestLedger.Transfer t)
    {
        final TestLedger.TransferView stored = view.transfer(t.pendingLo, t.pendingHi);
        if (stored != null)
        {
            return stored.amount();
        }
        for (final TestLedger.Transfer hold : holds)
        {
            if (hold.idLo == t.pendingLo && hold.idHi == t.pendingHi)
            {
                return hold.amount;
            }
        }
        return 1 + random.nextInt(100);
    }

    private TestLedger.Transfer post()
    {
        final TestLedger.Transfer t = fresh();
        t.post(0);
        resolve(t);
        final long held = heldAmount(t);
        final int r = random.nextInt(100);
        if (r < 30)
        {
            t.amount = 0;
        }
        else if (r < 48)
        {
            t.amount = held;
        }
        else if (r < 68)
        {
            t.amount = held > 1 ? 1 + (long)(random.nextDouble() * (held - 1)) : held;
        }
        else if (r < 80)
        {
            t.amount = held < Long.MAX_VALUE ? held + 1 : held;
        }
        else if (r < 88)
        {
            t.amount = 1;
        }
        else if (r < 94)
        {
            t.amount = -1;
        }
        else
        {
            t.amount = Long.MAX_VALUE;
        }
        return t;
    }

    private TestLedger.Transfer voidHold()
    {
        final TestLedger.Transfer t = fresh();
        t.voidHold(0);
        resolve(t);
        final long held = heldAmount(t);
        final int r = random.nextInt(100);
        if (r < 55)
        {
            t.amount = 0;
        }
        else if (r < 80)
        {
            t.amount = held;
        }
        else if (r < 95)
        {
            t.amount = random.nextBoolean() ? 1 : held + 1;
        }
        else
        {
            t.amount = Long.MIN_VALUE;
        }
        return t;
    }

    private TestLedger.Transfer retry(final TestLedger.Transfer[] batch, final int i)
    {
        final int r = random.nextInt(100);
        final TestLedger.Transfer original;
        if (r < 15 && i > 0)
        {
            original = batch[random.nextInt(i)];
        }
        else if (r < 35 && !holds.isEmpty())
        {
            // Holds stay remembered while open, however old.
            original = holds.get(random.nextInt(holds.size()));
        }
        else if (r < 80 && !sent.isEmpty())
        {
            original = sent.get(sent.size() - 1 - random.nextInt(Math.min(sent.size(), 120)));
        }
        else if (!sent.isEmpty())
        {
            original = sent.get(random.nextInt(sent.size()));
        }
        else
        {
            return fresh().from(1).to(2).amount(1);
        }
        final TestLedger.Transfer t = original.copy();
        t.flags &= ~Flags.TRANSFER_LINKED;
        if (random.nextInt(100) < 40)
        {
            mutate(t);
        }
        return t;
    }

    private void mutate(final TestLedger.Transfer t)
    {
        final boolean postOrVoid = (t.flags & (Flags.TRANSFER_POST_PENDING | Flags.TRANSFER_VOID_PENDING)) != 0;
        switch (random.nextInt(13))
        {
            case 0 -> t.flags ^= postOrVoid ? Flags.TRANSFER_POST_PENDING | Flags.TRANSFER_VOID_PENDING :
                random.nextBoolean() ? Flags.TRANSFER_PENDING : 1 << (4 + random.nextInt(12));
            case 1 -> t.pendingLo += 1;
            case 2 -> t.timeout = t.timeout == 0 ? 5 : t.timeout + 1;
            case 3 -> t.debit = postOrVoid && random.nextBoolean() ? 0 : pickAccount().id();
            case 4 -> t.credit = postOrVoid && random.nextBoolean() ? 0 : pickAccount().id();
            case 5 -> t.amount = random.nextBoolean() ? 0 : t.amount + 1;
            case 6 -> t.currency = random.nextBoolean() ? 0 : pickCurrency();
            case 7 -> t.userData128Hi ^= 1;
            case 8 -> t.userData64 += 1;
            case 9 -> t.userData32 += 1;
            case 10 -> t.code += 1;
            case 11 -> asStored(t);
            default -> t.idHi += 7; // a neighbour id: a new transfer
        }
    }

    /**
     * Spells out the accounts, amount and currency a post or void was stored with (it may have given 0 for
     * "as the hold"): still the same transfer.
     */
    private void asStored(final TestLedger.Transfer t)
    {
        final TestLedger.TransferView stored = view.transfer(t.idLo, t.idHi);
        if (stored != null)
        {
            t.debit = stored.debit();
            t.credit = stored.credit();
            t.amount = stored.amount();
            t.currency = stored.currency();
        }
    }

    private TestLedger.Transfer invalid()
    {
        final TestLedger.Transfer t = singlePhase();
        switch (random.nextInt(22))
        {
            case 0 -> t.id(0, 0);
            case 1 -> t.debit = 0;
            case 2 -> t.credit = 0;
            case 3 -> t.credit = t.debit;
            case 4 -> t.pendingLo = 1 + random.nextInt(100);
            case 5 -> t.timeout = 5;
            case 6 -> t.amount = 0;
            case 7 -> t.amount = random.nextBoolean() ? -1 : Long.MIN_VALUE;
            case 8 -> t.currency = 0;
            case 9 -> t.debit = UNKNOWN_ACCOUNT_BASE + random.nextInt(3);
            case 10 -> t.credit = UNKNOWN_ACCOUNT_BASE + random.nextInt(3);
            case 11 ->
            {
                final PlannedAccount other = pickAccount();
                t.credit = other.id() == t.debit ? t.credit : other.id();
            }
            case 12 -> t.currency = random.nextBoolean() ? UNKNOWN_CURRENCY : pickCurrency();
            case 13 -> t.flags |= 1 << (4 + random.nextInt(12));
            case 14 -> t.flags |= Flags.TRANSFER_PENDING | Flags.TRANSFER_POST_PENDING;
            case 15 -> t.flags |= Flags.TRANSFER_POST_PENDING | Flags.TRANSFER_VOID_PENDING;
            case 16 -> t.post(0);
            case 17 -> t.post(t.idLo).pendingHi = t.idHi;
            case 18 -> resolve(t.post(0)).timeout = 1 + random.nextInt(10);
            case 19 -> resolve(t.voidHold(0)).amount = -1;
            case 20 -> t.pending().timeout = -1;
            default -> resolve(t.post(0)).id(0, 0);
        }
        return t;
    }
}
