package io.walletledger.engine;

import io.walletledger.protocol.sbe.ResultCode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariants of the engine over random request sequences, checked on the engine alone (no model): money is
 * conserved, limits hold, retries never move money twice, failed chains leave no trace, and every hold's
 * money is accounted for. jqwik draws the seed of a {@link CommandGenerator} and the length of the run, and
 * shrinks the length when a property fails; every message names the seed, and jqwik replays the failing
 * sample first on the next run (or pin it with {@code @Property(seed = ...)} from jqwik's report).
 */
class LedgerPropertiesTest
{
    private static final int TRIES = 100;

    // ------------------------------------------------------------------------------------------------- money

    @Property(tries = TRIES)
    void moneyIsConservedPerCurrencyAfterEveryRequest(
        @ForAll final long seed, @ForAll @IntRange(min = 1, max = 250) final int requests)
    {
        final Run run = new Run(seed, true);
        for (int step = 0; step < requests; step++)
        {
            run.step();
            final Map<Integer, BigInteger[]> sums = new HashMap<>();
            for (final TestLedger.AccountView a : run.accounts())
            {
                final BigInteger[] s = sums.computeIfAbsent(a.currency(),
                    c -> new BigInteger[]{ BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO });
                s[0] = s[0].add(BigInteger.valueOf(a.debitsPosted()));
                s[1] = s[1].add(BigInteger.valueOf(a.creditsPosted()));
                s[2] = s[2].add(BigInteger.valueOf(a.debitsPending()));
                s[3] = s[3].add(BigInteger.valueOf(a.creditsPending()));
            }
            for (final Map.Entry<Integer, BigInteger[]> e : sums.entrySet())
            {
                final BigInteger[] s = e.getValue();
                assertEquals(s[0], s[1], run.context(step) + "posted debits and credits of " + e.getKey() + " differ");
                assertEquals(s[2], s[3], run.context(step) + "pending debits and credits of " + e.getKey() + " differ");
            }
        }
    }

    @Property(tries = TRIES)
    void noAccountEverBreaksItsBalanceLimit(
        @ForAll final long seed, @ForAll @IntRange(min = 1, max = 250) final int requests)
    {
        final Run run = new Run(seed, true);
        for (int step = 0; step < requests; step++)
        {
            run.step();
            for (final TestLedger.AccountView a : run.accounts())
            {
                final String account = run.context(step) + a + " ";
                assertTrue(a.debitsPending() >= 0 && a.debitsPosted() >= 0 && a.creditsPending() >= 0 &&
                    a.creditsPosted() >= 0, account + "has a negative balance field");
                final BigInteger debits =
                    BigInteger.valueOf(a.debitsPosted()).add(BigInteger.valueOf(a.debitsPending()));
                final BigInteger credits =
                    BigInteger.valueOf(a.creditsPosted()).add(BigInteger.valueOf(a.creditsPending()));
                if ((a.flags() & Flags.ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS) != 0)
                {
                    assertTrue(debits.compareTo(BigInteger.valueOf(a.creditsPosted())) <= 0, account + "is overdrawn");
                }
                if ((a.flags() & Flags.ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS) != 0)
                {
                    assertTrue(credits.compareTo(BigInteger.valueOf(a.debitsPosted())) <= 0,
                        account + "has more credits than debits");
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- retries

    /**
     * With a window larger than the run, every id sent is remembered: sending each transfer again (without
     * the linked flag, which a retry may change) must never apply anything, must answer {@code EXISTS} where
     * the first attempt succeeded, and must leave every balance and hold as it was.
     */
    @Property(tries = TRIES)
    void aRetriedIdNeverMovesMoneyTwice(
        @ForAll final long seed, @ForAll @IntRange(min = 1, max = 150) final int requests)
    {
        final Run run = new Run(seed, false);
        for (int step = 0; step < requests; step++)
        {
            run.step();
        }
        run.apply(run.generator.nothing());
        final List<TestLedger.AccountView> before = run.accounts();
        final int holdsBefore = run.ledger.engine.pendingTransferCount();

        final int batchMax = run.config.batchEventsMax();
        for (int from = 0; from < run.events.size(); from += batchMax)
        {
            final int to = Math.min(run.events.size(), from + batchMax);
            final TestLedger.Transfer[] again = new TestLedger.Transfer[to - from];
            for (int i = from; i < to; i++)
            {
                again[i - from] = run.events.get(i).copy();
                again[i - from].flags &= ~Flags.TRANSFER_LINKED;
            }
            run.ledger.now = run.generator.now();
            final ResultCode[] results = run.ledger.createTransfers(again);
            for (int i = from; i < to; i++)
            {
                final String context = run.context(requests) + "resending " +
                    LedgerRequest.describe(again[i - from]) + " first answered " + run.results.get(i) + ": ";
                assertNotEquals(ResultCode.OK, results[i - from], context + "applied twice");
                if (run.results.get(i) == ResultCode.OK)
                {
                    assertEquals(ResultCode.EXISTS, results[i - from], context + "not recognised as a retry");
                }
            }
        }
        assertEquals(before, run.accounts(), run.context(requests) + "resending earlier transfers moved money");
        assertEquals(holdsBefore, run.ledger.engine.pendingTransferCount(),
            run.context(requests) + "resending earlier transfers changed the open holds");
    }

    // --------------------------------------------------------------------------------------------- chains

    @Property(tries = TRIES)
    void aFailedLinkedChainLeavesNoTrace(
        @ForAll final long seed, @ForAll @IntRange(min = 1, max = 150) final int requests)
    {
        final Run run = new Run(seed, true);
        final Random probes = new Random(seed);
        for (int step = 0; step < requests; step++)
        {
            run.step();
            if (probes.nextInt(5) != 0)
            {
                continue;
            }
            run.apply(run.generator.nothing());
            final List<TestLedger.AccountView> before = run.accounts();
            final int holdsBefore = run.ledger.engine.pendingTransferCount();
            final List<TestLedger.TransferView> openHolds = run.openHolds();

            final LedgerRequest chain = run.generator.failingChain(run.view);
            final ResultCode[] results = run.apply(chain);
            final String context = run.context(step) + "failed chain " + chain.describe() + "\nanswered " +
                Arrays.toString(results) + ": ";
            for (final ResultCode result : results)
            {
                assertTrue(result != ResultCode.OK && result != ResultCode.EXISTS, context + "an event applied");
            }
            assertEquals(before, run.accounts(), context + "balances changed");
            assertEquals(holdsBefore, run.ledger.engine.pendingTransferCount(), context + "open holds changed");
            for (final TestLedger.TransferView hold : openHolds)
            {
                assertEquals(hold, run.ledger.transferById(hold.idLo(), hold.idHi()), context + "a hold changed");
            }
            for (final TestLedger.Transfer t : chain.transfers())
            {
                assertNull(run.ledger.transferById(t.idLo, t.idHi), context + "a transfer of the chain is stored");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- holds

    /**
     * Every successful hold is still pending, or was posted once (captured part plus released remainder is the
     * hold), voided once for its whole amount, or expired; and every account's pending fields are the sum of
     * its open holds, its posted fields the sum of its single-phase transfers and captures.
     */
    @Property(tries = TRIES)
    void everyHoldIsAccountedFor(@ForAll final long seed, @ForAll @IntRange(min = 1, max = 200) final int requests)
    {
        final Run run = new Run(seed, false);
        for (int step = 0; step < requests; step++)
        {
            run.step();
            if (step % 25 == 24 || step == requests - 1)
            {
                holdsReconcile(run, step);
            }
        }
    }

    private static void holdsReconcile(final Run run, final int step)
    {
        final String context = run.context(step);
        final Map<ReferenceLedger.Id, TestLedger.TransferView> holds = new HashMap<>();
        final Map<ReferenceLedger.Id, List<TestLedger.TransferView>> posts = new HashMap<>();
        final Map<ReferenceLedger.Id, List<TestLedger.TransferView>> voids = new HashMap<>();
        final Map<Long, BigInteger[]> expected = new HashMap<>();
        final Set<ReferenceLedger.Id> applied = new HashSet<>();

        for (int i = 0; i < run.events.size(); i++)
        {
            if (run.results.get(i) != ResultCode.OK)
            {
                continue;
            }
            final TestLedger.Transfer t = run.events.get(i);
            final ReferenceLedger.Id id = new ReferenceLedger.Id(t.idLo, t.idHi);
            assertTrue(applied.add(id), context + "id " + id + " was applied twice");
            final TestLedger.TransferView stored = run.ledger.transferById(t.idLo, t.idHi);
            assertNotNull(stored, context + "applied transfer " + id + " is not found");
            if ((t.flags & Flags.TRANSFER_PENDING) != 0)
            {
                holds.put(id, stored);
            }
            else if ((t.flags & Flags.TRANSFER_POST_PENDING) != 0)
            {
                posts.computeIfAbsent(new ReferenceLedger.Id(t.pendingLo, t.pendingHi), k -> new ArrayList<>())
                    .add(stored);
                add(expected, stored.debit(), 1, stored.amount());
                add(expected, stored.credit(), 3, stored.amount());
            }
            else if ((t.flags & Flags.TRANSFER_VOID_PENDING) != 0)
            {
                voids.computeIfAbsent(new ReferenceLedger.Id(t.pendingLo, t.pendingHi), k -> new ArrayList<>())
                    .add(stored);
            }
            else
            {
                add(expected, stored.debit(), 1, stored.amount());
                add(expected, stored.credit(), 3, stored.amount());
            }
        }

        int open = 0;
        for (final Map.Entry<ReferenceLedger.Id, TestLedger.TransferView> e : holds.entrySet())
        {
            final TestLedger.TransferView hold = e.getValue();
            final List<TestLedger.TransferView> posted = posts.getOrDefault(e.getKey(), List.of());
            final List<TestLedger.TransferView> voided = voids.getOrDefault(e.getKey(), List.of());
            final String about = context + "hold " + hold + " posts " + posted + " voids " + voided + ": ";
            switch (hold.pendingStatus())
            {
                case Flags.PENDING_STATUS_PENDING ->
                {
                    assertTrue(posted.isEmpty() && voided.isEmpty(), about + "pending but resolved");
                    add(expected, hold.debit(), 0, hold.amount());
                    add(expected, hold.credit(), 2, hold.amount());
                    open++;
                }
                case Flags.PENDING_STATUS_POSTED ->
                {
                    assertTrue(posted.size() == 1 && voided.isEmpty(), about + "posted but not exactly once");
                    final TestLedger.TransferView post = posted.get(0);
                    assertTrue(post.amount() >= 1 && post.amount() <= hold.amount(), about + "captured too much");
                    assertEquals(hold.debit(), post.debit(), about + "posted from another account");
                    assertEquals(hold.credit(), post.credit(), about + "posted to another account");
                }
                case Flags.PENDING_STATUS_VOIDED ->
                {
                    assertTrue(voided.size() == 1 && posted.isEmpty(), about + "voided but not exactly once");
                    assertEquals(hold.amount(), voided.get(0).amount(), about + "voided another amount");
                }
                case Flags.PENDING_STATUS_EXPIRED ->
                {
                    assertTrue(posted.isEmpty() && voided.isEmpty(), about + "expired but resolved");
                    assertTrue(hold.timeout() != 0, about + "expired without a timeout");
                }
                default -> throw new AssertionError(about + "unknown pending status " + hold.pendingStatus());
            }
        }
        for (final ReferenceLedger.Id target : posts.keySet())
        {
            assertTrue(holds.containsKey(target), context + "a post of " + target + ", which is no applied hold");
        }
        for (final ReferenceLedger.Id target : voids.keySet())
        {
            assertTrue(holds.containsKey(target), context + "a void of " + target + ", which is no applied hold");
        }

        assertEquals(open, run.ledger.engine.pendingTransferCount(), context + "open holds");
        for (final TestLedger.AccountView a : run.accounts())
        {
            final BigInteger[] sums = expected.getOrDefault(a.id(), zeros());
            final List<BigInteger> actual = List.of(BigInteger.valueOf(a.debitsPending()),
                BigInteger.valueOf(a.debitsPosted()), BigInteger.valueOf(a.creditsPending()),
                BigInteger.valueOf(a.creditsPosted()));
            assertEquals(Arrays.asList(sums), actual, context + "balances of " + a +
                " are not the sums of its holds, transfers and captures (debitsPending, debitsPosted, " +
                "creditsPending, creditsPosted)");
        }
    }

    private static void add(final Map<Long, BigInteger[]> sums, final long account, final int field, final long amount)
    {
        final BigInteger[] s = sums.computeIfAbsent(account, k -> zeros());
        s[field] = s[field].add(BigInteger.valueOf(amount));
    }

    private static BigInteger[] zeros()
    {
        return new BigInteger[]{ BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO };
    }

    // -------------------------------------------------------------------------------------------------- run

    /** One random run against a real engine, remembering every transfer event sent and its answer. */
    private static final class Run
    {
        final long seed;
        final CommandGenerator generator;
        final LedgerConfig config;
        final TestLedger ledger;
        final LedgerView view;
        final List<TestLedger.Transfer> events = new ArrayList<>();
        final List<ResultCode> results = new ArrayList<>();

        Run(final long seed, final boolean small)
        {
            this.seed = seed;
            this.generator = new CommandGenerator(new Random(seed), small);
            this.config = generator.config();
            this.ledger = new TestLedger(config);
            this.view = LedgerView.of(ledger);
        }

        void step()
        {
            apply(generator.next(view));
        }

        ResultCode[] apply(final LedgerRequest request)
        {
            final ResultCode[] answers = request.applyTo(ledger);
            if (request.transfers() != null)
            {
                events.addAll(Arrays.asList(request.transfers()));
                results.addAll(Arrays.asList(answers));
            }
            return answers;
        }

        List<TestLedger.AccountView> accounts()
        {
            final long[] ids = generator.accountIds();
            final int batchMax = config.batchEventsMax();
            final List<TestLedger.AccountView> found = new ArrayList<>();
            for (int from = 0; from < ids.length; from += batchMax)
            {
                final int to = Math.min(ids.length, from + batchMax);
                found.addAll(ledger.lookupAccounts(Arrays.copyOfRange(ids, from, to)));
            }
            return found;
        }

        /**
         * @return the holds sent so far that are open (those are remembered whatever the window).
         */
        List<TestLedger.TransferView> openHolds()
        {
            final List<TestLedger.TransferView> found = new ArrayList<>();
            for (final TestLedger.Transfer t : events)
            {
                if ((t.flags & Flags.TRANSFER_PENDING) != 0)
                {
                    final TestLedger.TransferView hold = ledger.transferById(t.idLo, t.idHi);
                    if (hold != null && hold.pendingStatus() == Flags.PENDING_STATUS_PENDING)
                    {
                        found.add(hold);
                    }
                }
            }
            return found;
        }

        String context(final int step)
        {
            return "seed=" + seed + " step=" + step + " " + config + ": ";
        }
    }
}
